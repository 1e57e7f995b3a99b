import pytest

from inspection.accounts.models import Role
from rounds.models import Membership, Phase

from .factories import (
    PetitionFactory,
    PlanFactory,
    RoundFactory,
    TeamFactory,
    TeamUnitFactory,
    leader_cadre,
    talent_cadre,
)


@pytest.fixture
def scene(jurisdiction, office_user, make_user):
    """A round on site with two teams: team A (leader + member with logins), team B (a member with a login)."""
    round = RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction), phase=Phase.ONSITE)
    team_a = TeamFactory(round=round, name="第一巡察组")
    team_b = TeamFactory(round=round, name="第二巡察组")
    unit_a = TeamUnitFactory(team=team_a).unit
    unit_b = TeamUnitFactory(team=team_b).unit
    users = {
        "leader": make_user(Role.TEAM_LEADER, username="zuzhang"),
        "member": make_user(Role.TEAM_MEMBER, username="zuyuan"),
        "other_member": make_user(Role.TEAM_MEMBER, username="zuyuan_b"),
        "liaison": make_user(Role.UNIT_LIAISON, username="liaison", unit=unit_a),
        "leading": make_user(Role.LEADING_GROUP, username="leading"),
        "discipline": make_user(Role.DISCIPLINE, username="jiwei"),
        "office": office_user,
    }
    Membership.objects.create(team=team_a, cadre=leader_cadre(jurisdiction, user=users["leader"]), position="leader",
                              start_date=round.start_date, end_date=round.end_date)
    Membership.objects.create(team=team_a, cadre=talent_cadre(jurisdiction, user=users["member"]), position="member",
                              start_date=round.start_date, end_date=round.end_date)
    Membership.objects.create(team=team_b, cadre=talent_cadre(jurisdiction, user=users["other_member"]),
                              position="member", start_date=round.start_date, end_date=round.end_date)
    petition = PetitionFactory(team=team_a, unit=unit_a, created_by=users["member"])
    return {
        "round": round, "team_a": team_a, "team_b": team_b, "unit_a": unit_a, "unit_b": unit_b,
        "users": users, "petition": petition,
    }
