from celery import shared_task

from . import archive
from .models import AuditEvent
from .services import record


@shared_task(name="audit.archive")
def archive_audit_events() -> int:
    """Daily: archive the audit rows past the retention period (the beat entry of migration 0004)."""
    result = archive.archive_events()
    if result.archive is not None:
        record(kind=AuditEvent.Kind.AUDIT_ARCHIVE, obj=result.archive, detail=f"归档 {result.rows} 条")
    return result.rows
