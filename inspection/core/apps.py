from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inspection.core"
    label = "core"
    verbose_name = "基础"
