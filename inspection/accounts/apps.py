from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspection.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session_at_login

        user_logged_in.connect(stamp_session_at_login, dispatch_uid="accounts.stamp_session_at_login")
