"""The round phase machine: one literal table of allowed moves and the roles that may make each.

Pure: no database. `rounds.services.round_change_phase` checks this table before anything else.
"""

from inspection.accounts.models import Role
from inspection.core.workflow import TransitionTable, move

from .models import Membership, Phase

OFFICE = {Role.OFFICE}
LEADING_GROUP = {Role.LEADING_GROUP}

PHASE_TABLE = TransitionTable(
    [
        move(Phase.PREPARATION, Phase.ONSITE, OFFICE, "go_onsite", "进驻被巡察单位"),
        move(Phase.ONSITE, Phase.REPORT, OFFICE, "to_report", "结束进驻，转入报告"),
        # The leading group hears the round report and approves the move to feedback (审定后反馈).
        move(Phase.REPORT, Phase.FEEDBACK, LEADING_GROUP, "approve_feedback", "审定报告，转入反馈"),
        move(Phase.FEEDBACK, Phase.REFERRAL, OFFICE, "to_referral", "反馈完成，转入移交"),
        move(Phase.REFERRAL, Phase.RECTIFICATION, OFFICE, "to_rectification", "移交完成，转入整改"),
        move(Phase.RECTIFICATION, Phase.COMPLETED, OFFICE, "complete", "整改完成，本轮结束"),
        # Going back is possible only where nothing has left the team yet, and needs a written reason.
        move(Phase.ONSITE, Phase.PREPARATION, OFFICE, "back_to_preparation", "退回准备阶段", needs_reason=True),
        move(Phase.REPORT, Phase.ONSITE, OFFICE | LEADING_GROUP, "back_to_onsite", "退回进驻阶段", needs_reason=True),
    ],
    labels=dict(Phase.choices),
)

# --- Team windows: in which phases of a round a place on one of its teams counts (`inspection.core.team_scope`) ---
# Every team scope of every app is one of these windows; active places and assignments in force only, always.

# The round's own work (the round, its team, units, colleagues, petitions, inquiries, interviews, materials,
# findings): members until the report, leaders until the feedback. Need-to-know ends with the team's work.
MEMBER_PHASES = (Phase.PREPARATION, Phase.ONSITE, Phase.REPORT)
LEADER_PHASES = MEMBER_PHASES + (Phase.FEEDBACK,)

# What became of the team's work, until the round is completed: the team of the feedback's round reads its units'
# rectification and verifies and closes (销号) the tasks; a look-back team does so for the earlier tasks of the
# units it revisits, while the look-back round runs; the team sees which of its leads were referred. Nothing
# before the feedback exists to be seen. Once the round is completed the team reads nothing new.
FOLLOW_UP_PHASES = tuple(phase for phase in Phase.values if phase != Phase.COMPLETED)

# A team leader or deputy registers problem leads from its own team's findings and petitions during the leader's
# window of the round; from the referral on, leads are the office's.
LEAD_PHASES = LEADER_PHASES
LEAD_POSITIONS = (Membership.Position.LEADER, Membership.Position.DEPUTY)

# Coverage rule: a planned unit counts as inspected once the round that covers it has left on-site work
# (报告 or later): the team has been in and its report is being written, so the unit is no longer "to do".
INSPECTED_PHASES = (Phase.REPORT, Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED)

# A unit liaison sees the round of its unit from feedback on (DOMAIN.md: "only after feedback").
LIAISON_PHASES = (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED)


def duty_phases(role) -> tuple:
    """The round's own work for this role: the window of `team_scope(user)` when no phases are given."""
    return LEADER_PHASES if role == Role.TEAM_LEADER else MEMBER_PHASES


# Assignments of units to teams may be withdrawn, or a unit moved to another team of the round, only while the
# round is being prepared. From on-site work on, the team holds petitions, interviews, materials and findings about
# its units: dropping a unit then would silently orphan them.
UNIT_ASSIGNMENT_CHANGE_PHASES = (Phase.PREPARATION,)


def unit_withdrawal_refusal(phase) -> str | None:
    """Why a unit may not be taken off its team in this phase (Chinese, for the user), or None when it may."""
    if phase in UNIT_ASSIGNMENT_CHANGE_PHASES:
        return None
    return (
        f"本轮已进入“{Phase(phase).label}”阶段：巡察组进驻后已围绕被巡察单位开展信访受理、个别谈话、调阅资料和发现问题等工作，"
        "不能再将单位调整出组或改由其他组巡察（只有准备阶段可以调整）"
    )
