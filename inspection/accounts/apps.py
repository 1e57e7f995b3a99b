from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspection.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from inspection.core import navigation

        from . import permissions  # noqa: F401 - registers the access policies
        from .middleware import stamp_session_at_login
        from .models import Role

        navigation.register("账号管理", "accounts:user_list", {Role.SYSTEM_ADMIN}, order=90, icon="people")
        navigation.register("授权审批", "accounts:grant_list", {Role.SECURITY_ADMIN}, order=91, icon="shield-check")

        user_logged_in.connect(stamp_session_at_login, dispatch_uid="accounts.stamp_session_at_login")
