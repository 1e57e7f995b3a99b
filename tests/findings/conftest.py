import pytest

from inspection.accounts.models import Role

from .factories import TeamUnitFactory, team_user


@pytest.fixture
def team_unit(jurisdiction):
    return TeamUnitFactory(team__round__jurisdiction=jurisdiction, unit__name="清河县财政局")


@pytest.fixture
def member(team_unit):
    return team_user(team_unit.team, Role.TEAM_MEMBER, username="member", display_name="李组员")


@pytest.fixture
def other_member(team_unit):
    return team_user(team_unit.team, Role.TEAM_MEMBER, username="member2", display_name="赵组员")


@pytest.fixture
def leader(team_unit):
    return team_user(team_unit.team, Role.TEAM_LEADER, username="leader", display_name="王组长")


@pytest.fixture
def other_team_unit(team_unit):
    return TeamUnitFactory(team__round=team_unit.round, unit__name="清河县教育局")


@pytest.fixture
def outsider(other_team_unit):
    """A member of another team of the same round."""
    return team_user(other_team_unit.team, Role.TEAM_MEMBER, username="outsider", display_name="外组组员")
