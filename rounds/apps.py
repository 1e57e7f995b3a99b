from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = "巡察规划与轮次"

    def ready(self):
        from inspection.accounts.roles import INSPECTORS, OVERSIGHT, TEAM
        from inspection.core import navigation, sensitive_names, team_scope

        from . import (
            permissions,  # noqa: F401 - registers the access policies
            selectors,
            sensitive,
        )

        # The one team scope: every app (units below, findings, referrals, rectification above) asks
        # `inspection.core.team_scope`, which this answers from the teams, places and assignments.
        team_scope.register(selectors.TeamScopeProvider())
        # Petitioners' names are kept out of public texts (整改公开), which higher apps write.
        sensitive_names.register(sensitive.petition_names)

        navigation.register("巡察规划", "rounds:plan_list", OVERSIGHT, order=20, icon="map")
        navigation.register("巡察轮次", "rounds:round_list", INSPECTORS, order=21, icon="flag")
        navigation.register("本组工作", "rounds:my_team", TEAM, order=22, icon="people-fill")
        navigation.register("过问登记", "rounds:inquiry_overview", OVERSIGHT, order=23, icon="telephone-inbound")
