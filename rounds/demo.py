"""Demo data of the rounds app: the term plan of 清河县, rounds in every phase, teams formed through the
services (so that the three recusal checks are on record, one conflict overridden in writing, one unit moved to
another team after a late recusal application), announcements, info requests, material lists, petitions,
inquiries and interviews. Deterministic; nothing about findings."""

import random
from datetime import date, timedelta

from inspection.units.models import Cadre, RecusalFactor, UnitKind

from . import selectors, services
from .models import (
    Announcement,
    DefaultMaterialItem,
    InfoRequest,
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    Plan,
    RoundKind,
    TeamUnit,
)

PLAN_NAME = "清河县委十四届巡察规划（2022—2026年）"
PLAN_SIZE = 105

# (kind, topic, start, end, final phase, units per team). Teams: three per round.
ROUNDS = [
    (RoundKind.REGULAR, "", date(2022, 4, 11), date(2022, 6, 10), Phase.COMPLETED, 4),
    (RoundKind.REGULAR, "", date(2022, 10, 10), date(2022, 12, 9), Phase.COMPLETED, 4),
    (RoundKind.SPECIAL, "乡村振兴领域资金使用管理", date(2023, 4, 10), date(2023, 5, 31), Phase.COMPLETED, 3),
    (RoundKind.REGULAR, "", date(2023, 10, 9), date(2023, 12, 8), Phase.COMPLETED, 4),
    (RoundKind.MOBILE, "群众身边不正之风和腐败问题", date(2024, 5, 6), date(2024, 6, 5), Phase.COMPLETED, 2),
    (RoundKind.REGULAR, "", date(2024, 10, 14), date(2024, 12, 13), Phase.COMPLETED, 3),
    (RoundKind.REGULAR, "", date(2025, 10, 13), date(2025, 12, 12), Phase.RECTIFICATION, 4),
    (RoundKind.LINKED, "巡察+审计联动", date(2026, 5, 11), date(2026, 7, 10), Phase.REFERRAL, 3),
    (RoundKind.REGULAR, "", date(2026, 10, 19), date(2026, 12, 18), Phase.ONSITE, 4),
    (RoundKind.REGULAR, "", date(2026, 12, 28), date(2027, 2, 26), Phase.PREPARATION, 2),
]
PATH = [Phase.ONSITE, Phase.REPORT, Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED]
TEAM_NAMES = ["第一巡察组", "第二巡察组", "第三巡察组"]

DEFAULT_MATERIALS = [
    "党委（党组）理论学习中心组学习记录", "党委（党组）会议记录及“三重一大”决策记录", "领导班子及成员年度述职述廉报告",
    "落实全面从严治党主体责任清单及台账", "意识形态工作责任制落实情况资料", "领导班子民主生活会、组织生活会资料",
    "上次巡察（审计）反馈问题整改台账", "干部选拔任用工作纪实材料", "干部人事档案专项审核资料",
    "“三会一课”记录", "发展党员工作档案", "党费收缴使用台账",
    "近三年财务账簿、会计凭证及报表", "公务接待、公务用车、因公出国（境）台账", "津贴补贴发放明细",
    "政府采购及招投标资料", "工程建设项目立项、招标、结算资料", "国有资产（资源）台账及处置资料",
    "专项资金拨付及使用明细", "对外签订的合同、协议", "内部控制制度汇编",
    "信访举报件及办理情况台账", "执纪问责及案件查处情况", "审计报告及整改资料",
    "机构编制及人员花名册", "中央八项规定精神落实情况自查资料", "工作总结及下一年度工作计划", "其他需要说明的情况",
]

PETITION_SUMMARIES = [
    ("反映村务公开不及时，集体土地流转收益去向不明", "村党支部书记"),
    ("反映单位违规发放津补贴、年终多发奖金", "单位负责人"),
    ("反映低保评定优亲厚友", "村委会主任"),
    ("反映工程项目未经招标直接发包给亲属", "分管副局长"),
    ("反映公车私用，周末开公车接送子女", "办公室主任"),
    ("反映食堂违规吃喝，费用在办公经费中列支", "单位负责人"),
    ("反映扶贫项目资金被挪作他用", "镇党委副书记"),
    ("反映干部作风粗暴，办事推诿", "窗口负责人"),
    ("反映违规收受礼金", "所长"),
    ("反映选人用人不公，提拔未按程序", "党组书记"),
]
HANDLING = "经巡察组调阅相关资料、个别谈话了解核实，"
INQUIRIES = [
    ("县某局副局长", "打听第一巡察组对该局财务问题的掌握情况", Inquiry.Manner.PROBING),
    ("某镇原党委委员", "为其亲属所在村的村干部说情，希望“从轻反映”", Inquiry.Manner.PLEADING),
    ("县某单位退休干部", "打招呼称“都是老同事，多关照”", Inquiry.Manner.GREETING),
]


