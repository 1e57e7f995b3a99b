"""Finding pages. Each view: fetch through access, call one service, respond. Rules live in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from inspection.accounts.roles import TEAM
from inspection.core import access, record_actions
from inspection.core.batch import shown_ids
from inspection.core.excel import export_response
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows
from inspection.core.team_scope import team_scope
from inspection.core.views import ScopedListView, filtered, form_error, select_options
from inspection.units.models import Unit
from rounds.models import Round, TeamUnit

from . import selectors, services
from .attachments import download_response
from .filters import FindingFilter
from .forms import (
    AttachmentForm,
    BatchApproveForm,
    BatchIdsForm,
    CategoryForm,
    FindingForm,
    HearingForm,
    OpinionForm,
    TransitionForm,
)
from .models import Attachment, Category, Finding
from .workflow import FINDING_WORKFLOW


class FindingListView(ScopedListView):
    model = Finding
    filterset_class = FindingFilter
    template_name = "findings/finding_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = FindingFilter(
            self.request.GET or None, queryset=selectors.finding_list_visible_to(self.request.user), request=self.request
        )
        return filtered(self.filterset).order_by("-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_add"] = access.can(user, "add", Finding)
        # The team's own units, each with its report page (问题汇总) and a shortcut to draft for it.
        context["my_team_units"] = list(_team_units_for(user)) if user.role in TEAM else []
        data = getattr(self.filterset.form, "cleaned_data", {}) if self.filterset.is_bound else {}
        # Batch moves from the list (issue 16): the leading group approves at a meeting, the office reviews.
        context["can_batch_approve"] = access.can(user, "approve", Finding)
        context["can_batch_review"] = access.can(user, "office_review", Finding)
        context["batch_approve_form"] = BatchApproveForm() if context["can_batch_approve"] else None
        if data.get("round") and data.get("unit"):
            context["report_url"] = reverse("findings:unit_report", args=[data["round"].pk, data["unit"].pk])
        return context


@login_required
@require_GET
def filter_options(request, name):
    """Options of the list filter's `name` select for the other filters given (rounds of an office, teams
    of a round): the filter form swaps them in when the select they depend on changes."""
    if not access.can(request.user, "view", Finding):
        raise PermissionDenied("您无权访问此页面")
    filterset = FindingFilter(request.GET, queryset=Finding.objects.none(), request=request)
    return select_options(filterset, name)


def _team_units_for(user):
    queryset = TeamUnit.objects.select_related("round", "team", "unit").filter(
        round__phase__in=services.FILING_PHASES
    ).order_by("-round_id", "team_id", "unit__name")
    if user.is_superuser:
        return queryset
    return queryset.filter(team_id__in=team_scope(user).team_ids())


def _filing_office(user, team_units):
    """Whose checklist the new-finding form lists: the office of the user's rounds (a cross-inspection team
    files under the host office's checklist; the service checks each finding against its round's office)."""
    offices = list(team_units.order_by().values_list("round__jurisdiction_id", flat=True).distinct()[:2])
    return offices[0] if len(offices) == 1 else user.jurisdiction_id


@login_required
def finding_create(request):
    access.require(request.user, "add", Finding)
    team_units = _team_units_for(request.user)
    initial = {}
    if request.GET.get("team_unit", "").isdigit():
        initial["team_unit"] = int(request.GET["team_unit"])
    form = FindingForm(
        request.POST or None, request.FILES or None, team_units=team_units,
        jurisdiction_id=_filing_office(request.user, team_units), initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(
                actor=request.user, team_unit=form.cleaned_data["team_unit"],
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"], working_paper=form.paper(),
                uploads=form.cleaned_data.get("attachments") or (), **form.finding_changes(),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            count = len(form.cleaned_data.get("attachments") or ())
            messages.success(request, "问题已保存为草稿" + (f"（附件{count}个）" if count else "") + "，可提交组长审核")
            return redirect("findings:finding_detail", pk=finding.pk)
    return render(request, "findings/finding_form.html", {"form": form, "finding": None, "amend": False})


@login_required
def finding_edit(request, pk):
    finding = selectors.finding_get_visible(request.user, pk)
    amend = access.can(request.user, "amend", finding)
    if not amend:
        access.require(request.user, "change", finding)
    paper = selectors.working_paper_of(finding)
    initial = {
        "category": finding.category_id, "title": finding.title, "facts": finding.facts, "basis": finding.basis,
        "money_involved": finding.money_involved, "persons_involved": finding.persons_involved,
        "fixed_on_site": finding.fixed_on_site,
    }
    if paper:
        initial.update({f"paper_{name}": getattr(paper, name) for name in services.PAPER_FIELDS})
    form = FindingForm(request.POST or None, finding=finding, amend=amend, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if amend:
                services.finding_amend(
                    finding=finding, actor=request.user, reason=form.cleaned_data["reason"],
                    working_paper=form.paper(), **form.finding_changes(),
                )
            else:
                services.finding_update(
                    finding=finding, actor=request.user, working_paper=form.paper(),
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"], **form.finding_changes(),
                )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "修改已保存" + ("，修改理由已记入版本记录" if amend else ""))
            return redirect("findings:finding_detail", pk=finding.pk)
    return render(request, "findings/finding_form.html", {"form": form, "finding": finding, "amend": amend})


@login_required
def finding_detail(request, pk):
    finding = selectors.finding_get_visible(request.user, pk)
    user = request.user
    moves = [m for m in FINDING_WORKFLOW.moves_for(finding.status, user) if access.can(user, m.verb, finding)]
    can_add_evidence = access.can(user, "add_evidence", finding)
    paper = selectors.working_paper_of(finding)
    context = {
        "finding": finding,
        "paper": paper,
        "paper_history": history_rows(paper) if paper else [],
        "moves": moves,
        "can_edit": access.can(user, "change", finding),
        "can_amend": access.can(user, "amend", finding),
        "can_add_evidence": can_add_evidence,
        "attachment_form": AttachmentForm() if can_add_evidence else None,
        "hearing_form": HearingForm(prefix="hearing") if can_add_evidence else None,
        "opinion_form": OpinionForm(prefix="opinion") if can_add_evidence else None,
        "history": history_rows(finding),
        "record_actions": record_actions.for_object(user, finding),
    }
    return render(request, "findings/finding_detail.html", context)


@login_required
@require_POST
def finding_transition(request, pk):
    finding = selectors.finding_get_visible(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效")
        return redirect("findings:finding_detail", pk=pk)
    try:
        finding = services.finding_transition(
            finding=finding, actor=request.user, verb=form.cleaned_data["verb"], reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"操作成功，当前状态：{finding.get_status_display()}")
    return redirect("findings:finding_detail", pk=pk)


def _batch_page(request, *, title, form, result=None, submit=""):
    chosen = []
    if result is None and form.is_bound:
        ids = shown_ids(request.POST.getlist("ids"))
        chosen = list(selectors.finding_list_visible_to(request.user).filter(pk__in=ids).select_related("unit"))
    return render(request, "findings/batch.html", {
        "title": title, "form": form, "result": result, "chosen": chosen, "submit": submit,
        "back": reverse("findings:finding_list"),
    })


@login_required
@require_POST
def batch_approve(request):
    """领导小组会议审定 of the findings ticked on the list: the result page lists each one approved or refused."""
    access.require(request.user, "approve", Finding)
    form = BatchApproveForm(request.POST)
    title = "领导小组会议批量审定"
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.findings_batch_approve(
                actor=request.user, ids=data["ids"], meeting_name=data["meeting_name"],
                meeting_number=data["meeting_number"], meeting_date=data["meeting_date"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return _batch_page(request, title=title, form=form, result=result)
    return _batch_page(request, title=title, form=form, submit="审定所选问题")


@login_required
@require_POST
def batch_office_review(request):
    access.require(request.user, "office_review", Finding)
    form = BatchIdsForm(request.POST)
    title = "巡察办批量审核"
    if form.is_valid():
        try:
            result = services.findings_batch_office_review(actor=request.user, ids=form.cleaned_data["ids"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            return _batch_page(request, title=title, form=form, result=result)
    return _batch_page(request, title=title, form=form, submit="审核通过所选问题")


@login_required
@require_POST
def attachment_upload(request, pk):
    finding = selectors.finding_get_visible(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                finding=finding, actor=request.user, uploaded=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "附件已上传")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("findings:finding_detail", args=[pk]) + "#attachments")


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = access.get_visible_or_404(request.user, Attachment.objects.select_related("finding"), pk=pk)
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise Http404("文件不存在")
    return download_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
@require_POST
def hearing_add(request, pk):
    finding = selectors.finding_get_visible(request.user, pk)
    form = HearingForm(request.POST, prefix="hearing")
    if form.is_valid():
        try:
            services.hearing_add(finding=finding, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录听取解释说明")
    else:
        messages.error(request, "请完整填写听取解释说明：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("findings:finding_detail", args=[pk]) + "#hearings")


@login_required
@require_POST
def opinion_add(request, pk):
    finding = selectors.finding_get_visible(request.user, pk)
    form = OpinionForm(request.POST, request.FILES, prefix="opinion")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.opinion_add(
                finding=finding, actor=request.user, department=data["department"], opinion=data["opinion"],
                given_on=data["given_on"], uploaded=data["file"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录第三方认定意见")
    else:
        messages.error(request, "请完整填写第三方认定：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("findings:finding_detail", args=[pk]) + "#opinions")


@login_required
@require_GET
def duplicates(request):
    """htmx partial: near-duplicate findings of the unit being written about."""
    if not access.can(request.user, "view", Finding):
        raise PermissionDenied("您无权访问此页面")
    unit_id = None
    team_unit_id = request.GET.get("team_unit", "")
    exclude = request.GET.get("exclude", "")
    if team_unit_id.isdigit():
        team_unit = TeamUnit.objects.filter(pk=team_unit_id).first()
        unit_id = team_unit.unit_id if team_unit else None
    elif exclude.isdigit():
        unit_id = selectors.finding_get_visible(request.user, int(exclude)).unit_id
    if unit_id is not None and not access.visible(request.user, Unit).filter(pk=unit_id).exists():
        unit_id = None
    found = selectors.near_duplicates(
        request.user, unit_id=unit_id, title=request.GET.get("title", ""), facts=request.GET.get("facts", ""),
        exclude_pk=int(exclude) if exclude.isdigit() else None,
    )
    return render(request, "findings/_duplicates.html", {"duplicates": found})


@login_required
def unit_report(request, round_id, unit_id):
    # The round and the unit are the records this page names: one the user may not see is not there (404);
    # the report of what they do see is refused to a role without it (403).
    user = request.user
    round_ = access.get_visible_or_404(user, Round.objects.select_related("plan"), pk=round_id)
    unit = access.get_visible_or_404(user, Unit, pk=unit_id)
    access.require(user, "unit_report", Finding)
    if user.role in TEAM and not user.is_superuser:
        if not TeamUnit.objects.filter(round=round_, unit=unit, team_id__in=team_scope(user).team_ids()).exists():
            raise Http404
    elif not user.is_superuser and round_.jurisdiction_id != user.jurisdiction_id:
        raise Http404
    report = selectors.unit_report(user, round_id=round_.pk, unit_id=unit.pk)
    team_unit = TeamUnit.objects.filter(round=round_, unit=unit).select_related("team").first()
    return render(
        request, "findings/unit_report.html", {"round": round_, "unit": unit, "report": report, "team_unit": team_unit}
    )


# --- The checklist (问题分类) ------------------------------------------------------------------------------


@login_required
def category_list(request):
    access.require(request.user, "add", Category)
    office = request.user.jurisdiction_id
    context = {
        "tree": selectors.checklist_tree(office),
        "form": CategoryForm(),
        "maintains_default": selectors.checklist_owner_id(request.user) is None,
    }
    return render(request, "findings/category_list.html", context)


@login_required
@require_POST
def category_create(request):
    access.require(request.user, "add", Category)
    parent = None
    if request.POST.get("parent", "").isdigit():
        parent = access.get_visible_or_404(request.user, Category, pk=request.POST["parent"])
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category = services.category_create(
                actor=request.user, name=form.cleaned_data["name"], parent=parent, order=form.cleaned_data["order"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已添加分类：{category}")
    else:
        messages.error(request, "请填写分类名称")
    return redirect("findings:category_list")


CHECKLIST_HEADERS = ["编号", "层级", "领域", "方面", "具体表现", "来源", "状态", "本机构已归入问题数"]


def _checklist_rows(tree, path=()):
    for entry in tree:
        node = entry["node"]
        names = (*path, node.name)
        if entry["retired_here"]:
            state = "本机构已停用"
        elif not node.is_active:
            state = "已停用"
        else:
            state = "启用" if entry["in_force"] else "上级已停用"
        yield [
            node.code, node.get_level_display(), *(list(names) + ["", "", ""])[:3],
            "本机构" if entry["own"] else "全省默认清单", state, entry["finding_count"],
        ]
        yield from _checklist_rows(entry["children"], names)


@login_required
@require_GET
def category_export(request):
    """The office's checklist as Excel (巡察组进驻时携带): the same tree and counts as the page."""
    access.require(request.user, "add", Category)
    tree = selectors.checklist_tree(request.user.jurisdiction_id)
    name = request.user.jurisdiction.name if request.user.jurisdiction_id else "全省默认"
    return export_response(
        filename=f"问题分类清单-{name}.xlsx", title="问题分类清单", headers=CHECKLIST_HEADERS,
        rows=_checklist_rows(tree),
    )


