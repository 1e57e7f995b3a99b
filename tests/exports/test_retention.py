"""剩余信息保护 (issue 15 item 6): generated files are removed after the retention limit; the record stays,
marked expired, and its download answers 410 with a Chinese notice."""

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from inspection.exports import registry
from inspection.exports.models import GeneratedFile
from inspection.exports.services import generated_file_request, generated_files_purge
from inspection.exports.tasks import purge_expired_generated_files
from tests.factories import UnitFactory


def render_unit_card(unit, report_progress):
    return f"单位：{unit.name}".encode(), f"{unit.name}.txt", "text/plain; charset=utf-8"


@pytest.fixture(autouse=True)
def kind():
    registry.register("test.unit_card", title="单位卡片", model="units.Unit", render=render_unit_card)


@pytest.fixture
def two_files(office_user, django_capture_on_commit_callbacks):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction, name="县财政局")
    with django_capture_on_commit_callbacks(execute=True):
        old = generated_file_request(kind="test.unit_card", record=unit, user=office_user)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = generated_file_request(kind="test.unit_card", record=unit, user=office_user)
    now = timezone.now()
    GeneratedFile.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=7, minutes=1))
    GeneratedFile.objects.filter(pk=fresh.pk).update(finished_at=now - datetime.timedelta(days=6, hours=23))
    old.refresh_from_db()
    fresh.refresh_from_db()
    return old, fresh


def test_a_file_past_the_limit_is_removed_and_its_record_kept(two_files, settings, django_capture_on_commit_callbacks):
    settings.GENERATED_FILE_RETENTION_DAYS = 7
    old, fresh = two_files
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_generated_files.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.file.name, old.expired_at is not None) == ("expired", "", True)
    assert not storage.exists(old_name)
    assert (fresh.status, storage.exists(fresh.file.name)) == ("done", True)
    assert GeneratedFile.objects.count() == 2  # nothing hard-deleted
    # A second run finds nothing more to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert generated_files_purge() == 0


def test_the_download_of_an_expired_file_answers_410_in_chinese(office_client, two_files, django_capture_on_commit_callbacks):
    old, fresh = two_files
    with django_capture_on_commit_callbacks(execute=True):
        generated_files_purge()
    response = office_client.get(f"/files/download/{old.pk}/")
    assert response.status_code == 410
    assert "已超过 7 天保存期限" in response.content.decode() and "请在原记录页面重新生成" in response.content.decode()
    assert office_client.get(f"/files/download/{fresh.pk}/").status_code == 200
    panel = office_client.get(f"/files/test.unit_card/{old.object_id}/").content.decode()
    assert "已超过保存期限清除，可重新生成" in panel


def test_the_purge_runs_daily(db):
    entry = PeriodicTask.objects.get(task="exports.purge_expired")
    assert (entry.enabled, entry.crontab.hour, entry.crontab.minute) == (True, "3", "0")
