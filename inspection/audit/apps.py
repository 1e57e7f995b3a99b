from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "inspection.audit"
    label = "audit"
    verbose_name = "安全审计"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save
        from simple_history.signals import post_create_historical_record

        from inspection.accounts.models import Role
        from inspection.core import navigation

        from . import permissions, receivers  # noqa: F401  (registers the access policy)

        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="audit.login")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="audit.logout")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="audit.login_failed")
        user_locked_out.connect(receivers.on_locked_out, dispatch_uid="audit.locked_out")
        post_create_historical_record.connect(receivers.on_history_row, dispatch_uid="audit.history")
        post_save.connect(receivers.on_status_change_row, dispatch_uid="audit.status_change")
        navigation.register("安全审计", "audit:event_list", {Role.AUDIT_ADMIN}, order=90, icon="shield-check")
