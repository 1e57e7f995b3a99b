"""The report list's filters: status, late, round (the user's visible rounds, a bounded list), unit (typed);
Chinese labels; a bad value is a form error that keeps the other filters; a constant query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.accounts.models import Role
from rectification import services
from rectification.filters import RECENT_ROUNDS
from rectification.models import PlanStatus, ReportStatus

from .factories import RoundFactory, TaskFactory, make_feedback

TYPED = "一、整改工作开展情况：召开专题会议12次，逐项销号。"
URL = reverse("rectification:report_list")


def _report(jurisdiction, *, held_days_ago=10, submit=False, verdict=None, actor=None, unit=None):
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=unit, plan_status=PlanStatus.ACCEPTED, held_days_ago=held_days_ago
    )
    TaskFactory(plan=plan, finding=findings[0])
    liaison = type(feedback.created_by).objects.create_user(
        f"l-{feedback.pk}", password="x", role=Role.UNIT_LIAISON, jurisdiction=jurisdiction, unit=feedback.unit
    )
    report = services.report_create(feedback=feedback, actor=liaison, content=TYPED)
    if submit:
        services.report_transition(report=report, actor=liaison, verb="submit")
    if verdict:
        services.report_transition(report=report, actor=actor, verb=verdict, reason="请补充佐证材料")
    return report


@pytest.fixture
def reports(jurisdiction, office_user):
    return {
        "draft": _report(jurisdiction),
        "overdue_draft": _report(jurisdiction, held_days_ago=jurisdiction.report_due_days + 5),
        "submitted": _report(jurisdiction, submit=True),
        "late": _report(jurisdiction, held_days_ago=jurisdiction.report_due_days + 5, submit=True),
        "accepted": _report(jurisdiction, submit=True, verdict="accept", actor=office_user),
        "returned": _report(jurisdiction, submit=True, verdict="return", actor=office_user),
    }


def _listed(response):
    return set(re.findall(r'href="/rectification/reports/(\d+)/"', response.content.decode()))


def _ids(reports, *keys):
    return {str(reports[key].pk) for key in keys}


def test_the_form_has_chinese_labels(office_client, reports):
    page = office_client.get(URL).content.decode()
    for label in ("状态", "逾期", "轮次", "被巡察单位", "输入单位名称"):
        assert label in page
    assert "已退回修改" in page  # status choices in Chinese
    assert _listed(office_client.get(URL)) == _ids(reports, *reports)


def test_status_filter(office_client, reports):
    assert _listed(office_client.get(URL, {"status": ReportStatus.SUBMITTED})) == _ids(reports, "submitted", "late")
    assert _listed(office_client.get(URL, {"status": ReportStatus.RETURNED})) == _ids(reports, "returned")


def test_late_is_sent_late_or_never_sent_past_the_deadline(office_client, reports):
    assert _listed(office_client.get(URL, {"late": "true"})) == _ids(reports, "late", "overdue_draft")
    assert _listed(office_client.get(URL, {"late": "false"})) == _ids(
        reports, "draft", "submitted", "accepted", "returned"
    )
    page = office_client.get(URL, {"late": "true"}).content.decode()
    assert "逾期报送" in page and "逾期未报" in page


def test_round_and_unit_filters(office_client, reports):
    report = reports["late"]
    assert _listed(office_client.get(URL, {"round": report.feedback.round_id})) == _ids(reports, "late")
    assert _listed(office_client.get(URL, {"unit": report.feedback.unit_id})) == _ids(reports, "late")
    page = office_client.get(URL, {"unit": report.feedback.unit_id}).content.decode()
    assert report.feedback.unit.name in page  # the chosen unit's name is shown again in the search box


def test_a_bad_value_is_a_chinese_error_and_keeps_the_other_filters(office_client, reports):
    response = office_client.get(URL, {"status": "bogus", "late": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and "filter-error" in page and "选择一个有效的选项" in page
    assert _listed(response) == _ids(reports, "late", "overdue_draft")
    response = office_client.get(URL, {"round": "999999", "status": ReportStatus.DRAFT})
    assert "filter-error" in response.content.decode()
    assert _listed(response) == _ids(reports, "draft", "overdue_draft")


def test_rounds_are_the_users_visible_ones_and_bounded(client, jurisdiction, office_user, other_jurisdiction, reports):
    foreign = _report(other_jurisdiction)
    for _ in range(RECENT_ROUNDS + 5):
        make_feedback(jurisdiction=jurisdiction, findings=1)
    client.force_login(office_user)
    response = client.get(URL, {"round": foreign.feedback.round_id})
    assert "filter-error" in response.content.decode()  # another office's round is not a choice
    assert str(foreign.pk) not in _listed(response)
    select = re.search(r'<select name="round".*?</select>', client.get(URL).content.decode(), re.S).group(0)
    assert select.count("<option") == RECENT_ROUNDS + 1  # "---------" and the most recent rounds

    liaison = type(office_user).objects.get(username=f"l-{reports['late'].feedback_id}")
    client.force_login(liaison)
    select = re.search(r'<select name="round".*?</select>', client.get(URL).content.decode(), re.S).group(0)
    assert f'value="{reports["late"].feedback.round_id}"' in select
    assert select.count("<option") == 2  # only the round of the liaison's unit's feedback


def test_a_superusers_rounds_name_the_office_and_are_bounded(client, jurisdiction, other_jurisdiction, reports):
    from tests.factories import UserFactory

    for _ in range(RECENT_ROUNDS + 2):
        RoundFactory(jurisdiction=other_jurisdiction)
    admin = UserFactory(is_superuser=True, is_staff=True, jurisdiction=jurisdiction)
    client.force_login(admin)
    page = client.get(URL).content.decode()
    select = re.search(r'<select name="round".*?</select>', page, re.S).group(0)
    assert select.count("<option") == RECENT_ROUNDS + 1
    assert other_jurisdiction.name in select


def _many(jurisdiction, office_user, count):
    for index in range(count):
        _report(jurisdiction, held_days_ago=[10, jurisdiction.report_due_days + 5][index % 2], submit=index % 3 == 0)


def test_filtered_list_keeps_a_constant_query_count(office_client, jurisdiction, office_user, reports,
                                                     django_assert_max_num_queries):
    chosen = reports["late"].feedback
    query = {"status": ReportStatus.SUBMITTED, "late": "true", "round": chosen.round_id, "unit": chosen.unit_id}
    with CaptureQueriesContext(connection) as few:
        assert office_client.get(URL, query).status_code == 200
    with CaptureQueriesContext(connection) as plain_few:
        assert office_client.get(URL).status_code == 200
    _many(jurisdiction, office_user, 14)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert office_client.get(URL, query).status_code == 200
    with django_assert_max_num_queries(len(plain_few.captured_queries)):
        assert office_client.get(URL).status_code == 200
