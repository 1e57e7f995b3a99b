"""The API of 整改情况报告 and 整改公开: 400 with field messages (never a 500), scope, no DELETE, constant queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from rectification import services
from rectification.models import Disclosure, PlanStatus, RectificationReport, ReportStatus

from .factories import TaskFactory, make_feedback

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPORTS = "/api/rectification/reports/"
DISCLOSURES = "/api/rectification/disclosures/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def liaison(make_user):
    return make_user(Role.UNIT_LIAISON)


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE)


@pytest.fixture
def feedback(jurisdiction, liaison):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED)
    TaskFactory(plan=plan, finding=findings[0])
    return feedback


def test_report_cycle_through_the_api(feedback, liaison, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit_api, office_api = api(liaison), api(office)
    empty = unit_api.post(REPORTS, {"feedback": feedback.pk, "content": ""}, format="json")
    assert empty.status_code == 400 and empty.json()["content"] == ["请填写整改情况"]
    assert unit_api.post(REPORTS, {"content": "x"}, format="json").json()["feedback"]
    assert office_api.post(REPORTS, {"feedback": feedback.pk, "content": "x"}, format="json").status_code == 403

    created = unit_api.post(REPORTS, {
        "feedback": feedback.pk, "content": "一、整改工作开展情况", "other_results": "群众满意度明显提升",
        "files": [SimpleUploadedFile("整改台账.pdf", PDF, content_type="application/pdf")]}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["tasks_total"] == 1 and body["attachments"][0]["original_name"] == "整改台账.pdf"
    assert [m["verb"] for m in body["moves"]] == ["submit"]
    url = f"{REPORTS}{body['id']}/"
    again = unit_api.post(REPORTS, {"feedback": feedback.pk, "content": "x"}, format="json")
    assert again.status_code == 400 and "已起草" in again.json()["feedback"][0]
    # The figures are the system's: a client cannot type them.
    patched = unit_api.patch(url, {"content": "一、……二、……", "tasks_total": 99}, format="json")
    assert patched.status_code == 200 and patched.json()["tasks_total"] == 1 and patched.json()["content"] == "一、……二、……"

    assert unit_api.post(f"{url}submit/").json()["status"] == ReportStatus.SUBMITTED
    assert unit_api.post(f"{url}accept/").status_code == 403
    returned = office_api.post(f"{url}return/", {}, format="json")
    assert returned.status_code == 400 and returned.json()["reason"] == ["请填写退回原因"]
    assert office_api.post(f"{url}return/", {"reason": "数据与台账不符"}, format="json").json()["status"] == "returned"
    assert unit_api.patch(url, {"content": "更正后的报告"}, format="json").status_code == 200
    assert unit_api.post(f"{url}submit/").json()["submission_count"] == 2
    accepted = office_api.post(f"{url}accept/").json()
    assert accepted["status"] == "accepted" and accepted["is_late"] is False
    assert unit_api.patch(url, {"content": "再改"}, format="json").status_code == 400
    assert office_api.delete(url).status_code == 405 and RectificationReport.objects.exists()

    listed = office_api.get("/api/rectification/feedbacks/").json()["results"][0]
    assert (listed["report"], listed["report_status"], listed["report_late"]) == (body["id"], "accepted", False)


def test_submit_before_the_plan_is_accepted_says_why(jurisdiction, liaison):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.SUBMITTED)
    client = api(liaison)
    report = client.post(REPORTS, {"feedback": feedback.pk, "content": "正文"}, format="json").json()
    refused = client.post(f"{REPORTS}{report['id']}/submit/")
    assert refused.status_code == 400 and "整改方案审核通过后" in refused.json()["non_field_errors"][0]


def test_other_units_report_is_not_found(feedback, liaison, make_user, jurisdiction):
    report = services.report_create(feedback=feedback, actor=liaison, content="正文")
    other = make_user(Role.UNIT_LIAISON)
    client = api(other)
    assert client.get(f"{REPORTS}{report.pk}/").status_code == 404
    assert client.patch(f"{REPORTS}{report.pk}/", {"content": "x"}, format="json").status_code == 404
    assert client.post(f"{REPORTS}{report.pk}/submit/").status_code == 404
    assert client.post(REPORTS, {"feedback": feedback.pk, "content": "x"}, format="json").status_code == 404
    assert client.get(REPORTS).json()["results"] == []


@pytest.mark.parametrize("query", ["?is_late=abc", "?status=nope", "?feedback=x", "?feedback__unit=-1"])
def test_bad_filters_are_400_not_500(office, query):
    assert api(office).get(REPORTS + query).status_code in (200, 400)


def _reports(jurisdiction, count):
    for index in range(count):
        feedback, plan, findings = make_feedback(
            jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, held_days_ago=90 if index % 2 else 10
        )
        liaison = type(plan.feedback.created_by).objects.create_user(
            f"liaison-{feedback.pk}", password="x", role=Role.UNIT_LIAISON, jurisdiction=jurisdiction, unit=feedback.unit
        )
        report = services.report_create(feedback=feedback, actor=liaison, content="正文")
        services.report_transition(report=report, actor=liaison, verb="submit")
        services.disclosure_save(feedback=feedback, actor=plan.feedback.created_by, title="整改进展", summary="摘要")


@pytest.mark.parametrize("url", [REPORTS, DISCLOSURES, "/api/rectification/feedbacks/"])
def test_list_query_count_is_constant(office, jurisdiction, django_assert_max_num_queries, url):
    _reports(jurisdiction, 2)
    client = api(office)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _reports(jurisdiction, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and len(response.json()["results"]) >= 14


# --- Disclosure -----------------------------------------------------------------------------------------


def test_disclosure_api_mirrors_the_pages(feedback, office, liaison, make_user, other_jurisdiction):
    office_api = api(office)
    blank = office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "", "summary": ""}, format="json")
    assert blank.status_code == 400 and set(blank.json()) == {"title", "summary"}
    assert api(liaison).post(DISCLOSURES, {"feedback": feedback.pk, "title": "t", "summary": "s"},
                             format="json").status_code == 403
    created = office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "整改进展情况", "summary": "已完成整改1个。"},
                              format="json")
    assert created.status_code == 201 and created.json()["is_published"] is False
    url = f"{DISCLOSURES}{created.json()['id']}/"
    assert office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "t", "summary": "s"},
                           format="json").status_code == 400
    assert office_api.patch(url, {"summary": "已完成整改2个。"}, format="json").json()["summary"] == "已完成整改2个。"

    # The unit and the leading group read; they neither edit nor publish.
    leader = make_user(Role.LEADING_GROUP)
    for reader in (liaison, leader):
        assert api(reader).get(url).status_code == 200
        assert api(reader).post(f"{url}publish/").status_code == 403
        assert api(reader).patch(url, {"title": "x"}, format="json").status_code == 403
    assert api(make_user(Role.OFFICE, jurisdiction=other_jurisdiction)).get(url).status_code == 404

    published = office_api.post(f"{url}publish/").json()
    assert published["is_published"] and published["public_url"] and published["published_by"] == office.pk
    assert office_api.post(f"{url}unpublish/").json()["published_at"] is None
    Disclosure.objects.filter(pk=created.json()["id"]).update(summary=" ")
    refused = office_api.post(f"{url}publish/")
    assert refused.status_code == 400 and refused.json()["summary"] == ["公开摘要不能为空"]
    assert office_api.delete(url).status_code == 405


def test_the_schema_documents_reports_and_disclosures(office):
    schema = api(office).get("/api/schema/?format=json").content.decode()
    for path in ("/api/rectification/reports/{id}/submit/", "/api/rectification/reports/{id}/return/",
                 "/api/rectification/disclosures/{id}/publish/", "/api/rectification/disclosures/{id}/unpublish/"):
        assert path in schema
    assert "整改情况" in schema


def test_feedback_list_marks_overdue_reports(jurisdiction, office):
    make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, held_days_ago=90)
    row = api(office).get("/api/rectification/feedbacks/").json()["results"][0]
    assert row["report"] is None and row["report_overdue"] is True
    assert timezone.localdate() - timedelta(days=30) > timezone.localdate() - timedelta(days=90)
