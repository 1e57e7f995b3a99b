"""Back-office admin: a read-only view of the rounds records for the superuser.

Every write of this app has rules (numbering, phase table, recusal checks, overlap, secrecy logging), so
writes go through the pages and the API, which call `rounds.services`; nothing is deleted here either.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspection.core.admin_mixins import ReadOnlyAdminMixin, SecretRecordAdmin

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
    PhaseChange,
    Plan,
    RecusalCheck,
    Round,
    Team,
    TeamUnit,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


class ReadOnlyPlainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """For the rows that keep no django-simple-history (phase changes are history themselves)."""


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "jurisdiction", "start_year", "end_year"]
    list_filter = ["jurisdiction"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "start_date", "end_date", "phase"]
    list_filter = ["jurisdiction", "phase", "kind"]
    list_select_related = ["plan"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "round"]
    list_select_related = ["round__plan"]


@admin.register(RecusalCheck)
class RecusalCheckAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "team", "stage", "trigger", "result", "checked_at"]
    list_filter = ["result", "stage"]
    list_select_related = ["cadre", "team__round"]


# Secret records (see `inspection.core.admin_mixins`): what a record is, never who or what it says.
@admin.register(Petition)
class PetitionAdmin(SecretRecordAdmin):
    list_display = ["__str__", "round", "channel", "conclusion"]
    list_select_related = ["round__plan"]
    shown_fields = ("round", "team", "unit", "channel", "received_on", "conclusion")


@admin.register(Inquiry)
class InquiryAdmin(SecretRecordAdmin):
    list_display = ["__str__", "round", "manner"]
    list_select_related = ["round__plan"]
    shown_fields = ("round", "team", "asked_on", "manner")


@admin.register(Interview)
class InterviewAdmin(SecretRecordAdmin):
    list_display = ["__str__", "round", "unit"]
    list_select_related = ["round__plan", "unit"]
    shown_fields = ("round", "team", "unit", "held_on")


@admin.register(TeamUnit)
class TeamUnitAdmin(ReadOnlyAdmin):
    list_display = ["unit", "team", "round", "withdrawn_at", "withdrawal_reason"]
    list_select_related = ["unit", "team", "round__plan"]

    def get_queryset(self, request):
        # Withdrawn assignments too: the admin shows every row the pages keep.
        return TeamUnit.all_objects.select_related(*self.list_select_related)


for model in (Membership, Announcement, InfoRequest, MaterialItem, CadreEvaluation):
    admin.site.register(model, ReadOnlyAdmin)
admin.site.register(PhaseChange, ReadOnlyPlainAdmin)


@admin.register(DefaultMaterialItem)
class DefaultMaterialItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jurisdiction", "order", "is_active"]
    list_filter = ["jurisdiction", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False