def _rng():
    return random.Random(2026)


def _plan_units(units):
    """Departments, townships and other units first; villages fill the plan up to its size."""
    non_village = [u for u in units if u.kind != UnitKind.VILLAGE]
    villages = [u for u in units if u.kind == UnitKind.VILLAGE]
    return (non_village + villages)[:PLAN_SIZE]


def _pick(candidates, used, team_unit_ids, need_finance=False):
    for cadre in candidates:
        if cadre.pk in used:
            continue
        if need_finance and not any(s.counts_as_finance for s in cadre.specialties.all()):
            continue
        if selectors.recusal_conflicts(cadre=cadre, unit_ids=team_unit_ids):
            continue
        used.add(cadre.pk)
        return cadre
    return None


def _form_team(*, round, name, units, office, leaders, talents, used, fixed_leader=None, fixed_members=()):
    """`used`: cadres already on a team of this round (a cadre serves on one team at a time)."""
    team = services.team_create(round=round, name=name, actor=office)
    unit_ids = [u.pk for u in units]
    leader = fixed_leader or _pick(leaders, used, unit_ids)
    used.add(leader.pk)
    for unit in units:
        services.team_add_unit(team=team, unit=unit, actor=office)
    services.team_add_member(team=team, cadre=leader, position=Membership.Position.LEADER, actor=office)
    deputy = _pick(leaders, used, unit_ids)
    if deputy is not None:
        services.team_add_member(team=team, cadre=deputy, position=Membership.Position.DEPUTY, actor=office)
    members = list(fixed_members)
    used.update(m.pk for m in members)
    if not any(s.counts_as_finance for m in members for s in m.specialties.all()):
        finance = _pick(talents, used, unit_ids, need_finance=True)
        if finance is not None:
            members.append(finance)
    while len(members) < 3:
        extra = _pick(talents, used, unit_ids)
        if extra is None:
            break
        members.append(extra)
    for member in members:
        services.team_add_member(team=team, cadre=member, position=Membership.Position.MEMBER, actor=office)
    return team


def _move(round, target, users):
    for phase in PATH:
        if round.phase == target:
            return round
        actor = users["leader"] if phase == Phase.FEEDBACK else users["office"]
        round = services.round_change_phase(round=round, to_phase=phase, actor=actor, reason="")
    return round


def _override_one_conflict(round, team, office, talents):
    """Stage 2 in action: a seconded member once worked in (or has a relative in) a unit the team inspects.

    The team takes on that unit first (its current members are clear of it), then the cadre is seconded,
    the check records the conflict, and the office overrides it in writing.
    """
    busy = set(Membership.objects.filter(team__round=round).values_list("cadre_id", flat=True))
    taken = set(round.team_units.values_list("unit_id", flat=True))
    members = [m.cadre for m in team.memberships.filter(is_active=True).select_related("cadre")]
    for cadre in talents:
        if cadre.pk in busy:
            continue
        if selectors.overlapping_memberships(cadre=cadre, start_date=round.start_date, end_date=round.end_date).exists():
            continue
        for factor in cadre.recusal_factors.filter(is_active=True).select_related("unit"):
            unit = factor.unit
            if unit.pk in taken or any(selectors.recusal_conflicts(cadre=m, unit_ids=[unit.pk]) for m in members):
                continue
            services.team_add_unit(team=team, unit=unit, actor=office)
            try:
                services.team_add_member(team=team, cadre=cadre, position=Membership.Position.MEMBER, actor=office)
            except services.RecusalConflict as conflict:
                services.recusal_check_override(
                    check=conflict.checks[0],
                    actor=office,
                    reason="该同志具有工程审计专长，本组急需；所涉关系已如实申报，"
                    "经巡察办集体研究同意安排，并明确其不参与涉及该单位的谈话和资料调阅。",
                )
                return cadre
    return None


