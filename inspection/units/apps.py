from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "inspection.units"
    label = "units"
    verbose_name = "被巡察单位与巡察干部"

    def ready(self):
        from inspection.accounts.roles import ALL, OVERSIGHT, TEAM
        from inspection.core import navigation

        from . import permissions  # noqa: F401 - registers the access policies

        navigation.register("被巡察单位", "units:unit_list", ALL - {"unit_liaison"}, order=10, icon="building")
        navigation.register("巡察干部", "units:cadre_list", OVERSIGHT | TEAM, order=11, icon="people")
