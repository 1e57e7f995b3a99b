"""Upload checks and safe downloads for evidence files. Reused by rectification for its evidence.

The type is decided by the file's CONTENT (magic bytes, via `filetype`), never by its name: a renamed
.exe stays an .exe. Sizes are limited by settings.ATTACHMENT_MAX_BYTES.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings
from django.http import FileResponse

from inspection.core.exceptions import DomainError

# MIME detected from content -> (stored extension, Chinese kind)
ALLOWED_TYPES = {
    "application/pdf": (".pdf", "PDF"),
    "application/msword": (".doc", "Word"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx", "Word"),
    "application/vnd.ms-excel": (".xls", "Excel"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", "Excel"),
    "image/jpeg": (".jpg", "图片"),
    "image/png": (".png", "图片"),
    "image/gif": (".gif", "图片"),
    "image/bmp": (".bmp", "图片"),
    "image/tiff": (".tif", "图片"),
    "image/webp": (".webp", "图片"),
}
ALLOWED_LABEL = "PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）或图片（JPG/PNG/GIF/BMP/TIFF/WebP）"


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, size // 1024)} KB"


def clean_name(name: str) -> str:
    # Keep the user's (Chinese) name for display and download, but never a path or control characters.
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "附件"


def check_upload(uploaded, *, field: str = "file", max_bytes: int | None = None) -> CheckedUpload:
    """Validate an UploadedFile; raise DomainError (Chinese, with the field) when refused."""
    if uploaded is None:
        raise DomainError("请选择要上传的文件", field=field)
    limit = max_bytes or settings.ATTACHMENT_MAX_BYTES
    size = uploaded.size or 0
    if size == 0:
        raise DomainError("文件为空，请重新选择", field=field)
    if size > limit:
        raise DomainError(
            f"文件“{clean_name(uploaded.name)}”大小为 {human_size(size)}，超过 {human_size(limit)} 的上限，请压缩或拆分后上传",
            field=field,
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise DomainError(
            f"文件“{clean_name(uploaded.name)}”的类型不受支持（按文件内容识别），仅允许上传{ALLOWED_LABEL}", field=field
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    extension = ALLOWED_TYPES[mime][0]
    return CheckedUpload(
        content_type=mime,
        extension=extension,
        size=size,
        sha256=digest.hexdigest(),
        original_name=clean_name(uploaded.name),
    )


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266/5987: an ASCII fallback plus filename*=UTF-8'' so the Chinese name survives every browser."""
    ascii_fallback = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "").strip()
    if not ascii_fallback or ascii_fallback.startswith("."):
        # A purely Chinese name leaves only its extension: old clients still get a usable name.
        ascii_fallback = "attachment" + ascii_fallback
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    """Stream a stored file; the caller has already checked permission."""
    response = FileResponse(file_field.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # The audit (下载) names the record the file belongs to (inspection.audit.middleware).
    response.audit_kind = "download"
    response.audit_object = file_field.instance
    return response
