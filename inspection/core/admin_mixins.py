"""Back-office admin pieces shared by the apps: read-only admins, and the admin of secret records.

Secret records (petitions, inquiries, interviews, leads and their referrals): the admin belongs to the system
administrator, who never reads business records (三员分立), and its pages write no read-log rows. So the admin
of a secret model shows what a record is (its round, team, dates, status), never what it says: only
`shown_fields` appear on the list, the change page, the page of a historical version and in the history's
old → new changes; a change to any other field is listed with its label and "（保密，后台不显示）" instead of
its values, and so is the reason given for a change; nothing is searched. The admin is read-only: writes go
through the services, which apply the rules (and the pages, which log the reads).
"""

import dataclasses

from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

MASK = "（保密，后台不显示）"


class _MaskingHistoryHelper(HistoricalRecordContextHelper):
    def __init__(self, model, historical_record, *, shown_fields):
        super().__init__(model, historical_record)
        self.shown_fields = shown_fields

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        if change.field in self.shown_fields:
            return formatted
        return dataclasses.replace(formatted, old=MASK, new=MASK)


class ReadOnlyAdminMixin:
    """Nothing added, changed or deleted in the admin: records with rules are written through their services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SecretRecordAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    shown_fields: tuple[str, ...] = ()
    list_display = ["__str__"]
    history_list_display: list = []

    def get_fields(self, request, obj=None):
        return list(self.shown_fields)

    def get_readonly_fields(self, request, obj=None):
        # Read-only everywhere, the page of a historical version included (it builds its form itself).
        return list(self.shown_fields)

    def get_list_display(self, request):
        allowed = {"__str__", "id", *self.shown_fields}
        return [name for name in super().get_list_display(request) if name in allowed]

    def get_search_fields(self, request):
        return ()

    def get_history_list_display(self, request):
        return []

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            # A reason is free text typed with the change (a withdrawal, the results' note): it may name anyone.
            if record.history_change_reason:
                record.history_change_reason = MASK

    def get_historical_record_context_helper(self, request, historical_record):
        return _MaskingHistoryHelper(self.model, historical_record, shown_fields=set(self.shown_fields))
