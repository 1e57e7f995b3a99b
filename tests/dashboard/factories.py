"""A small county built record by record, with a seeded random mix of every status the figures count."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from findings.models import Category, Finding, FindingStatus
from inspection.accounts.models import ReceivingBody
from inspection.units.models import Unit, UnitKind
from rectification.models import (
    Feedback,
    LookbackCheck,
    PlanStatus,
    ProblemItem,
    Progress,
    RectificationPlan,
    Task,
    TaskKind,
    TaskStatus,
)
from referrals.models import (
    Disposition,
    DispositionKind,
    Lead,
    LeadSource,
    LeadStatus,
    Referral,
    ReferralStatus,
    Result,
    ResultKind,
)
from rounds.models import (
    InfoRequest,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    Plan,
    Round,
    RoundKind,
    Team,
    TeamUnit,
)
from tests.factories import CadreFactory, UserFactory

KINDS = [UnitKind.COUNTY_DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.STATE_ENTERPRISE, UnitKind.SCHOOL]


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def checklist() -> list[Category]:
    """Two areas, three aspects, four manifestations (the leaves findings are filed under)."""
    leaves = []
    for a in range(1, 3):
        area, _ = Category.objects.get_or_create(code=f"D{a}", defaults={"level": 1, "name": f"测试领域{a}", "order": a})
        for b in range(1, 3 if a == 1 else 2):
            aspect, _ = Category.objects.get_or_create(
                code=f"D{a}.{b}", defaults={"level": 2, "name": f"测试方面{a}.{b}", "parent": area, "order": b}
            )
            for c in range(1, 3 if b == 1 else 2):
                leaf, _ = Category.objects.get_or_create(
                    code=f"D{a}.{b}.{c}",
                    defaults={"level": 3, "name": f"具体表现{a}.{b}.{c}", "parent": aspect, "order": c},
                )
                leaves.append(leaf)
    return leaves


@dataclass
class World:
    jurisdiction: object
    plans: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    units: list = field(default_factory=list)
    bodies: list = field(default_factory=list)


def build_world(jurisdiction, *, seed=7, today=None, units=12, per_round=4) -> World:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    world = World(jurisdiction)
    author = UserFactory(jurisdiction=jurisdiction, username=f"author{jurisdiction.pk}")
    leaves = checklist()
    world.bodies = [
        ReceivingBody.objects.get_or_create(jurisdiction=jurisdiction, name=name, defaults={"kind": kind})[0]
        for name, kind in ((f"中共{jurisdiction.name}纪委县监委", "discipline"), (f"中共{jurisdiction.name}委组织部", "organization"))
    ]
    world.units = [
        Unit.objects.create(jurisdiction=jurisdiction, name=f"{jurisdiction.name}单位{i}", kind=KINDS[i % len(KINDS)],
                            party_org_name=f"中共{jurisdiction.name}单位{i}党组")
        for i in range(units)
    ]
    old = Plan.objects.create(jurisdiction=jurisdiction, name="2016—2020年巡察规划", start_year=2016, end_year=2020)
    current = Plan.objects.create(jurisdiction=jurisdiction, name="2021—2025年巡察规划", start_year=2021, end_year=2026)
    old.units.set(world.units[:6])
    current.units.set(world.units[: units - 2])
    world.plans = [old, current]
    round_specs = [
        (old, 1, RoundKind.REGULAR, date(2019, 3, 1), Phase.COMPLETED),
        (current, 1, RoundKind.REGULAR, today - timedelta(days=400), Phase.RECTIFICATION),
        (current, 2, RoundKind.SPECIAL, today - timedelta(days=200), Phase.FEEDBACK),
        (current, 3, RoundKind.REGULAR, today - timedelta(days=20), Phase.ONSITE),
        (current, 4, RoundKind.LOOKBACK, today - timedelta(days=60), Phase.REPORT),
    ]
    letter = 0
    for plan, number, kind, start, phase in round_specs:
        round_ = Round.objects.create(
            jurisdiction=jurisdiction, plan=plan, number=number, kind=kind, start_date=start,
            end_date=start + timedelta(days=40), phase=phase,
        )
        world.rounds.append(round_)
        team = Team.objects.create(round=round_, name=f"第{number}巡察组")
        cadre = CadreFactory(jurisdiction=jurisdiction)
        Membership.objects.create(team=team, cadre=cadre, position=Membership.Position.LEADER,
                                  start_date=start, end_date=start + timedelta(days=40))
        chosen = rng.sample(world.units, per_round)
        if kind == RoundKind.LOOKBACK:
            # a look-back revisits units given feedback by the first round of the term
            first = world.rounds[1]
            chosen = [f.unit for f in Feedback.objects.filter(round=first)][:2] + rng.sample(world.units, 1)
            chosen = list(dict.fromkeys(chosen))
        for unit in chosen:
            TeamUnit.objects.create(team=team, round=round_, unit=unit)
            for i in range(rng.randint(0, 3)):
                Petition.objects.create(
                    round=round_, team=team, unit=unit, channel=rng.choice(Petition.Channel.values),
                    received_on=start + timedelta(days=i), is_anonymous=True, summary="反映违规发放津补贴",
                    conclusion=rng.choice(Petition.Conclusion.values), created_by=author,
                )
            for i in range(rng.randint(1, 3)):
                Interview.objects.create(round=round_, team=team, unit=unit, interviewee_name=f"谈话对象{i}",
                                         held_on=start + timedelta(days=i), interviewers="组长", created_by=author)
            for i in range(rng.randint(1, 4)):
                MaterialItem.objects.create(round=round_, unit=unit, order=i, name=f"资料{i}", requested_on=start,
                                            received_on=start + timedelta(days=2) if i % 2 else None)
            InfoRequest.objects.create(round=round_, unit=unit, recipient="audit", sent_on=start - timedelta(days=10),
                                       due_date=start, replied_on=start if rng.random() < 0.5 else None,
                                       created_by=author)
            findings = []
            for i in range(rng.randint(1, 5)):
                status = FindingStatus.APPROVED if rng.random() < 0.5 else rng.choice(FindingStatus.values)
                findings.append(Finding.objects.create(
                    round=round_, jurisdiction_id=round_.jurisdiction_id, team=team, unit=unit,
                    category=rng.choice(leaves),
                    title=f"{unit.name}问题{i}", facts="事实", basis="依据",
                    money_involved=Decimal(rng.randint(0, 5000)) if rng.random() < 0.5 else None,
                    fixed_on_site=rng.random() < 0.3, status=status, created_by=author,
                    approved_at=timezone.now() if status == FindingStatus.APPROVED else None,
                    withdrawn_at=timezone.now() if status == FindingStatus.WITHDRAWN else None,
                ))
            for _ in range(rng.randint(0, 3)):
                letter += 1
                _lead(rng, world, round_, team, unit, findings[0], author, letter)
            approved = [f for f in findings if f.status == FindingStatus.APPROVED]
            if phase in (Phase.FEEDBACK, Phase.RECTIFICATION, Phase.COMPLETED) and approved:
                _feedback(rng, round_, unit, approved, author, today)
    return world


def _lead(rng, world, round_, team, unit, finding, author, letter):
    status = rng.choice(LeadStatus.values)
    now = timezone.now()
    referral = None
    if status not in (LeadStatus.REGISTERED, LeadStatus.WITHDRAWN):
        referral = Referral.objects.create(
            jurisdiction=world.jurisdiction, receiving_body=rng.choice(world.bodies),
            letter_number=f"移〔2026〕{letter}号", letter_date=now.date(), title="问题线索移交函",
            status=ReferralStatus.SENT, sent_at=now, created_by=author,
        )
    received = status in (LeadStatus.RECEIVED, LeadStatus.DISPOSED, LeadStatus.CONCLUDED)
    disposed = status in (LeadStatus.DISPOSED, LeadStatus.CONCLUDED)
    lead = Lead.objects.create(
        jurisdiction=world.jurisdiction, round=round_, team=team, unit=unit, source=LeadSource.FINDING,
        finding=finding, subject_name=f"张某{letter}", subject_post="科长", summary="违规收受礼金", status=status,
        referral=referral, referred_at=now if referral else None, received_at=now if received else None,
        disposition_due_on=now.date() + timedelta(days=90) if received else None,
        disposed_at=now if disposed else None, concluded_at=now if status == LeadStatus.CONCLUDED else None,
        withdrawn_at=now if status == LeadStatus.WITHDRAWN else None, created_by=author,
    )
    if disposed:
        Disposition.objects.create(lead=lead, kind=rng.choice(DispositionKind.values), decided_on=now.date(),
                                   recorded_by=author)
        for kind in rng.sample(ResultKind.values, rng.randint(0, 3)):
            Result.objects.create(lead=lead, kind=kind, people_count=rng.randint(0, 3),
                                  money_recovered=Decimal(rng.randint(0, 20000)) / 4, recorded_by=author)
    return lead


def _feedback(rng, round_, unit, findings, author, today):
    held_on = round_.end_date + timedelta(days=10)
    feedback = Feedback.objects.create(
        round=round_, unit=unit, jurisdiction=round_.jurisdiction, held_on=held_on, place="会议室",
        attendees="班子成员", letter_number=f"巡反〔{held_on.year}〕{unit.pk}号",
        plan_due_on=held_on + timedelta(days=30), report_due_on=held_on + timedelta(days=60), created_by=author,
    )
    for position, finding in enumerate(findings, start=1):
        ProblemItem.objects.create(feedback=feedback, finding=finding, position=position)
    plan = RectificationPlan.objects.create(feedback=feedback, status=PlanStatus.ACCEPTED, accepted_at=timezone.now())
    for finding in findings:
        for _ in range(rng.choice([0, 1, 1, 2])):
            status = TaskStatus.CLOSED if rng.random() < 0.4 else rng.choice(TaskStatus.values)
            created = held_on + timedelta(days=rng.randint(0, 30))
            task = Task.objects.create(
                plan=plan, jurisdiction_id=feedback.jurisdiction_id, finding=finding, measures="整改措施", responsible_leader="李某", responsible_department="办公室",
                deadline=held_on + timedelta(days=rng.randint(10, 300)), kind=rng.choice(TaskKind.values), status=status,
                closed_at=aware(min(today, created + timedelta(days=rng.randint(5, 200))))
                if status == TaskStatus.CLOSED else None,
            )
            Task.objects.filter(pk=task.pk).update(created_at=aware(created))
            if rng.random() < 0.6:
                Progress.objects.create(
                    task=task, reported_on=created, description="已整改",
                    money_recovered=Decimal(rng.randint(0, 9000)) / 2, rules_established_count=rng.randint(0, 2),
                    people_held_accountable=rng.randint(0, 2), created_by=author,
                )
            if rng.random() < 0.3:
                lookback = Round.objects.filter(jurisdiction=round_.jurisdiction, kind=RoundKind.LOOKBACK).first()
                if lookback is None:
                    lookback = Round.objects.create(
                        jurisdiction=round_.jurisdiction, plan=round_.plan, number=90, kind=RoundKind.LOOKBACK,
                        start_date=today - timedelta(days=5), end_date=today, phase=Phase.PREPARATION,
                    )
                LookbackCheck.objects.create(lookback_round=lookback, task=task, is_fixed=rng.random() < 0.7,
                                             notes="核查", checked_by=author)
    return feedback
