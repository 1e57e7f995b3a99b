"""The audit is append-only in PostgreSQL itself, its chain shows a row edited behind the application's back,
rows younger than 180 days never leave, older ones leave only through the archive, and two writers never fork
the chain (安全审计, issue 15 item 3)."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from inspection.audit import archive, chain, services
from inspection.audit.models import AuditArchive, AuditEvent
from tests.rounds.concurrency import Race, two_transactions

from .helpers import append_dated


def postgres_only(test):
    """The triggers exist on PostgreSQL only (production); SQLite (the demo) has the chain, not the refusal."""
    test = pytest.mark.skipif(not settings.IS_POSTGRES, reason="审计表的触发器只在 PostgreSQL 上生效")(test)
    return pytest.mark.postgres(test)


def edit_behind_the_back(event, **values):
    """What a DBA or an intruder with SQL access could do: the trigger switched off for one statement."""
    sets = ", ".join(f"{name} = %s" for name in values)
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("audit.AuditEvent:audit_event_no_update"), connection.cursor() as cursor:
            cursor.execute(f"UPDATE audit_auditevent SET {sets} WHERE id = %s", [*values.values(), event.pk])
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE audit_auditevent SET {sets} WHERE id = %s", [*values.values(), event.pk])


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET detail = 'x' WHERE id = %s",
                                       "DELETE FROM audit_auditevent WHERE id = %s"])
def test_postgresql_refuses_update_and_delete_of_an_audit_row(statement):
    event = services.record(kind=AuditEvent.Kind.LOGIN_FAILED, username="zhangsan")
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    assert "Cannot" in str(excinfo.value)
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.django_db
def test_verify_audit_finds_a_row_edited_behind_the_applications_back():
    rows = [services.record(kind=AuditEvent.Kind.LOGIN, username=f"user{i}", object_label=f"用户{i}") for i in range(4)]
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("OK：已校验 4 条审计记录")

    edit_behind_the_back(rows[2], username="someone-else")
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit", stdout=out)
    expected = chain.row_hash({**_values(rows[2]), "username": "someone-else"}, rows[2].prev_hash)
    assert out.getvalue().strip() == (
        f"BROKEN id={rows[2].pk} at={rows[2].at.isoformat()} expected={expected} found={rows[2].hash}"
    )
    assert f"第 {rows[2].pk} 条记录" in str(excinfo.value) and "本条记录被改动" in str(excinfo.value)


@pytest.mark.django_db
def test_a_row_removed_behind_the_back_breaks_the_chain_at_the_next_row():
    rows = [services.record(kind=AuditEvent.Kind.LOGIN, username=f"user{i}") for i in range(3)]
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("audit.AuditEvent:audit_event_retention"):
            AuditEvent.objects.filter(pk=rows[1].pk).delete()
    else:
        AuditEvent.objects.filter(pk=rows[1].pk).delete()
    result = chain.verify()
    assert (result.checked, result.broken.id, result.broken.field) == (1, rows[2].pk, "prev_hash")
    assert (result.broken.expected, result.broken.found) == (rows[0].hash, rows[1].hash)


def _values(event):
    return {name: getattr(event, name) for name in chain.FIELDS}


@pytest.fixture
def archive_dir(settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "archive"
    return settings.AUDIT_ARCHIVE_DIR


@pytest.mark.django_db
def test_retention_archives_a_181_day_old_row_with_a_checksum_that_verifies_and_keeps_a_179_day_old_one(archive_dir):
    now = timezone.now()
    old = append_dated(now - timedelta(days=181), label="181天前")
    young = append_dated(now - timedelta(days=179), label="179天前")
    result = archive.archive_events()
    assert result.rows == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]
    record = AuditArchive.objects.get()
    assert (record.first_event_id, record.last_event_id, record.last_hash, record.row_count) == (old.pk, old.pk, old.hash, 1)
    path = Path(archive_dir) / record.filename
    assert archive.verify_archive_file(path)
    assert Path(f"{path}.sha256").read_text() == f"{record.sha256}  {record.filename}\n"
    assert '"object_label": "181天前"' in path.read_text(encoding="utf-8")
    # The remaining chain verifies from the archive's last hash.
    assert chain.verify().ok
    path.write_text(path.read_text(encoding="utf-8").replace("181天前", "改过了"), encoding="utf-8")
    assert not archive.verify_archive_file(path)


@pytest.mark.django_db
def test_retention_refuses_to_archive_a_179_day_old_row(archive_dir):
    young = append_dated(timezone.now() - timedelta(days=179))
    with pytest.raises(archive.RetentionRefused) as excinfo:
        archive.archive_events(up_to_id=young.pk)
    assert str(excinfo.value) == f"第 {young.pk} 条记录未满 180 天，不得归档或删除"
    assert AuditEvent.objects.filter(pk=young.pk).exists()
    assert archive.archive_events().rows == 0


@postgres_only
@pytest.mark.django_db
def test_postgresql_itself_refuses_to_prune_a_179_day_old_row_even_on_the_archiving_path():
    young = append_dated(timezone.now() - timedelta(days=179))
    with pytest.raises(DatabaseError), transaction.atomic():
        archive._delete(young.pk)  # sets xuncha.audit_archiving: the age still refuses it
    assert AuditEvent.objects.filter(pk=young.pk).exists()


@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_a_plain_delete_of_an_old_row():
    old = append_dated(timezone.now() - timedelta(days=400))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditArchive.objects.create(first_event_id=1, last_event_id=1, last_hash="0" * 64, row_count=1,
                                    filename="x", sha256="", sm3="")
        AuditArchive.objects.all().delete()
    assert AuditEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_the_daily_task_archives_and_audits_its_archiving(archive_dir):
    from inspection.audit.tasks import archive_audit_events

    old = append_dated(timezone.now() - timedelta(days=200))
    assert archive_audit_events() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    [row] = AuditEvent.objects.filter(kind=AuditEvent.Kind.AUDIT_ARCHIVE)
    assert (row.object_type, row.detail) == ("audit.auditarchive", "归档 1 条")
    assert chain.verify().ok


@two_transactions
def test_two_concurrent_writers_never_fork_the_chain(monkeypatch):
    race = Race()
    monkeypatch.setattr(chain, "chain_head", race.hold(chain.chain_head))

    def write(name):
        def work():
            with transaction.atomic():
                return services.record(kind=AuditEvent.Kind.LOGIN_FAILED, username=name)
        return work

    first, second = race.run(write("first"), write("second"))
    assert (first.error, second.error) == (None, None)
    # The second writer waited for the first's chain lock instead of reading the same head.
    assert race.second_was == "blocked"
    assert second.result.prev_hash == first.result.hash
    assert chain.verify().ok
