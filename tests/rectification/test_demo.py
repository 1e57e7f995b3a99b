from datetime import timedelta

from django.utils import timezone

from inspection.accounts.models import Notification, Role
from inspection.units.models import Cadre
from rectification import demo
from rectification.models import (
    Disclosure,
    Evaluation,
    Evidence,
    Feedback,
    LookbackCheck,
    PlanStatus,
    RectificationReport,
    ReportStatus,
    Task,
    TaskReminder,
    TaskStatus,
)
from rounds.models import Round, RoundKind
from tests.factories import CadreFactory

from .factories import FindingFactory, RoundFactory, TeamFactory, TeamUnitFactory


def test_demo_seed_covers_every_state_and_is_idempotent(jurisdiction, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = {"office": make_user(Role.OFFICE, username="office"), "liaison": make_user(Role.UNIT_LIAISON, username="liaison"),
             "leader": make_user(Role.LEADING_GROUP, username="leader")}
    round = RoundFactory(jurisdiction=jurisdiction, phase="rectification")
    team = TeamFactory(round=round)
    units = [users["liaison"].unit] + [None] * 6
    for unit in units:
        team_unit = TeamUnitFactory(team=team, **({"unit": unit} if unit else {}))
        for _ in range(7):
            FindingFactory(team=team, unit=team_unit.unit)
    today = timezone.localdate()
    completed = RoundFactory(jurisdiction=jurisdiction, phase="completed", start_date=today - timedelta(days=790),
                             end_date=today - timedelta(days=760))
    CadreFactory(jurisdiction=jurisdiction, pool=Cadre.Pool.LEADER, name="赵建平")
    CadreFactory(jurisdiction=jurisdiction, pool=Cadre.Pool.TALENT, name="孙丽华")
    old_team_unit = TeamUnitFactory(team__round=completed)
    for _ in range(6):
        FindingFactory(team=old_team_unit.team, unit=old_team_unit.unit)
    second_old = TeamUnitFactory(team=old_team_unit.team)
    FindingFactory(team=second_old.team, unit=second_old.unit)
    context = {"users": users, "rectification_round": round, "liaison_unit": users["liaison"].unit,
               "rounds": [round, completed]}

    demo.seed(context)

    assert Feedback.objects.filter(round=round).count() == 7
    # Each task's measures fit its problem (the checklist aspect of its finding), not a rotation of stock texts.
    for task in Task.objects.select_related("finding__category"):
        assert (task.measures, task.responsible_department) == demo.measure_for(task.finding)[:2]
    old_tasks = Task.objects.filter(plan__feedback__round=completed)
    assert old_tasks.count() == 7 and old_tasks.filter(status=TaskStatus.CLOSED).count() >= 5
    assert not old_tasks.filter(deadline__lt=timezone.localdate()).exclude(status=TaskStatus.CLOSED).exists()
    assert set(Feedback.objects.values_list("plan__status", flat=True)) == set(PlanStatus.values)
    assert set(Task.objects.values_list("status", flat=True)) >= {
        TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.CLOSED, TaskStatus.RETURNED}
    assert TaskReminder.objects.filter(stage="escalated").exists() and TaskReminder.objects.filter(stage="overdue").exists()
    assert Evidence.objects.exists() and Evaluation.objects.count() == 1
    assert Disclosure.objects.filter(published_at__isnull=False).count() == 1
    assert Notification.objects.filter(user=users["liaison"]).exists()
    liaison_feedback = Feedback.objects.get(unit=users["liaison"].unit)
    assert liaison_feedback.plan.status == PlanStatus.ACCEPTED
    # 整改情况报告 in every state, one sent late; the demo liaison's own was returned with a reason.
    reports = RectificationReport.objects.all()
    assert set(reports.values_list("status", flat=True)) == set(ReportStatus.values)
    assert reports.filter(is_late=True).exists() and reports.filter(is_late=False, status="accepted").exists()
    assert reports.get(feedback=liaison_feedback).status == ReportStatus.RETURNED
    assert not reports.exclude(feedback__plan__status=PlanStatus.ACCEPTED).exists()
    assert all(r.status_changes.exists() for r in reports.exclude(status="draft"))
    # 回头看: a look-back round revisited the units fed back in the completed round; one task was not fixed.
    lookback = Round.objects.get(kind=RoundKind.LOOKBACK)
    assert list(lookback.lookback_of.all()) == [completed] and lookback.phase == "completed"
    checks = LookbackCheck.objects.filter(lookback_round=lookback)
    assert checks.filter(is_fixed=True).exists()
    not_fixed = checks.get(is_fixed=False)
    assert not_fixed.task.status == TaskStatus.REOPENED
    # Reopened through the service: the new time limit the look-back set, recorded with the check that found it.
    assert not_fixed.reopening.deadline == not_fixed.task.deadline == timezone.localdate() + timedelta(days=45)
    assert not_fixed.reopening.previous_deadline < not_fixed.reopening.deadline
    # Issue 16: every closed task carries its verification opinion; the completed round's were closed in batches.
    closed = Task.objects.filter(status=TaskStatus.CLOSED)
    assert closed.exists() and not closed.filter(verification_opinion="").exists()
    assert all("同意销号" in opinion for opinion in closed.values_list("verification_opinion", flat=True))
    assert old_tasks.filter(status=TaskStatus.CLOSED, verification_opinion__startswith="经巡察办集中核验").exists()

    counts = (Feedback.objects.count(), Task.objects.count(), TaskReminder.objects.count(), Notification.objects.count(),
              RectificationReport.objects.count())
    demo.seed(context)
    assert (Feedback.objects.count(), Task.objects.count(), TaskReminder.objects.count(),
            Notification.objects.count(), RectificationReport.objects.count()) == counts
    assert Round.objects.filter(kind=RoundKind.LOOKBACK).count() == 1 and checks.count() == len(checks)


def test_demo_seed_skips_without_rounds(db):
    assert demo.seed({}) == {}
