"""Documents through the API (issue 17 item 6): an integrator requests the term statistics report of a plan with
its token, polls the file's row and downloads the PDF; the same scope and the same Chinese errors as the pages."""

import shutil

import pytest
from rest_framework.test import APIClient

from dashboard import selectors
from dashboard.selectors import FigureScope
from inspection.accounts.models import Role
from inspection.audit.models import AuditEvent
from inspection.exports import registry
from inspection.exports.models import GeneratedFile
from tests.dashboard.factories import build_world
from tests.dashboard.test_documents import flat, pdf_text
from tests.factories import UnitFactory, issue_api_token


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user)}")
    return client


def render_unit_card(unit, report_progress):
    return f"单位：{unit.name}".encode(), f"{unit.name}.txt", "text/plain; charset=utf-8"


@pytest.fixture
def unit_card():
    registry.register("test.unit_card", title="单位卡片", model="units.Unit", render=render_unit_card)
    yield
    registry._kinds.pop("test.unit_card", None)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="需要 poppler-utils")
def test_the_term_statistics_report_is_requested_polled_and_downloaded_with_a_token(
        jurisdiction, office_user, django_capture_on_commit_callbacks, tmp_path):
    world = build_world(jurisdiction, seed=21, units=8)
    plan = world.plans[1]
    api = token_client(office_user)

    kinds = {row["kind"]: row["title"] for row in api.get("/api/documents/kinds/").json()}
    assert kinds["dashboard.term_statistics"] == "巡察工作统计报告"

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/documents/", {"kind": "dashboard.term_statistics", "object_id": plan.pk},
                            format="json")
    assert response.status_code == 202, response.content
    queued = response.json()
    assert (queued["title"], queued["version"], queued["object_id"]) == ("巡察工作统计报告", 1, str(plan.pk))

    row = api.get(f"/api/documents/{queued['id']}/").json()
    assert (row["status"], row["status_label"], row["progress"]) == ("done", "已完成", 100)
    assert row["download_url"] == f"/api/documents/{queued['id']}/download/"

    download = api.get(row["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"".join(download.streaming_content))
    text = flat(pdf_text(pdf))
    figs = selectors.figures(FigureScope(jurisdiction_id=jurisdiction.pk, plan=plan), include_leads=True)
    assert f"{plan.name}巡察工作统计报告" in text
    assert f"共发现问题{figs.findings['total']}个，其中立行立改{figs.findings['fixed_on_site']}个" in text
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOCUMENT, username=office_user.username).count() == 1

    versions = api.get("/api/documents/", {"kind": "dashboard.term_statistics", "object_id": plan.pk}).json()
    assert [v["id"] for v in versions] == [queued["id"]]


def test_a_record_outside_scope_is_not_there(client, jurisdiction, other_jurisdiction, office_user, make_user,
                                             unit_card, django_capture_on_commit_callbacks):
    unit = UnitFactory(jurisdiction=jurisdiction, name="县审计局")
    with django_capture_on_commit_callbacks(execute=True):
        mine = token_client(office_user).post("/api/documents/", {"kind": "test.unit_card", "object_id": unit.pk},
                                              format="json").json()
    stranger = token_client(make_user(Role.OFFICE, jurisdiction=other_jurisdiction))
    assert stranger.post("/api/documents/", {"kind": "test.unit_card", "object_id": unit.pk},
                         format="json").status_code == 404
    assert stranger.get(f"/api/documents/{mine['id']}/").status_code == 404
    assert stranger.get(f"/api/documents/{mine['id']}/download/").status_code == 404
    assert stranger.get("/api/documents/", {"kind": "test.unit_card", "object_id": unit.pk}).status_code == 404
    assert GeneratedFile.objects.count() == 1


def test_bad_requests_answer_in_chinese(office_user, unit_card, django_capture_on_commit_callbacks):
    api = token_client(office_user)
    response = api.post("/api/documents/", {"kind": "dashboard.nothing", "object_id": 0}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["kind"][0].startswith("未知的文书类型“dashboard.nothing”，可选：")
    assert "dashboard.term_statistics" in body["kind"][0]
    assert body["object_id"] == ["请确保该值大于或者等于 1。"]
    assert api.get("/api/documents/").json() == {
        "kind": ["请填写有效的文书类型代码（见 /api/documents/kinds/）"],
        "object_id": ["请填写文书所依据记录的 id"],
    }


def test_a_file_not_finished_or_expired_says_so(office_user, unit_card):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction)
    common = {"kind": "test.unit_card", "title": "单位卡片", "object_type": "units.unit", "object_id": str(unit.pk),
              "created_by": office_user}
    running = GeneratedFile.objects.create(version=1, status=GeneratedFile.Status.RUNNING, progress=40, **common)
    from django.utils import timezone

    expired = GeneratedFile.objects.create(version=2, status=GeneratedFile.Status.EXPIRED, expired_at=timezone.now(),
                                           finished_at=timezone.now(), **common)
    api = token_client(office_user)
    response = api.get(f"/api/documents/{running.pk}/download/")
    assert response.status_code == 400
    assert response.json()["detail"] == "该文件尚未生成完成（生成中，40%），请稍后再试"
    gone = api.get(f"/api/documents/{expired.pk}/download/")
    assert gone.status_code == 410
    assert gone.json()["detail"].startswith("该文件已超过保存期限（")
    assert api.get(f"/api/documents/{running.pk}/").json()["download_url"] is None


def test_the_list_of_versions_runs_constant_queries(office_user, unit_card, django_assert_max_num_queries):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction)
    api = token_client(office_user)
    for count in (1, 12):
        for version in range(GeneratedFile.objects.count() + 1, count + 1):
            GeneratedFile.objects.create(kind="test.unit_card", title="单位卡片", object_type="units.unit",
                                         object_id=str(unit.pk), version=version, created_by=office_user)
        with django_assert_max_num_queries(12):
            rows = api.get("/api/documents/", {"kind": "test.unit_card", "object_id": unit.pk}).json()
        assert [row["version"] for row in rows] == list(range(count, 0, -1))
