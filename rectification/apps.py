from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = "整改跟踪"

    def ready(self):
        from inspection.accounts.models import Role
        from inspection.core import access, navigation

        from . import permissions  # noqa: F401 - registers the access policies
        from .need_to_know import findings_on_problem_lists

        # Overseers read the problem lists of the rectification they oversee (findings cannot import this app).
        access.register_need_to_know("findings", findings_on_problem_lists)

        navigation.register(
            "整改跟踪",
            "rectification:overview",
            {Role.OFFICE, Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION},
            order=50,
            icon="clipboard-check",
        )
        navigation.register("本单位整改", "rectification:my_unit", {Role.UNIT_LIAISON}, order=51, icon="list-check")
        navigation.register(
            "整改情况报告",
            "rectification:report_list",
            {Role.OFFICE, Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION},
            order=53,
            icon="file-earmark-check",
        )
        navigation.register(
            "回头看",
            "rectification:lookback_list",
            {Role.OFFICE, Role.LEADING_GROUP, Role.TEAM_LEADER, Role.TEAM_MEMBER},
            order=52,
            icon="arrow-counterclockwise",
        )
