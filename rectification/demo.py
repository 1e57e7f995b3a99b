"""Demo rectification for the round now in rectification: feedback for its units, plans in every state,
tasks in every status (overdue and escalated ones too), progress with evidence, closures, money recovered,
rules established, an evaluation, a published disclosure, and the reminders the daily job has already sent;
rectification reports (整改情况报告) in every state, one sent late; and a look-back round (回头看) of 清河县 that
revisited units fed back in the first rounds, with its checks (most fixed, one not fixed and reopened).

Deterministic (random.Random(2026)); reads what rounds/demo.py and findings/demo.py put in the context and
skips quietly what is missing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import Role, User
from inspection.units.models import Cadre
from rounds import selectors as round_selectors
from rounds import services as round_services
from rounds.models import Membership, Phase, Round, RoundKind, TeamUnit

from . import reminders, services
from .models import (
    Feedback,
    LookbackCheck,
    PlanStatus,
    RectificationReport,
    ReportStatus,
    ReportStatusChange,
    Task,
    TaskKind,
    TaskStatus,
)

DEMO_PASSWORD = "Xuncha@2026"

PLACES = ["单位三楼会议室", "单位党员活动室", "县委巡察办第一会议室", "单位机关会议室"]
# Measures that fit their problem: by the finding's checklist aspect (its category's parent code), the area as a
# fallback (issue 16: the demo paired problems with unrelated measures).
MEASURES_BY_ASPECT = {
    "1.1": ("严格落实“第一议题”制度，制定年度理论学习计划，班子成员每季度至少开展一次专题研讨并形成研讨材料。",
            "党政办公室", TaskKind.LONG_TERM),
    "1.2": ("对照上级决策部署逐项梳理落实情况，建立重点任务推进台账，明确责任人和完成时限，每月调度一次。",
            "办公室", TaskKind.TIME_LIMITED),
    "1.3": ("梳理全部审批事项办理时限，超时限事项逐件说明原因；推行限时办结和超时预警，每月通报办理情况。",
            "行政审批股", TaskKind.TIME_LIMITED),
    "1.4": ("建立意识形态工作定期研判制度，落实网络信息发布“三审三校”，明确微信公众号审核责任人。",
            "宣传办", TaskKind.LONG_TERM),
    "1.5": ("完善“三重一大”集体决策制度，明确议事范围和程序，会议记录由纪检委员签字确认，每季度开展一次执行情况检查。",
            "党建工作办公室", TaskKind.LONG_TERM),
    "1.6": ("对未及时发放的惠民补贴逐户核实、限期补发；建立群众诉求首问负责和限时办结制度。",
            "农业综合服务中心", TaskKind.TIME_LIMITED),
    "1.7": ("对排查出的安全隐患逐项建立整改台账，落实责任人和整改时限，整改完成后组织复查验收。",
            "安全生产办公室", TaskKind.IMMEDIATE),
    "1.8": ("对上轮巡察反馈问题逐条“回头看”，未整改到位的重新制定措施，整改结果报县委巡察办备案。",
            "办公室", TaskKind.TIME_LIMITED),
    "2.1": ("按期完成党支部换届选举，建立党组织换届提醒台账，换届结果报上级党组织备案。", "组织办", TaskKind.IMMEDIATE),
    "2.2": ("规范党组织“三会一课”和民主生活会制度，会前广泛征求意见，班子成员相互批评见人见事，建立党员教育管理台账。",
            "组织办", TaskKind.LONG_TERM),
    "2.3": ("对近三年发展党员档案逐份复查，程序不规范的按规定补正；开展党费收缴专项清查，少交漏交的限期补交。",
            "组织办", TaskKind.TIME_LIMITED),
    "2.4": ("对照《党政领导干部选拔任用工作条例》全面自查选人用人工作，超职数配备干部制定消化方案，限期消化到位。",
            "组织人事股", TaskKind.TIME_LIMITED),
    "2.5": ("对干部人事档案逐卷复审，“三龄两历一身份”认定有误的予以纠正；个人有关事项漏报的作出说明并补报。",
            "组织人事股", TaskKind.TIME_LIMITED),
    "2.6": ("清理干部违规兼职取酬，违规取得的报酬全部退缴，建立干部兼职审批备案制度。", "组织人事股", TaskKind.IMMEDIATE),
    "2.7": ("清理长期借调下级单位人员，借调人员限期返回原单位，今后借调一律按程序审批并限定期限。",
            "组织人事股", TaskKind.IMMEDIATE),
    "2.8": ("将党建工作与业务工作同部署、同考核，党建述职评议结果与年度考核挂钩。", "党建工作办公室", TaskKind.LONG_TERM),
    "3.1": ("结合本单位实际重新制定全面从严治党主体责任清单，明确班子成员“一岗双责”具体内容，每半年报告一次履责情况。",
            "党建工作办公室", TaskKind.LONG_TERM),
    "3.2": ("对超期未办的信访移交问题线索逐件建立台账、明确办结时限，办理结果及时反馈并报县纪委监委。",
            "纪检监察室", TaskKind.TIME_LIMITED),
    "3.3": ("对照中央八项规定精神逐笔清理公务接待、津贴补贴、公务用车和收受礼品礼金情况，违规款项由责任人退赔，"
            "对相关人员批评教育；修订公务接待和公务用车管理办法。", "办公室", TaskKind.TIME_LIMITED),
    "3.4": ("精简督查检查考核事项，合并同类检查；对弄虚作假的统计数据全面核实更正，严肃追究相关人员责任。",
            "办公室", TaskKind.TIME_LIMITED),
    "3.5": ("全面清理财务账目，白条入账逐笔补齐合规票据，“小金库”资金全部收缴入账，挤占挪用的专项资金限期归还；"
            "修订财务报销审批制度。", "财务室", TaskKind.TIME_LIMITED),
    "3.6": ("全面清理2021年以来工程项目合同，对未履行招投标程序的项目逐一核查，追回多支付工程款，建立项目全过程管理台账。",
            "财务室", TaskKind.TIME_LIMITED),
    "3.7": ("对门面房等资产出租情况全面清查，履行审批程序后重新签订合同，追缴欠收租金；开展固定资产盘点，做到账实相符。",
            "财务室", TaskKind.TIME_LIMITED),
    "3.8": ("对领导干部亲属经商办企业情况开展专项排查，相关人员作出说明并退出利益关联，建立领导干部廉政档案。",
            "纪检监察室", TaskKind.TIME_LIMITED),
}
MEASURES_BY_AREA = {
    "1": ("对照上级决策部署和本单位职责逐项查摆，制定整改措施，明确责任领导和完成时限，整改情况向县委巡察办报告。",
          "办公室", TaskKind.TIME_LIMITED),
    "2": ("召开专题组织生活会，班子成员逐一对照检查，制定个人整改清单，健全党建工作责任制。", "组织办", TaskKind.LONG_TERM),
    "3": ("对照党纪法规逐项核查，违规问题限期纠正，相关款项全部追缴，对责任人严肃批评教育，建立健全相关制度。",
          "纪检监察室", TaskKind.TIME_LIMITED),
}


def measure_for(finding):
    """(measures, responsible department, task kind) fitting the finding's checklist aspect."""
    code = finding.category.code
    aspect = code.rsplit(".", 1)[0] if code.count(".") == 2 else code
    return MEASURES_BY_ASPECT.get(aspect) or MEASURES_BY_AREA.get(code.split(".", 1)[0]) or MEASURES_BY_AREA["3"]


