"""The plan's task table as an Excel file: the problem list as a template (each problem's facts and basis, its
tasks so far), and the filled-in file read back into `services.TaskRow`s. Storing is `services.plan_tasks_save`
(all or nothing); here only the cells are read, each bad cell named with its row."""

from datetime import date, datetime

from inspection.core.excel import ImportFileError, read_rows

from . import selectors
from .models import TaskKind
from .services import TaskRow

HEADERS = [
    "序号", "问题编号", "任务编号", "问题标题", "问题事实", "定性依据",
    "整改措施*", "责任领导*", "责任部门*", "整改时限*", "整改类型*",
]
KIND_BY_LABEL = {label: value for value, label in TaskKind.choices}
KINDS = "、".join(KIND_BY_LABEL)


def template_rows(feedback):
    """One row per task, and one empty row for each problem without a task yet. To add another task to a problem,
    copy its row and clear 任务编号."""
    for row in selectors.problem_list(feedback):
        finding = row["finding"]
        head = [row["item"].position, finding.pk]
        texts = [finding.title, finding.facts, finding.basis]
        if not row["tasks"]:
            yield [*head, None, *texts, "", "", "", "", ""]
        for task in row["tasks"]:
            yield [*head, task.pk, *texts, task.measures, task.responsible_leader, task.responsible_department,
                   task.deadline.isoformat(), task.get_kind_display()]


def _number(value: str, label: str, *, required: bool) -> int | None:
    if not value:
        if required:
            raise ValueError(f"请填写{label}")
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise ValueError(f"{label}“{value}”不是数字") from exc
    if number != int(number) or number <= 0:
        raise ValueError(f"{label}“{value}”无效")
    return int(number)


def _date(value: str) -> date | None:
    if not value:
        return None
    text = value.strip().replace("/", "-").replace(".", "-")[:10]
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise ValueError(f"整改时限“{value}”不是有效日期，请写成 2026-12-31 的格式") from exc


def _kind(value: str) -> str:
    if not value:
        return ""
    if value not in KIND_BY_LABEL:
        raise ValueError(f"整改类型“{value}”无效，请填写{KINDS}之一")
    return KIND_BY_LABEL[value]


def rows_from_file(uploaded) -> tuple[list[TaskRow], list[tuple[int, str]]]:
    """(rows to store, [(Excel row number, Chinese reason)] for the cells that could not be read). A row with no
    task cells filled and no task number is a problem left for later, not a task."""
    rows, errors = [], []
    for number, record in read_rows(uploaded, HEADERS):
        filled = [record[h.rstrip("*")] for h in HEADERS[6:]]
        try:
            task_id = _number(record["任务编号"], "任务编号", required=False)
            if task_id is None and not any(filled):
                continue
            rows.append(TaskRow(
                number=number, finding_id=_number(record["问题编号"], "问题编号", required=True), task_id=task_id,
                measures=record["整改措施"], responsible_leader=record["责任领导"],
                responsible_department=record["责任部门"], deadline=_date(record["整改时限"]),
                kind=_kind(record["整改类型"]),
            ))
        except ValueError as exc:
            errors.append((number, str(exc)))
    return rows, errors


__all__ = ["HEADERS", "ImportFileError", "rows_from_file", "template_rows"]
