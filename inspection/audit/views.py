"""The audit administrator's pages: search the audit, verify the chain, export to Excel."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View

from inspection.core import access
from inspection.core.excel import export_response
from inspection.core.views import AccessMixin, ScopedListView

from . import chain, services
from .filters import AuditEventFilter
from .models import AuditEvent

EXPORT_HEADERS = ["编号", "时间", "用户名", "角色", "来源地址", "事件类型", "对象类型", "对象编号", "对象", "结果",
                  "说明", "请求编号", "摘要（SM3）"]


class AuditEventListView(ScopedListView):
    model = AuditEvent
    filterset_class = AuditEventFilter
    template_name = "audit/event_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_export"] = access.can(self.request.user, "export", AuditEvent)
        context["can_verify"] = access.can(self.request.user, "verify", AuditEvent)
        broken = self.request.GET.get("broken")
        context["broken_id"] = int(broken) if broken and broken.isdigit() else None
        return context


class AuditVerifyView(AccessMixin, View):
    """校验: walk the whole chain; point at the first broken row (the list filtered to it)."""

    model = AuditEvent
    access_action = "verify"

    def post(self, request):
        result = chain.verify()
        outcome = AuditEvent.Outcome.SUCCESS if result.ok else AuditEvent.Outcome.FAILURE
        if result.ok:
            messages.success(request, f"校验通过：{result.checked} 条审计记录的哈希链完整")
            detail = f"校验 {result.checked} 条，完整"
        else:
            messages.error(request, f"校验未通过：{result.broken.message}")
            detail = f"第 {result.broken.id} 条起断裂"
        services.record(kind=AuditEvent.Kind.AUDIT_VERIFY, outcome=outcome, detail=detail, request=request)
        if result.ok:
            return redirect("audit:event_list")
        # The list from the broken row down: the row is the first shown, marked.
        broken = result.broken.id
        return redirect(f"{reverse('audit:event_list')}?up_to={broken}&broken={broken}#event-{broken}")


class AuditExportView(AuditEventListView):
    access_action = "export"

    def get(self, request, *args, **kwargs):
        events = self.get_queryset().order_by("-id")

        def rows():
            for e in events.iterator(chunk_size=2000):
                yield [
                    e.pk, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.username, e.role_label,
                    e.ip_address or "", e.get_kind_display(), e.object_type, e.object_id, e.object_label,
                    e.get_outcome_display(), e.detail, e.request_id, e.hash,
                ]

        return export_response(filename="安全审计记录.xlsx", title="安全审计记录", headers=EXPORT_HEADERS, rows=rows())
