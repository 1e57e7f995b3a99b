"""Admin: read-mostly. Status fields move only through services, and nothing is deleted."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Disposition, Lead, LeadStatusChange, Referral, ReferralStatusChange, Result


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(NoDeleteAdmin):
    list_display = ["id", "subject_name", "subject_post", "round", "status", "referral"]
    list_filter = ["status", "source"]
    search_fields = ["subject_name", "summary"]
    raw_id_fields = ["round", "team", "unit", "finding", "petition", "referral", "created_by"]
    readonly_fields = ["status", "referral", "referred_at", "received_at", "disposition_due_on", "disposed_at",
                       "concluded_at", "withdrawn_at", "petition_conclusion", "petition_conclusion_text"]


@admin.register(Referral)
class ReferralAdmin(NoDeleteAdmin):
    list_display = ["letter_number", "title", "receiving_body", "letter_date", "status"]
    list_filter = ["status", "receiving_body"]
    readonly_fields = ["status", "sent_at", "signed_at", "signed_by", "letter_pdf", "letter_rendered_at"]
    raw_id_fields = ["created_by"]


@admin.register(Disposition)
class DispositionAdmin(NoDeleteAdmin):
    list_display = ["lead", "kind", "decided_on", "recorded_by"]
    readonly_fields = ["lead", "recorded_by"]


@admin.register(Result)
class ResultAdmin(NoDeleteAdmin):
    list_display = ["lead", "kind", "people_count", "money_recovered"]
    readonly_fields = ["lead", "recorded_by"]


@admin.register(LeadStatusChange)
class LeadStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["lead", "from_status", "to_status", "actor", "at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReferralStatusChange)
class ReferralStatusChangeAdmin(LeadStatusChangeAdmin):
    list_display = ["referral", "from_status", "to_status", "actor", "at"]