LEADERS = ["王建国（副书记）", "李红梅（纪委书记）", "张志强（副镇长）", "刘海涛（副局长）", "陈立新（党组成员）"]
RULES = ["公务接待管理办法", "“三重一大”事项集体决策实施细则", "工程项目管理办法", "财务报销审批制度", "惠民资金发放公示制度"]

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"

# (plan state, task statuses in order, days from today of each task's deadline)
UNIT_PLANS = [
    (PlanStatus.ACCEPTED, [TaskStatus.CLOSED, TaskStatus.SUBMITTED, TaskStatus.IN_PROGRESS, TaskStatus.PENDING,
                           TaskStatus.RETURNED, TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS],
     [-200, -10, -5, 4, 0, -45, 120]),
    (PlanStatus.ACCEPTED, [TaskStatus.CLOSED, TaskStatus.CLOSED, TaskStatus.CLOSED, TaskStatus.IN_PROGRESS,
                           TaskStatus.SUBMITTED], [-150, -120, -60, 6, 30]),
    (PlanStatus.SUBMITTED, [TaskStatus.PENDING] * 4, [40, 60, 90, 180]),
    (PlanStatus.RETURNED, [TaskStatus.PENDING] * 3, [45, 75, 100]),
    (PlanStatus.DRAFT, [TaskStatus.PENDING] * 2, [50, 80]),
]


