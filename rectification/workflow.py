"""The allowed moves of a rectification plan and of a task. Pure: no database."""

from inspection.accounts.models import Role
from inspection.core.workflow import TransitionTable, move

from .models import PlanStatus, ReportStatus, TaskStatus

LIAISON = {Role.UNIT_LIAISON}
OFFICE = {Role.OFFICE}
# The office and the leading group of the jurisdiction review the unit's rectification report.
REPORT_REVIEWERS = {Role.OFFICE, Role.LEADING_GROUP}
# The office or the team that inspected the unit verifies the work and closes (销号) the task.
VERIFIERS = {Role.OFFICE, Role.TEAM_LEADER, Role.TEAM_MEMBER}

PLAN_TABLE = TransitionTable(
    [
        move(PlanStatus.DRAFT, PlanStatus.SUBMITTED, LIAISON, "submit", "报送整改方案"),
        move(PlanStatus.RETURNED, PlanStatus.SUBMITTED, LIAISON, "submit", "重新报送整改方案"),
        move(PlanStatus.SUBMITTED, PlanStatus.ACCEPTED, OFFICE, "accept", "审核通过"),
        move(PlanStatus.SUBMITTED, PlanStatus.RETURNED, OFFICE, "return", "退回修改", needs_reason=True),
    ],
    labels=PlanStatus.choices,
)

REPORT_TABLE = TransitionTable(
    [
        move(ReportStatus.DRAFT, ReportStatus.SUBMITTED, LIAISON, "submit", "报送整改情况报告"),
        move(ReportStatus.RETURNED, ReportStatus.SUBMITTED, LIAISON, "submit", "重新报送整改情况报告"),
        move(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, REPORT_REVIEWERS, "accept", "审核通过"),
        move(ReportStatus.SUBMITTED, ReportStatus.RETURNED, REPORT_REVIEWERS, "return", "退回修改", needs_reason=True),
    ],
    labels=ReportStatus.choices,
)

TASK_TABLE = TransitionTable(
    [
        move(TaskStatus.PENDING, TaskStatus.IN_PROGRESS, LIAISON, "start", "开始整改"),
        move(TaskStatus.PENDING, TaskStatus.SUBMITTED, LIAISON, "submit", "申请销号"),
        move(TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, LIAISON, "submit", "申请销号"),
        move(TaskStatus.SUBMITTED, TaskStatus.CLOSED, VERIFIERS, "close", "核验销号"),
        move(TaskStatus.SUBMITTED, TaskStatus.RETURNED, VERIFIERS, "return", "退回继续整改", needs_reason=True),
        move(TaskStatus.RETURNED, TaskStatus.IN_PROGRESS, LIAISON, "start", "继续整改"),
        move(TaskStatus.RETURNED, TaskStatus.SUBMITTED, LIAISON, "submit", "重新申请销号"),
        # A look-back that finds the problem not truly fixed reopens a closed task.
        move(TaskStatus.CLOSED, TaskStatus.REOPENED, VERIFIERS, "reopen", "回头看重新整改", needs_reason=True),
        move(TaskStatus.REOPENED, TaskStatus.IN_PROGRESS, LIAISON, "start", "继续整改"),
        move(TaskStatus.REOPENED, TaskStatus.SUBMITTED, LIAISON, "submit", "重新申请销号"),
    ],
    labels=TaskStatus.choices,
)

# Statuses in which the unit still edits its plan and its task list.
PLAN_EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
# Statuses in which the unit still edits its rectification report.
REPORT_EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# Statuses in which the unit may report progress on a task.
PROGRESS_ALLOWED = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED, TaskStatus.REOPENED)
