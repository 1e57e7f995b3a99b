"""Factories of the rounds app, on top of the foundation factories."""

import datetime

import factory
from factory.django import DjangoModelFactory

from inspection.units.models import Cadre
from rounds.models import Membership, Petition, Phase, Plan, Round, Team, TeamUnit
from tests.factories import CadreFactory, JurisdictionFactory, UnitFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"测试县委巡察规划{n}")
    start_year = 2022
    end_year = 2026


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    plan = factory.SubFactory(PlanFactory)
    jurisdiction = factory.SelfAttribute("plan.jurisdiction")
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2026, 3, 1)
    end_date = datetime.date(2026, 4, 30)
    phase = Phase.PREPARATION


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"第{n}巡察组")


class TeamUnitFactory(DjangoModelFactory):
    class Meta:
        model = TeamUnit

    team = factory.SubFactory(TeamFactory)
    round = factory.SelfAttribute("team.round")
    unit = factory.SubFactory(UnitFactory, jurisdiction=factory.SelfAttribute("..team.round.jurisdiction"))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    cadre = factory.SubFactory(CadreFactory, jurisdiction=factory.SelfAttribute("..team.round.jurisdiction"))
    position = Membership.Position.MEMBER
    start_date = factory.SelfAttribute("team.round.start_date")
    end_date = factory.SelfAttribute("team.round.end_date")


class PetitionFactory(DjangoModelFactory):
    class Meta:
        model = Petition

    team = factory.SubFactory(TeamFactory)
    round = factory.SelfAttribute("team.round")
    channel = Petition.Channel.LETTER
    received_on = datetime.date(2026, 3, 10)
    is_anonymous = True
    summary = "反映该单位违规发放津补贴"
    created_by = factory.SubFactory("tests.factories.UserFactory")


def leader_cadre(jurisdiction, **fields):
    return CadreFactory(jurisdiction=jurisdiction, pool=Cadre.Pool.LEADER, post="县委巡察组组长", **fields)


def talent_cadre(jurisdiction, **fields):
    return CadreFactory(jurisdiction=jurisdiction, pool=Cadre.Pool.TALENT, **fields)
