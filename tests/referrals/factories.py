"""Factories for referrals tests. Rounds and findings objects are made here too (read-only use of their
models), so these tests do not depend on the other apps' test helpers."""

import datetime

import factory
from factory.django import DjangoModelFactory

from findings.models import Category, Finding, FindingStatus
from referrals.models import Lead, LeadSource
from rounds.models import Membership, Petition, Plan, Round, Team
from tests.factories import CadreFactory, JurisdictionFactory, UnitFactory, UserFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"十五届县委巡察规划{n}")
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


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"第{n}巡察组")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    cadre = factory.SubFactory(CadreFactory, jurisdiction=factory.SelfAttribute("..team.round.jurisdiction"))
    position = Membership.Position.LEADER
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
    subject_person = "王某某"
    subject_post = "局长"
    summary = "反映王某某违规收受礼金"
    created_by = factory.SubFactory(UserFactory)


def manifestation():
    area, _ = Category.objects.get_or_create(code="T9", defaults={"level": 1, "name": "测试领域"})
    aspect, _ = Category.objects.get_or_create(code="T9.1", defaults={"level": 2, "name": "测试方面", "parent": area})
    leaf, _ = Category.objects.get_or_create(
        code="T9.1.1", defaults={"level": 3, "name": "测试具体表现", "parent": aspect}
    )
    return leaf


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    team = factory.SubFactory(TeamFactory)
    round = factory.SelfAttribute("team.round")
    jurisdiction = factory.SelfAttribute("team.round.jurisdiction")
    unit = factory.SubFactory(UnitFactory, jurisdiction=factory.SelfAttribute("..team.round.jurisdiction"))
    category = factory.LazyFunction(manifestation)
    title = factory.Sequence(lambda n: f"违规发放津补贴问题{n}")
    facts = "2025年违规发放津补贴12万元"
    basis = "《中国共产党纪律处分条例》"
    status = FindingStatus.APPROVED
    approved_at = factory.LazyFunction(lambda: datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    created_by = factory.SubFactory(UserFactory)


class LeadFactory(DjangoModelFactory):
    """A registered lead, made directly (services are tested on their own)."""

    class Meta:
        model = Lead

    round = factory.SubFactory(RoundFactory)
    jurisdiction = factory.SelfAttribute("round.jurisdiction")
    source = LeadSource.OTHER
    subject_name = factory.Sequence(lambda n: f"李{n}")
    subject_post = "副局长"
    subject_unit = "县住建局"
    summary = "反映其插手工程项目"
    created_by = factory.SubFactory(UserFactory)