def _liaison_for(unit, users, rng):
    """The demo's own liaison for a unit (the units seed only made one, for its liaison unit)."""
    existing = User.objects.filter(role=Role.UNIT_LIAISON, unit=unit).first()
    if existing:
        return existing
    surname = rng.choice("王李张刘陈杨赵黄周吴")
    given = rng.choice(["建华", "丽娟", "志刚", "海燕", "晓东", "春梅", "文斌"])
    user = User(
        username=f"liaison{unit.pk}",
        display_name=f"{surname}{given}",
        role=Role.UNIT_LIAISON,
        jurisdiction=unit.jurisdiction,
        unit=unit,
        email=f"liaison{unit.pk}@qinghe.gov.cn",
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _verifier(round, users):
    """The team leader of the round's team if the demo has one as a user, otherwise the office."""
    leader = users.get("zuzhang")
    if leader and Membership.objects.filter(team__round=round, cadre__user=leader).exists():
        return leader
    return users["office"]


def _progress(task, liaison, rng, *, on, with_results):
    money = Decimal(rng.choice([0, 0, 3600, 12800, 45000, 236500])) if with_results else Decimal("0")
    rule_names = rng.sample(RULES, rng.choice([0, 1, 2])) if with_results else []
    files = [SimpleUploadedFile(f"关于{task.finding.title[:20]}整改情况的说明.pdf", PDF, content_type="application/pdf")]
    return services.progress_report(
        task=task,
        actor=liaison,
        reported_on=on,
        description=rng.choice([
            "已召开专题会议研究部署，逐项梳理问题清单，明确责任人和完成时限。",
            "已完成相关费用清理，超标准部分已由责任人退回，收据附后。",
            "已修订完善相关制度并印发执行，组织全体干部职工专题学习。",
            "对涉及人员进行了批评教育，责令作出书面检查，并在班子会上通报。",
        ]),
        money_recovered=money,
        rules_established_count=len(rule_names),
        rules_established_names="\n".join(rule_names),
        people_held_accountable=rng.choice([0, 0, 1, 2]) if with_results else 0,
        files=files,
    )


# 核验意见: how the verifier checked and what it found (issue 16: required on every close).
OPINIONS = [
    "经实地核查，查阅整改台账和退款凭证，超标准费用已全部清退，整改到位，同意销号。",
    "经调阅新修订的管理制度及近三个月执行记录，制度已印发并严格执行，问题未再发生，同意销号。",
    "经与责任部门负责人谈话核实、抽查相关凭证12份，整改措施已落实，佐证材料齐全，同意销号。",
    "经现场查看并核对会议记录，“三会一课”已按规定开展，记录完整规范，整改到位，同意销号。",
    "经核查银行回单和收款收据，违规资金已全额收回并上缴财政，责任人已作书面检查，同意销号。",
]
BATCH_OPINION = "经巡察办集中核验{unit}整改材料并抽查现场，各项整改措施均已落实，佐证材料齐全，同意销号。"


def _opinion(task) -> str:
    # Chosen by the task rather than by the demo's random stream, so the rest of the demo data stays as it was.
    return OPINIONS[task.pk % len(OPINIONS)]


def _walk_task(task, target, *, liaison, verifier, rng, today, held_on):
    """Move a task to its demo status through the services, as the people involved would."""
    if target == TaskStatus.PENDING:
        return
    first = max(held_on, min(today, task.deadline) - timedelta(days=20))
    _progress(task, liaison, rng, on=first, with_results=target in (TaskStatus.CLOSED, TaskStatus.SUBMITTED))
    if target == TaskStatus.IN_PROGRESS:
        return
    if target == TaskStatus.RETURNED:
        services.task_transition(task=task, actor=liaison, verb="submit")
        services.task_transition(task=task, actor=verifier, verb="return",
                                 reason="佐证材料不完整，缺少退赔款项的收款凭证，请补充后重新申请销号。")
        return
    services.task_transition(task=task, actor=liaison, verb="submit")
    if target == TaskStatus.CLOSED:
        services.task_close(task=task, actor=verifier, opinion=_opinion(task))


def seed(context: dict) -> dict:
    rng = random.Random(2026)
    users = context.get("users") or {}
    office = users.get("office")
    round = context.get("rectification_round")
    if office is None or round is None:
        return context
    today = timezone.localdate()
    liaison_unit = context.get("liaison_unit")
    jurisdiction = round.jurisdiction

    approved = context.get("approved_findings")
    finding_qs = Finding.objects.filter(round=round, status=FindingStatus.APPROVED)
    if approved:
        finding_qs = finding_qs.filter(pk__in=[f.pk for f in approved])
    units_with_findings = set(finding_qs.values_list("unit_id", flat=True))
    team_units = [tu for tu in TeamUnit.objects.filter(round=round).select_related("unit").order_by("id")
                  if tu.unit_id in units_with_findings]
    # The liaison's unit first, so the demo liaison sees the fullest picture.
    team_units.sort(key=lambda tu: (tu.unit_id != getattr(liaison_unit, "pk", None), tu.pk))
    if not team_units:
        return context

    held_on = min(today - timedelta(days=1), round.end_date + timedelta(days=35))
    verifier = _verifier(round, users)
    feedbacks = []
    reporting = []  # (feedback, liaison) of the plans accepted this round, in the order of the demo units
    for index, team_unit in enumerate(team_units):
        unit = team_unit.unit
        if Feedback.objects.filter(round=round, unit=unit).exists():
            continue
        feedback = services.feedback_record(
            actor=office, round=round, unit=unit, held_on=held_on + timedelta(days=index % 3),
            place=rng.choice(PLACES),
            attendees=f"县委第{index % 4 + 1}巡察组全体成员；{unit.name}领导班子成员、中层正职；县委巡察办、县纪委监委派驻纪检监察组有关同志",
            letter_number=f"清巡反〔{held_on.year}〕{index + 1}号",
        )
        feedbacks.append(feedback)
        liaison = users["liaison"] if liaison_unit is not None and unit.pk == liaison_unit.pk and "liaison" in users \
            else _liaison_for(unit, users, rng)
        plan_state, statuses, offsets = UNIT_PLANS[index] if index < len(UNIT_PLANS) else (
            PlanStatus.ACCEPTED, [TaskStatus.CLOSED, TaskStatus.CLOSED, TaskStatus.IN_PROGRESS], [-90, -30, 20])
        plan = feedback.plan
        services.plan_update(
            plan=plan, actor=liaison,
            content=f"为切实抓好县委第{index % 4 + 1}巡察组反馈意见整改落实，{unit.name}党组织成立以主要负责人为组长的整改工作领导小组，"
            "坚持问题导向，建立问题清单、任务清单、责任清单，明确整改措施、责任领导、责任部门和完成时限，"
            "做到件件有着落、事事有回音。",
        )
        findings = [item.finding for item in feedback.problem_items.select_related("finding__category")]
        tasks = []
        for position, finding in enumerate(findings):
            measures, department, kind = measure_for(finding)
            offset = offsets[position % len(offsets)]
            status = statuses[position % len(statuses)]
            deadline = max(feedback.held_on, today + timedelta(days=offset))
            if kind == TaskKind.IMMEDIATE:
                deadline = feedback.held_on + timedelta(days=jurisdiction.immediate_fix_days)
                status = TaskStatus.CLOSED if plan_state == PlanStatus.ACCEPTED else status
            if plan_state == PlanStatus.DRAFT and position >= 2:
                break  # a plan still being drafted: some findings have no task yet
            task = services.task_create(
                plan=plan, actor=liaison, finding=finding, measures=measures,
                responsible_leader=rng.choice(LEADERS), responsible_department=department,
                deadline=deadline, kind=kind,
            )
            tasks.append((task, status))
        if plan_state == PlanStatus.DRAFT:
            continue
        services.plan_transition(plan=plan, actor=liaison, verb="submit")
        if plan_state == PlanStatus.RETURNED:
            services.plan_transition(plan=plan, actor=office, verb="return",
                                     reason="整改措施过于笼统，责任部门不明确，完成时限与反馈意见要求不符，请修改后重新报送。")
            continue
        if plan_state == PlanStatus.SUBMITTED:
            continue
        services.plan_transition(plan=plan, actor=office, verb="accept", reason="整改方案符合要求，同意实施。")
        reporting.append((feedback, liaison))
        for task, status in tasks:
            _walk_task(task, status, liaison=liaison, verifier=verifier, rng=rng, today=today, held_on=feedback.held_on)

    if feedbacks:
        first = feedbacks[0]
        services.weights_save(jurisdiction=jurisdiction, actor=office,
                              self_weight=20, public_weight=30, supervision_weight=20, onsite_weight=30)
        services.evaluation_save(feedback=first, actor=office, self_score=Decimal("92"), public_score=Decimal("85.5"),
                                 supervision_score=Decimal("88"), onsite_score=Decimal("83"),
                                 notes="整改态度端正，主要问题基本整改到位；部分长效机制尚需持续巩固。")
        disclosure_target = feedbacks[1] if len(feedbacks) > 1 else first
        disclosure = services.disclosure_save(
            feedback=disclosure_target, actor=office,
            title=f"关于{disclosure_target.round.title}反馈意见整改进展情况的通报（{disclosure_target.unit.name}）",
            summary=f"根据县委统一部署，县委巡察组对{disclosure_target.unit.name}党组织开展了巡察并反馈了意见。"
            "该单位党组织坚持把巡察整改作为重大政治任务，逐项制定整改措施，目前反馈问题已大部分整改完成，"
            "对尚未完成的问题明确了时限，持续推进。欢迎广大干部群众监督。",
        )
        services.disclosure_publish(disclosure=disclosure, actor=office)

    history = _seed_history(context, users, rng, today)
    _reports(reporting, history, office=office, leader=users.get("leader") or office, rng=rng)
    _lookback(context, users, _lookback_round(context, users, today))
    # The daily job has already run: reminders and their notifications exist.
    reminders.send_reminders(today=today)
    context["rectification_feedbacks"] = feedbacks
    return context


def _seed_history(context, users, rng, today):
    """Completed rounds: fed back long ago, plans accepted, nearly every task closed (the seeds report ~96%);
    the few left are 长期坚持 tasks still running. Progress without files keeps the seed quick."""
    office = users["office"]
    history = []  # (feedback, liaison)
    completed = [r for r in context.get("rounds", []) if r.phase == Phase.COMPLETED]
    for round in sorted(completed, key=lambda r: r.start_date):
        unit_ids = set(
            Finding.objects.filter(round=round, status=FindingStatus.APPROVED).values_list("unit_id", flat=True)
        )
        for index, team_unit in enumerate(
            TeamUnit.objects.filter(round=round, unit_id__in=unit_ids).select_related("unit").order_by("id")
        ):
            unit = team_unit.unit
            if Feedback.objects.filter(round=round, unit=unit).exists():
                continue
            held_on = round.end_date + timedelta(days=25 + index % 10)
            if held_on >= today:
                continue
            feedback = services.feedback_record(
                actor=office, round=round, unit=unit, held_on=held_on, place=rng.choice(PLACES),
                attendees=f"巡察组全体成员；{unit.name}领导班子成员", letter_number=f"清巡反〔{held_on.year}〕{20 + index}号",
            )
            liaison = _liaison_for(unit, users, rng)
            history.append((feedback, liaison))
            plan = services.plan_update(
                plan=feedback.plan, actor=liaison,
                content=f"{unit.name}党组织巡察反馈意见整改方案：坚持立行立改与长效机制相结合，逐项明确责任、时限和标准。",
            )
            tasks = []
            for item in feedback.problem_items.select_related("finding__category"):
                measures, department, kind = measure_for(item.finding)
                if kind == TaskKind.IMMEDIATE:
                    deadline = held_on + timedelta(days=rng.randint(5, 15))
                else:
                    deadline = held_on + timedelta(days=rng.randint(40, 150))
                task = services.task_create(
                    plan=plan, actor=liaison, finding=item.finding, measures=measures,
                    responsible_leader=rng.choice(LEADERS), responsible_department=department,
                    deadline=deadline, kind=kind,
                )
                tasks.append(task)
            services.plan_transition(plan=plan, actor=liaison, verb="submit")
            services.plan_transition(plan=plan, actor=office, verb="accept", reason="整改方案符合要求，同意实施。")
            to_close = []
            for task in tasks:
                still_running = task.kind == TaskKind.LONG_TERM and rng.random() < 0.12
                if still_running:
                    # 长期坚持: keeps running, with its next checkpoint ahead.
                    task.deadline = today + timedelta(days=rng.randint(60, 240))
                    task.save(update_fields=["deadline"])
                rules = rng.choice([0, 0, 1])
                services.progress_report(
                    task=task, actor=liaison, reported_on=max(held_on, min(task.deadline, today) - timedelta(days=7)),
                    description=rng.choice([
                        "已完成整改，相关制度已印发执行，问题未再发生。",
                        "违规资金已全部收回，涉及人员已作出检查并受到相应处理。",
                        "已建立长效机制，定期开展自查，整改成果持续巩固。",
                    ]),
                    money_recovered=Decimal(rng.choice([0, 0, 0, 5200, 18000, 86000])),
                    rules_established_count=rules,
                    rules_established_names=rng.choice(RULES) if rules else "",
                    people_held_accountable=rng.choice([0, 0, 0, 1]),
                )
                if not still_running:
                    services.task_transition(task=task, actor=liaison, verb="submit")
                    to_close.append(task.pk)
            # The office verifies a unit's tasks together and closes them in one batch, one opinion for all.
            if to_close:
                services.tasks_batch_close(actor=office, ids=to_close, opinion=BATCH_OPINION.format(unit=feedback.unit))
    return history


# --- Rectification reports (整改情况报告) -------------------------------------------------------------------

REPORT_OPENINGS = [
    "{unit}党组织把巡察整改作为重大政治任务，成立由主要负责人任组长的整改工作领导小组，召开专题会议{meetings}次，"
    "对照问题清单、任务清单、责任清单逐项推进。",
    "收到县委巡察组反馈意见后，{unit}党组织第一时间召开班子会议专题研究，制定整改方案，明确责任领导和完成时限，"
    "班子成员带头认领问题、带头整改。",
]
REPORT_CLOSINGS = [
    "对尚未完成的长期坚持类任务，已明确阶段目标，持续推进，确保整改不反弹。",
    "下一步，将坚持举一反三，把巡察整改与日常工作结合起来，以整改实效推动各项工作高质量发展。",
]
RETURN_REASONS = [
    "报告未逐项说明尚未完成任务的原因和下一步措施，追责问责情况缺少处理文件，请补充后重新报送。",
    "整改情况与整改台账不一致（建章立制部分），请核对后重新报送。",
]


def _report_text(feedback, rng):
    figures = services.report_figures(feedback)
    return (
        rng.choice(REPORT_OPENINGS).format(unit=feedback.unit.name, meetings=rng.randint(3, 9))
        + f"截至目前，反馈的{figures['findings_total']}个问题已整改完成{figures['findings_rectified']}个，"
        f"{figures['tasks_total']}项整改任务已销号{figures['tasks_closed']}项；"
        f"回收资金、挽回经济损失{figures['money_recovered']}元，建立完善制度{figures['rules_established']}项，"
        f"追责问责{figures['people_held_accountable']}人。"
        + rng.choice(REPORT_CLOSINGS)
    )


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _backdate(report, *, sent_on: date, reviewed_on: date | None = None):
    """Put a demo report's dates where the story has them (the services stamp "now")."""
    fields = {"first_submitted_at": _at(sent_on), "submitted_at": _at(sent_on),
              "is_late": sent_on > report.feedback.report_due_on}
    if report.accepted_at is not None:
        fields["accepted_at"] = _at(reviewed_on or sent_on, 16)
    RectificationReport.objects.filter(pk=report.pk).update(**fields)
    changes = ReportStatusChange.objects.filter(report=report)
    changes.filter(to_status=ReportStatus.SUBMITTED).update(at=_at(sent_on))
    changes.exclude(to_status=ReportStatus.SUBMITTED).update(at=_at(reviewed_on or sent_on, 16))


def _report(feedback, liaison, rng, *, with_file=False):
    files = [SimpleUploadedFile(f"{feedback.unit.name}关于巡察反馈意见整改情况的报告.pdf", PDF,
                                content_type="application/pdf")] if with_file else []
    return services.report_create(feedback=feedback, actor=liaison, content=_report_text(feedback, rng),
                                  other_results="群众反映强烈的问题已公开整改结果，接受群众监督。", files=files)


def _reports(current, history, *, office, leader, rng):
    """Reports in every state: this round's units (the demo liaison's returned for correction, one awaiting
    review, one still a draft, one sent months late) and the earlier rounds' units (accepted, one of them late)."""
    if RectificationReport.objects.filter(feedback__in=[f for f, _ in current + history]).exists():
        return
    scenarios = ["returned", "submitted", "draft", "late"]
    for index, (feedback, liaison) in enumerate(current):
        scenario = scenarios[index] if index < len(scenarios) else "accepted"
        report = _report(feedback, liaison, rng, with_file=index == 0)
        due = feedback.report_due_on
        if scenario == "draft":
            continue
        report = services.report_transition(report=report, actor=liaison, verb="submit")
        if scenario == "late":
            continue  # sent today, months after its deadline
        if scenario == "returned":
            report = services.report_transition(report=report, actor=office, verb="return", reason=rng.choice(RETURN_REASONS))
            _backdate(report, sent_on=due - timedelta(days=2), reviewed_on=due + timedelta(days=6))
        elif scenario == "accepted":
            report = services.report_transition(report=report, actor=leader, verb="accept")
            _backdate(report, sent_on=due - timedelta(days=1), reviewed_on=due + timedelta(days=10))
        else:
            _backdate(report, sent_on=due - timedelta(days=1))
    for index, (feedback, liaison) in enumerate(history):
        report = _report(feedback, liaison, rng, with_file=index == 0)
        report = services.report_transition(report=report, actor=liaison, verb="submit")
        report = services.report_transition(report=report, actor=office, verb="accept")
        late = index == 1
        sent_on = feedback.report_due_on + timedelta(days=9) if late else feedback.report_due_on - timedelta(days=index % 5)
        _backdate(report, sent_on=sent_on, reviewed_on=sent_on + timedelta(days=12))


# --- Look-back (回头看) ------------------------------------------------------------------------------------


def _lookback_round(context, users, today):
    """A look-back round of the first two completed rounds: one team revisits four units fed back then.

    Made here, not in rounds/demo.py, because it revisits units the rectification seed has just fed back."""
    office, leader = users["office"], users.get("leader")
    completed = sorted((r for r in context.get("rounds", []) if r.phase == Phase.COMPLETED), key=lambda r: r.start_date)
    originals = completed[:2]
    if not originals or leader is None:  # the leading group hears the look-back's findings (反馈)
        return None
    existing = Round.objects.filter(kind=RoundKind.LOOKBACK, lookback_of__in=originals).first()
    if existing is not None:
        return existing
    fed_back = list(
        Feedback.objects.filter(round__in=originals, plan__tasks__status=TaskStatus.CLOSED)
        .order_by("held_on", "id").distinct()[:4]
    )
    if not fed_back:
        return None
    start = max(f.held_on for f in fed_back) + timedelta(days=400)
    end = start + timedelta(days=30)
    if end >= today:
        return None
    unit_ids = [f.unit_id for f in fed_back]
    cadres = Cadre.objects.filter(jurisdiction=originals[0].jurisdiction).order_by("id")

    def free(pool):
        return [
            c for c in cadres.filter(pool=pool)
            if not round_selectors.recusal_conflicts(cadre=c, unit_ids=unit_ids)
            and not round_selectors.overlapping_memberships(cadre=c, start_date=start, end_date=end).exists()
        ]

    leaders, members = free(Cadre.Pool.LEADER), free(Cadre.Pool.TALENT)
    if not leaders or not members:
        return None
    lookback = round_services.round_create(
        plan=originals[0].plan, kind=RoundKind.LOOKBACK, topic="2022年度巡察整改落实情况",
        start_date=start, end_date=end, actor=office, lookback_of=originals,
    )
    team = round_services.team_create(round=lookback, name="回头看巡察组", actor=office)
    for feedback in fed_back:
        round_services.team_add_unit(team=team, unit=feedback.unit, actor=office)
    round_services.team_add_member(team=team, cadre=leaders[0], position=Membership.Position.LEADER, actor=office)
    for cadre in members[:2]:
        round_services.team_add_member(team=team, cadre=cadre, position=Membership.Position.MEMBER, actor=office)
    for phase in (Phase.ONSITE, Phase.REPORT, Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED):
        actor = leader if phase == Phase.FEEDBACK else office
        lookback = round_services.round_change_phase(round=lookback, to_phase=phase, actor=actor)
    return lookback


LOOKBACK_FIXED = [
    "经查阅整改台账、会议记录和财务凭证，相关制度已执行到位，问题未再发生。",
    "实地走访群众、抽查近一年资料，整改措施落实到位，成效巩固。",
    "调阅退赔收据和相关处理文件，违规资金已全部收回，责任人已处理。",
]


def _lookback(context, users, lookback):
    """The look-back team's verdicts on the earlier closed tasks: most fixed, one not (and so reopened)."""
    if lookback is None or LookbackCheck.objects.filter(lookback_round=lookback).exists():
        return
    unit_ids = TeamUnit.objects.filter(round=lookback).values("unit_id")
    tasks = list(
        Task.objects.filter(
            status=TaskStatus.CLOSED, plan__feedback__unit_id__in=unit_ids,
            plan__feedback__round__in=lookback.lookback_of.all(),
        ).order_by("id")[:6]
    )
    office = users["office"]
    not_fixed = min(2, len(tasks) - 1) if len(tasks) > 1 else None
    for index, task in enumerate(tasks):
        fixed = index != not_fixed
        # The task not fixed is reopened by the check, with the new time limit the look-back set.
        services.lookback_check_record(
            lookback_round=lookback, task=task, actor=office, is_fixed=fixed,
            notes=LOOKBACK_FIXED[index % len(LOOKBACK_FIXED)] if fixed
            else "抽查近半年公务接待台账，仍有3批次超标准接待，整改不到位，责令45天内重新整改。",
            new_deadline=None if fixed else timezone.localdate() + timedelta(days=45),
        )
