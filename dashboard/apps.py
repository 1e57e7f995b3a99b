from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "首页与统计"

    def ready(self):
        from inspection.accounts.roles import OVERSIGHT
        from inspection.core import navigation
        from inspection.exports import registry

        from .documents import DOCUMENTS
        from .roles import ALL_ROLES

        navigation.register("首页", "home", ALL_ROLES, order=0, icon="house")
        navigation.register("统计分析", "dashboard:figures", OVERSIGHT, order=60, icon="bar-chart-line")
        for code, title, model, render in DOCUMENTS:
            registry.register(code, title=title, model=model, render=render)
