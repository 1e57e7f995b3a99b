"""The secret-read log can be read in the admin, never written: it is the evidence of who looked at what."""

from django.contrib import admin

from .models import ReadLog


@admin.register(ReadLog)
class ReadLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "user__display_name", "object_repr", "object_id"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
