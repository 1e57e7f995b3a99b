from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "inspection.exports"
    label = "exports"
    verbose_name = "生成文件"

    def ready(self):
        from . import permissions  # noqa: F401 - registers the access policy
