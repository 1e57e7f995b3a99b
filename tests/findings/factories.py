"""Findings test factories. Round/team factories are local so these tests do not wait on tests/rounds."""

import datetime

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from findings.models import Attachment, Category, Finding, WorkingPaper
from inspection.accounts.models import Role
from rounds.models import Membership, Phase, Plan, Round, Team, TeamUnit
from tests.factories import CadreFactory, JurisdictionFactory, UnitFactory, UserFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"2021—2025年巡察规划{n}")
    start_year = 2021
    end_year = 2025


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    plan = factory.SubFactory(PlanFactory, jurisdiction=factory.SelfAttribute("..jurisdiction"))
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2026, 10, 31)
    phase = Phase.ONSITE


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}巡察组")


class TeamUnitFactory(DjangoModelFactory):
    class Meta:
        model = TeamUnit

    team = factory.SubFactory(TeamFactory)
    round = factory.SelfAttribute("team.round")
    unit = factory.SubFactory(UnitFactory, jurisdiction=factory.SelfAttribute("..team.round.jurisdiction"))


def manifestation(code="3.3.1") -> Category:
    """A seeded level-3 category (the data migration loads the default checklist)."""
    return Category.objects.get(code=code, owner__isnull=True)


def join_team(user, team, position=Membership.Position.MEMBER):
    cadre = CadreFactory(jurisdiction=team.round.jurisdiction, user=user, name=user.display_name)
    return Membership.objects.create(
        team=team, cadre=cadre, position=position, start_date=team.round.start_date, end_date=team.round.end_date
    )


def team_user(team, role=Role.TEAM_MEMBER, **fields):
    user = UserFactory(role=role, jurisdiction=team.round.jurisdiction, **fields)
    position = Membership.Position.LEADER if role == Role.TEAM_LEADER else Membership.Position.MEMBER
    join_team(user, team, position)
    return user


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    class Params:
        team_unit = factory.SubFactory(TeamUnitFactory)

    round = factory.SelfAttribute("team_unit.round")
    jurisdiction = factory.SelfAttribute("team_unit.round.jurisdiction")
    team = factory.SelfAttribute("team_unit.team")
    unit = factory.SelfAttribute("team_unit.unit")
    category = factory.LazyFunction(manifestation)
    title = factory.Sequence(lambda n: f"测试问题{n}")
    facts = "2025年度该单位存在相关问题，经查阅凭证核实。"
    basis = "《中国共产党纪律处分条例》第一百零六条"
    created_by = factory.SubFactory(UserFactory, role=Role.TEAM_MEMBER)


class WorkingPaperFactory(DjangoModelFactory):
    class Meta:
        model = WorkingPaper

    finding = factory.SubFactory(FindingFactory)
    description = "问题描述"


PDF = b"%PDF-1.4\n%%EOF\n"


def stored_attachment(finding, uploaded_by, original_name="凭证.pdf") -> Attachment:
    """An evidence file as `services.attachment_add` stores it, without the upload checks (MEDIA_ROOT is the test's)."""
    return Attachment.objects.create(
        finding=finding, file=ContentFile(PDF, name="evidence.pdf"), original_name=original_name,
        content_type="application/pdf", extension=".pdf", size=len(PDF), sha256="0" * 64, uploaded_by=uploaded_by,
    )
