from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inspection.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from . import schema  # noqa: F401  registers the OpenAPI extensions
