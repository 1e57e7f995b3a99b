"""Who may see and do what in rectification.

Office and leading group: their jurisdiction. Discipline and organization: read-only oversight of their
jurisdiction. Teams: the rectification of the units their team inspected in the feedback's round, and a look-back
team that of the units it revisits, until that round is completed (`rounds.workflow.FOLLOW_UP_PHASES`): the same
scope lets them see and verify or close (销号) the tasks. Unit liaison: their own unit only, and only once the
feedback has been held.
"""

from django.utils import timezone

from inspection.accounts.models import Role
from inspection.accounts.roles import OFFICE, OVERSIGHT, RECEIVERS, TEAM
from inspection.core import access
from inspection.core.team_scope import team_scope
from rounds.workflow import FOLLOW_UP_PHASES, LIAISON_PHASES

from .models import (
    Disclosure,
    Evaluation,
    EvaluationWeights,
    Evidence,
    Feedback,
    LookbackCheck,
    PlanReminder,
    Progress,
    RectificationPlan,
    RectificationReport,
    ReportAttachment,
    ReportReminder,
    Task,
    TaskReminder,
)
from .workflow import PLAN_TABLE, REPORT_TABLE, TASK_TABLE

LIAISON = frozenset({Role.UNIT_LIAISON})
VERIFIERS = OFFICE | TEAM
READERS = OVERSIGHT | RECEIVERS | TEAM | LIAISON


def team_follow_up(user, feedback_path: str = ""):
    """The filter a team role's rectification rows pass, through the path from the row to its Feedback: the team
    of the feedback's round has the unit, or a look-back team of that round has it; active place, assignment in
    force, that team's round not completed."""
    prefix = f"{feedback_path}__" if feedback_path else ""
    scope = team_scope(user, phases=FOLLOW_UP_PHASES)
    where = {"round": f"{prefix}round_id", "unit": f"{prefix}unit_id"}
    return scope.covers(**where) | scope.revisits(**where)


def scope_by_feedback(user, queryset, feedback_path: str):
    """Scope any rectification record through the path from it to its Feedback ("" for Feedback itself)."""
    prefix = f"{feedback_path}__" if feedback_path else ""
    if user.role in OVERSIGHT | RECEIVERS:
        return queryset.filter(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
    if user.role in TEAM:
        return queryset.filter(team_follow_up(user, feedback_path))
    if user.role == Role.UNIT_LIAISON and user.unit_id:
        # The round's phase too: a feedback recorded too early (before feedback_record checked the phase) must
        # not show the unit its problem list while the round is still on site.
        return queryset.filter(
            **{f"{prefix}unit_id": user.unit_id, f"{prefix}held_on__lte": timezone.localdate(),
               f"{prefix}round__phase__in": LIAISON_PHASES}
        )
    return queryset.none()


@access.register
class FeedbackPolicy(access.Policy):
    model = Feedback
    # add_problem: a finding approved after the feedback joins the problem list (services.problem_item_add).
    permissions = {"view": READERS, "add": OFFICE, "change": OFFICE, "add_problem": OFFICE, "export": OVERSIGHT}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "")


@access.register
class RectificationPlanPolicy(access.Policy):
    model = RectificationPlan
    permissions = {
        "view": READERS,
        "change": LIAISON,
        "add_task": LIAISON,
        "transition": LIAISON | OFFICE,
    }

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "feedback")

    def check_object(self, user, action, obj):
        if action == "transition":
            return bool(PLAN_TABLE.moves_for(obj.status, user))
        return True


@access.register
class RectificationReportPolicy(access.Policy):
    """The unit writes its own report (scope: its unit, after feedback); the office and the leading group of
    the jurisdiction review it; discipline, organization and the teams read it as they read rectification."""

    model = RectificationReport
    permissions = {
        "view": READERS,
        "add": LIAISON,
        "change": LIAISON,
        "transition": LIAISON | OVERSIGHT,
    }

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "feedback")

    def check_object(self, user, action, obj):
        if action == "transition":
            return bool(REPORT_TABLE.moves_for(obj.status, user))
        return True


@access.register
class ReportAttachmentPolicy(access.Policy):
    model = ReportAttachment
    permissions = {"view": READERS}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "report__feedback")


@access.register
class TaskPolicy(access.Policy):
    model = Task
    permissions = {
        "view": READERS,
        "add": LIAISON,
        "change": LIAISON,
        "report_progress": LIAISON,
        "transition": LIAISON | VERIFIERS,
        "export": OVERSIGHT,
    }

    def scope(self, user, queryset):
        if user.role in OVERSIGHT | RECEIVERS:
            return queryset.filter(jurisdiction_id=user.jurisdiction_id)
        return scope_by_feedback(user, queryset, "plan__feedback")

    def check_object(self, user, action, obj):
        if action == "transition":
            return bool(TASK_TABLE.moves_for(obj.status, user))
        return True


@access.register
class ProgressPolicy(access.Policy):
    model = Progress
    permissions = {"view": READERS, "add": LIAISON}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "task__plan__feedback")


@access.register
class EvidencePolicy(access.Policy):
    model = Evidence
    permissions = {"view": READERS}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "progress__task__plan__feedback")


@access.register
class TaskReminderPolicy(access.Policy):
    model = TaskReminder
    permissions = {"view": READERS}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "task__plan__feedback")


@access.register
class PlanReminderPolicy(access.Policy):
    model = PlanReminder
    permissions = {"view": READERS}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "plan__feedback")


@access.register
class ReportReminderPolicy(access.Policy):
    model = ReportReminder
    permissions = {"view": READERS}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "feedback")


@access.register
class DisclosurePolicy(access.Policy):
    model = Disclosure
    permissions = {"view": OVERSIGHT | RECEIVERS | LIAISON, "add": OFFICE, "change": OFFICE, "publish": OFFICE}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "feedback")


@access.register
class EvaluationPolicy(access.Policy):
    model = Evaluation
    permissions = {"view": OVERSIGHT | RECEIVERS | LIAISON, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "feedback")


@access.register
class EvaluationWeightsPolicy(access.Policy):
    model = EvaluationWeights
    permissions = {"view": OVERSIGHT, "change": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(jurisdiction_id=user.jurisdiction_id)


@access.register
class LookbackCheckPolicy(access.Policy):
    model = LookbackCheck
    permissions = {"view": OVERSIGHT | RECEIVERS | TEAM, "add": OFFICE | TEAM}

    def scope(self, user, queryset):
        return scope_by_feedback(user, queryset, "task__plan__feedback")


