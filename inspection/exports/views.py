from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from inspection.core import access
from inspection.core.exceptions import DomainError

from . import registry, services
from .models import GeneratedFile


def _panel_context(user, kind, record, latest=None):
    files = list(
        GeneratedFile.objects.filter(kind=kind.code, object_type=record._meta.label_lower, object_id=str(record.pk))
        .select_related("created_by")
        .order_by("-version")[:10]
    )
    return {"kind": kind, "record": record, "files": files, "latest": latest or (files[0] if files else None)}


@login_required
@require_POST
def generated_file_request(request, kind, object_id):
    try:
        spec = registry.get(kind)
    except LookupError as exc:
        raise Http404 from exc
    record = access.get_visible_or_404(request.user, spec.model, pk=object_id)
    error = None
    try:
        generated = services.generated_file_request(kind=kind, record=record, user=request.user)
    except DomainError as exc:
        generated, error = None, exc.message
    context = _panel_context(request.user, spec, record, generated)
    context["error"] = error
    return render(request, "exports/_panel.html", context)


@login_required
def generated_file_panel(request, kind, object_id):
    try:
        spec = registry.get(kind)
    except LookupError as exc:
        raise Http404 from exc
    record = access.get_visible_or_404(request.user, spec.model, pk=object_id)
    return render(request, "exports/_panel.html", _panel_context(request.user, spec, record))


@login_required
def generated_file_download(request, pk):
    generated = access.get_visible_or_404(request.user, GeneratedFile, pk=pk)
    if generated.status == GeneratedFile.Status.EXPIRED:
        return render(
            request,
            "exports/expired.html",
            {"generated": generated, "days": settings.GENERATED_FILE_RETENTION_DAYS},
            status=410,
        )
    if generated.status != GeneratedFile.Status.DONE:
        raise Http404
    response = FileResponse(
        generated.file.open("rb"),
        as_attachment=True,
        filename=generated.filename,
        content_type=generated.content_type or "application/octet-stream",
    )
    response.audit_object = generated  # audited as 下载 by inspection.audit.middleware
    return response
