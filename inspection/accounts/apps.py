from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspection.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from inspection.core import navigation

        from . import permissions  # noqa: F401 - registers the access policies
        from .middleware import mark_session_ended_at_logout, register_session_at_login
        from .models import Role

        user_logged_in.connect(register_session_at_login, dispatch_uid="accounts.register_session_at_login")
        user_logged_out.connect(mark_session_ended_at_logout, dispatch_uid="accounts.mark_session_ended_at_logout")

        navigation.register("账号管理", "accounts:user_list", {Role.SYSTEM_ADMIN}, order=90, icon="people")
        navigation.register("授权审批", "accounts:grant_list", {Role.SECURITY_ADMIN}, order=91, icon="shield-check")
        navigation.register("安全策略", "accounts:security_policy", {Role.SECURITY_ADMIN}, order=92, icon="shield-lock")
        navigation.register("令牌管理", "accounts:api_token_oversight", {Role.SECURITY_ADMIN}, order=93, icon="key")
