"""Pages of issue 16 for tasks: closing with a verification opinion (one task or a ticked set), and the plan's task
table (one editable table, or the problem list as an Excel template filled in and uploaded back). Each view fetches
through access, calls one service and responds; the rules are in `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspection.core import access
from inspection.core.batch import shown_ids
from inspection.core.excel import ImportFileError, export_response
from inspection.core.exceptions import DomainError
from inspection.core.views import form_error

from . import selectors, services, task_excel
from .forms import TaskBatchCloseForm, TaskCloseForm, TaskExcelUploadForm, TaskRowFormSet
from .models import RectificationPlan
from .services import TaskRow, TaskRowsRefused
from .workflow import PLAN_EDITABLE, VERIFIERS


@login_required
def task_close(request, pk):
    """核验销号 of one task, with its verification opinion."""
    task = selectors.task_get_for(request.user, pk)
    access.require(request.user, "transition", task)
    form = TaskCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_close(task=task, actor=request.user, opinion=form.cleaned_data["verification_opinion"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "整改任务已核验销号")
            return redirect("rectification:task_detail", pk=task.pk)
    return render(request, "rectification/task_close.html", {
        "title": f"核验销号：{task.finding.title}", "form": form, "task": task,
        "back": reverse("rectification:task_detail", args=[task.pk]),
    })


def can_batch_close(user) -> bool:
    return user.is_superuser or user.role in VERIFIERS


@login_required
@require_POST
def tasks_batch_close(request):
    """The tasks ticked on the task list, closed with one opinion; the result page lists each closed or refused."""
    if not can_batch_close(request.user):
        raise PermissionDenied("您无权执行此操作")
    form = TaskBatchCloseForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = services.tasks_batch_close(
                actor=request.user, ids=form.cleaned_data["ids"], opinion=form.cleaned_data["verification_opinion"]
            )
        except DomainError as error:
            form_error(form, error)
    chosen = []
    if result is None:
        ids = shown_ids(request.POST.getlist("ids"))
        chosen = list(selectors.task_list_visible_to(request.user).filter(pk__in=ids))
    return render(request, "rectification/batch_close.html", {
        "form": form, "result": result, "chosen": chosen, "back": reverse("rectification:task_list"),
    })


# --- The plan's task table ------------------------------------------------------------------------------------


def _plan_for_tasks(user, pk) -> RectificationPlan:
    plan = access.get_visible_or_404(
        user, RectificationPlan.objects.select_related("feedback__unit", "feedback__round", "feedback__jurisdiction"),
        pk=pk,
    )
    access.require(user, "add_task", plan)
    return plan


def _table_initial(rows) -> list[dict]:
    initial = []
    for row in rows:
        tasks = row["tasks"] or [None]
        for task in tasks:
            values = {"finding_id": row["finding"].pk}
            if task is not None:
                values.update(task_id=task.pk, measures=task.measures, responsible_leader=task.responsible_leader,
                              responsible_department=task.responsible_department, deadline=task.deadline,
                              kind=task.kind)
            initial.append(values)
    return initial


def _rows_from_formset(formset) -> list[TaskRow]:
    return [
        TaskRow(number=number, **form.cleaned_data)
        for number, form in enumerate(formset.forms, start=1) if not form.is_blank()
    ]


@login_required
def plan_tasks(request, plan_pk):
    """All tasks of the plan in one editable table: one line per task, an empty line for each problem without one,
    each with the problem's facts and basis in view. Saved in one go, or not at all."""
    plan = _plan_for_tasks(request.user, plan_pk)
    rows = selectors.problem_list(plan.feedback)
    initial = _table_initial(rows)
    formset = TaskRowFormSet(request.POST or None, initial=initial, prefix="tasks")
    refused = None
    if request.method == "POST" and formset.is_valid():
        try:
            services.plan_tasks_save(plan=plan, actor=request.user, rows=_rows_from_formset(formset))
        except TaskRowsRefused as error:
            refused = error.message
            for number, message in error.errors:
                formset.forms[number - 1].add_error(None, message)
        except DomainError as error:
            refused = error.message
        else:
            messages.success(request, "整改任务已全部保存")
            return redirect("rectification:feedback_detail", pk=plan.feedback_id)
    findings = {row["finding"].pk: row for row in rows}
    lines = []
    for number, form in enumerate(formset.forms, start=1):
        finding_id = form["finding_id"].value()
        lines.append({"number": number, "form": form, "row": findings.get(int(finding_id)) if finding_id else None})
    return render(request, "rectification/plan_tasks.html", {
        "plan": plan, "feedback": plan.feedback, "formset": formset, "lines": lines, "refused": refused,
        "editable": plan.status in PLAN_EDITABLE,
        "back": reverse("rectification:feedback_detail", args=[plan.feedback_id]),
    })


@login_required
def plan_template(request, plan_pk):
    """The problem list as an Excel template (facts and basis in view, tasks so far), to fill in and upload."""
    plan = _plan_for_tasks(request.user, plan_pk)
    feedback = plan.feedback
    return export_response(
        filename=f"{feedback.unit.name}整改任务表.xlsx", title="整改任务表", headers=task_excel.HEADERS,
        rows=task_excel.template_rows(feedback),
    )


@login_required
def plan_upload(request, plan_pk):
    plan = _plan_for_tasks(request.user, plan_pk)
    form = TaskExcelUploadForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows, unreadable = task_excel.rows_from_file(form.cleaned_data["file"])
            saved = services.plan_tasks_save(plan=plan, actor=request.user, rows=rows, row_errors=unreadable)
        except ImportFileError as error:
            form.add_error("file", str(error))
        except TaskRowsRefused as error:
            form.add_error(None, error.message)
            row_errors = error.errors
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"已从 Excel 保存 {len(saved)} 项整改任务")
            return redirect("rectification:feedback_detail", pk=plan.feedback_id)
    return render(request, "rectification/plan_upload.html", {
        "plan": plan, "feedback": plan.feedback, "form": form, "row_errors": row_errors,
        "back": reverse("rectification:feedback_detail", args=[plan.feedback_id]),
    })

