"""Evidence uploads: the type is decided by the file's content (magic bytes), never by its name,
and downloads keep the Chinese file name (RFC 5987)."""

from urllib.parse import quote

import filetype
from django.conf import settings
from django.http import FileResponse

from inspection.core.exceptions import DomainError

# content type detected from the bytes -> extension of the stored file
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
ALLOWED_LABEL = "PDF、Word、Excel 或图片（JPG/PNG）"


def clean_name(name: str) -> str:
    # Keep the user's Chinese name for display and download, but never a path or control characters.
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "佐证材料"


def check_upload(uploaded, *, field: str = "files") -> str:
    """Validate one UploadedFile and return its detected content type; DomainError (Chinese) if refused."""
    size = uploaded.size or 0
    if size == 0:
        raise DomainError(f"文件“{clean_name(uploaded.name)}”为空，请重新选择", field=field)
    if size > settings.ATTACHMENT_MAX_BYTES:
        limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise DomainError(f"文件“{clean_name(uploaded.name)}”超过 {limit_mb} MB 的上限", field=field)
    uploaded.seek(0)
    kind = filetype.guess(uploaded.read(8192))
    uploaded.seek(0)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise DomainError(
            f"文件“{clean_name(uploaded.name)}”的类型不受支持（按文件内容识别），仅允许上传{ALLOWED_LABEL}", field=field
        )
    return mime


def download_response(evidence) -> FileResponse:
    """Stream a stored evidence file; the caller has already checked access."""
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    ascii_fallback = evidence.original_name.encode("ascii", "ignore").decode().replace('"', "").strip() or "evidence"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(evidence.original_name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