def _move_one_unit_after_late_recusal(round, office):
    """A recusal conflict found late, in the round being prepared: a member of the first team declares that a
    relative works in one of its units (stage 3); rather than take the member off the team, the office moves that
    unit to the second team, whose members are clear of it. The move settles the application."""
    done = TeamUnit.all_objects.filter(round=round, withdrawn_at__isnull=False).first()
    if done is not None:
        return done
    first, second = list(round.teams.order_by("id")[:2])
    second_members = [m.cadre for m in second.memberships.filter(is_active=True).select_related("cadre")]
    members = list(
        first.memberships.filter(is_active=True, position=Membership.Position.MEMBER)
        .select_related("cadre").prefetch_related("cadre__specialties")
    )
    finance = [m for m in members if any(s.counts_as_finance for s in m.cadre.specialties.all())]
    member = (finance or members or [None])[0]
    if member is None:
        return None
    why = "该同志是本组唯一的财务专长干部，不宜调整出组" if finance else "该同志已承担本组其他单位的资料调阅分工，不宜调整出组"
    for team_unit in first.team_units.select_related("unit").order_by("id"):
        if any(selectors.recusal_conflicts(cadre=c, unit_ids=[team_unit.unit_id]) for c in second_members):
            continue
        services.recusal_application_file(
            membership=member, unit=team_unit.unit, kind=RecusalFactor.Kind.RELATIVE, actor=office,
            description="配偶在该单位任财务股股长",
        )
        return services.team_unit_withdraw(
            team_unit=team_unit, to_team=second, actor=office,
            reason=f"{first.name}组员{member.cadre.name}申请回避：其配偶在{team_unit.unit.name}任财务股股长。"
            f"{why}；经巡察办研究，该单位改由{second.name}巡察。",
        )
    return None


def seed(context: dict) -> dict:
    rng = _rng()
    jurisdiction = context["jurisdiction"]
    users = context["users"]
    office = users["office"]
    units = context["units"]
    liaison_unit = context["liaison_unit"]
    leader_cadre, member_cadre = context["leader_cadre"], context["member_cadre"]

    plan_units = _plan_units(units)
    plan, created = Plan.objects.get_or_create(
        jurisdiction=jurisdiction,
        name=PLAN_NAME,
        defaults={"start_year": 2022, "end_year": 2026, "notes": "十四届县委任期内对所辖党组织巡察全覆盖。"},
    )
    if created:
        services.plan_save(plan=plan, units=plan_units, actor=office, reason="县委常委会审议通过")

    for order, name in enumerate(DEFAULT_MATERIALS, start=1):
        DefaultMaterialItem.objects.get_or_create(jurisdiction=jurisdiction, name=name, defaults={"order": order})

    cadres = list(Cadre.objects.filter(pk__in=[c.pk for c in context["cadres"]]).prefetch_related("specialties"))
    leaders = [c for c in cadres if c.pool == Cadre.Pool.LEADER and c.pk != leader_cadre.pk]
    talents = [c for c in cadres if c.pool == Cadre.Pool.TALENT and c.pk != member_cadre.pk]

    # Units in the order the rounds take them: the liaison's unit goes to the round now in rectification;
    # the current round's first team gets units its fixed leader and member may inspect.
    queue = [u for u in plan_units if u.pk != liaison_unit.pk]
    rng.shuffle(queue)
    fixed_ok = [
        u for u in queue
        if not selectors.recusal_conflicts(cadre=leader_cadre, unit_ids=[u.pk])
        and not selectors.recusal_conflicts(cadre=member_cadre, unit_ids=[u.pk])
    ]

    rounds, teams, team_units = [], [], []
    for kind, topic, start, end, final_phase, per_team in ROUNDS:
        round = services.round_create(plan=plan, kind=kind, topic=topic, start_date=start, end_date=end, actor=office)
        is_current = final_phase == Phase.ONSITE
        round_leaders, round_talents = leaders[:], talents[:]
        rng.shuffle(round_leaders)
        rng.shuffle(round_talents)
        used = {leader_cadre.pk, member_cadre.pk}
        for team_index, team_name in enumerate(TEAM_NAMES):
            if is_current and team_index == 0:
                chosen = [u for u in fixed_ok if u in queue][:per_team]
            elif final_phase == Phase.RECTIFICATION and team_index == 0:
                chosen = [liaison_unit] + queue[: per_team - 1]
            else:
                chosen = queue[:per_team]
            for unit in chosen:
                if unit in queue:
                    queue.remove(unit)
            if not chosen:
                continue
            fixed = {}
            if is_current and team_index == 0:
                fixed = {"fixed_leader": leader_cadre, "fixed_members": [member_cadre]}
            team = _form_team(
                round=round, name=team_name, units=chosen, office=office,
                leaders=round_leaders, talents=round_talents, used=used, **fixed,
            )
            teams.append(team)
            team_units.extend(team.team_units.select_related("unit"))
            if is_current and team_index == 1:
                _override_one_conflict(round, team, office, round_talents)
        if final_phase == Phase.PREPARATION:
            moved = _move_one_unit_after_late_recusal(round, office)
            if moved is not None:
                # `team_units` are the assignments in force: the new one replaces the withdrawn one.
                team_units = [moved.moved_to if tu.pk == moved.pk else tu for tu in team_units]
            context["moved_team_unit"] = moved
        round = _move(round, final_phase, users)
        rounds.append(round)

    by_phase = {r.phase: r for r in rounds}
    current = by_phase[Phase.ONSITE]
    context.update(
        plan=plan,
        rounds=rounds,
        current_round=current,
        rectification_round=by_phase[Phase.RECTIFICATION],
        referral_round=by_phase[Phase.REFERRAL],
        teams=teams,
        team_units=team_units,
    )
    _seed_preparation(context, rng)
    context["petitions"] = _seed_onsite(context, rng)
    _seed_evaluations(context, rng)
    return context


