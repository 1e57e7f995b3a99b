from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "inspection.audit"
    label = "audit"
    verbose_name = "保密查阅日志"
