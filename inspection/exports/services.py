from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from inspection.audit import services as audit
from inspection.core import access

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
