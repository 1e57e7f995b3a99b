from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "首页与统计"

    def ready(self):
        from inspection.accounts.roles import OVERSIGHT
        from inspection.core import navigation
        from inspection.exports import registry

        from . import permissions  # noqa: F401 - registers the roll-up's access policy
        from .documents import DOCUMENTS
        from .roles import ALL_ROLES

        navigation.register("首页", "home", ALL_ROLES, order=0, icon="house")
        navigation.register("统计分析", "dashboard:figures", OVERSIGHT, order=60, icon="bar-chart-line")
        navigation.register("下级汇总", "dashboard:rollup", OVERSIGHT, order=61, icon="diagram-3")
        for code, title, model, render in DOCUMENTS:
            registry.register(code, title=title, model=model, render=render)
