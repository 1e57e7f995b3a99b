"""The deadline calendar: plans, reports, tasks and dispositions due this week or month, per role and scope,
in a constant number of queries (issue 16)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.deadlines import period
from inspection.accounts.models import Role
from inspection.audit.models import ReadLog
from referrals.models import Lead, LeadSource, LeadStatus
from tests.rectification.factories import TaskFactory, make_feedback

pytestmark = pytest.mark.django_db


def _labels(response):
    return [(item.kind, item.url) for day in response.context["calendar"]["days"] for item in day["items"]]


@pytest.fixture
def due(jurisdiction, other_jurisdiction, office_user):
    today = timezone.localdate()
    feedback, plan, found = make_feedback(jurisdiction=jurisdiction, held_days_ago=jurisdiction.plan_due_days)
    task = TaskFactory(plan=plan, finding=found[0], deadline=today)
    later = TaskFactory(plan=plan, finding=found[1], deadline=today + timedelta(days=40))
    _f, other_plan, other_found = make_feedback(jurisdiction=other_jurisdiction)
    foreign = TaskFactory(plan=other_plan, finding=other_found[0], deadline=today)
    lead = Lead.objects.create(
        jurisdiction=jurisdiction, round=feedback.round, source=LeadSource.OTHER, subject_name="赵某",
        summary="反映其违规经商", created_by=office_user, status=LeadStatus.RECEIVED,
        referred_at=timezone.now(), received_at=timezone.now(), disposition_due_on=today,
    )
    return {"feedback": feedback, "task": task, "later": later, "foreign": foreign, "lead": lead}


def test_office_sees_its_deadlines_of_this_week(client, office_user, due):
    client.force_login(office_user)
    response = client.get("/dashboard/calendar/")
    assert response.status_code == 200
    items = _labels(response)
    assert ("整改方案", f"/rectification/feedback/{due['feedback'].pk}/") in items
    assert ("整改任务", f"/rectification/tasks/{due['task'].pk}/") in items
    assert ("线索处置", f"/referrals/leads/{due['lead'].pk}/") in items
    assert ("整改任务", f"/rectification/tasks/{due['foreign'].pk}/") not in items  # another county
    assert ("整改任务", f"/rectification/tasks/{due['later'].pk}/") not in items  # not this week
    html = response.content.decode()
    assert "截止日历：本周" in html and "今天" in html
    assert ReadLog.objects.filter(user=office_user, object_type="referrals.lead",
                                  object_id=str(due["lead"].pk)).count() == 1


def test_month_range_and_its_bounds(client, office_user, due):
    today = timezone.localdate()
    first, last = period("month", today)
    assert first.day == 1 and first <= today <= last and (last + timedelta(days=1)).day == 1
    monday, sunday = period("week", today)
    assert monday.weekday() == 0 and sunday - monday == timedelta(days=6)
    client.force_login(office_user)
    assert "截止日历：本月" in client.get("/dashboard/calendar/", {"range": "month"}).content.decode()
    assert client.get("/dashboard/calendar/", {"range": "nonsense"}).status_code == 200


def test_liaison_sees_its_units_tasks_and_no_lead(client, make_user, due):
    liaison = make_user(Role.UNIT_LIAISON, unit=due["feedback"].unit)
    client.force_login(liaison)
    items = _labels(client.get("/dashboard/calendar/"))
    assert ("整改任务", f"/rectification/tasks/{due['task'].pk}/") in items
    assert not [kind for kind, _url in items if kind == "线索处置"]
    assert not ReadLog.objects.filter(user=liaison).exists()


def test_calendar_runs_a_constant_number_of_queries(client, office_user, due, django_assert_max_num_queries):
    client.force_login(office_user)
    with django_assert_max_num_queries(40) as few:
        client.get("/dashboard/calendar/")
    plan = due["feedback"].plan
    for finding in plan.feedback.problem_items.all():
        TaskFactory(plan=plan, finding=finding.finding, deadline=timezone.localdate())
    for _ in range(5):
        feedback, plan2, found = make_feedback(jurisdiction=due["feedback"].jurisdiction,
                                               held_days_ago=due["feedback"].jurisdiction.plan_due_days)
        TaskFactory(plan=plan2, finding=found[0], deadline=timezone.localdate())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/dashboard/calendar/")
    assert response.context["calendar"]["count"] >= 12
