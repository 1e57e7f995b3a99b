"""Request id, the current request for the audit, and the audit of every file that leaves the system."""

from . import context, services
from .models import AuditEvent


def _is_attachment(response) -> bool:
    disposition = response.get("Content-Disposition", "")
    return response.status_code == 200 and (disposition.startswith("attachment") or hasattr(response, "audit_kind"))


class AuditContextMiddleware:
    """Makes the request current for `audit.record` (its id comes from inspection.core.request_id, which also
    echoes it in the response).

    Every download and export is a file response: the views and helpers that build one (the Excel helper, the
    attachment and generated-file downloads) may name it with `response.audit_kind` ("export" or "download") and
    `response.audit_object`; any other attachment is audited as 下载 by its file name. The row is written
    before the file is sent: if it cannot be written the answer is an error, not the file.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = context.request_id_for(request)
        token = context.set_current_request(request)
        try:
            response = self.get_response(request)
            if _is_attachment(response):
                self._audit_file(request, response)
        finally:
            context.reset_current_request(token)
        return response

    @staticmethod
    def _audit_file(request, response):
        obj = getattr(response, "audit_object", None)
        filename = getattr(response, "filename", "") or ""
        services.record(
            kind=getattr(response, "audit_kind", AuditEvent.Kind.DOWNLOAD),
            obj=obj,
            object_label="" if obj is not None else filename,
            detail=filename,
            request=request,
        )
