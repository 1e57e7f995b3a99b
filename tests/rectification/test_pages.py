from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Role
from rectification import services
from rectification.models import Disclosure, EvaluationWeights, PlanStatus, TaskStatus

from .factories import RoundFactory, TaskFactory, TeamUnitFactory, make_feedback

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def liaison(make_user):
    return make_user(Role.UNIT_LIAISON)


@pytest.fixture
def own(jurisdiction, liaison):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED)
    task = TaskFactory(plan=plan, finding=findings[0])
    return feedback, plan, task


@pytest.fixture
def other(jurisdiction):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED)
    task = TaskFactory(plan=plan, finding=findings[0])
    return feedback, plan, task


def test_liaison_gets_404_for_another_units_records(client, liaison, own, other):
    client.force_login(liaison)
    feedback, plan, task = other
    for url in (
        reverse("rectification:feedback_detail", args=[feedback.pk]),
        reverse("rectification:task_detail", args=[task.pk]),
        reverse("rectification:progress_create", args=[task.pk]),
        reverse("rectification:plan_edit", args=[plan.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("rectification:task_transition", args=[task.pk]), {"verb": "start"}).status_code == 404
    assert client.get(reverse("rectification:feedback_detail", args=[own[0].pk])).status_code == 200
    assert client.get(reverse("rectification:overview")).status_code == 302
    response = client.get(reverse("rectification:my_unit"))
    assert response.status_code == 302 and response.url == reverse("rectification:feedback_detail", args=[own[0].pk])


def test_evidence_download_keeps_chinese_name_and_checks_access(client, liaison, own, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    feedback, plan, task = own
    client.force_login(liaison)
    response = client.post(
        reverse("rectification:progress_create", args=[task.pk]),
        {"reported_on": TODAY.isoformat(), "description": "已完成清退", "money_recovered": "300",
         "rules_established_count": "1", "rules_established_names": "公务接待管理办法", "people_held_accountable": "0",
         "files": [SimpleUploadedFile("整改佐证材料.pdf", PDF, content_type="application/pdf")]},
    )
    assert response.status_code == 302
    evidence = task.progress_reports.get().evidence.get()
    download = client.get(reverse("rectification:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert quote("整改佐证材料.pdf") in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    stranger = make_user(Role.UNIT_LIAISON)
    client.force_login(stranger)
    assert client.get(reverse("rectification:evidence_download", args=[evidence.pk])).status_code == 404


def test_bad_upload_is_a_form_error_not_a_500(client, liaison, own, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(liaison)
    response = client.post(
        reverse("rectification:progress_create", args=[own[2].pk]),
        {"reported_on": TODAY.isoformat(), "description": "d", "money_recovered": "0",
         "rules_established_count": "0", "people_held_accountable": "0",
         "files": [SimpleUploadedFile("伪装.pdf", b"plain text pretending", content_type="application/pdf")]},
    )
    assert response.status_code == 200
    assert "类型不受支持" in response.content.decode()


def test_office_records_feedback_with_form_errors_in_chinese(office_client, jurisdiction):
    team_unit = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    url = reverse("rectification:feedback_create")
    response = office_client.post(url, {
        "round": team_unit.round.pk, "unit": team_unit.unit.pk, "held_on": TODAY.isoformat(),
        "place": "会议室", "attendees": "班子成员", "letter_number": "清巡反〔2026〕5号",
    })
    assert response.status_code == 200
    assert "没有领导小组已审定的问题" in response.content.decode()


def test_weights_that_do_not_sum_to_100_are_a_form_error(office_client, jurisdiction):
    response = office_client.post(reverse("rectification:weights_edit"), {
        "self_weight": 30, "public_weight": 30, "supervision_weight": 30, "onsite_weight": 30})
    assert response.status_code == 200 and "之和应为 100，当前为 120" in response.content.decode()
    assert not EvaluationWeights.objects.exists()
    response = office_client.post(reverse("rectification:weights_edit"), {
        "self_weight": 25, "public_weight": 25, "supervision_weight": 25, "onsite_weight": 25})
    assert response.status_code == 302 and EvaluationWeights.objects.get().onsite_weight == 25


def test_public_disclosure_only_when_published_and_without_names(client, office_user, own):
    feedback, plan, task = own
    disclosure = services.disclosure_save(feedback=feedback, actor=office_user, title="整改进展情况",
                                          summary="共反馈问题2个，已完成整改1个。")
    url = reverse("rectification:public_disclosure", args=[disclosure.pk])
    assert client.get(url).status_code == 404
    services.disclosure_publish(disclosure=disclosure, actor=office_user)
    page = client.get(url).content.decode()
    assert "共反馈问题2个" in page
    assert task.finding.title not in page and task.responsible_leader not in page
    assert Disclosure.objects.get().published_by == office_user


def test_discipline_reads_but_cannot_act(client, make_user, own):
    feedback, plan, task = own
    user = make_user(Role.DISCIPLINE)
    client.force_login(user)
    assert client.get(reverse("rectification:overview")).status_code == 200
    page = client.get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    assert 'name="verb"' not in page
    assert client.post(reverse("rectification:task_transition", args=[task.pk]), {"verb": "start"}).status_code == 403
    assert client.get(reverse("rectification:feedback_create")).status_code == 403


def _many(jurisdiction, count):
    for _ in range(count):
        feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, findings=2, plan_status=PlanStatus.ACCEPTED)
        TaskFactory(plan=plan, finding=findings[0], deadline=TODAY - timedelta(days=3))
        TaskFactory(plan=plan, finding=findings[1], status=TaskStatus.CLOSED, closed_at=timezone.now())


@pytest.mark.parametrize("url_name", ["rectification:overview", "rectification:task_list"])
def test_list_query_count_is_constant(office_client, jurisdiction, django_assert_max_num_queries, url_name):
    _many(jurisdiction, 2)
    url = reverse(url_name)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert office_client.get(url).status_code == 200
    _many(jurisdiction, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = office_client.get(url)
    assert response.status_code == 200


def test_overview_shows_completion_and_days_late(office_client, jurisdiction):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, findings=2, plan_status=PlanStatus.ACCEPTED)
    TaskFactory(plan=plan, finding=findings[0], deadline=TODAY - timedelta(days=9))
    TaskFactory(plan=plan, finding=findings[1], status=TaskStatus.CLOSED, closed_at=timezone.now())
    page = office_client.get(reverse("rectification:overview")).content.decode()
    assert "50.00%" in page
    assert ">9<" in page.replace(" ", "")
    overdue = office_client.get(reverse("rectification:task_list") + "?overdue=true").content.decode()
    assert findings[0].title in overdue and findings[1].title not in overdue


def test_evaluation_page_saves_total_and_grade(office_client, own):
    feedback = own[0]
    response = office_client.post(reverse("rectification:evaluation_edit", args=[feedback.pk]), {
        "self_score": "95", "public_score": "88", "supervision_score": "90", "onsite_score": "92", "notes": ""})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.evaluation.total == Decimal("91.00") and feedback.evaluation.get_grade_display() == "优秀"
