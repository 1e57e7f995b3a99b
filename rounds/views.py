"""Pages of the rounds app. Thin: fetch through `access`, call a service, show its Chinese refusal."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspection.accounts.roles import OVERSIGHT, TEAM
from inspection.audit.services import read_log_record, read_log_record_many
from inspection.core import access, record_actions
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows
from inspection.core.paging import CappedPaginator
from inspection.core.team_scope import team_scope
from inspection.core.views import ScopedListView, form_error

from . import forms, selectors, services
from .filters import PetitionFilter, RoundFilter
from .models import (
    Announcement,
    CadreEvaluation,
    DefaultMaterialItem,
    InfoRequest,
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    PhaseChange,
    Plan,
    RecusalCheck,
    Round,
    Team,
    TeamUnit,
)
from .workflow import PHASE_TABLE, unit_withdrawal_refusal


def _paginate(request, queryset, per_page=30) -> dict:
    """The context `includes/pagination.html` expects, for function views."""
    paginator = CappedPaginator(queryset, per_page)
    page = paginator.get_page(paginator.number_or_last(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "query_without_page": query.urlencode(),
    }


def _require_role(user, action, model):
    if not access.can(user, action, model):
        raise PermissionDenied("您无权访问此页面")


def _form_page(request, *, form, title, back_url, heading=None, submit="保存", warning=None, stale_rows=None):
    return render(
        request,
        "rounds/form.html",
        {
            "form": form, "title": title, "heading": heading or title, "back_url": back_url, "submit": submit,
            "warning": warning, "stale_rows": stale_rows,
        },
    )


# --- Plans ----------------------------------------------------------------------------------------------


class PlanListView(ScopedListView):
    model = Plan
    template_name = "rounds/plan_list.html"

    def base_queryset(self):
        return Plan.objects.order_by("-start_year", "id")

    def annotate_page(self, queryset):
        return queryset.annotate(unit_count=Count("units", distinct=True), round_count=Count("rounds", distinct=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = access.can(self.request.user, "add", Plan)
        return context


@login_required
def plan_edit(request, pk=None):
    plan = access.get_visible_or_404(request.user, Plan, pk=pk) if pk else Plan(jurisdiction_id=request.user.jurisdiction_id)
    _require_role(request.user, "change" if pk else "add", plan if pk else Plan)
    form = forms.PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(plan=form.save(commit=False), units=form.cleaned_data["units"], actor=request.user)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "巡察规划已保存")
            return redirect("rounds:plan_detail", pk=plan.pk)
    back = reverse("rounds:plan_detail", args=[pk]) if pk else reverse("rounds:plan_list")
    return _form_page(request, form=form, title="编辑巡察规划" if pk else "新建巡察规划", back_url=back)


@login_required
def plan_detail(request, pk):
    plan = access.get_visible_or_404(request.user, Plan, pk=pk)
    coverage = selectors.plan_coverage(plan)
    uninspected = selectors.plan_unit_rows(plan).filter(inspected=False).order_by("kind", "name")
    rounds = plan.rounds.annotate(
        unit_count=Count("team_units", filter=Q(team_units__withdrawn_at__isnull=True))
    ).order_by("number")
    return render(
        request,
        "rounds/plan_detail.html",
        {
            "plan": plan,
            "coverage": coverage,
            "chart_option": json.dumps(selectors.coverage_chart_option(coverage), ensure_ascii=False),
            "uninspected": uninspected,
            "rounds": rounds,
            "can_change": access.can(request.user, "change", plan),
            "history": history_rows(plan),
        },
    )


# --- Rounds ---------------------------------------------------------------------------------------------


class RoundListView(ScopedListView):
    model = Round
    template_name = "rounds/round_list.html"
    filterset_class = RoundFilter

    def base_queryset(self):
        return selectors.round_list_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = access.can(self.request.user, "add", Round)
        return context


@login_required
def round_edit(request, pk=None):
    _require_role(request.user, "change" if pk else "add", Round)
    round = access.get_visible_or_404(request.user, Round, pk=pk) if pk else Round(jurisdiction_id=request.user.jurisdiction_id)
    form = forms.RoundForm(request.POST or None, instance=round, user=request.user, initial={"plan": request.GET.get("plan")})
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("kind", "topic", "start_date", "end_date", "lookback_of")}
        try:
            if pk:
                round = services.round_update(round=round, actor=request.user, **data)
            else:
                round = services.round_create(plan=form.cleaned_data["plan"], actor=request.user, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"{round.title}已保存")
            return redirect("rounds:round_detail", pk=round.pk)
    back = reverse("rounds:round_detail", args=[pk]) if pk else reverse("rounds:round_list")
    return _form_page(request, form=form, title="编辑巡察轮次" if pk else "新建巡察轮次", back_url=back)


def _round_context(request, round, phase_form=None):
    user = request.user
    teams = list(access.visible(user, selectors.team_detail_queryset().filter(round=round)))
    for team in teams:
        team.warnings = selectors.team_warnings(team)
    can_move = access.can(user, "change_phase", round)
    return {
        "round": round,
        "teams": teams,
        "moves": PHASE_TABLE.moves_for(round.phase, user) if can_move else [],
        "phase_form": phase_form or forms.PhaseChangeForm(),
        "phase_changes": PhaseChange.objects.filter(round=round).select_related("actor"),
        "can_change": access.can(user, "change", round),
        "can_add_team": access.can(user, "add_team", round),
        "can_see_recusal": access.can(user, "view_recusal", round),
        "can_see_petitions": access.can(user, "view", Petition),
        "history": history_rows(round),
    }


@login_required
def round_detail(request, pk):
    round = access.get_visible_or_404(request.user, Round.objects.select_related("plan"), pk=pk)
    return render(request, "rounds/round_detail.html", _round_context(request, round))


@login_required
@require_POST
def round_change_phase(request, pk):
    round = access.get_visible_or_404(request.user, Round.objects.select_related("plan"), pk=pk)
    access.require(request.user, "change_phase", round)
    form = forms.PhaseChangeForm(request.POST)
    if form.is_valid():
        try:
            round = services.round_change_phase(round=round, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"{round.title}已进入“{round.get_phase_display()}”阶段")
            return redirect("rounds:round_detail", pk=round.pk)
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return render(request, "rounds/round_detail.html", _round_context(request, round, phase_form=form), status=400)


# --- Teams ----------------------------------------------------------------------------------------------


@login_required
def team_create(request, round_pk):
    round = access.get_visible_or_404(request.user, Round, pk=round_pk)
    access.require(request.user, "add_team", round)
    form = forms.TeamForm(request.POST or None, initial={"name": f"第{round.teams.count() + 1}巡察组"})
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(round=round, name=form.cleaned_data["name"], actor=request.user)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"{team.name}已组建，请选派组长、组员并确定被巡察单位")
            return redirect("rounds:team_detail", pk=team.pk)
    return _form_page(request, form=form, title=f"{round.title} · 组建巡察组", back_url=reverse("rounds:round_detail", args=[round.pk]))


def _team_page(request, team, member_form=None, unit_form=None, status=200):
    team = access.get_visible_or_404(request.user, selectors.team_detail_queryset(), pk=team.pk)
    can_change = access.can(request.user, "change", team)
    checks = RecusalCheck.objects.filter(team=team).select_related("cadre", "unit", "checked_by", "overridden_by")
    own_memberships = [m for m in team.active_memberships if m.cadre.user_id == request.user.pk]
    can_withdraw = access.can(request.user, "withdraw", TeamUnit)
    return render(
        request,
        "rounds/team_detail.html",
        {
            "team": team,
            "round": team.round,
            "warnings": selectors.team_warnings(team),
            "can_change": can_change,
            "member_form": member_form or (forms.AddMemberForm(team=team) if can_change else None),
            "unit_form": unit_form or (forms.AddUnitForm(team=team) if can_change else None),
            "checks": checks if access.can(request.user, "view", RecusalCheck) else None,
            "can_withdraw_units": can_withdraw and unit_withdrawal_refusal(team.round.phase) is None,
            # Who took which unit off the team and why; the policy keeps these rows from the teams themselves.
            "withdrawn_units": access.visible(request.user, selectors.withdrawn_team_units(team)),
            "own_memberships": own_memberships,
            "can_see_evaluations": access.can(request.user, "view", CadreEvaluation),
            "history": history_rows(team),
        },
        status=status,
    )


@login_required
def team_detail(request, pk):
    team = access.get_visible_or_404(request.user, Team, pk=pk)
    return _team_page(request, team)


@login_required
@require_POST
def team_add_member(request, pk):
    team = access.get_visible_or_404(request.user, Team.objects.select_related("round"), pk=pk)
    access.require(request.user, "change", team)
    form = forms.AddMemberForm(request.POST, team=team)
    if form.is_valid():
        try:
            membership = services.team_add_member(team=team, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已安排{membership.cadre.name}任{membership.get_position_display()}")
            return redirect("rounds:team_detail", pk=team.pk)
    return _team_page(request, team, member_form=form, status=400)


@login_required
@require_POST
def team_add_unit(request, pk):
    team = access.get_visible_or_404(request.user, Team.objects.select_related("round"), pk=pk)
    access.require(request.user, "change", team)
    form = forms.AddUnitForm(request.POST, team=team)
    if form.is_valid():
        try:
            team_unit = services.team_add_unit(team=team, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已将{team_unit.unit.name}列为本组被巡察单位")
            return redirect("rounds:team_detail", pk=team.pk)
    return _team_page(request, team, unit_form=form, status=400)


@login_required
def team_unit_withdraw(request, pk):
    """Takes a unit off its team (to another team of the round, or out of it) with a written reason."""
    _require_role(request.user, "withdraw", TeamUnit)
    team_unit = access.get_visible_or_404(
        request.user, TeamUnit.all_objects.select_related("team", "round__plan", "unit"), pk=pk
    )
    if team_unit.withdrawn_at is not None:
        messages.info(request, f"{team_unit.unit.name}已调整出{team_unit.team.name}")
        return redirect("rounds:team_detail", pk=team_unit.team_id)
    access.require(request.user, "withdraw", team_unit)
    form = forms.WithdrawUnitForm(request.POST or None, team_unit=team_unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_unit_withdraw(team_unit=team_unit, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            to_team = form.cleaned_data["to_team"]
            messages.success(
                request,
                f"已将{team_unit.unit.name}由{team_unit.team.name}调整至{to_team.name}" if to_team
                else f"已将{team_unit.unit.name}撤出本轮巡察（原由{team_unit.team.name}巡察）",
            )
            return redirect("rounds:team_detail", pk=team_unit.team_id)
    return render(
        request,
        "rounds/team_unit_withdraw.html",
        {
            "team_unit": team_unit,
            "team": team_unit.team,
            "round": team_unit.round,
            "form": form,
            "refusal": unit_withdrawal_refusal(team_unit.round.phase),
            "work_records": services.team_unit_work_records(team_unit),
            "kept_records": selectors.team_unit_preparation_records(team_unit),
        },
        status=400 if form.errors else 200,
    )


@login_required
def team_evaluations(request, pk):
    team = access.get_visible_or_404(request.user, Team.objects.select_related("round"), pk=pk)
    _require_role(request.user, "view", CadreEvaluation)
    can_evaluate = access.can(request.user, "add", CadreEvaluation) and team.round.phase in services.EVALUATION_PHASES
    form = forms.CadreEvaluationForm(request.POST or None, team=team) if can_evaluate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("本轮暂不能考评，或您无权考评")
        if form.is_valid():
            try:
                evaluation = services.cadre_evaluate(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已考评{evaluation.membership.cadre.name}：{evaluation.get_grade_display()}")
                return redirect("rounds:team_evaluations", pk=team.pk)
    memberships = team.memberships.filter(is_active=True).select_related("cadre", "evaluation__evaluated_by")
    return render(
        request,
        "rounds/team_evaluations.html",
        {"team": team, "round": team.round, "memberships": memberships, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def membership_remove(request, pk):
    membership = access.get_visible_or_404(request.user, Membership.objects.select_related("team__round", "cadre"), pk=pk)
    access.require(request.user, "remove", membership)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_remove(membership=membership, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"{membership.cadre.name}已调整出组")
            return redirect("rounds:team_detail", pk=membership.team_id)
    return _form_page(request, form=form, title=f"将{membership.cadre.name}调整出{membership.team.name}",
                      back_url=reverse("rounds:team_detail", args=[membership.team_id]), submit="调整出组")


@login_required
def recusal_application(request, pk):
    membership = access.get_visible_or_404(request.user, Membership.objects.select_related("team__round", "cadre"), pk=pk)
    access.require(request.user, "apply_recusal", membership)
    form = forms.RecusalApplicationForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.recusal_application_file(membership=membership, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            if check.result == RecusalCheck.Result.CONFLICT:
                messages.warning(request, "回避申请已登记：与本组被巡察单位存在回避情形，待巡察办处理")
            else:
                messages.success(request, "回避申请已登记：与本组被巡察单位无回避情形")
            return redirect("rounds:team_detail", pk=membership.team_id)
    return _form_page(request, form=form, title=f"{membership.cadre.name}申请回避（第三次回避）",
                      back_url=reverse("rounds:team_detail", args=[membership.team_id]), submit="提交回避申请")


@login_required
def recusal_check_list(request, round_pk):
    round = access.get_visible_or_404(request.user, Round, pk=round_pk)
    access.require(request.user, "view_recusal", round)
    checks = access.visible(request.user, RecusalCheck.objects.filter(round=round)).select_related(
        "team", "cadre", "unit", "checked_by", "overridden_by"
    ).prefetch_related("factors__unit")
    result = request.GET.get("result")
    if result:
        checks = checks.filter(result=result)
    pagination = _paginate(request, checks, 50)
    return render(
        request,
        "rounds/recusal_check_list.html",
        {
            **pagination,
            "round": round,
            "checks": pagination["page_obj"].object_list,
            "results": RecusalCheck.Result.choices,
            "current_result": result or "",
            "can_override": access.can(request.user, "override", RecusalCheck),
            "override_form": forms.ReasonForm(),
        },
    )


@login_required
def recusal_check_override(request, pk):
    check = access.get_visible_or_404(request.user, RecusalCheck.objects.select_related("cadre", "team"), pk=pk)
    access.require(request.user, "override", check)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.recusal_check_override(check=check, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, selectors.recusal_override_outcome(check))
            return redirect("rounds:recusal_check_list", round_pk=check.round_id)
    return _form_page(
        request, form=form, title=f"回避情形书面说明：{check.cadre.name}（{check.team.name}）",
        back_url=reverse("rounds:recusal_check_list", args=[check.round_id]), submit="说明理由并安排",
        warning=check.detail,
    )


# --- Preparation: announcements, info requests, material lists ------------------------------------------


RECORD_KINDS = {
    "announcement": (Announcement, forms.AnnouncementForm, "巡察公告", "rounds:preparation"),
    "info_request": (InfoRequest, forms.InfoRequestForm, "巡前征询函", "rounds:preparation"),
    "material": (MaterialItem, forms.MaterialItemForm, "调阅资料", "rounds:preparation"),
    "petition": (Petition, forms.PetitionForm, "信访件", "rounds:petition_list"),
    "inquiry": (Inquiry, forms.InquiryForm, "过问登记", "rounds:inquiry_list"),
    "interview": (Interview, forms.InterviewForm, "个别谈话", "rounds:interview_list"),
}


@login_required
def record_edit(request, kind, round_pk=None, pk=None):
    """Create (round_pk) or edit (pk) one record of a round; saved through its service."""
    try:
        model, form_class, label, list_url = RECORD_KINDS[kind]
    except KeyError as exc:
        raise Http404 from exc
    if pk:
        instance = access.get_visible_or_404(request.user, model, pk=pk)
        access.require(request.user, "change", instance)
        round = instance.round
    else:
        round = access.get_visible_or_404(request.user, Round, pk=round_pk)
        _require_role(request.user, "add", model)
        instance = model(round=round)
    form = form_class(request.POST or None, instance=instance, round=round, user=request.user)
    stale_rows = None
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            if isinstance(record, Petition):
                services.petition_save(petition=record, actor=request.user)
            elif isinstance(record, Inquiry):
                services.inquiry_save(inquiry=record, actor=request.user)
            else:
                services.record_save(instance=record, actor=request.user)
        except services.StaleEdit as exc:
            stale_rows = form.show_stale(exc)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"{label}已保存")
            if kind in ("petition", "inquiry", "interview"):
                return redirect(f"rounds:{kind}_detail", pk=record.pk)
            return redirect(list_url, round_pk=round.pk)
    if pk and access.policy_for(model).secret:
        # The edit form (first shown, or shown again with errors) shows the stored secret fields: the
        # petitioner, the asker, the interview notes. A read like the detail page.
        read_log_record(user=request.user, obj=instance, request=request)
    return _form_page(
        request, form=form, title=f"{round.title} · {'修改' if pk else '登记'}{label}",
        back_url=reverse(list_url, args=[round.pk]), stale_rows=stale_rows,
    )


@login_required
def preparation(request, round_pk):
    round = access.get_visible_or_404(request.user, Round, pk=round_pk)
    user = request.user
    announcements = access.visible(user, Announcement.objects.filter(round=round)).select_related("team", "unit")
    info_requests = access.visible(user, InfoRequest.objects.filter(round=round)).select_related("unit").annotate(
        overdue=ExpressionWrapper(selectors.info_request_overdue_q(), output_field=BooleanField())
    )
    materials = access.visible(user, MaterialItem.objects.filter(round=round)).select_related("unit")
    return render(
        request,
        "rounds/preparation.html",
        {
            "round": round,
            "announcements": announcements,
            "info_requests": info_requests,
            "overdue_count": sum(1 for r in info_requests if r.overdue),
            "materials": materials,
            "received_count": sum(1 for m in materials if m.received_on),
            "apply_form": forms.ApplyDefaultForm(round=round, user=user) if access.can(user, "add", MaterialItem) else None,
            "can_add": {
                "announcement": access.can(user, "add", Announcement),
                "info_request": access.can(user, "add", InfoRequest),
                "material": access.can(user, "add", MaterialItem),
            },
            "can_edit_defaults": access.can(user, "change", DefaultMaterialItem),
        },
    )


@login_required
@require_POST
def material_apply_default(request, round_pk):
    round = access.get_visible_or_404(request.user, Round, pk=round_pk)
    _require_role(request.user, "add", MaterialItem)
    form = forms.ApplyDefaultForm(request.POST, round=round, user=request.user)
    if form.is_valid():
        try:
            created = services.material_list_apply_default(round=round, unit=form.cleaned_data["unit"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已按默认清单为{form.cleaned_data['unit'].name}列入{len(created)}项调阅资料")
    else:
        messages.error(request, "请选择本轮的被巡察单位")
    return redirect("rounds:preparation", round_pk=round.pk)


@login_required
@require_POST
def material_receive(request, pk):
    item = access.get_visible_or_404(request.user, MaterialItem, pk=pk)
    access.require(request.user, "change", item)
    try:
        services.material_item_receive(item=item, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{item.name}”已登记收到")
    return redirect("rounds:preparation", round_pk=item.round_id)


@login_required
def material_defaults(request, pk=None):
    _require_role(request.user, "change", DefaultMaterialItem)
    items = access.visible(request.user, DefaultMaterialItem)
    instance = access.get_visible_or_404(request.user, DefaultMaterialItem, pk=pk) if pk else DefaultMaterialItem(
        jurisdiction_id=request.user.jurisdiction_id, order=(items.count() + 1)
    )
    form = forms.DefaultMaterialItemForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.default_material_item_save(item=form.save(commit=False), actor=request.user)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "默认调阅资料清单已更新")
            return redirect("rounds:material_defaults")
    return render(request, "rounds/material_defaults.html", {"items": items, "form": form, "editing": instance})


# --- On site: petitions, inquiries, interviews (all three are secret) ------------------------------------


def _secret_list(request, round_pk, model, template, related=(), extra=None):
    """A secret list: 404 outside scope like a secret record; every row shown is logged.
    `extra(rows)` adds page context computed from the visible rows (e.g. counts)."""
    round = access.get_visible_or_404(request.user, Round, pk=round_pk)
    if not access.can(request.user, "view", model):
        raise Http404
    rows = access.visible(request.user, model.objects.filter(round=round)).select_related("team", "created_by", *related)
    petition_filter = None
    if model is Petition:
        # The contact is encrypted and not on the list: not loaded, so not decrypted (the name and subject are shown).
        rows = rows.select_related("unit").defer("petitioner_contact")
        petition_filter = PetitionFilter(request.GET or None, queryset=rows, request=request)
        rows = petition_filter.qs if petition_filter.is_bound and petition_filter.is_valid() else petition_filter.queryset
    pagination = _paginate(request, rows)
    page_rows = list(pagination["page_obj"].object_list)
    read_log_record_many(user=request.user, objects=page_rows, request=request)
    context = {
        **pagination, "round": round, "rows": page_rows, "filter": petition_filter,
        "can_add": access.can(request.user, "add", model),
    }
    context.update(extra(rows) if extra else {})
    return render(request, template, context)


@login_required
def petition_list(request, round_pk):
    return _secret_list(request, round_pk, Petition, "rounds/petition_list.html")


@login_required
def inquiry_list(request, round_pk):
    return _secret_list(request, round_pk, Inquiry, "rounds/inquiry_list.html")


def _secret_detail(request, model, pk, template):
    obj = access.get_visible_or_404(request.user, model.objects.select_related("round", "team", "created_by"), pk=pk)
    read_log_record(user=request.user, obj=obj, request=request)
    return render(
        request, template,
        {"obj": obj, "round": obj.round, "can_change": access.can(request.user, "change", obj), "history": history_rows(obj),
         "record_actions": record_actions.for_object(request.user, obj)},
    )


@login_required
def petition_detail(request, pk):
    return _secret_detail(request, Petition, pk, "rounds/petition_detail.html")


@login_required
def inquiry_overview(request):
    """The leading group's entry to the inquiry registry: per round, how many inquiries were logged."""
    _require_role(request.user, "view", Inquiry)
    if request.user.role not in OVERSIGHT and not request.user.is_superuser:
        raise PermissionDenied("本页面供巡察办和领导小组使用")
    rounds = selectors.round_list_visible_to(request.user).annotate(
        inquiry_count=Count("inquiries", distinct=True)
    ).filter(inquiry_count__gt=0)
    return render(request, "rounds/inquiry_overview.html", {**_paginate(request, rounds), "rounds": rounds})


@login_required
def inquiry_detail(request, pk):
    return _secret_detail(request, Inquiry, pk, "rounds/inquiry_detail.html")


@login_required
def interview_list(request, round_pk):
    return _secret_list(
        request, round_pk, Interview, "rounds/interview_list.html", related=("unit",),
        extra=lambda rows: {"counts": selectors.interview_counts_by_unit(rows)},
    )


@login_required
def interview_detail(request, pk):
    return _secret_detail(request, Interview, pk, "rounds/interview_detail.html")


@login_required
def my_team(request):
    if request.user.role not in TEAM:
        raise PermissionDenied("本页面仅供巡察组成员使用")
    teams = selectors.team_detail_queryset().filter(pk__in=team_scope(request.user).team_ids())
    return render(request, "rounds/my_team.html", {"teams": teams})
