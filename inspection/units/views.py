"""Pages of units, cadres and recusal factors. Thin: fetch through access, call a service, respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from inspection.audit.services import read_log_record
from inspection.core import access
from inspection.core.excel import ImportFileError
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows
from inspection.core.views import AccessMixin, ScopedListView, form_error

from . import ledgers, selectors, services
from .filters import CadreFilter, UnitFilter
from .forms import CadreForm, ImportForm, ReasonForm, RecusalFactorForm, UnitForm
from .models import Cadre, RecusalFactor, Specialty, Unit, UnitKind

# --- Units ------------------------------------------------------------------------------------------


class UnitListView(ScopedListView):
    model = Unit
    filterset_class = UnitFilter
    template_name = "units/unit_list.html"

    def base_queryset(self):
        return Unit.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_add"] = access.can(user, "add", Unit)
        context["can_import"] = access.can(user, "import", Unit)
        context["can_export"] = access.can(user, "export", Unit)
        return context


class UnitExportView(UnitListView):
    access_action = "export"

    def get(self, request, *args, **kwargs):
        return ledgers.units_export(self.get_queryset())


class UnitDetailView(AccessMixin, TemplateView):
    model = Unit
    template_name = "units/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = access.get_visible_or_404(user, Unit.objects.select_related("parent", "jurisdiction"), pk=kwargs["pk"])
        context.update(
            unit=unit,
            children=access.visible(user, unit.children.all()),
            parent_visible=unit.parent_id and access.can(user, "view", unit.parent),
            can_change=access.can(user, "change", unit),
            # Who must stay off a team inspecting this unit (三次回避), for those who form teams.
            can_view_factors=access.can(user, "view", RecusalFactor),
            factors=access.visible(
                user, RecusalFactor.objects.filter(unit=unit, is_active=True).select_related("cadre")
            ),
            history=history_rows(unit),
            reason_form=ReasonForm(),
        )
        return context


class UnitCreateView(AccessMixin, View):
    model = Unit
    access_action = "add"
    template_name = "units/unit_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UnitForm(user=request.user)})

    def post(self, request):
        form = UnitForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                unit = services.unit_create(actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已登记单位“{unit.name}”")
                return redirect("units:unit_detail", pk=unit.pk)
        return render(request, self.template_name, {"form": form})


class UnitUpdateView(AccessMixin, View):
    model = Unit
    access_action = "change"
    template_name = "units/unit_form.html"

    def _unit(self, request, pk):
        unit = access.get_visible_or_404(request.user, Unit, pk=pk)
        access.require(request.user, "change", unit)
        return unit

    def get(self, request, pk):
        unit = self._unit(request, pk)
        return render(request, self.template_name, {"form": UnitForm(instance=unit, user=request.user), "unit": unit})

    def post(self, request, pk):
        unit = self._unit(request, pk)
        form = UnitForm(request.POST, instance=unit, user=request.user)
        if form.is_valid():
            try:
                unit = services.unit_update(unit=unit, actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "已保存修改")
                return redirect("units:unit_detail", pk=unit.pk)
        return render(request, self.template_name, {"form": form, "unit": unit})


class UnitActiveView(AccessMixin, View):
    """POST only: retire (不在册) or restore a unit. Nothing is deleted."""

    model = Unit
    access_action = "change"
    retire = True

    def post(self, request, pk):
        unit = access.get_visible_or_404(request.user, Unit, pk=pk)
        access.require(request.user, "change", unit)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        service = services.unit_retire if self.retire else services.unit_restore
        try:
            service(unit=unit, actor=request.user, reason=reason)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已标记为不在册" if self.retire else "已恢复在册")
        return redirect("units:unit_detail", pk=unit.pk)


# --- Cadres -----------------------------------------------------------------------------------------


class CadreListView(ScopedListView):
    model = Cadre
    filterset_class = CadreFilter
    template_name = "units/cadre_list.html"

    def get_queryset(self):
        queryset = selectors.cadre_list_visible_to(self.request.user)
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        if self.filterset.is_bound and self.filterset.is_valid():
            queryset = self.filterset.qs
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_add"] = access.can(user, "add", Cadre)
        context["can_import"] = access.can(user, "import", Cadre)
        context["can_export"] = access.can(user, "export", Cadre)
        return context


class CadreExportView(CadreListView):
    access_action = "export"

    def get(self, request, *args, **kwargs):
        return ledgers.cadres_export(self.get_queryset())


def _log_personal_read(request, cadre):
    """The cadre page and edit form show the full telephone and identity number (lists show them masked): a
    read of personal data, logged like a read of a secret record."""
    if cadre.phone or cadre.id_number:
        read_log_record(user=request.user, obj=cadre, request=request)


class CadreDetailView(AccessMixin, TemplateView):
    model = Cadre
    template_name = "units/cadre_detail.html"

    def _context(self, cadre, factor_form=None):
        user = self.request.user
        _log_personal_read(self.request, cadre)
        can_change = access.can(user, "change", cadre)
        factors = access.visible(user, RecusalFactor.objects.filter(cadre=cadre).select_related("unit"))
        return {
            "cadre": cadre,
            "factors": factors,
            "can_view_factors": access.can(user, "view", RecusalFactor),
            "can_change": can_change,
            "can_add_factor": can_change and access.can(user, "add", RecusalFactor),
            "factor_form": factor_form or (RecusalFactorForm(cadre=cadre) if can_change else None),
            "history": selectors.cadre_history_rows(cadre),
            "reason_form": ReasonForm(),
        }

    def _cadre(self, pk):
        queryset = Cadre.objects.select_related("employer", "user", "jurisdiction").prefetch_related(
            Prefetch("specialties", queryset=Specialty.objects.all())
        )
        return access.get_visible_or_404(self.request.user, queryset, pk=pk)

    def get(self, request, pk):
        cadre = self._cadre(pk)
        return render(request, self.template_name, self._context(cadre))

    def post(self, request, pk):
        """Adds a recusal factor from the form on the cadre page."""
        cadre = self._cadre(pk)
        access.require(request.user, "change", cadre)
        access.require(request.user, "add", RecusalFactor)
        form = RecusalFactorForm(request.POST, cadre=cadre)
        if form.is_valid():
            try:
                services.recusal_factor_add(
                    cadre=cadre, unit=form.cleaned_data["unit"], actor=request.user, data=form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "已登记回避因素")
                return redirect(reverse("units:cadre_detail", args=[cadre.pk]) + "#recusal")
        return render(request, self.template_name, self._context(cadre, factor_form=form), status=400)


class CadreCreateView(AccessMixin, View):
    model = Cadre
    access_action = "add"
    template_name = "units/cadre_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CadreForm(user=request.user)})

    def post(self, request):
        form = CadreForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                cadre = services.cadre_create(actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已将“{cadre.name}”录入干部库")
                return redirect("units:cadre_detail", pk=cadre.pk)
        return render(request, self.template_name, {"form": form})


class CadreUpdateView(AccessMixin, View):
    model = Cadre
    access_action = "change"
    template_name = "units/cadre_form.html"

    def _cadre(self, request, pk):
        cadre = access.get_visible_or_404(request.user, Cadre, pk=pk)
        access.require(request.user, "change", cadre)
        return cadre

    def get(self, request, pk):
        cadre = self._cadre(request, pk)
        _log_personal_read(request, cadre)
        return render(
            request, self.template_name, {"form": CadreForm(instance=cadre, user=request.user), "cadre": cadre}
        )

    def post(self, request, pk):
        cadre = self._cadre(request, pk)
        form = CadreForm(request.POST, instance=cadre, user=request.user)
        if form.is_valid():
            try:
                cadre = services.cadre_update(cadre=cadre, actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "已保存修改")
                return redirect("units:cadre_detail", pk=cadre.pk)
        return render(request, self.template_name, {"form": form, "cadre": cadre})


class CadreActiveView(AccessMixin, View):
    model = Cadre
    access_action = "change"
    retire = True

    def post(self, request, pk):
        cadre = access.get_visible_or_404(request.user, Cadre, pk=pk)
        access.require(request.user, "change", cadre)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        service = services.cadre_retire if self.retire else services.cadre_restore
        try:
            service(cadre=cadre, actor=request.user, reason=reason)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已出库" if self.retire else "已重新入库")
        return redirect("units:cadre_detail", pk=cadre.pk)


class RecusalFactorRetireView(AccessMixin, View):
    model = RecusalFactor
    access_action = "change"

    def post(self, request, pk):
        factor = access.get_visible_or_404(request.user, RecusalFactor, pk=pk)
        access.require(request.user, "change", factor)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.recusal_factor_retire(factor=factor, actor=request.user, reason=reason)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "回避因素已标记为失效")
        return redirect(reverse("units:cadre_detail", args=[factor.cadre_id]) + "#recusal")


# --- Excel import -----------------------------------------------------------------------------------


class ImportView(AccessMixin, View):
    """One page per ledger: upload, then either everything is stored or each bad row is listed."""

    access_action = "import"
    template_name = "units/import.html"
    kind = "units"

    @property
    def model(self):
        return Unit if self.kind == "units" else Cadre

    def _context(self, **extra):
        context = {
            "kind": self.kind,
            "title": "导入被巡察单位" if self.kind == "units" else "导入巡察干部",
            "headers": ledgers.UNIT_HEADERS if self.kind == "units" else ledgers.CADRE_HEADERS,
            "list_url": reverse("units:unit_list" if self.kind == "units" else "units:cadre_list"),
            "template_url": reverse(f"units:{self.kind}_import_template"),
            "unit_kinds": UnitKind.labels,
            "pools": Cadre.Pool.labels,
            "joined_vias": Cadre.JoinedVia.labels,
            "specialties": Specialty.objects.values_list("name", flat=True),
        }
        context.update(extra)
        return context

    def get(self, request):
        return render(request, self.template_name, self._context(form=ImportForm()))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form=form), status=400)
        run = ledgers.units_import if self.kind == "units" else ledgers.cadres_import
        try:
            report = run(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except (ImportFileError, DomainError) as exc:
            form.add_error("file", getattr(exc, "message", None) or str(exc))
            return render(request, self.template_name, self._context(form=form), status=400)
        if not report.ok:
            return render(request, self.template_name, self._context(form=ImportForm(), report=report), status=400)
        messages.success(request, f"导入成功：共 {report.created} 条")
        return redirect(self._context()["list_url"])


class ImportTemplateView(AccessMixin, View):
    access_action = "import"
    kind = "units"

    @property
    def model(self):
        return Unit if self.kind == "units" else Cadre

    def get(self, request):
        return ledgers.template_response(self.kind)


@login_required
@require_GET
def unit_autocomplete(request):
    """Search-as-you-type for unit filters: at most 20 units the user may see, as JSON."""
    if not access.can(request.user, "view", Unit):
        return JsonResponse({"results": []}, status=403)
    jurisdiction = request.GET.get("jurisdiction", "")
    results = selectors.unit_matches(
        request.user, request.GET.get("q", ""), jurisdiction_id=int(jurisdiction) if jurisdiction.isdigit() and len(jurisdiction) < 10 else None
    )
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
