from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "findings"
    verbose_name = "巡察发现问题"

    def ready(self):
        from inspection.accounts.roles import INSPECTORS, OFFICE, RECEIVERS
        from inspection.core import navigation

        from . import permissions  # noqa: F401 - registers the access policies

        navigation.register("问题清单", "findings:finding_list", INSPECTORS | RECEIVERS, order=30, icon="list-check")
        navigation.register("问题分类", "findings:category_list", OFFICE, order=31, icon="diagram-3")
