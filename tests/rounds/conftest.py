import pytest

from inspection.accounts.models import Role
from rounds import services
from rounds.models import Membership, Phase, TeamUnit
from tests.factories import UnitFactory

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


@pytest.fixture
def prep(jurisdiction, office_user, make_user):
    """A round in preparation: 第一巡察组 (a leader and a member with logins) inspects 县财政局 and 县教育局;
    第二巡察组 (a member with a login) inspects 县审计局."""
    round = RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction), phase=Phase.PREPARATION)
    first = TeamFactory(round=round, name="第一巡察组")
    second = TeamFactory(round=round, name="第二巡察组")
    finance = UnitFactory(jurisdiction=jurisdiction, name="清河县财政局")
    education = UnitFactory(jurisdiction=jurisdiction, name="清河县教育局")
    audit = UnitFactory(jurisdiction=jurisdiction, name="清河县审计局")
    users = {
        "leader": make_user(Role.TEAM_LEADER, username="zuzhang"),
        "member": make_user(Role.TEAM_MEMBER, username="zuyuan"),
        "second_member": make_user(Role.TEAM_MEMBER, username="zuyuan_b"),
    }
    services.team_add_member(team=first, cadre=leader_cadre(jurisdiction, user=users["leader"]), position="leader", actor=office_user)
    member = services.team_add_member(
        team=first, cadre=talent_cadre(jurisdiction, user=users["member"], name="王建国"), position="member", actor=office_user
    )
    second_member = services.team_add_member(
        team=second, cadre=talent_cadre(jurisdiction, user=users["second_member"], name="李红梅"), position="member",
        actor=office_user,
    )
    for team, unit in ((first, finance), (first, education), (second, audit)):
        services.team_add_unit(team=team, unit=unit, actor=office_user)
    return {
        "round": round, "first": first, "second": second, "finance": finance, "education": education, "audit": audit,
        "users": users, "member": member, "second_member": second_member,
        "finance_tu": TeamUnit.objects.get(team=first, unit=finance),
    }


REASON = "第一巡察组组员王建国的配偶在县财政局任财务股股长（本人申请回避），经巡察办研究改由第二巡察组巡察"