EVALUATION_COMMENTS = ["政治站位高，发现问题精准", "工作扎实，底稿规范", "积极参与谈话和资料调阅", "按时完成分工任务"]


def _seed_evaluations(context, rng):
    """考评 after every round past its report: one evaluation per cadre who served."""
    office = context["users"]["office"]
    for round in context["rounds"]:
        if round.phase not in services.EVALUATION_PHASES:
            continue
        for membership in Membership.objects.filter(team__round=round, is_active=True):
            services.cadre_evaluate(
                membership=membership, score=rng.randint(68, 98), comment=rng.choice(EVALUATION_COMMENTS), actor=office
            )


def _team_leader_user(team, users):
    return users["zuzhang"] if team.memberships.filter(cadre__user=users["zuzhang"]).exists() else users["office"]


def _seed_preparation(context, rng):
    office = context["users"]["office"]
    today = date.today()
    for round in (context["rectification_round"], context["referral_round"], context["current_round"]):
        for team in round.teams.all():
            Announcement.objects.create(
                round=round, team=team, hotline=f"0318-{rng.randint(5200000, 5299999)}",
                mailbox="被巡察单位办公楼一楼大厅", email=f"qhxc{round.number}{team.pk}@qinghe.gov.cn",
                address=f"清河县邮政{rng.randint(10, 99)}号信箱", start_date=round.start_date, end_date=round.end_date,
                published_on=round.start_date, created_by=office,
            )
        recipients = [InfoRequest.Recipient.DISCIPLINE_PETITIONS, InfoRequest.Recipient.ORGANIZATION_SUPERVISION,
                      InfoRequest.Recipient.AUDIT, InfoRequest.Recipient.FINANCE, InfoRequest.Recipient.PETITIONS,
                      InfoRequest.Recipient.PUBLIC_SECURITY]
        for team_unit in round.team_units.select_related("unit")[:6]:
            for recipient in rng.sample(recipients, 3):
                sent = round.start_date - timedelta(days=20)
                due = sent + timedelta(days=10)
                replied = round.phase != Phase.ONSITE or rng.random() < 0.6
                InfoRequest.objects.create(
                    round=round, unit=team_unit.unit, recipient=recipient, sent_on=sent, due_date=due,
                    content="请提供该单位领导班子及成员近三年的有关情况。",
                    replied_on=due - timedelta(days=rng.randint(0, 4)) if replied else None,
                    reply="经查，近三年未发现该单位领导班子成员有关问题线索。" if replied else "",
                    created_by=office,
                )
    current = context["current_round"]
    for team_unit in current.team_units.select_related("unit"):
        services.material_list_apply_default(
            round=current, unit=team_unit.unit, actor=office, requested_on=current.start_date - timedelta(days=7)
        )
    for item in MaterialItem.objects.filter(round=current):
        if rng.random() < 0.7:
            item.received_on = min(today, item.requested_on + timedelta(days=rng.randint(2, 12)))
            item.save(update_fields=["received_on"])
    nxt = [r for r in context["rounds"] if r.phase == Phase.PREPARATION]
    for round in nxt:
        for team_unit in round.team_units.select_related("unit"):
            InfoRequest.objects.create(
                round=round, unit=team_unit.unit, recipient=InfoRequest.Recipient.DISCIPLINE_PETITIONS,
                sent_on=today - timedelta(days=15), due_date=today - timedelta(days=3),
                content="请提供该单位近三年信访举报及处置情况。", created_by=office,
            )


