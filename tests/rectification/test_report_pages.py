"""Pages of 整改情况报告: the form keeps what was typed when refused, the feedback page shows the report and its
state, reviewers get buttons with a reason, lists show the late flag with a constant query count."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.accounts.models import Role
from rectification import services
from rectification.models import PlanStatus, RectificationReport, ReportStatus

from .factories import TaskFactory, make_feedback

TYPED = "一、整改工作开展情况：召开专题会议12次，逐项销号。"


@pytest.fixture
def liaison(make_user):
    return make_user(Role.UNIT_LIAISON)


def _feedback(jurisdiction, liaison, plan_status=PlanStatus.ACCEPTED, held_days_ago=10):
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, plan_status=plan_status, held_days_ago=held_days_ago
    )
    TaskFactory(plan=plan, finding=findings[0])
    return feedback


def test_refused_submission_keeps_the_input_and_saves_a_draft(client, jurisdiction, liaison):
    feedback = _feedback(jurisdiction, liaison, plan_status=PlanStatus.SUBMITTED)
    client.force_login(liaison)
    url = reverse("rectification:report_edit", args=[feedback.pk])
    page = client.get(url).content.decode()
    assert "整改方案审核通过后才能报送本报告" in page and 'data-figure="tasks_total">1<' in page
    response = client.post(url, {"content": TYPED, "other_results": "群众满意", "submit": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "整改方案审核通过后才能报送整改情况报告" in page
    assert TYPED in page and "群众满意" in page
    assert RectificationReport.objects.get().status == ReportStatus.DRAFT


def test_field_errors_in_chinese_keep_the_other_fields(client, jurisdiction, liaison, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    feedback = _feedback(jurisdiction, liaison)
    client.force_login(liaison)
    url = reverse("rectification:report_edit", args=[feedback.pk])
    page = client.post(url, {"content": "", "other_results": "建立长效机制3项"}).content.decode()
    assert "请填写整改情况" in page and "建立长效机制3项" in page
    bad = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    page = client.post(url, {"content": TYPED, "files": [bad]}).content.decode()
    assert "类型不受支持" in page and TYPED in page and not RectificationReport.objects.exists()


def test_liaison_submits_and_office_returns_with_a_reason_then_accepts(client, jurisdiction, liaison, office_user):
    feedback = _feedback(jurisdiction, liaison)
    client.force_login(liaison)
    response = client.post(reverse("rectification:report_edit", args=[feedback.pk]), {"content": TYPED, "submit": "1"})
    report = RectificationReport.objects.get()
    assert response.status_code == 302 and report.status == ReportStatus.SUBMITTED
    detail = client.get(reverse("rectification:feedback_detail", args=[feedback.pk])).content.decode()
    assert 'id="report"' in detail and "已报送待审核" in detail and 'id="write-report"' not in detail

    client.force_login(office_user)
    page = client.get(reverse("rectification:report_detail", args=[report.pk])).content.decode()
    assert 'data-verb="accept"' in page and 'data-verb="return"' in page and 'name="reason"' in page
    transition = reverse("rectification:report_transition", args=[report.pk])
    client.post(transition, {"verb": "return", "reason": ""})
    assert RectificationReport.objects.get().status == ReportStatus.SUBMITTED
    client.post(transition, {"verb": "return", "reason": "数据与台账不符"})
    assert RectificationReport.objects.get().return_reason == "数据与台账不符"

    client.force_login(liaison)
    page = client.get(reverse("rectification:report_edit", args=[feedback.pk])).content.decode()
    assert "数据与台账不符" in page and TYPED in page
    client.post(reverse("rectification:report_edit", args=[feedback.pk]), {"content": TYPED + "（已更正）", "submit": "1"})
    client.force_login(office_user)
    client.post(transition, {"verb": "accept"})
    report = RectificationReport.objects.get()
    assert report.status == ReportStatus.ACCEPTED and report.status_changes.count() == 4
    page = client.get(reverse("rectification:report_detail", args=[report.pk])).content.decode()
    assert "共报送 2 次" in page and "退回修改" in page


def test_discipline_reads_without_buttons(client, jurisdiction, liaison, make_user):
    feedback = _feedback(jurisdiction, liaison)
    report = services.report_create(feedback=feedback, actor=liaison, content=TYPED)
    services.report_transition(report=report, actor=liaison, verb="submit")
    client.force_login(make_user(Role.DISCIPLINE))
    page = client.get(reverse("rectification:report_detail", args=[report.pk])).content.decode()
    assert TYPED in page and 'name="verb"' not in page
    assert client.post(reverse("rectification:report_transition", args=[report.pk]), {"verb": "accept"}).status_code == 403
    assert client.get(reverse("rectification:report_edit", args=[feedback.pk])).status_code == 403


def test_late_flags_in_the_lists(client, jurisdiction, liaison, office_user, make_user):
    late = _feedback(jurisdiction, liaison, held_days_ago=90)
    report = services.report_create(feedback=late, actor=liaison, content=TYPED)
    services.report_transition(report=report, actor=liaison, verb="submit")
    make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, held_days_ago=80)  # nothing sent
    client.force_login(office_user)
    overview = client.get(reverse("rectification:overview")).content.decode()
    assert "逾期报送" in overview and "逾期未报" in overview
    reports = client.get(reverse("rectification:report_list")).content.decode()
    assert "逾期报送" in reports and late.unit.name in reports


def _many(jurisdiction, count):
    for _ in range(count):
        feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED)
        liaison = type(feedback.created_by).objects.create_user(
            f"l-{feedback.pk}", password="x", role=Role.UNIT_LIAISON, jurisdiction=jurisdiction, unit=feedback.unit
        )
        services.report_create(feedback=feedback, actor=liaison, content=TYPED)


@pytest.mark.parametrize("url_name", ["rectification:report_list", "rectification:overview"])
def test_report_lists_keep_a_constant_query_count(office_client, jurisdiction, django_assert_max_num_queries, url_name):
    _many(jurisdiction, 2)
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as few:
        assert office_client.get(url).status_code == 200
    _many(jurisdiction, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert office_client.get(url).status_code == 200
