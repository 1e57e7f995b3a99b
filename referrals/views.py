"""Pages of the referrals app. Each view: fetch through access, call one service, respond."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from inspection.accounts.models import ReceivingBody
from inspection.audit.models import ReadLog
from inspection.audit.services import read_log_record, read_log_record_many
from inspection.core import access
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows
from inspection.core.views import AccessMixin, ScopedListView, form_error

from . import selectors, services, shortcuts
from .filters import FiguresFilter, LeadFilter, ReadLogFilter, ReferralFilter
from .forms import BatchForm, DispositionForm, LeadForm, ResultsForm, WithdrawForm
from .models import Lead, Referral
from .workflow import LEAD_TRANSITIONS, REFERRAL_TRANSITIONS


class SecretObjectMixin(AccessMixin):
    """Pages about one secret record: a role that may not see such records at all gets 404 too, so a
    unit liaison cannot even learn that a lead number exists."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can(request.user, "view", self.model):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# --- leads ----------------------------------------------------------------------------------------------

class LeadListView(ScopedListView):
    model = Lead
    filterset_class = LeadFilter
    template_name = "referrals/lead_list.html"

    def base_queryset(self):
        return Lead.objects.select_related("round__plan", "referral__receiving_body", "disposition")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        read_log_record_many(user=self.request.user, objects=context["object_list"], request=self.request)
        context["can_add"] = access.can(self.request.user, "add", Lead)
        # The office's overdue list is this page filtered; the count makes it visible from the top.
        context["overdue_count"] = access.visible(self.request.user, selectors.overdue_leads()).count()
        context["overdue_url"] = selectors.overdue_url()
        return context