def _seed_onsite(context, rng):
    users = context["users"]
    petitions = []
    conclusions = [Petition.Conclusion.TRUE, Petition.Conclusion.PARTLY_TRUE, Petition.Conclusion.UNTRUE,
                   Petition.Conclusion.UNTRUE, Petition.Conclusion.UNVERIFIABLE]
    channels = list(Petition.Channel)
    rounds = (context["rectification_round"], context["referral_round"], context["current_round"])
    for round in rounds:
        onsite = round.phase == Phase.ONSITE
        for team_unit in round.team_units.select_related("team", "unit"):
            author = _team_leader_user(team_unit.team, users) if onsite else users["office"]
            for _ in range(rng.randint(1, 3)):
                summary, post = rng.choice(PETITION_SUMMARIES)
                anonymous = rng.random() < 0.5
                conclusion = Petition.Conclusion.PENDING if onsite and rng.random() < 0.6 else rng.choice(conclusions)
                received = round.start_date + timedelta(days=rng.randint(1, 30))
                petition = Petition(
                    round=round, team=team_unit.team, unit=team_unit.unit, channel=rng.choice(channels),
                    received_on=min(received, date.today()), is_anonymous=anonymous,
                    petitioner_name="" if anonymous else rng.choice(["刘某", "陈某", "杨某", "赵某", "黄某"]),
                    petitioner_contact="" if anonymous else f"139{rng.randint(10000000, 99999999)}",
                    subject_person=rng.choice(["王某某", "李某某", "张某某", "周某某"]), subject_post=post,
                    summary=f"{summary}（涉及{team_unit.unit.name}）",
                    handling="" if conclusion == Petition.Conclusion.PENDING else HANDLING + {
                        Petition.Conclusion.TRUE: "反映问题属实，已作为问题线索梳理。",
                        Petition.Conclusion.PARTLY_TRUE: "反映问题部分属实。",
                        Petition.Conclusion.UNTRUE: "反映问题不属实，相关情况已向信访人作出说明。",
                        Petition.Conclusion.UNVERIFIABLE: "因反映内容笼统、时间久远，无法查证。",
                    }.get(conclusion, ""),
                    conclusion=conclusion, created_by=author,
                )
                petitions.append(services.petition_save(petition=petition, actor=users["office"]))
            for _ in range(rng.randint(3, 8)):
                Interview.objects.create(
                    round=round, team=team_unit.team, unit=team_unit.unit,
                    interviewee_name=rng.choice(["王", "李", "张", "刘", "陈", "杨"]) + rng.choice(["建国", "海燕", "立新", "秀英", "志刚", "丽华"]),
                    interviewee_post=rng.choice(["班子成员", "中层干部", "财务人员", "一般干部", "退休干部代表"]),
                    held_on=min(round.start_date + timedelta(days=rng.randint(2, 40)), date.today()),
                    interviewers=f"{team_unit.team.name}谈话小组", created_by=users["office"],
                )
        for index, (asker, subject, manner) in enumerate(INQUIRIES[: 2 if not onsite else 3]):
            team = round.teams.order_by("id")[index % round.teams.count()]
            inquiry = Inquiry(
                round=round, team=team, asker_name=rng.choice(["孙某", "吴某", "郑某"]), asker_post=asker,
                asked_person=f"{team.name}组长", asked_on=min(round.start_date + timedelta(days=10 + index), date.today()),
                manner=manner, subject=subject, handling="已如实登记并报巡察工作领导小组，未予理会。",
            )
            services.inquiry_save(inquiry=inquiry, actor=_team_leader_user(team, users) if onsite else users["office"])
        if onsite:
            _record_handling_later(round, users)
    return petitions


def _record_handling_later(round, users):
    """A petition logged on arrival and completed a few days later by its team: an edit on its version (now 2)."""
    petition = round.petitions.filter(conclusion=Petition.Conclusion.PENDING).order_by("id").first()
    if petition is None:
        return
    petition.handling = "已约谈信访人核实有关情况，正在调取该单位相关账目和会议记录。"
    services.petition_save(petition=petition, actor=_team_leader_user(petition.team, users), reason="补充办理情况")


