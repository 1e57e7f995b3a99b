from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification import demo
from rectification.models import (
    Disclosure,
    Evaluation,
    Evidence,
    Feedback,
    PlanStatus,
    Task,
    TaskReminder,
    TaskStatus,
)

from .factories import FindingFactory, RoundFactory, TeamFactory, TeamUnitFactory


def test_demo_seed_covers_every_state_and_is_idempotent(jurisdiction, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = {"office": make_user(Role.OFFICE, username="office"), "liaison": make_user(Role.UNIT_LIAISON, username="liaison")}
    round = RoundFactory(jurisdiction=jurisdiction)
    team = TeamFactory(round=round)
    units = [users["liaison"].unit] + [None] * 5
    for unit in units:
        team_unit = TeamUnitFactory(team=team, **({"unit": unit} if unit else {}))
        for _ in range(7):
            FindingFactory(team=team, unit=team_unit.unit)
    completed = RoundFactory(jurisdiction=jurisdiction, phase="completed")
    old_team_unit = TeamUnitFactory(team__round=completed)
    for _ in range(6):
        FindingFactory(team=old_team_unit.team, unit=old_team_unit.unit)
    context = {"users": users, "rectification_round": round, "liaison_unit": users["liaison"].unit,
               "rounds": [round, completed]}

    demo.seed(context)

    assert Feedback.objects.filter(round=round).count() == 6
    old_tasks = Task.objects.filter(plan__feedback__round=completed)
    assert old_tasks.count() == 6 and old_tasks.filter(status=TaskStatus.CLOSED).count() >= 5
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

    counts = (Feedback.objects.count(), Task.objects.count(), TaskReminder.objects.count(), Notification.objects.count())
    demo.seed(context)
    assert (Feedback.objects.count(), Task.objects.count(), TaskReminder.objects.count(),
            Notification.objects.count()) == counts


def test_demo_seed_skips_without_rounds(db):
    assert demo.seed({}) == {}
