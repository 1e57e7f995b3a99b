"""Demo data of the roll-up: the city 河阳市 above the demo county 清河县 and a second, smaller county 新河县 with
its own term plan, three rounds, findings, leads, feedback and rectification tasks (other figures than 清河县),
and the city office's login `shiban`. Called by `seed_demo` after the app seeds; then the counters are refreshed.

The second county's records are written directly (not through the services): it is background for the city's
figures, nobody of the demo works in it. Deterministic (`random.Random(2026)`); skipped once 新河县 exists.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from findings import selectors as findings_selectors
from findings.models import Finding, FindingStatus
from inspection.accounts.models import Jurisdiction, ReceivingBody, Role, User
from inspection.units.models import Unit, UnitKind
from rectification.models import (
    Feedback,
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
from rounds.models import Petition, Phase, Plan, Round, RoundKind, Team, TeamUnit

CITY = "河阳市"
CITY_OFFICE = "中共河阳市委巡察工作领导小组办公室"
COUNTY = "新河县"
COUNTY_OFFICE = "中共新河县委巡察工作领导小组办公室"
DEMO_COUNTY = "清河县"
PASSWORD = "Xuncha@2026"
CITY_LOGIN = ("shiban", "河阳市委巡察办 周敏")

UNITS = [
    ("县委办公室", UnitKind.COUNTY_DEPARTMENT), ("县财政局", UnitKind.COUNTY_DEPARTMENT),
    ("县教育局", UnitKind.COUNTY_DEPARTMENT), ("县自然资源局", UnitKind.COUNTY_DEPARTMENT),
    ("县住房和城乡建设局", UnitKind.COUNTY_DEPARTMENT), ("县农业农村局", UnitKind.COUNTY_DEPARTMENT),
    ("县卫生健康局", UnitKind.COUNTY_DEPARTMENT), ("县水利局", UnitKind.COUNTY_DEPARTMENT),
    ("新河镇", UnitKind.TOWNSHIP), ("荆家庄乡", UnitKind.TOWNSHIP), ("白神首乡", UnitKind.TOWNSHIP),
    ("西流乡", UnitKind.TOWNSHIP), ("寻寨镇", UnitKind.TOWNSHIP), ("仁让里乡", UnitKind.TOWNSHIP),
    ("县城市建设投资有限公司", UnitKind.STATE_ENTERPRISE), ("县第一中学", UnitKind.SCHOOL),
    ("县人民医院", UnitKind.HOSPITAL), ("县供销合作社", UnitKind.MASS_ORGANIZATION),
]
# (kind, topic, start, end, phase, units)
ROUNDS = [
    (RoundKind.REGULAR, "", date(2023, 4, 17), date(2023, 6, 9), Phase.COMPLETED, 5),
    (RoundKind.SPECIAL, "惠民惠农财政补贴资金", date(2024, 9, 9), date(2024, 10, 31), Phase.RECTIFICATION, 4),
    (RoundKind.REGULAR, "", date(2025, 10, 20), date(2025, 12, 12), Phase.RECTIFICATION, 4),
]
PROBLEMS = [
    ("落实党风廉政建设主体责任不到位，廉政风险排查流于形式", "《中国共产党问责条例》第七条"),
    ("违规发放津贴补贴", "《中国共产党纪律处分条例》第一百零四条"),
    ("工程项目未按规定公开招标", "《中华人民共和国招标投标法》第四条"),
    ("公务接待超标准、无公函", "《党政机关国内公务接待管理规定》第六条"),
    ("“三会一课”制度落实不经常", "《中国共产党支部工作条例（试行）》第十九条"),
    ("惠农补贴资金审核把关不严，存在虚报冒领", "《中国共产党纪律处分条例》第一百一十六条"),
    ("选人用人程序不规范，动议环节缺少记录", "《党政领导干部选拔任用工作条例》第十八条"),
    ("上轮巡察反馈问题整改不彻底", "《中国共产党巡视工作条例》第三十七条"),
]
SUBJECTS = [("王建华", "副局长"), ("刘志强", "镇党委委员"), ("张国庆", "村党支部书记"), ("赵立新", "科长"),
            ("孙卫东", "副经理"), ("李秀兰", "财务股股长")]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def seed(context: dict) -> dict:
    demo_county = Jurisdiction.objects.filter(name=DEMO_COUNTY).first()
    city, _ = Jurisdiction.objects.get_or_create(
        name=CITY, defaults={"office_name": CITY_OFFICE, "level": Jurisdiction.Level.CITY}
    )
    if demo_county is not None and demo_county.parent_id is None:
        demo_county.parent = city
        demo_county.save(update_fields=["parent"])
    username, display_name = CITY_LOGIN
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "role": Role.OFFICE, "jurisdiction": city}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    context.setdefault("users", {})[username] = user
    context["city"] = city
    if not Jurisdiction.objects.filter(name=COUNTY).exists():
        _seed_county(city, random.Random(2026), today=timezone.localdate())
    _read_older_notices(context.get("users", {}).values())
    return context


KEEP_UNREAD = 6


def _read_older_notices(users) -> None:
    """The demo's handoffs all notified someone (the services did): a user who has worked in the system has read
    the older ones, so each demo user keeps only its newest notices unread (the to-do list still holds the work)."""
    from inspection.accounts.services import notifications_mark_read

    for user in users:
        newest = list(user.notifications.order_by("-created_at", "-id").values_list("pk", flat=True)[:KEEP_UNREAD])
        notifications_mark_read(user=user, queryset=user.notifications.exclude(pk__in=newest))


def _seed_county(city, rng: random.Random, today: date) -> None:
    county = Jurisdiction.objects.create(
        name=COUNTY, office_name=COUNTY_OFFICE, level=Jurisdiction.Level.COUNTY, parent=city
    )
    author = User(username="xinhe_office", display_name="新河县委巡察办", role=Role.OFFICE, jurisdiction=county)
    author.set_unusable_password()
    author.save()
    bodies = [
        ReceivingBody.objects.create(jurisdiction=county, name="新河县纪委监委", kind=ReceivingBody.Kind.DISCIPLINE),
        ReceivingBody.objects.create(jurisdiction=county, name="新河县委组织部", kind=ReceivingBody.Kind.ORGANIZATION),
    ]
    units = [
        Unit.objects.create(jurisdiction=county, name=f"新河{name}" if name.startswith("县") else name, kind=kind,
                            party_org_name=f"中共新河{name}委员会" if name.startswith("县") else f"中共{name}委员会")
        for name, kind in UNITS
    ]
    plan = Plan.objects.create(jurisdiction=county, name="新河县委巡察规划（2022—2026年）", start_year=2022,
                               end_year=2026, notes="本届县委任期内巡察全覆盖。")
    plan.units.set(units)
    leaves = list(findings_selectors.manifestations_in_use(county.pk).order_by("id"))
    queue = units[:]
    rng.shuffle(queue)
    letter = 0
    for number, (kind, topic, start, end, phase, count) in enumerate(ROUNDS, start=1):
        round_ = Round.objects.create(jurisdiction=county, plan=plan, number=number, kind=kind, topic=topic,
                                      start_date=start, end_date=end, phase=phase)
        team = Team.objects.create(round=round_, name="第一巡察组")
        chosen, queue = queue[:count], queue[count:]
        for unit in chosen:
            TeamUnit.objects.create(team=team, round=round_, unit=unit)
            for i in range(rng.randint(1, 3)):
                Petition.objects.create(
                    round=round_, team=team, unit=unit, channel=rng.choice(Petition.Channel.values),
                    received_on=start + timedelta(days=3 + i), is_anonymous=(anonymous := rng.random() < 0.6),
                    petitioner_name="" if anonymous else rng.choice(["群众", "退休职工", "村民"]) + f"{i + 1}",
                    summary="反映" + rng.choice(PROBLEMS)[0], conclusion=rng.choice(Petition.Conclusion.values),
                    created_by=author,
                )
            findings = []
            for title, basis in rng.sample(PROBLEMS, rng.randint(3, 6)):
                approved_at = _aware(end + timedelta(days=12))
                findings.append(Finding.objects.create(
                    round=round_, jurisdiction=county, team=team, unit=unit, category=rng.choice(leaves),
                    title=f"{unit.name}{title}", facts=f"经查，{unit.name}{title}。", basis=basis,
                    money_involved=Decimal(rng.randint(2, 60) * 1000) if rng.random() < 0.5 else None,
                    fixed_on_site=rng.random() < 0.25, status=FindingStatus.APPROVED, created_by=author,
                    submitted_at=approved_at - timedelta(days=5), approved_at=approved_at,
                ))
            for finding in rng.sample(findings, rng.randint(0, 2)):
                letter += 1
                _lead(rng, county, round_, team, unit, finding, author, bodies, letter, end)
            _feedback(rng, county, round_, unit, findings, author, today)


def _lead(rng, county, round_, team, unit, finding, author, bodies, letter, end):
    status = rng.choice([LeadStatus.REFERRED, LeadStatus.RECEIVED, LeadStatus.DISPOSED, LeadStatus.DISPOSED,
                         LeadStatus.CONCLUDED])
    sent = _aware(end + timedelta(days=20))
    referral = Referral.objects.create(
        jurisdiction=county, receiving_body=bodies[0] if rng.random() < 0.8 else bodies[1],
        letter_number=f"新巡移〔{end.year}〕{letter}号", letter_date=sent.date(), title="问题线索移交函",
        status=ReferralStatus.SENT, sent_at=sent, created_by=author,
    )
    received = status != LeadStatus.REFERRED
    disposed = status in (LeadStatus.DISPOSED, LeadStatus.CONCLUDED)
    name, post = rng.choice(SUBJECTS)
    lead = Lead.objects.create(
        jurisdiction=county, round=round_, team=team, unit=unit, source=LeadSource.FINDING, finding=finding,
        subject_name=name, subject_post=post, summary=finding.title, status=status, referral=referral,
        referred_at=sent, received_at=sent + timedelta(days=3) if received else None,
        disposition_due_on=(sent + timedelta(days=93)).date() if received else None,
        disposed_at=sent + timedelta(days=60) if disposed else None,
        concluded_at=sent + timedelta(days=90) if status == LeadStatus.CONCLUDED else None, created_by=author,
    )
    if disposed:
        Disposition.objects.create(lead=lead, kind=rng.choice(DispositionKind.values),
                                   decided_on=(sent + timedelta(days=60)).date(), recorded_by=author)
        for kind in rng.sample([ResultKind.PARTY_DISCIPLINE, ResultKind.STATE_DISCIPLINE, ResultKind.ADMONITION,
                                ResultKind.ORGANIZATIONAL], rng.randint(1, 2)):
            Result.objects.create(lead=lead, kind=kind, people_count=rng.randint(1, 2),
                                  money_recovered=Decimal(rng.randint(0, 40) * 500), recorded_by=author)


def _feedback(rng, county, round_, unit, findings, author, today):
    held_on = round_.end_date + timedelta(days=30)
    if held_on > today:
        return
    feedback = Feedback.objects.create(
        round=round_, unit=unit, jurisdiction=county, held_on=held_on, place="县委巡察办会议室",
        attendees="被巡察党组织领导班子成员", letter_number=f"新巡反〔{held_on.year}〕{unit.pk}号",
        plan_due_on=held_on + timedelta(days=30), report_due_on=held_on + timedelta(days=60), created_by=author,
    )
    plan = RectificationPlan.objects.create(feedback=feedback, status=PlanStatus.ACCEPTED,
                                            accepted_at=_aware(held_on + timedelta(days=25)))
    # Older rounds are mostly rectified; the latest one is under way, some of it overdue.
    done_share = 0.9 if round_.phase == Phase.COMPLETED else (0.6 if round_.number == 2 else 0.3)
    for position, finding in enumerate(findings, start=1):
        ProblemItem.objects.create(feedback=feedback, finding=finding, position=position)
        for _ in range(rng.choice([1, 1, 2])):
            deadline = held_on + timedelta(days=rng.choice([15, 60, 120, 180]))
            closed = rng.random() < done_share and deadline - timedelta(days=5) <= today
            task = Task.objects.create(
                plan=plan, jurisdiction=county, finding=finding, measures="制定整改措施，限期整改到位",
                responsible_leader="班子成员", responsible_department="办公室", deadline=deadline,
                kind=rng.choice(TaskKind.values),
                status=TaskStatus.CLOSED if closed else rng.choice([TaskStatus.IN_PROGRESS, TaskStatus.PENDING]),
                closed_at=_aware(min(today, deadline - timedelta(days=5))) if closed else None,
            )
            if closed or rng.random() < 0.4:
                Progress.objects.create(
                    task=task, reported_on=min(today, deadline - timedelta(days=7)), description="已按措施推进整改",
                    money_recovered=Decimal(rng.randint(0, 30) * 1000) if rng.random() < 0.4 else Decimal("0"),
                    rules_established_count=rng.randint(0, 2), people_held_accountable=rng.randint(0, 1),
                    created_by=author,
                )
