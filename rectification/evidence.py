"""Evidence uploads for progress reports: the same content-based check and Chinese-name downloads as a
finding's working-paper attachments (findings.attachments), so both refuse and serve files alike."""

from django.http import FileResponse

from findings import attachments


def check_upload(uploaded, *, field: str = "files") -> attachments.CheckedUpload:
    """The detected type, stored extension and cleaned name of one upload; DomainError (Chinese) if refused."""
    return attachments.check_upload(uploaded, field=field)


def download_response(evidence) -> FileResponse:
    """Stream a stored evidence file; the caller has already checked access."""
    return attachments.download_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
