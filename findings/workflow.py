"""The finding review workflow: one literal table of allowed moves, who may make them, and their labels.

draft → submitted (member) → leader_approved (team leader) → office_reviewed (office) → approved (leading group).
Each reviewer may return a finding with a reason; a returned finding is edited and submitted again.
Withdrawing is a status with a reason, never a deletion. Pure: no database.
"""

from inspection.accounts.models import Role
from inspection.core.workflow import TransitionTable, move

from .models import FindingStatus as S

TEAM = {Role.TEAM_MEMBER, Role.TEAM_LEADER}
LEADER = {Role.TEAM_LEADER}
OFFICE = {Role.OFFICE}
LEADING = {Role.LEADING_GROUP}

FINDING_WORKFLOW = TransitionTable(
    [
        move(S.DRAFT, S.SUBMITTED, TEAM, "submit", "提交组长审核"),
        move(S.RETURNED, S.SUBMITTED, TEAM, "submit", "修改后重新提交"),
        move(S.SUBMITTED, S.LEADER_APPROVED, LEADER, "leader_approve", "组长审核通过"),
        move(S.SUBMITTED, S.RETURNED, LEADER, "return", "退回修改", needs_reason=True),
        move(S.LEADER_APPROVED, S.OFFICE_REVIEWED, OFFICE, "office_review", "巡察办审核通过"),
        move(S.LEADER_APPROVED, S.RETURNED, OFFICE, "return", "退回修改", needs_reason=True),
        move(S.OFFICE_REVIEWED, S.APPROVED, LEADING, "approve", "领导小组审定"),
        move(S.OFFICE_REVIEWED, S.RETURNED, LEADING, "return", "退回修改", needs_reason=True),
        # A member may drop their own unfinished draft; once under review only the office withdraws,
        # and after approval withdrawing is an overturn that needs the office and a written reason.
        move(S.DRAFT, S.WITHDRAWN, TEAM, "withdraw", "撤回", needs_reason=True),
        move(S.RETURNED, S.WITHDRAWN, TEAM, "withdraw", "撤回", needs_reason=True),
        move(S.SUBMITTED, S.WITHDRAWN, OFFICE, "withdraw", "撤回", needs_reason=True),
        move(S.LEADER_APPROVED, S.WITHDRAWN, OFFICE, "withdraw", "撤回", needs_reason=True),
        move(S.OFFICE_REVIEWED, S.WITHDRAWN, OFFICE, "withdraw", "撤回", needs_reason=True),
        move(S.APPROVED, S.WITHDRAWN, OFFICE, "withdraw", "撤回（推翻已审定问题）", needs_reason=True),
    ],
    labels=S.choices,
)

VERBS = ("submit", "leader_approve", "return", "office_review", "approve", "withdraw")

# Statuses in which the drafting team edits the finding freely; after approval only `amend` changes it.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
AMENDABLE = frozenset({S.APPROVED})
AMEND_ROLES = frozenset(OFFICE)


def roles_for_verb(verb: str) -> frozenset:
    """Every role that may make a move with this verb from some status (for the access policy table)."""
    roles = set()
    for transition in FINDING_WORKFLOW.transitions:
        if transition.verb == verb:
            roles |= transition.roles
    return frozenset(roles)


def target_of(source: str, verb: str) -> str | None:
    transition = FINDING_WORKFLOW.by_verb(source, verb)
    return transition.target if transition else None
