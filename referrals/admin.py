"""Admin: read-only. Status fields move only through services, and nothing is deleted.

Leads, batches, dispositions and results are secret: their admin (`inspection.core.admin_mixins`) shows numbers,
dates and statuses, never a subject's name, a summary, a note or the letter.
"""

from django.contrib import admin

from inspection.core.admin_mixins import ReadOnlyAdminMixin, SecretRecordAdmin

from .models import Disposition, Lead, LeadStatusChange, Referral, ReferralStatusChange, Result


@admin.register(Lead)
class LeadAdmin(SecretRecordAdmin):
    list_display = ["__str__", "round", "source", "status", "referral"]
    list_filter = ["status", "source"]
    list_select_related = ["round__plan", "referral"]
    shown_fields = ("round", "team", "unit", "source", "status", "referral", "referred_at", "received_at",
                    "disposition_due_on", "disposed_at", "concluded_at", "withdrawn_at", "created_by", "created_at")


@admin.register(Referral)
class ReferralAdmin(SecretRecordAdmin):
    list_display = ["letter_number", "receiving_body", "letter_date", "status"]
    list_filter = ["status", "receiving_body"]
    list_select_related = ["receiving_body"]
    shown_fields = ("receiving_body", "letter_number", "letter_date", "status", "sent_at", "signed_at", "signed_by",
                    "created_by", "created_at")


@admin.register(Disposition)
class DispositionAdmin(SecretRecordAdmin):
    list_display = ["lead", "kind", "decided_on", "recorded_by"]
    list_select_related = ["lead", "recorded_by"]
    shown_fields = ("lead", "kind", "decided_on", "recorded_by", "recorded_at")


@admin.register(Result)
class ResultAdmin(SecretRecordAdmin):
    list_display = ["lead", "kind", "people_count", "money_recovered"]
    list_select_related = ["lead"]
    shown_fields = ("lead", "kind", "people_count", "money_recovered", "recorded_by", "recorded_at")


@admin.register(LeadStatusChange)
class LeadStatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["lead", "from_status", "to_status", "actor", "at"]
    list_select_related = ["lead", "actor"]
    # The reason is free text that may name the subject: not shown here.
    fields = ["lead", "from_status", "to_status", "actor", "at"]
    readonly_fields = fields


@admin.register(ReferralStatusChange)
class ReferralStatusChangeAdmin(LeadStatusChangeAdmin):
    list_display = ["referral", "from_status", "to_status", "actor", "at"]
    list_select_related = ["referral", "actor"]
    fields = ["referral", "from_status", "to_status", "actor", "at"]
    readonly_fields = fields
