"""Generated documents: queued, rendered by the task, kept per version, downloadable only within scope."""

import pytest

from inspection.accounts.models import Role
from inspection.exports import registry
from inspection.exports.models import GeneratedFile
from inspection.exports.services import generated_file_request
from tests.factories import UnitFactory


def render_unit_card(unit, report_progress):
    report_progress(50)
    return f"单位：{unit.name}".encode(), f"{unit.name}.txt", "text/plain; charset=utf-8"


def render_broken(unit, report_progress):
    raise ValueError("模板缺失")


@pytest.fixture(autouse=True)
def kinds():
    registry.register("test.unit_card", title="单位卡片", model="units.Unit", render=render_unit_card)
    registry.register("test.broken", title="坏文件", model="units.Unit", render=render_broken)


def test_request_renders_a_version_and_keeps_the_old_one(office_client, office_user, django_capture_on_commit_callbacks):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction, name="县财政局")
    with django_capture_on_commit_callbacks(execute=True):
        first = generated_file_request(kind="test.unit_card", record=unit, user=office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(f"/files/test.unit_card/{unit.pk}/request/")
    assert response.status_code == 200
    first.refresh_from_db()
    second = GeneratedFile.objects.get(version=2)
    assert (first.status, first.progress, second.status) == ("done", 100, "done")
    assert "第2版" in response.content.decode()
    old = office_client.get(f"/files/download/{first.pk}/")
    assert b"".join(old.streaming_content).decode() == "单位：县财政局"
    assert "attachment" in old["Content-Disposition"]


def test_a_failed_render_is_recorded_with_its_error(office_user, django_capture_on_commit_callbacks):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction)
    with pytest.raises(ValueError), django_capture_on_commit_callbacks(execute=True):
        generated_file_request(kind="test.broken", record=unit, user=office_user)
    failed = GeneratedFile.objects.get()
    assert failed.status == "failed" and "模板缺失" in failed.error and failed.finished_at


def test_files_of_records_outside_scope_are_not_found(client, office_user, make_user, other_jurisdiction,
                                                      django_capture_on_commit_callbacks):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction)
    with django_capture_on_commit_callbacks(execute=True):
        generated = generated_file_request(kind="test.unit_card", record=unit, user=office_user)
    stranger = make_user(Role.OFFICE, jurisdiction=other_jurisdiction)
    liaison = make_user(Role.UNIT_LIAISON)
    for user in (stranger, liaison):
        client.force_login(user)
        assert client.get(f"/files/download/{generated.pk}/").status_code == 404
        assert client.post(f"/files/test.unit_card/{unit.pk}/request/").status_code == 404
