from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspection.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from .middleware import mark_session_ended_at_logout, register_session_at_login

        user_logged_in.connect(register_session_at_login, dispatch_uid="accounts.register_session_at_login")
        user_logged_out.connect(mark_session_ended_at_logout, dispatch_uid="accounts.mark_session_ended_at_logout")

        from inspection.core import navigation

        from .models import Role

        navigation.register("安全策略", "accounts:security_policy", {Role.SECURITY_ADMIN}, order=90, icon="shield-lock")
