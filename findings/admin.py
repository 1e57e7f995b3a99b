"""Back-office admin: read-only views of findings and their evidence. Status and content change only through
the services (pages and API), so nothing here is editable or deletable."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspection.core.admin_mixins import ReadOnlyAdminMixin

from .models import (
    ApprovalMeeting,
    Attachment,
    Category,
    Finding,
    Hearing,
    RetiredCategory,
    StatusChange,
    ThirdPartyOpinion,
    WorkingPaper,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "owner", "order", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["owner"]


@admin.register(RetiredCategory)
class RetiredCategoryAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "category", "retired_by", "retired_at", "restored_by", "restored_at"]
    list_select_related = ["jurisdiction", "category", "retired_by", "restored_by"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "unit", "round", "team", "status", "fixed_on_site", "money_involved"]
    list_filter = ["status", "fixed_on_site"]
    search_fields = ["title"]
    list_select_related = ["unit", "round", "round__plan", "team", "team__round"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["finding", "from_status", "to_status", "actor", "at"]
    list_select_related = ["finding", "actor"]


for model in (WorkingPaper, Attachment, Hearing, ThirdPartyOpinion, ApprovalMeeting):
    admin.site.register(model, ReadOnlyAdmin)
