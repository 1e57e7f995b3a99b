"""Back-office view for the superuser: read-only where a status or a computed figure lives (they move only
through the services), and nothing is deleted. The reminder schedule itself is edited under
“周期任务” (django-celery-beat)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Disclosure,
    Evaluation,
    EvaluationWeights,
    Feedback,
    LookbackCheck,
    PlanReminder,
    Progress,
    RectificationPlan,
    RectificationReport,
    ReportReminder,
    Task,
    TaskReminder,
    TaskReopening,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["unit", "round", "held_on", "letter_number", "plan_due_on", "report_due_on"]
    list_filter = ["jurisdiction"]
    list_select_related = ["unit", "round__plan"]
    search_fields = ["unit__name", "letter_number"]


@admin.register(RectificationPlan)
class RectificationPlanAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "status", "submitted_at", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["feedback__unit", "feedback__round__plan"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "finding", "kind", "deadline", "status", "closed_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["finding"]
    search_fields = ["finding__title", "responsible_department"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["task", "reported_on", "money_recovered", "rules_established_count", "people_held_accountable"]
    list_select_related = ["task__finding"]


@admin.register(TaskReminder)
class TaskReminderAdmin(ReadOnlyAdmin):
    list_display = ["task", "stage", "deadline", "sent_on"]
    list_filter = ["stage", "sent_on"]
    list_select_related = ["task__finding"]


@admin.register(PlanReminder)
class PlanReminderAdmin(ReadOnlyAdmin):
    list_display = ["plan", "stage", "sent_on"]
    list_filter = ["stage", "sent_on"]
    list_select_related = ["plan__feedback__unit"]


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "stage", "sent_on"]
    list_filter = ["stage", "sent_on"]
    list_select_related = ["feedback__unit", "feedback__round__plan"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["title", "published_at"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "total", "grade", "evaluated_at"]
    list_select_related = ["feedback__unit", "feedback__round__plan"]


@admin.register(EvaluationWeights)
class EvaluationWeightsAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "self_weight", "public_weight", "supervision_weight", "onsite_weight"]


@admin.register(LookbackCheck)
class LookbackCheckAdmin(ReadOnlyAdmin):
    list_display = ["lookback_round", "task", "is_fixed", "checked_at"]
    list_select_related = ["lookback_round__plan", "task__finding"]


@admin.register(TaskReopening)
class TaskReopeningAdmin(ReadOnlyAdmin):
    list_display = ["task", "previous_deadline", "deadline", "reopened_by", "reopened_at"]
    list_select_related = ["task__finding", "reopened_by"]


@admin.register(RectificationReport)
class RectificationReportAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "status", "first_submitted_at", "is_late", "submission_count", "accepted_at"]
    list_filter = ["status", "is_late"]
    list_select_related = ["feedback__unit", "feedback__round__plan"]
