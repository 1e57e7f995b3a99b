"""Admin for accounts: users carry a role, a jurisdiction, and (by role) a unit or a receiving body."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, Jurisdiction, Notification, ReceivingBody, RoleGrant, User


class UserAddForm(AdminUserCreationForm):
    """Django's add form with its help in Chinese (part of it ships untranslated)."""

    HELP = {
        "username": "必填。150 个字符以内，只能包含字母、数字和 @ . + - _",
        "password1": "至少 8 位，不能全是数字，不能与用户名、姓名过于相似",
        "password2": "请再输入一次上面的密码，以便核对",
        "usable_password": "选择“否”则该账号不能用密码登录（例如仅作记录的账号）；日常请在系统内“账号管理”创建账号",
    }
    LABELS = {"usable_password": "允许密码登录"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text
        for name, text in self.LABELS.items():
            if name in self.fields:
                self.fields[name].label = text


class NoDeleteMixin:
    """People and offices are deactivated, never deleted: history and referrals point at them."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    add_form = UserAddForm
    list_display = ["username", "display_name", "role", "jurisdiction", "unit", "receiving_body", "is_active"]
    list_filter = ["role", "jurisdiction", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "email"]  # phone is encrypted (inspection.core.fields)
    list_select_related = ["jurisdiction", "unit", "receiving_body"]
    autocomplete_fields = ["unit", "receiving_body"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["display_name", "phone", "email"]}),
        ("角色与范围", {"fields": ["role", "jurisdiction", "unit", "receiving_body"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "must_change_password"]}),
        ("重要日期", {"fields": ["last_login", "date_joined", "password_changed_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2"]}),
        ("角色与范围", {"fields": ["display_name", "role", "jurisdiction", "unit", "receiving_body"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]

    def save_model(self, request, obj, form, change):
        # An account an administrator creates starts with a password someone else knows: changed at first login.
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)


@admin.register(Jurisdiction)
class JurisdictionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "office_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "office_name"]
    fieldsets = [
        (None, {"fields": ["name", "office_name", "level", "parent"]}),
        (
            "期限设置（天）",
            {
                "fields": [
                    "plan_due_days",
                    "report_due_days",
                    "immediate_fix_days",
                    "disposition_due_days",
                    "remind_before_days",
                    "escalate_after_days",
                ]
            },
        ),
    ]


@admin.register(ReceivingBody)
class ReceivingBodyAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "jurisdiction", "is_active"]
    list_filter = ["kind", "jurisdiction", "is_active"]
    search_fields = ["name"]
    list_select_related = ["jurisdiction"]


@admin.register(Notification)
class NotificationAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username", "user__display_name"]
    list_select_related = ["user"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


@admin.register(RoleGrant)
class RoleGrantAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Read-only: grants are requested and decided in the app (services), never edited here."""

    list_display = ["id", "user", "previous_role", "role", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "role"]
    list_select_related = ["user", "requested_by", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Read-only: tokens are issued by their owner and revoked by the owner or the security administrator in the
    app (accounts.tokens, audited), never edited here. The digest is not shown."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username", "user__display_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "device_id", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