RETIRE_MESSAGES = {
    ("retire", True): "已停用该分类，已归入的问题保留",
    ("restore", True): "已重新启用该分类",
    ("retire", False): "已停用该分类（仅对本机构生效，其他巡察机构不受影响），已归入的问题保留",
    ("restore", False): "已为本机构重新启用该分类",
}


@login_required
def category_edit(request, pk):
    user = request.user
    category = access.get_visible_or_404(user, Category.objects.select_related("parent"), pk=pk)
    access.require(user, "change", category)
    # The owner edits a node for everyone who uses it; an office facing a default node only retires it for itself.
    owns = user.is_superuser or category.owner_id == selectors.checklist_owner_id(user)
    form = CategoryForm(request.POST or None, initial={"name": category.name, "order": category.order})
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("retire", "restore"):
                services.category_set_active(category=category, actor=user, active=action == "restore")
                messages.success(request, RETIRE_MESSAGES[(action, owns)])
                return redirect("findings:category_list")
            if form.is_valid():
                services.category_update(
                    category=category, actor=user, name=form.cleaned_data["name"],
                    order=form.cleaned_data["order"] if form.cleaned_data["order"] is not None else category.order,
                )
                messages.success(request, "分类已保存")
                return redirect("findings:category_list")
        except DomainError as exc:
            form_error(form, exc)
    retired_here = not owns and category.retirements.filter(
        jurisdiction_id=user.jurisdiction_id, restored_at__isnull=True
    ).exists()
    return render(
        request, "findings/category_form.html",
        {"form": form, "category": category, "history": history_rows(category), "owns": owns,
         "retired_here": retired_here,
         "finding_count": (
             selectors.category_finding_count(category, user.jurisdiction_id) if user.jurisdiction_id else None
         )},
    )
