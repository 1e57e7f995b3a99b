"""Who may see and do what in rounds. Team roles see only their own team's round, during the round."""

from inspection.accounts.models import Role
from inspection.accounts.roles import ALL, INSPECTORS, OFFICE, OVERSIGHT, RECEIVERS, TEAM
from inspection.core import access
from inspection.core.team_scope import team_scope

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
    Plan,
    RecusalCheck,
    Round,
    Team,
    TeamUnit,
)
from .workflow import LIAISON_PHASES

TEAM_AND_OFFICE = TEAM | OFFICE


def _scope_by_round(user, queryset, round_path="round", team_path="team", allow_receivers=False):
    """Office and leading group: their jurisdiction. Team roles: the rows of their own current teams."""
    if user.role in OVERSIGHT or (allow_receivers and user.role in RECEIVERS):
        return queryset.filter(**{f"{round_path}__jurisdiction_id": user.jurisdiction_id})
    if user.role in TEAM:
        team_ids = team_scope(user).team_ids()
        if team_path is None:
            return queryset.filter(**{f"{round_path}__teams__in": team_ids}).distinct()
        return queryset.filter(**{f"{team_path}__in": team_ids})
    return queryset.none()


@access.register
class PlanPolicy(access.Policy):
    model = Plan
    permissions = {"view": OVERSIGHT, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(jurisdiction_id=user.jurisdiction_id)


@access.register
class RoundPolicy(access.Policy):
    model = Round
    permissions = {
        "view": ALL,
        "add": OFFICE,
        "change": OFFICE,
        # The transition table decides which move each role may make.
        "change_phase": OVERSIGHT,
        "add_team": OFFICE,
        "view_recusal": OVERSIGHT,
    }

    def scope(self, user, queryset):
        if user.role in OVERSIGHT or user.role in RECEIVERS:
            return queryset.filter(jurisdiction_id=user.jurisdiction_id)
        if user.role in TEAM:
            return queryset.filter(pk__in=team_scope(user).round_ids())
        if user.role == Role.UNIT_LIAISON:
            # Through the manager, not a join: a withdrawn assignment does not open the round to the unit.
            return queryset.filter(
                pk__in=TeamUnit.objects.filter(unit_id=user.unit_id).values("round_id"), phase__in=LIAISON_PHASES
            )
        return queryset.none()


@access.register
class TeamPolicy(access.Policy):
    model = Team
    permissions = {"view": INSPECTORS, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        if user.role in OVERSIGHT:
            return queryset.filter(round__jurisdiction_id=user.jurisdiction_id)
        if user.role in TEAM:
            return queryset.filter(pk__in=team_scope(user).team_ids())
        return queryset.none()


@access.register
class TeamUnitPolicy(access.Policy):
    """Assignments of units to teams. Withdrawing one (or moving it to another team) is the office's, within its
    jurisdiction (the scope); when it is allowed is the workflow's rule (`workflow.unit_withdrawal_refusal`)."""

    model = TeamUnit
    permissions = {"view": INSPECTORS, "add": OFFICE, "withdraw": OFFICE}

    def scope(self, user, queryset):
        queryset = _scope_by_round(user, queryset)
        if user.role in TEAM:
            # A withdrawal reason may name a member's recusal: the teams see the assignments in force only.
            queryset = queryset.filter(withdrawn_at__isnull=True)
        return queryset


@access.register
class MembershipPolicy(access.Policy):
    model = Membership
    permissions = {"view": INSPECTORS, "add": OFFICE, "change": OFFICE, "remove": OFFICE, "apply_recusal": TEAM_AND_OFFICE}

    def scope(self, user, queryset):
        return _scope_by_round(user, queryset, round_path="team__round")

    def check_object(self, user, action, obj):
        if action == "apply_recusal" and user.role in TEAM:
            return obj.cadre.user_id == user.pk
        return True


@access.register
class RecusalCheckPolicy(access.Policy):
    model = RecusalCheck
    permissions = {"view": OVERSIGHT, "override": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(round__jurisdiction_id=user.jurisdiction_id)

    def check_object(self, user, action, obj):
        if action == "override":
            return obj.result == RecusalCheck.Result.CONFLICT
        return True


@access.register
class AnnouncementPolicy(access.Policy):
    model = Announcement
    permissions = {"view": INSPECTORS, "add": TEAM_AND_OFFICE, "change": TEAM_AND_OFFICE}

    def scope(self, user, queryset):
        return _scope_by_round(user, queryset)


@access.register
class InfoRequestPolicy(access.Policy):
    model = InfoRequest
    permissions = {"view": INSPECTORS, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        if user.role in TEAM:
            return queryset.filter(team_scope(user).covers(round="round_id", unit="unit_id"))
        return _scope_by_round(user, queryset)


@access.register
class MaterialItemPolicy(access.Policy):
    model = MaterialItem
    permissions = {"view": INSPECTORS, "add": TEAM_AND_OFFICE, "change": TEAM_AND_OFFICE}

    def scope(self, user, queryset):
        if user.role in TEAM:
            return queryset.filter(team_scope(user).covers(round="round_id", unit="unit_id"))
        return _scope_by_round(user, queryset)


@access.register
class DefaultMaterialItemPolicy(access.Policy):
    model = DefaultMaterialItem
    permissions = {"view": OVERSIGHT, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(jurisdiction_id=user.jurisdiction_id)


@access.register
class PetitionPolicy(access.Policy):
    model = Petition
    secret = True
    permissions = {"view": INSPECTORS, "add": TEAM_AND_OFFICE, "change": TEAM_AND_OFFICE}

    def scope(self, user, queryset):
        return _scope_by_round(user, queryset)


@access.register
class InquiryPolicy(access.Policy):
    model = Inquiry
    secret = True
    permissions = {"view": INSPECTORS, "add": TEAM_AND_OFFICE, "change": TEAM_AND_OFFICE}

    def scope(self, user, queryset):
        return _scope_by_round(user, queryset)


@access.register
class InterviewPolicy(access.Policy):
    """Interview contents are secret (DOMAIN.md): every read is logged, outsiders get 404. The counts per unit
    (`selectors.interview_counts_by_unit`) are no content and feed the report."""

    model = Interview
    secret = True
    permissions = {"view": INSPECTORS, "add": TEAM_AND_OFFICE, "change": TEAM_AND_OFFICE}

    def scope(self, user, queryset):
        return _scope_by_round(user, queryset)


@access.register
class CadreEvaluationPolicy(access.Policy):
    model = CadreEvaluation
    permissions = {"view": OVERSIGHT, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(membership__team__round__jurisdiction_id=user.jurisdiction_id)
