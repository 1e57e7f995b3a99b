"""The allowed moves of a rectification plan and of a task, and when a unit may be fed back. Pure: no database."""

from dataclasses import dataclass

from findings.models import FindingStatus
from inspection.accounts.models import Role
from inspection.core.workflow import TransitionTable, move
from rounds.models import Phase

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


# --- When a unit may be fed back (反馈) ----------------------------------------------------------------------

# The leading group approves the round report and moves the round to feedback (审定后反馈); from then on, in any
# later phase, the office records each unit's feedback meeting. COMPLETED is included on purpose: the round cannot
# go back, so refusing would leave a meeting held during the round (and registered late, 补录) unrecordable for
# ever, with its findings on no problem list and in no figure. What the rule guards against is a problem list
# shown before the leading group has decided every finding; a late registration shows nothing early.
FEEDBACK_PHASES = (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED)

# A finding the leading group has decided: on the problem list (approved) or off it for good (withdrawn).
DECIDED_FINDING_STATUSES = (FindingStatus.APPROVED, FindingStatus.WITHDRAWN)

# Why a feedback is refused. Only `UNDECIDED` is "not yet": the others do not change by waiting.
NOT_ASSIGNED, PHASE, FED_BACK, UNDECIDED, NO_APPROVED = "not_assigned", "phase", "fed_back", "undecided", "no_approved"


@dataclass(frozen=True)
class FeedbackRefusal:
    kind: str
    field: str
    message: str


def feedback_refusal(
    *, round_title: str, phase: str, unit_name: str, assigned: bool, fed_back: bool, undecided: int, approved: int
) -> FeedbackRefusal | None:
    """Why the unit may not be fed back in this round now (Chinese, naming the round and the unit), or None.

    The one rule behind the service, the form's choices and the API: a unit assigned to the round (assignment in
    force), the round in feedback or later, not yet fed back, every finding of the unit in the round approved or
    withdrawn, and at least one approved (the problem list is not empty)."""
    if not assigned:
        return FeedbackRefusal(
            NOT_ASSIGNED, "unit", f"{unit_name}不是{round_title}的巡察对象（或已调整出组），不能登记反馈"
        )
    if phase not in FEEDBACK_PHASES:
        return FeedbackRefusal(
            PHASE, "round",
            f"{round_title}尚未进入反馈阶段（当前为“{Phase(phase).label}”阶段）："
            "领导小组审定巡察报告、转入反馈阶段后才能登记反馈",
        )
    if fed_back:
        return FeedbackRefusal(FED_BACK, "unit", f"{unit_name}在{round_title}的反馈已登记")
    if undecided:
        return FeedbackRefusal(
            UNDECIDED, "unit",
            f"{unit_name}在{round_title}还有 {undecided} 条问题未审核通过或撤回："
            "须全部经领导小组审定或撤回后才能登记反馈",
        )
    if not approved:
        return FeedbackRefusal(
            NO_APPROVED, "unit", f"{unit_name}在{round_title}没有领导小组已审定的问题，无法形成问题清单"
        )
    return None
