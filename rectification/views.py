"""Pages of rectification. Each fetches through `access`, calls one service, and responds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from inspection.accounts import selectors as account_selectors
from inspection.accounts.models import Role, User
from inspection.core import access
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows
from inspection.core.views import ScopedListView, form_error

from . import evidence as evidence_files
from . import selectors, services
from .filters import FeedbackFilter, ReportFilter, TaskFilter
from .forms import (
    DisclosureForm,
    EvaluationForm,
    FeedbackForm,
    LookbackCheckForm,
    PlanForm,
    ProblemItemAddForm,
    ProgressForm,
    ReportForm,
    TaskBatchCloseForm,
    TaskForm,
    TaskReopenForm,
    WeightsForm,
)
from .models import (
    Disclosure,
    Evaluation,
    EvaluationWeights,
    Evidence,
    Feedback,
    LookbackCheck,
    RectificationPlan,
    RectificationReport,
    ReportAttachment,
    Task,
    TaskStatus,
)
from .task_pages import can_batch_close
from .workflow import PLAN_EDITABLE, PLAN_TABLE, PROGRESS_ALLOWED, REPORT_EDITABLE, REPORT_TABLE, TASK_TABLE

OVERVIEW_ROLES = {Role.OFFICE, Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION}
# 反馈后新增的问题 listed on the overview; the rest are on each feedback's page.
AWAITING_SHOWN = 20


def _feedback_or_404(user, pk) -> Feedback:
    return access.get_visible_or_404(
        user, Feedback.objects.select_related("round__plan", "unit", "jurisdiction", "plan"), pk=pk
    )


def _page_form(request, *, title, form, back, submit="保存", multipart=False, intro=""):
    return render(
        request,
        "rectification/form.html",
        {"title": title, "form": form, "back": back, "submit": submit, "multipart": multipart, "intro": intro},
    )


@login_required
def home(request):
    if request.user.role == Role.UNIT_LIAISON:
        return redirect("rectification:my_unit")
    if request.user.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
        return redirect("rectification:lookback_list")
    return redirect("rectification:overview")


# --- Office view ----------------------------------------------------------------------------------------


class OverviewView(ScopedListView):
    """整改跟踪: figures, per round and per unit completion, overdue tasks and days late."""

    model = Feedback
    template_name = "rectification/overview.html"
    filterset_class = FeedbackFilter
    context_object_name = "feedbacks"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role == Role.UNIT_LIAISON:
            return redirect("rectification:my_unit")
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.feedback_list_visible_to(self.request.user).order_by("-held_on", "-id")

    def get_queryset(self):
        # Scoping already happened in the selector; the mixin narrows by the filter.
        queryset = super().get_queryset()
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        for feedback in context["feedbacks"]:
            feedback.days_late = selectors.days_late(feedback.oldest_overdue, today)
            feedback.rate = round(feedback.task_closed * 100 / feedback.task_total, 2) if feedback.task_total else None
            feedback.report_overdue = selectors.report_overdue(feedback, today)
        round_filter = self.filterset.form.cleaned_data.get("round") if self.filterset.is_bound and self.filterset.is_valid() else None
        # Jurisdiction-wide figures are for the office, the leading group and the overseeing bodies only.
        if user.jurisdiction_id and user.role in OVERVIEW_ROLES:
            context["figures"] = selectors.rectification_figures(user.jurisdiction, round=round_filter)
        context["rounds"] = selectors.round_summaries(access.visible(user, Feedback), today)
        context["can_add"] = access.can(user, "add", Feedback)
        if user.jurisdiction_id and access.can(user, "add_problem", Feedback):
            awaiting = list(selectors.findings_awaiting_problem_list(jurisdiction_id=user.jurisdiction_id)[: AWAITING_SHOWN + 1])
            context["awaiting"] = awaiting[:AWAITING_SHOWN]
            context["awaiting_more"] = len(awaiting) > AWAITING_SHOWN
        context["can_weights"] = access.can(user, "change", EvaluationWeights)
        return context


class MyUnitView(ScopedListView):
    """本单位整改: the liaison's own unit, its feedbacks (only once held)."""

    model = Feedback
    template_name = "rectification/my_unit.html"
    context_object_name = "feedbacks"

    def base_queryset(self):
        return selectors.feedback_list_visible_to(self.request.user).order_by("-held_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for feedback in context["feedbacks"]:
            feedback.report_overdue = selectors.report_overdue(feedback)
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        feedbacks = list(self.object_list[:2])
        if len(feedbacks) == 1:
            return redirect("rectification:feedback_detail", pk=feedbacks[0].pk)
        return response


@login_required
def feedback_create(request):
    access.require(request.user, "add", Feedback)
    form = FeedbackForm(request.POST or None, jurisdiction=request.user.jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.feedback_record(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"已登记反馈，问题清单共 {feedback.problem_items.count()} 个问题，整改时限开始计算")
            return redirect("rectification:feedback_detail", pk=feedback.pk)
    return render(request, "rectification/feedback_form.html", {
        "form": form, "waiting": form.waiting, "eligible_count": len(form.eligible),
        "back": reverse("rectification:overview"),
    })


@login_required
def feedback_detail(request, pk):
    feedback = _feedback_or_404(request.user, pk)
    plan = feedback.plan
    user = request.user
    can_add_problem = access.can(user, "add_problem", feedback)
    context = {
        "feedback": feedback,
        "plan": plan,
        "rows": selectors.problem_list(feedback),
        "missing": services.findings_without_task(plan),
        "plan_moves": PLAN_TABLE.moves_for(plan.status, user) if access.can(user, "transition", plan) else [],
        "can_edit_plan": plan.status in PLAN_EDITABLE and access.can(user, "change", plan),
        "figures": selectors.rectification_figures(feedback.jurisdiction, round=feedback.round, unit=feedback.unit),
        "plan_changes": plan.status_changes.select_related("actor"),
        **_report_context(user, feedback),
        "disclosure": Disclosure.objects.filter(feedback=feedback).first(),
        "evaluation": Evaluation.objects.filter(feedback=feedback).first(),
        "can_disclose": access.can(user, "change", Disclosure),
        "can_evaluate": access.can(user, "change", Evaluation),
        "can_add_problem": can_add_problem,
        # Only the office acts on them; others see the list once the office has added them (added_items).
        "awaiting": list(selectors.findings_awaiting_problem_list(feedback=feedback)) if can_add_problem else [],
        "added_items": selectors.problem_items_added_after_feedback(feedback),
        "today": timezone.localdate(),
        "history": history_rows(plan),
        # Without a liaison account the unit never sees its rectification: the office is told to ask for one,
        # whoever may create accounts gets the filled-in create page.
        "liaison_missing": user.role != Role.UNIT_LIAISON and not account_selectors.unit_has_liaison(feedback.unit),
        "liaison_create_url": (account_selectors.liaison_create_url(feedback.unit)
                               if access.can(user, "add", User) else ""),
    }
    return render(request, "rectification/feedback_detail.html", context)


@login_required
def problem_item_add(request, feedback_pk, finding_pk):
    """反馈后新增的问题: the office adds a finding approved after the feedback to the list, with its task."""
    feedback = _feedback_or_404(request.user, feedback_pk)
    access.require(request.user, "add_problem", feedback)
    finding = get_object_or_404(selectors.findings_awaiting_problem_list(feedback=feedback), pk=finding_pk)
    form = ProblemItemAddForm(request.POST or None, jurisdiction=feedback.jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.problem_item_add(feedback=feedback, finding=finding, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"已将“{finding.title}”补充进问题清单（第 {item.position} 项）并制定整改任务，已通知该单位联络员"
            )
            return redirect("rectification:feedback_detail", pk=feedback.pk)
    back = reverse("rectification:feedback_detail", args=[feedback.pk])
    intro = (
        f"“{finding.title}”于 {timezone.localtime(finding.approved_at):%Y-%m-%d} 经领导小组审定，晚于{feedback.unit}的反馈"
        f"（{feedback.held_on:%Y-%m-%d}），尚未列入问题清单。补充后该问题计入整改统计，补充原因、补充人和时间记入问题清单。"
    )
    return _page_form(
        request, title=f"补充进问题清单：{feedback.unit}", form=form, back=back, submit="补充进问题清单", intro=intro
    )


def _report_context(user, feedback) -> dict:
    """The report card of the feedback page: the report (or none yet), its moves and what the user may do."""
    report = RectificationReport.objects.filter(feedback=feedback).prefetch_related("attachments").first()
    can_write = access.can(user, "change", report) if report else access.can(user, "add", RectificationReport)
    return {
        "report": report,
        "report_moves": REPORT_TABLE.moves_for(report.status, user)
        if report and access.can(user, "transition", report) else [],
        "can_write_report": can_write and (report is None or report.status in REPORT_EDITABLE),
        "report_overdue": selectors.report_overdue(feedback),
    }


# --- Plan -----------------------------------------------------------------------------------------------


def _plan_or_404(user, pk) -> RectificationPlan:
    return access.get_visible_or_404(user, RectificationPlan.objects.select_related("feedback__unit"), pk=pk)


@login_required
def plan_edit(request, pk):
    plan = _plan_or_404(request.user, pk)
    access.require(request.user, "change", plan)
    form = PlanForm(request.POST or None, initial={"content": plan.content})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=request.user, content=form.cleaned_data["content"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "整改方案已保存")
            return redirect("rectification:feedback_detail", pk=plan.feedback_id)
    back = reverse("rectification:feedback_detail", args=[plan.feedback_id])
    return _page_form(request, title=f"编写整改方案：{plan.feedback.unit}", form=form, back=back)


def _posted_move(request, transition, noun, **record):
    """A status move posted from a record's page (verb and reason from the form), told back as a message."""
    try:
        moved = transition(
            actor=request.user, verb=request.POST.get("verb", ""), reason=request.POST.get("reason", ""), **record
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{noun}已变更为“{moved.get_status_display()}”")


@login_required
@require_POST
def plan_transition(request, pk):
    plan = _plan_or_404(request.user, pk)
    access.require(request.user, "transition", plan)
    _posted_move(request, services.plan_transition, "整改方案", plan=plan)
    return redirect("rectification:feedback_detail", pk=plan.feedback_id)


@login_required
def task_create(request, plan_pk):
    plan = _plan_or_404(request.user, plan_pk)
    access.require(request.user, "add_task", plan)
    form = TaskForm(request.POST or None, plan=plan, initial={"finding": request.GET.get("finding")})
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(plan=plan, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "整改任务已添加")
            return redirect("rectification:feedback_detail", pk=plan.feedback_id)
    back = reverse("rectification:feedback_detail", args=[plan.feedback_id])
    return render(request, "rectification/task_form.html", {
        "title": "添加整改任务", "form": form, "back": back, "submit": "添加任务",
        # The problems with their facts and basis as fed back, the chosen one first (the unit plans against them).
        "problems": selectors.problem_list(plan.feedback), "chosen": str(form["finding"].value() or ""),
    })


# --- Tasks ----------------------------------------------------------------------------------------------


class TaskListView(ScopedListView):
    model = Task
    template_name = "rectification/task_list.html"
    filterset_class = TaskFilter
    context_object_name = "tasks"

    def base_queryset(self):
        return selectors.task_list_visible_to(self.request.user).order_by("deadline", "id")

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for task in context["tasks"]:
            task.days_late = selectors.days_late(task.deadline, today) if task.status != "closed" else 0
        context["can_batch_close"] = can_batch_close(self.request.user)
        context["batch_close_form"] = TaskBatchCloseForm() if context["can_batch_close"] else None
        return context


@login_required
def task_detail(request, pk):
    task = selectors.task_get_for(request.user, pk)
    user = request.user
    moves = TASK_TABLE.moves_for(task.status, user) if access.can(user, "transition", task) else []
    context = {
        "task": task,
        "feedback": task.plan.feedback,
        "moves": [m for m in moves if m.target not in (TaskStatus.REOPENED, TaskStatus.CLOSED)],
        # Reopening asks for a new time limit, closing for the verification opinion: their own forms.
        "can_reopen": any(m.target == TaskStatus.REOPENED for m in moves),
        "can_close": any(m.target == TaskStatus.CLOSED for m in moves),
        "can_report": task.status in PROGRESS_ALLOWED and access.can(user, "report_progress", task),
        "can_edit": task.plan.status in PLAN_EDITABLE and access.can(user, "change", task),
        "progress_reports": task.progress_reports.select_related("created_by").prefetch_related("evidence"),
        "status_changes": task.status_changes.select_related("actor"),
        "reminders": task.reminders.all(),
        "reopenings": task.reopenings.select_related("reopened_by", "lookback_check__lookback_round"),
        "lookback_checks": task.lookback_checks.select_related("lookback_round", "checked_by"),
        "days_late": selectors.days_late(task.deadline) if task.status != "closed" else 0,
        "history": history_rows(task),
    }
    return render(request, "rectification/task_detail.html", context)


@login_required
def task_edit(request, pk):
    task = selectors.task_get_for(request.user, pk)
    access.require(request.user, "change", task)
    form = TaskForm(request.POST or None, instance=task, plan=task.plan)
    form.fields["finding"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "finding"}
        try:
            services.task_update(task=task, actor=request.user, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "整改任务已修改")
            return redirect("rectification:task_detail", pk=task.pk)
    return render(request, "rectification/task_form.html", {
        "title": "修改整改任务", "form": form, "back": reverse("rectification:task_detail", args=[task.pk]),
        "submit": "保存", "problems": [row for row in selectors.problem_list(task.plan.feedback)
                                      if row["finding"].pk == task.finding_id],
        "chosen": str(task.finding_id),
    })


@login_required
@require_POST
def task_transition(request, pk):
    task = selectors.task_get_for(request.user, pk)
    access.require(request.user, "transition", task)
    _posted_move(request, services.task_transition, "整改任务", task=task)
    return redirect("rectification:task_detail", pk=task.pk)


@login_required
def task_reopen(request, pk):
    task = selectors.task_get_for(request.user, pk)
    access.require(request.user, "transition", task)
    form = TaskReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_reopen(task=task, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"整改任务已重新整改，新的整改时限为 {form.cleaned_data['new_deadline']:%Y-%m-%d}")
            return redirect("rectification:task_detail", pk=task.pk)
    back = reverse("rectification:task_detail", args=[task.pk])
    intro = f"原整改时限 {task.deadline:%Y-%m-%d}。重新整改后任务退回单位继续整改，整改时限改为新的时限。"
    return _page_form(
        request, title=f"回头看重新整改：{task.finding.title}", form=form, back=back, submit="重新整改", intro=intro
    )


@login_required
def progress_create(request, task_pk):
    task = selectors.task_get_for(request.user, task_pk)
    access.require(request.user, "report_progress", task)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report(task=task, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "整改进展已报送")
            return redirect("rectification:task_detail", pk=task.pk)
    back = reverse("rectification:task_detail", args=[task.pk])
    return _page_form(
        request, title=f"报送整改进展：{task.finding.title}", form=form, back=back, submit="报送进展", multipart=True
    )


@login_required
def evidence_download(request, pk):
    item = access.get_visible_or_404(request.user, Evidence.objects.all(), pk=pk)
    try:
        return evidence_files.download_response(item)
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc


# --- Rectification report (整改情况报告) ----------------------------------------------------------------


class ReportListView(ScopedListView):
    """整改情况报告: every report in scope with its state and the late flag."""

    model = RectificationReport
    template_name = "rectification/report_list.html"
    filterset_class = ReportFilter
    context_object_name = "reports"

    def base_queryset(self):
        return selectors.report_list_visible_to(self.request.user)

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for report in context["reports"]:
            report.overdue = report.first_submitted_at is None and report.feedback.report_due_on < today
        return context


@login_required
def report_edit(request, feedback_pk):
    """Start or correct the unit's report; "保存并报送" also submits it. Input is never lost: a refused save
    shows the form again with the error; a refused submission keeps the saved draft and shows why."""
    feedback = _feedback_or_404(request.user, feedback_pk)
    report = RectificationReport.objects.filter(feedback=feedback).first()
    if report is None:
        access.require(request.user, "add", RectificationReport)
    else:
        access.require(request.user, "change", report)
    if report is not None and report.status not in REPORT_EDITABLE:
        messages.error(request, f"整改情况报告当前为“{report.get_status_display()}”，不能修改")
        return redirect("rectification:report_detail", pk=report.pk)
    form = ReportForm(request.POST or None, request.FILES or None, instance=report)
    if request.method == "POST" and form.is_valid():
        data = {"content": form.cleaned_data["content"], "other_results": form.cleaned_data["other_results"],
                "files": form.cleaned_data["files"]}
        try:
            if report is None:
                report = services.report_create(feedback=feedback, actor=request.user, **data)
            else:
                report = services.report_update(report=report, actor=request.user, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            if not request.POST.get("submit"):
                messages.success(request, "整改情况报告已保存（尚未报送）")
                return redirect("rectification:report_detail", pk=report.pk)
            try:
                services.report_transition(report=report, actor=request.user, verb="submit")
            except DomainError as error:
                form_error(form, error)
                messages.warning(request, "报告已保存为草稿，但未能报送")
            else:
                messages.success(request, "整改情况报告已报送，等待审核")
                return redirect("rectification:report_detail", pk=report.pk)
    return render(request, "rectification/report_form.html", {
        "form": form,
        "feedback": feedback,
        "report": report,
        "figures": services.report_figures(feedback),
        "plan_accepted": feedback.plan.status == "accepted",
    })


@login_required
def report_detail(request, pk):
    report = selectors.report_get_for(request.user, pk)
    user = request.user
    context = {
        "report": report,
        "feedback": report.feedback,
        "moves": REPORT_TABLE.moves_for(report.status, user) if access.can(user, "transition", report) else [],
        "can_edit": report.status in REPORT_EDITABLE and access.can(user, "change", report),
        "attachments": report.attachments.select_related("uploaded_by"),
        "status_changes": report.status_changes.select_related("actor"),
        "history": history_rows(report),
    }
    return render(request, "rectification/report_detail.html", context)


@login_required
@require_POST
def report_transition(request, pk):
    report = selectors.report_get_for(request.user, pk)
    access.require(request.user, "transition", report)
    _posted_move(request, services.report_transition, "整改情况报告", report=report)
    return redirect("rectification:report_detail", pk=report.pk)


@login_required
def report_attachment_download(request, pk):
    item = access.get_visible_or_404(request.user, ReportAttachment.objects.all(), pk=pk)
    try:
        return evidence_files.download_response(item)
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc


# --- Disclosure and evaluation ----------------------------------------------------------------------------


@login_required
def disclosure_edit(request, feedback_pk):
    feedback = _feedback_or_404(request.user, feedback_pk)
    access.require(request.user, "change", Disclosure)
    disclosure = Disclosure.objects.filter(feedback=feedback).first()
    initial = {"title": f"中共{feedback.jurisdiction}委{feedback.round.title}反馈问题整改进展情况（{feedback.unit}）"}
    form = DisclosureForm(request.POST or None, instance=disclosure, initial=initial)
    if request.method == "POST" and form.is_valid():
        # A refused save or publication (e.g. a petitioner's name in the summary) shows the form again with the
        # typed text and the reason.
        try:
            disclosure = services.disclosure_save(feedback=feedback, actor=request.user, **form.cleaned_data)
            if request.POST.get("publish"):
                services.disclosure_publish(disclosure=disclosure, actor=request.user)
        except DomainError as error:
            form_error(form, error)
        else:
            published = request.POST.get("publish")
            messages.success(request, "整改情况已公开" if published else "公开摘要已保存（尚未公开）")
            return redirect("rectification:feedback_detail", pk=feedback.pk)
    return render(request, "rectification/disclosure_form.html", {"form": form, "feedback": feedback, "disclosure": disclosure})


@login_required
@require_POST
def disclosure_unpublish(request, pk):
    disclosure = access.get_visible_or_404(request.user, Disclosure.objects.all(), pk=pk)
    access.require(request.user, "publish", disclosure)
    services.disclosure_publish(disclosure=disclosure, actor=request.user, publish=False)
    messages.success(request, "已撤回公开")
    return redirect("rectification:feedback_detail", pk=disclosure.feedback_id)


def public_disclosure(request, pk):
    """整改公开: readable without login, and only once published. Only the summary and counts are shown."""
    disclosure = get_object_or_404(
        Disclosure.objects.select_related("feedback__unit", "feedback__round", "feedback__jurisdiction"),
        pk=pk,
        published_at__isnull=False,
    )
    feedback = disclosure.feedback
    figures = selectors.rectification_figures(feedback.jurisdiction, round=feedback.round, unit=feedback.unit)
    return render(request, "rectification/public_disclosure.html", {"disclosure": disclosure, "figures": figures})


@login_required
def evaluation_edit(request, feedback_pk):
    feedback = _feedback_or_404(request.user, feedback_pk)
    access.require(request.user, "change", Evaluation)
    evaluation = Evaluation.objects.filter(feedback=feedback).first()
    form = EvaluationForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_save(feedback=feedback, actor=request.user, **form.cleaned_data)
        except services.StaleEvaluation as error:
            form_error(form, error)
            form.show_stale(error.current)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"评价已保存：综合得分 {evaluation.total}，{evaluation.get_grade_display()}")
            return redirect("rectification:feedback_detail", pk=feedback.pk)
    weights = services.weights_for(feedback.jurisdiction)
    intro = (
        f"本办权重：单位自评 {weights.self_weight}%、群众满意度 {weights.public_weight}%、"
        f"监督单位 {weights.supervision_weight}%、实地检查 {weights.onsite_weight}%。"
        "综合得分 ≥90 为优秀，≥80 为良好，≥60 为一般，其余为较差。"
    )
    back = reverse("rectification:feedback_detail", args=[feedback.pk])
    return _page_form(request, title=f"整改效果评价：{feedback.unit}", form=form, back=back, intro=intro)


@login_required
def weights_edit(request):
    access.require(request.user, "change", EvaluationWeights)
    if not request.user.jurisdiction_id:
        raise PermissionDenied("您的账号未设置管辖范围")
    weights = services.weights_for(request.user.jurisdiction)
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        try:
            services.weights_save(jurisdiction=request.user.jurisdiction, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "评价权重已保存")
            return redirect("rectification:overview")
    return _page_form(
        request, title="整改效果评价权重", form=form, back=reverse("rectification:overview"),
        intro="四项权重之和必须为 100。修改后只影响此后保存的评价。",
    )


# --- Look-back ------------------------------------------------------------------------------------------


@login_required
def lookback_list(request):
    access.require(request.user, "view", Task)
    rounds = selectors.lookback_rounds_visible_to(request.user).prefetch_related("lookback_of")
    return render(request, "rectification/lookback_list.html", {"rounds": rounds})


def _lookback_round_or_404(user, pk):
    return get_object_or_404(selectors.lookback_rounds_visible_to(user), pk=pk)


@login_required
def lookback_detail(request, pk):
    access.require(request.user, "view", Task)
    lookback_round = _lookback_round_or_404(request.user, pk)
    can_check = access.can(request.user, "add", LookbackCheck)
    rows = selectors.lookback_tasks(request.user, lookback_round)
    return render(
        request,
        "rectification/lookback_detail.html",
        {"round": lookback_round, "rows": rows, "can_check": can_check, "form": LookbackCheckForm()},
    )


@login_required
def lookback_check(request, pk, task_pk):
    access.require(request.user, "add", LookbackCheck)
    lookback_round = _lookback_round_or_404(request.user, pk)
    task = selectors.task_get_for(request.user, task_pk)
    form = LookbackCheckForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.lookback_check_record(lookback_round=lookback_round, task=task, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "核查结果已记录")
            return redirect("rectification:lookback_detail", pk=lookback_round.pk)
    back = reverse("rectification:lookback_detail", args=[lookback_round.pk])
    return _page_form(request, title=f"回头看核查：{task.finding.title}", form=form, back=back, submit="记录核查结果")
