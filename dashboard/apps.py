from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "首页与统计"

    def ready(self):
        from inspection.core import navigation

        from .roles import ALL_ROLES

        navigation.register("首页", "home", ALL_ROLES, order=0, icon="house")
