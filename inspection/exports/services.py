from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from inspection.audit import services as audit
from inspection.core import access
from inspection.core.db_router import on_replica

from . import registry
from .models import GeneratedFile


def generated_file_request(*, kind: str, record, user) -> GeneratedFile:
    """Queue a new version of `kind` for `record`. The render runs in a Celery worker after commit."""
    spec = registry.get(kind)
    access.require(user, spec.action, record)
    with transaction.atomic():
        rows = GeneratedFile.objects.select_for_update().filter(
            kind=kind, object_type=record._meta.label_lower, object_id=str(record.pk)
        )
        version = (rows.aggregate(v=Max("version"))["v"] or 0) + 1
        generated = GeneratedFile.objects.create(
            kind=kind,
            title=spec.title,
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            version=version,
            created_by=user,
        )
        # 打印/生成文书: requested by this user for this record, in the request's transaction.
        audit.record(kind=audit.Kind.DOCUMENT, user=user, obj=record, detail=f"{spec.title}（第{version}版）")
        from .tasks import render_generated_file

        transaction.on_commit(lambda: render_generated_file.delay(generated.pk))
    return generated


def generated_file_render(*, generated_id: int) -> GeneratedFile:
    generated = GeneratedFile.objects.get(pk=generated_id)
    if generated.is_finished:
        return generated
    spec = registry.get(generated.kind)
    record = spec.model._default_manager.get(pk=generated.object_id)
    GeneratedFile.objects.filter(pk=generated.pk).update(status=GeneratedFile.Status.RUNNING, progress=5)

    def report_progress(percent: int):
        GeneratedFile.objects.filter(pk=generated.pk).update(progress=max(5, min(99, int(percent))))

    try:
        # The document's reads on the replica, once it has replayed everything committed before the render began
        # (the request that queued it included); its progress is written to the primary.
        with on_replica(caught_up=True):
            content, filename, content_type = spec.render(record, report_progress)
    except Exception as exc:
        GeneratedFile.objects.filter(pk=generated.pk).update(
            status=GeneratedFile.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        raise
    generated.refresh_from_db()
    generated.file.save(filename, ContentFile(content), save=False)
    generated.filename = filename
    generated.content_type = content_type
    generated.size = len(content)
    generated.status = GeneratedFile.Status.DONE
    generated.progress = 100
    generated.finished_at = timezone.now()
    generated.save()
    return generated


PURGE_BATCH = 500


def generated_files_purge(*, now=None) -> int:
    """Remove from storage every generated file finished more than GENERATED_FILE_RETENTION_DAYS ago and mark
    its row expired (剩余信息保护, issue 15 item 6). In batches, each row claimed under its lock, so two runs
    (a retried task, a manual run) never claim one row twice and memory stays flat. The row is marked first and
    the file removed after commit: a crash between the two leaves a file no row points at (found by comparing
    MEDIA_ROOT/generated with the table), never a row that says 已完成 for a file that is gone."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.GENERATED_FILE_RETENTION_DAYS)
    purged = 0
    while True:
        with transaction.atomic():
            rows = list(
                GeneratedFile.objects.select_for_update(skip_locked=True)
                .filter(status=GeneratedFile.Status.DONE, finished_at__lt=cutoff)
                .order_by("finished_at", "pk")[:PURGE_BATCH]
            )
            if not rows:
                return purged
            names = [row.file.name for row in rows if row.file]
            GeneratedFile.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=GeneratedFile.Status.EXPIRED, file="", expired_at=now
            )
            transaction.on_commit(lambda names=names: _delete_stored(names))
        purged += len(rows)


def _delete_stored(names: list[str]) -> None:
    storage = GeneratedFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
