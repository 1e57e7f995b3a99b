"""Issue 16: notices at the rectification handoffs, to exactly the people whose turn it is."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification import services

from .factories import FindingFactory, RoundFactory, TaskFactory, TeamUnitFactory, make_feedback

pytestmark = pytest.mark.django_db


def _last_id():
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _told(run):
    since = _last_id()
    run()
    rows = list(Notification.objects.filter(pk__gt=since).order_by("pk"))
    return {row.user_id for row in rows}, rows


@pytest.fixture
def people(jurisdiction, other_jurisdiction, make_user):
    liaisons = [make_user(Role.UNIT_LIAISON, email="lly@example.cn")]
    unit = liaisons[0].unit
    liaisons.append(make_user(Role.UNIT_LIAISON, unit=unit))
    make_user(Role.UNIT_LIAISON, unit=unit, is_active=False)
    make_user(Role.UNIT_LIAISON)  # another unit's
    offices = [make_user(Role.OFFICE), make_user(Role.OFFICE)]
    make_user(Role.OFFICE, jurisdiction=other_jurisdiction)
    make_user(Role.LEADING_GROUP)
    return {"unit": unit, "liaisons": liaisons, "offices": offices}


def ids(users):
    return {user.pk for user in users}


def test_feedback_recorded_tells_the_units_liaisons(jurisdiction, people, django_capture_on_commit_callbacks):
    team_unit = TeamUnitFactory(unit=people["unit"], team__round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    FindingFactory(team=team_unit.team, unit=team_unit.unit)
    with django_capture_on_commit_callbacks(execute=True):
        users, rows = _told(lambda: services.feedback_record(
            actor=people["offices"][0], round=team_unit.round, unit=team_unit.unit,
            held_on=timezone.localdate() - timedelta(days=1), place="会议室", attendees="班子成员",
            letter_number="清巡反〔2026〕9号",
        ))
    assert users == ids(people["liaisons"])
    assert rows[0].title.startswith("巡察反馈已登记")
    assert "清巡反〔2026〕9号" in rows[0].body
    assert [m.to for m in mail.outbox] == [["lly@example.cn"]]


def test_plan_task_and_report_handoffs(jurisdiction, people):
    liaison, office = people["liaisons"][0], people["offices"][0]
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=people["unit"], findings=1)
    task = TaskFactory(plan=plan, finding=findings[0])
    offices = ids(people["offices"]) | {feedback.created_by_id}  # the factory's clerk is an office user too

    users, rows = _told(lambda: services.plan_transition(plan=plan, actor=liaison, verb="submit"))
    assert users == offices
    assert rows[0].url == f"/rectification/feedback/{feedback.pk}/"
    users, rows = _told(lambda: services.plan_transition(plan=plan, actor=office, verb="return", reason="措施不具体"))
    assert users == ids(people["liaisons"]) and "措施不具体" in rows[0].body
    services.plan_transition(plan=plan, actor=liaison, verb="submit")
    users, rows = _told(lambda: services.plan_transition(plan=plan, actor=office, verb="accept"))
    assert users == ids(people["liaisons"]) and rows[0].title.startswith("整改方案已审核通过")

    services.progress_report(task=task, actor=liaison, reported_on=timezone.localdate(), description="已清退")
    users, rows = _told(lambda: services.task_transition(task=task, actor=liaison, verb="submit"))
    assert users == offices
    assert rows[0].url == f"/rectification/tasks/{task.pk}/"
    users, _ = _told(lambda: services.task_transition(task=task, actor=office, verb="return", reason="佐证材料不足"))
    assert users == ids(people["liaisons"])
    services.task_transition(task=task, actor=liaison, verb="submit")
    users, rows = _told(lambda: services.task_transition(task=task, actor=office, verb="close", reason="经查阅台账，整改到位"))
    assert users == ids(people["liaisons"]) and "已核验销号" in rows[0].title
    # Starting work hands nothing over.
    other = TaskFactory(plan=plan, finding=findings[0])
    users, _ = _told(lambda: services.task_transition(task=other, actor=liaison, verb="start"))
    assert users == set()

    report = services.report_create(feedback=feedback, actor=liaison, content="整改情况如下……")
    users, rows = _told(lambda: services.report_transition(report=report, actor=liaison, verb="submit"))
    assert users == offices and rows[0].url == f"/rectification/reports/{report.pk}/"
    users, _ = _told(lambda: services.report_transition(report=report, actor=office, verb="return", reason="数据不实"))
    assert users == ids(people["liaisons"])
    services.report_transition(report=report, actor=liaison, verb="submit")
    users, _ = _told(lambda: services.report_transition(report=report, actor=office, verb="accept"))
    assert users == ids(people["liaisons"])
