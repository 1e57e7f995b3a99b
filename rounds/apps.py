from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = "巡察规划与轮次"

    def ready(self):
        from inspection.accounts.roles import INSPECTORS, OVERSIGHT, TEAM
        from inspection.core import access, navigation, sensitive_names

        from . import (
            permissions,  # noqa: F401 - registers the access policies
            selectors,
            sensitive,
        )

        # Lower apps (units, and through them everything) ask for team scope by name.
        access.register_team_scope("units", selectors.team_unit_ids_for)
        access.register_team_scope("cadres", selectors.teammate_cadre_ids_for)
        # Petitioners' names are kept out of public texts (整改公开), which higher apps write.
        sensitive_names.register(sensitive.petition_names)

        navigation.register("巡察规划", "rounds:plan_list", OVERSIGHT, order=20, icon="map")
        navigation.register("巡察轮次", "rounds:round_list", INSPECTORS, order=21, icon="flag")
        navigation.register("本组工作", "rounds:my_team", TEAM, order=22, icon="people-fill")
        navigation.register("过问登记", "rounds:inquiry_overview", OVERSIGHT, order=23, icon="telephone-inbound")