class LeadCreateView(AccessMixin, View):
    model = Lead
    access_action = "add"

    def _form(self, data=None):
        user = self.request.user
        initial = {key: self.request.GET.get(key) for key in ("round", "source", "finding", "petition")
                   if self.request.GET.get(key)}
        finding_id = initial.get("finding", "")
        if data is None and finding_id.isdigit():
            # "移交线索" on a finding: the draft is filled in from it (the user still checks and saves it).
            initial.update(shortcuts.finding_initial(user, int(finding_id)))
        return LeadForm(
            data, initial=initial, rounds=selectors.lead_source_rounds(user),
            findings=selectors.lead_source_findings(user), petitions=selectors.lead_source_petitions(user),
        )

    def get(self, request):
        return render(request, "referrals/lead_form.html", {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                lead = services.lead_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已登记{lead}")
                if access.can(request.user, "view", lead):
                    return redirect("referrals:lead_detail", pk=lead.pk)
                return redirect(reverse("referrals:referred") + f"?round={lead.round_id}")
        return render(request, "referrals/lead_form.html", {"form": form}, status=400)


def _lead_page(request, lead, **forms):
    user = request.user
    moves = LEAD_TRANSITIONS.moves_for(lead.status, user)
    verbs = {move.verb for move in moves}
    context = {
        "lead": lead,
        "moves": moves,
        "can_dispose": "dispose" in verbs and access.can(user, "dispose", lead),
        "can_record_results": "record_results" in verbs and access.can(user, "record_results", lead),
        "can_withdraw": "withdraw" in verbs and access.can(user, "withdraw", lead),
        "status_changes": lead.status_changes.select_related("actor"),
        "results": list(lead.results.all()),
        "history": history_rows(lead),
        "disposition_form": forms.get("disposition_form") or DispositionForm(),
        "results_form": forms.get("results_form") or ResultsForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    return render(request, "referrals/lead_detail.html", context, status=400 if forms else 200)


class LeadDetailView(SecretObjectMixin, View):
    model = Lead

    def get(self, request, pk):
        lead = selectors.lead_get_visible(request.user, pk)
        read_log_record(user=request.user, obj=lead, request=request)
        return _lead_page(request, lead)


class LeadActionView(SecretObjectMixin, View):
    """POST a form for one verb on one lead; a refusal shows the page again with the Chinese reason."""

    model = Lead
    verb = ""
    form_class = None
    form_name = ""

    def act(self, lead, form):
        raise NotImplementedError

    def post(self, request, pk):
        lead = selectors.lead_get_visible(request.user, pk)
        access.require(request.user, self.verb, lead)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(lead, form)
            except DomainError as exc:
                form_error(form, exc)
            else:
                return redirect("referrals:lead_detail", pk=lead.pk)
        # The page shown again with the error shows the subject too: a read like the detail page.
        read_log_record(user=request.user, obj=lead, request=request)
        return _lead_page(request, lead, **{self.form_name: form})


class LeadDisposeView(LeadActionView):
    verb, form_class, form_name = "dispose", DispositionForm, "disposition_form"

    def act(self, lead, form):
        services.lead_dispose(lead=lead, actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, "已填报处置方式")


class LeadResultsView(LeadActionView):
    verb, form_class, form_name = "record_results", ResultsForm, "results_form"

    def act(self, lead, form):
        services.lead_record_results(lead=lead, actor=self.request.user, results=form.results(),
                                     reason=form.cleaned_data.get("note", ""))
        messages.success(self.request, "已填报查处结果，线索办结")


class LeadWithdrawView(LeadActionView):
    verb, form_class, form_name = "withdraw", WithdrawForm, "withdraw_form"

    def act(self, lead, form):
        services.lead_withdraw(lead=lead, actor=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, "线索已撤销")


class ReferredLeadsView(AccessMixin, TemplateView):
    """The team's narrow view: the leads it found, with 待移交/已移交 only."""

    model = Lead
    access_action = "see_referred"
    template_name = "referrals/referred.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_id = self.request.GET.get("round")
        round_id = int(round_id) if round_id and round_id.isdigit() else None
        rows = selectors.team_referred_leads(self.request.user, round_id=round_id)
        read_log_record_many(user=self.request.user, objects=[row["_lead"] for row in rows], request=self.request)
        by_round = {}
        for row in rows:
            group = by_round.setdefault(row["round"].pk, {"round": row["round"], "rows": [], "referred": 0})
            group["rows"].append(row)
            group["referred"] += row["status_label"] == "已移交"
        context["groups"] = list(by_round.values())
        context["round_id"] = round_id
        context["can_add"] = access.can(self.request.user, "add", Lead)
        return context


# --- referral batches -----------------------------------------------------------------------------------

class BatchListView(ScopedListView):
    model = Referral
    filterset_class = ReferralFilter
    template_name = "referrals/batch_list.html"

    def base_queryset(self):
        # The lead counts of each batch are added to the page's rows only (annotate_page).
        return Referral.objects.select_related("receiving_body", "created_by", "signed_by").order_by(
            "-letter_date", "-id"
        )

    def annotate_page(self, queryset):
        counted = selectors.referral_list_visible_to(self.request.user).filter(pk__in=queryset.values("pk"))
        return counted.order_by(*queryset.query.order_by)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        read_log_record_many(user=self.request.user, objects=context["object_list"], request=self.request)
        context["can_add"] = access.can(self.request.user, "add", Referral)
        return context


class BatchCreateView(AccessMixin, View):
    model = Referral
    access_action = "add"

    def _form(self, data=None):
        user = self.request.user
        bodies = ReceivingBody.objects.filter(jurisdiction_id=user.jurisdiction_id, is_active=True)
        initial = {}
        if self.request.GET.get("leads"):
            initial["leads"] = [v for v in self.request.GET.getlist("leads") if v.isdigit()]
        return BatchForm(data, initial=initial, bodies=bodies, leads=selectors.leads_available_for_referral(user))

    def _page(self, form, status=200):
        # The choices name each lead's subject and summary, so that the office can pick them: a read of each.
        read_log_record_many(user=self.request.user, objects=form.fields["leads"].queryset, request=self.request)
        return render(self.request, "referrals/batch_form.html", {"form": form}, status=status)

    def get(self, request):
        return self._page(self._form())

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                referral = services.batch_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已创建移交批次 {referral.letter_number}，请核对后发送")
                return redirect("referrals:batch_detail", pk=referral.pk)
        return self._page(form, status=400)


class BatchDetailView(SecretObjectMixin, View):
    model = Referral

    def get(self, request, pk):
        referral = selectors.referral_get_visible(request.user, pk)
        read_log_record(user=request.user, obj=referral, request=request)
        leads = list(selectors.referral_leads(referral))
        read_log_record_many(user=request.user, objects=leads, request=request)
        moves = [m for m in REFERRAL_TRANSITIONS.moves_for(referral.status, request.user)
                 if access.can(request.user, m.verb, referral)]
        return render(request, "referrals/batch_detail.html", {
            "referral": referral,
            "leads": leads,
            "moves": moves,
            "can_render": access.can(request.user, "render", referral) and referral.status != "draft",
            "status_changes": referral.status_changes.select_related("actor"),
            "history": history_rows(referral),
        })


class BatchActionView(SecretObjectMixin, View):
    model = Referral
    verb = ""

    def post(self, request, pk):
        referral = selectors.referral_get_visible(request.user, pk)
        access.require(request.user, self.verb, referral)
        try:
            self.act(referral)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("referrals:batch_detail", pk=referral.pk)


class BatchSendView(BatchActionView):
    verb = "send"

    def act(self, referral):
        services.batch_send(referral=referral, actor=self.request.user)
        referral.refresh_from_db(fields=["letter_pdf"])
        # The letter is rendered by a Celery task: at once when tasks run in-process, later with a worker.
        letter = "移交函已生成" if referral.letter_pdf else "移交函正在生成，稍后刷新本页即可下载"
        messages.success(self.request, f"已发送移交批次 {referral.letter_number}，{letter}")


class BatchSignView(BatchActionView):
    verb = "sign"

    def act(self, referral):
        services.batch_sign(referral=referral, actor=self.request.user)
        messages.success(self.request, f"已签收 {referral.letter_number}，请在期限内填报处置情况")


class BatchRenderView(BatchActionView):
    verb = "render"

    def act(self, referral):
        if referral.status == "draft":
            raise DomainError("移交批次发送后才生成移交函")
        services.referral_render_letter(referral=referral)
        messages.success(self.request, "已重新生成移交函")


class BatchLetterView(SecretObjectMixin, View):
    """The referral letter PDF, only through this permission-checked view (MEDIA_ROOT is not served)."""

    model = Referral

    def get(self, request, pk):
        referral = selectors.referral_get_visible(request.user, pk)
        if not referral.letter_pdf:
            raise Http404("移交函尚未生成")
        read_log_record(user=request.user, obj=referral, action=ReadLog.Action.DOWNLOAD, request=request)
        # The letter lists each lead's subject: a read of each lead, like the batch page.
        read_log_record_many(user=request.user, objects=selectors.referral_leads(referral),
                             action=ReadLog.Action.DOWNLOAD, request=request)
        response = FileResponse(
            referral.letter_pdf.open("rb"), content_type="application/pdf",
            filename=f"{referral.letter_number}.pdf", as_attachment=False,
        )
        # Shown inline, still a file leaving the system: audited as 下载 (inspection.audit.middleware).
        response.audit_kind = "download"
        response.audit_object = referral
        return response


# --- receivers, the log, the figures --------------------------------------------------------------------

class WorkspaceView(AccessMixin, TemplateView):
    model = Lead
    access_action = "dispose"
    template_name = "referrals/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = selectors.receiver_workspace(self.request.user)
        read_log_record_many(
            user=self.request.user,
            objects=data["leads_to_dispose"] + data["leads_to_conclude"],
            request=self.request,
        )
        context.update(data)
        context["receiving_body"] = self.request.user.receiving_body
        return context


class ReadLogView(ScopedListView):
    model = Lead
    access_action = "audit"
    filterset_class = ReadLogFilter
    template_name = "referrals/read_log.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = selectors.read_log_for_referrals(self.request.user.jurisdiction_id)
        self.filterset = ReadLogFilter(self.request.GET or None, queryset=queryset, request=self.request)
        if self.filterset.is_bound and self.filterset.is_valid():
            queryset = self.filterset.qs
        return queryset


class StatisticsView(AccessMixin, TemplateView):
    model = Lead
    access_action = "statistics"
    template_name = "referrals/statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.jurisdiction_id is None:
            raise PermissionDenied("您的账号未设置管辖范围")
        figures_filter = FiguresFilter(self.request.GET or None, queryset=Lead.objects.none(), request=self.request)
        round_obj = plan = None
        if figures_filter.is_bound and figures_filter.is_valid():
            round_obj = figures_filter.form.cleaned_data.get("round")
            plan = figures_filter.form.cleaned_data.get("plan")
        figures = selectors.referral_figures(user.jurisdiction, round=round_obj, plan=plan)
        context.update({
            "filter": figures_filter,
            "page": selectors.figures_for_page(figures),
            "overdue_url": selectors.overdue_url(),
            "chart_option": json.dumps(selectors.figures_chart_option(figures), ensure_ascii=False),
        })
        return context
