"""Factories for rectification tests. Rounds and findings records are built directly (read-only for us)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from findings.models import Category, Finding, FindingStatus
from rectification.models import Feedback, PlanStatus, ProblemItem, RectificationPlan, Task, TaskKind
from rounds.models import Plan, Round, Team, TeamUnit
from tests.factories import JurisdictionFactory, UnitFactory, UserFactory


class TermPlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = "2021—2025年巡察工作规划"
    start_year = 2021
    end_year = 2025


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    plan = factory.SubFactory(TermPlanFactory, jurisdiction=factory.SelfAttribute("..jurisdiction"))
    number = factory.Sequence(lambda n: n + 1)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=120))
    end_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))


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


def leaf_category() -> Category:
    area, _ = Category.objects.get_or_create(code="T9", defaults={"level": 1, "name": "测试领域"})
    aspect, _ = Category.objects.get_or_create(code="T9.1", defaults={"level": 2, "name": "测试方面", "parent": area})
    leaf, _ = Category.objects.get_or_create(
        code="T9.1.1", defaults={"level": 3, "name": "测试具体表现", "parent": aspect}
    )
    return leaf


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    round = factory.SelfAttribute("team.round")
    jurisdiction = factory.SelfAttribute("team.round.jurisdiction")
    team = factory.SubFactory(TeamFactory)
    unit = factory.SubFactory(UnitFactory)
    category = factory.LazyFunction(leaf_category)
    title = factory.Sequence(lambda n: f"公务接待超标准问题{n}")
    facts = "2023年共有12批次公务接待超出标准。"
    basis = "《党政机关国内公务接待管理规定》第九条"
    status = FindingStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)


def make_feedback(*, jurisdiction, unit=None, findings=2, held_days_ago=10, plan_status=PlanStatus.DRAFT, round=None):
    """A unit fed back in a round (by default in rectification, as a fed-back round is): team, approved findings,
    feedback, problem list and a plan."""
    team_unit = TeamUnitFactory(
        team__round=round or RoundFactory(jurisdiction=jurisdiction, phase="rectification"),
        **({"unit": unit} if unit else {}),
    )
    found = [FindingFactory(team=team_unit.team, unit=team_unit.unit) for _ in range(findings)]
    held_on = timezone.localdate() - timedelta(days=held_days_ago)
    feedback = Feedback.objects.create(
        round=team_unit.round,
        unit=team_unit.unit,
        jurisdiction=jurisdiction,
        held_on=held_on,
        place="单位三楼会议室",
        attendees="单位领导班子成员",
        letter_number="清巡反〔2026〕1号",
        plan_due_on=held_on + timedelta(days=jurisdiction.plan_due_days),
        report_due_on=held_on + timedelta(days=jurisdiction.report_due_days),
        created_by=UserFactory(jurisdiction=jurisdiction),
    )
    for position, finding in enumerate(found, start=1):
        ProblemItem.objects.create(feedback=feedback, finding=finding, position=position)
    plan = RectificationPlan.objects.create(
        feedback=feedback,
        content="一、总体要求……",
        status=plan_status,
        accepted_at=timezone.now() if plan_status == PlanStatus.ACCEPTED else None,
    )
    return feedback, plan, found


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    jurisdiction = factory.LazyAttribute(lambda o: o.plan.feedback.jurisdiction)
    measures = "制定公务接待管理办法，清退超标准费用。"
    responsible_leader = "王副局长"
    responsible_department = "办公室"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    kind = TaskKind.TIME_LIMITED
