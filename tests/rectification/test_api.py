from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from rectification.models import PlanStatus, Task, TaskKind, TaskStatus

from .factories import TaskFactory, make_feedback

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def test_full_cycle_through_the_api(liaison, office, jurisdiction, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=1)
    unit_api, office_api = api(liaison), api(office)

    bad = unit_api.post("/api/rectification/tasks/", {
        "plan": plan.pk, "finding": findings[0].pk, "measures": "m", "responsible_leader": "l",
        "responsible_department": "d", "deadline": (feedback.held_on + timedelta(days=40)).isoformat(),
        "kind": TaskKind.IMMEDIATE}, format="json")
    assert bad.status_code == 400 and "立行立改" in bad.json()["deadline"][0]
    created = unit_api.post("/api/rectification/tasks/", {
        "plan": plan.pk, "finding": findings[0].pk, "measures": "建立公务接待审批制度", "responsible_leader": "王局长",
        "responsible_department": "办公室", "deadline": (TODAY + timedelta(days=20)).isoformat(),
        "kind": TaskKind.TIME_LIMITED}, format="json")
    assert created.status_code == 201, created.content
    task_id = created.json()["id"]

    assert unit_api.patch(f"/api/rectification/plans/{plan.pk}/", {"content": "整改方案正文"}, format="json").status_code == 200
    submitted = unit_api.post(f"/api/rectification/plans/{plan.pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == PlanStatus.SUBMITTED
    assert unit_api.post(f"/api/rectification/plans/{plan.pk}/accept/").status_code == 403
    returned = office_api.post(f"/api/rectification/plans/{plan.pk}/return/", {}, format="json")
    assert returned.status_code == 400 and "reason" in returned.json()
    assert office_api.post(f"/api/rectification/plans/{plan.pk}/accept/").json()["status"] == PlanStatus.ACCEPTED

    progress = unit_api.post("/api/rectification/progress/", {
        "task": task_id, "reported_on": TODAY.isoformat(), "description": "已制定制度", "money_recovered": "1500.00",
        "rules_established_count": 1, "rules_established_names": "公务接待审批制度", "people_held_accountable": 0,
        "files": [SimpleUploadedFile("制度文件.pdf", PDF, content_type="application/pdf")]}, format="multipart")
    assert progress.status_code == 201, progress.content
    assert progress.json()["evidence"][0]["original_name"] == "制度文件.pdf"
    assert unit_api.post(f"/api/rectification/tasks/{task_id}/submit/").json()["status"] == TaskStatus.SUBMITTED
    refused = office_api.post(f"/api/rectification/tasks/{task_id}/close/")
    assert refused.status_code == 400 and list(refused.json()) == ["verification_opinion"]
    closed = office_api.post(f"/api/rectification/tasks/{task_id}/close/",
                             {"verification_opinion": "经查阅制度文件，整改到位，同意销号"}, format="json")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    figures = office_api.get("/api/rectification/figures/").json()
    assert figures["tasks"] == 1 and figures["closed"] == 1 and figures["completion_rate"] == "100.00"
    assert figures["money_recovered"] == "1500.00"


def test_liaison_gets_404_for_another_unit_and_no_delete(liaison, jurisdiction):
    own = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED)
    other = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED)
    own_task = TaskFactory(plan=own[1], finding=own[2][0])
    other_task = TaskFactory(plan=other[1], finding=other[2][0])
    client = api(liaison)
    listed = client.get("/api/rectification/tasks/").json()["results"]
    assert [row["id"] for row in listed] == [own_task.pk]
    assert client.get(f"/api/rectification/tasks/{other_task.pk}/").status_code == 404
    assert client.post(f"/api/rectification/tasks/{other_task.pk}/start/").status_code == 404
    assert client.get(f"/api/rectification/feedbacks/{other[0].pk}/").status_code == 404
    assert client.delete(f"/api/rectification/tasks/{own_task.pk}/").status_code == 405
    assert Task.objects.filter(pk=own_task.pk).exists()


def test_bad_progress_input_is_a_400_with_field(liaison, jurisdiction):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED)
    task = TaskFactory(plan=plan, finding=findings[0])
    response = api(liaison).post("/api/rectification/progress/", {
        "task": task.pk, "reported_on": (TODAY + timedelta(days=3)).isoformat(), "description": "x"}, format="multipart")
    assert response.status_code == 400 and "reported_on" in response.json()
    response = api(liaison).post("/api/rectification/figures/", {})
    assert response.status_code == 405


def test_figures_refuse_bad_filters_and_team_roles(office, make_user):
    assert api(office).get("/api/rectification/figures/?round=abc").status_code == 400
    assert api(office).get("/api/rectification/figures/?round=999999").status_code == 400
    assert api(make_user(Role.TEAM_MEMBER)).get("/api/rectification/figures/").status_code == 403


@pytest.mark.parametrize("url", ["/api/rectification/tasks/", "/api/rectification/feedbacks/"])
def test_api_list_query_count_constant(office, jurisdiction, django_assert_max_num_queries, url):
    def many(n):
        for _ in range(n):
            feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, findings=1, plan_status=PlanStatus.ACCEPTED)
            TaskFactory(plan=plan, finding=findings[0])

    client = api(office)
    many(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["results"]) == 12


def test_office_records_feedback_through_the_api(office, jurisdiction, make_user):
    from .factories import FindingFactory, RoundFactory, TeamUnitFactory

    team_unit = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    FindingFactory(team=team_unit.team, unit=team_unit.unit)
    payload = {"round": team_unit.round.pk, "unit": team_unit.unit.pk, "held_on": (TODAY + timedelta(days=1)).isoformat(),
               "place": "会议室", "attendees": "班子成员", "letter_number": "清巡反〔2026〕8号"}
    refused = api(office).post("/api/rectification/feedbacks/", payload, format="json")
    assert refused.status_code == 400 and "held_on" in refused.json()
    payload["held_on"] = TODAY.isoformat()
    assert api(make_user(Role.LEADING_GROUP)).post("/api/rectification/feedbacks/", payload, format="json").status_code == 403
    created = api(office).post("/api/rectification/feedbacks/", payload, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["plan_status"] == PlanStatus.DRAFT
    assert body["plan_due_on"] == (TODAY + timedelta(days=jurisdiction.plan_due_days)).isoformat()


def test_the_figures_response_is_typed_in_the_schema(office_user):
    """Every figure is a named, typed field of the OpenAPI document, as it is in the answer."""
    schema = api(office_user).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/rectification/figures/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert set(properties) == {
        "units", "findings", "findings_rectified", "tasks", "closed", "completion_rate", "overdue", "money_recovered",
        "rules_established", "people_held_accountable", "reports_due", "reports_submitted", "reports_accepted",
        "reports_late", "reports_missing"}
    assert properties["money_recovered"]["description"] == "追缴、挽回金额（元）"
    assert (properties["tasks"]["type"], properties["completion_rate"]["type"]) == ("integer", "string")
