"""Demo findings: every status in the current round (the demo team's own units through the services, with
real actors), approved findings in every round past its report, with working papers, a few real PDF/PNG
attachments, hearings, third-party opinions, 立行立改 and money amounts. Deterministic (random.Random(2026))."""

import random
import struct
import zlib
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspection.core.money import yuan
from rounds.models import Phase

from . import services
from .attachments import check_upload
from .models import (
    Attachment,
    Category,
    Finding,
    FindingStatus,
    Hearing,
    StatusChange,
    ThirdPartyOpinion,
    WorkingPaper,
)

S = FindingStatus
APPROVED_PHASES = (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED)

# (category code, title, facts, basis, money range in yuan or None, persons)
TEMPLATES = [
    ("1.1.1", "“第一议题”学习流于形式", "{y}年党组会议“第一议题”学习{n}次仅传达文件标题，未结合本单位实际开展研讨，会议记录雷同。",
     "《中国共产党党组工作条例》第二十三条", None, "党组书记"),
    ("1.1.2", "理论学习中心组专题研讨缺失", "{y}年理论学习中心组集中学习{n}次，其中专题研讨仅1次，班子成员无发言提纲。",
     "《中国共产党党委（党组）理论学习中心组学习规则》第十条", None, ""),
    ("1.2.1", "落实上级决策部署打折扣", "对县委部署的{thing}工作，该单位未制定实施方案，{n}项任务中有{m}项至巡察时仍未启动。",
     "《中国共产党纪律处分条例》第五十九条", None, "分管副职"),
    ("1.2.2", "重点项目推进缓慢", "{y}年计划实施的{n}个重点项目中，{m}个未按期开工，已拨付资金闲置{money}元。",
     "《中国共产党问责条例》第七条", (200000, 3000000), ""),
    ("1.3.1", "行政审批超时限办理", "抽查{y}年行政审批事项{n}件，其中{m}件超过法定时限办理，最长超期23个工作日。",
     "《中华人民共和国行政许可法》第四十二条", None, "审批股负责人"),
    ("1.4.1", "意识形态工作研判不及时", "{y}年党组未按规定每半年专题研判意识形态工作，全年仅研判1次且无分析报告。",
     "《党委（党组）意识形态工作责任制实施办法》第六条", None, ""),
    ("1.4.2", "微信公众号审核把关不严", "单位微信公众号{y}年发布信息{n}条，{m}条未履行“三审三校”程序。",
     "《党委（党组）网络意识形态工作责任制实施细则》第八条", None, "办公室主任"),
    ("1.5.1", "“三重一大”事项未集体决策", "{y}年单笔{money}元的设备采购事项未经党组会议集体研究，由主要负责人签批后直接实施。",
     "《关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见》第三条", (80000, 900000), "主要负责人"),
    ("1.5.2", "党组会议记录不完整", "抽查{y}年党组会议记录{n}次，{m}次未记录与会人员表态意见，议题决定事项表述笼统。",
     "《中国共产党党组工作条例》第二十五条", None, ""),
    ("1.6.1", "惠民补贴发放不及时", "{y}年耕地地力保护补贴{money}元滞留账户超过3个月未发放到户。",
     "《中国共产党纪律处分条例》第一百一十八条", (50000, 600000), "经办人"),
    ("1.6.2", "群众诉求办理推诿", "12345热线转办件{n}件中{m}件回复“非本单位职责”，经核实属本单位职责范围。",
     "《信访工作条例》第三十条", None, ""),
    ("1.7.1", "安全隐患整改不到位", "{y}年安全生产检查发现隐患{n}处，{m}处未建立整改台账，未落实销号管理。",
     "《中华人民共和国安全生产法》第四十一条", None, "安全股负责人"),
    ("1.8.1", "上轮巡察反馈问题整改不彻底", "上轮巡察反馈的{n}个问题中，{m}个问题仅出台制度未见实效，整改报告称已全部完成。",
     "《中国共产党巡视工作条例》第三十六条", None, ""),
    ("2.1.1", "党支部未按期换届", "下属{n}个党支部中有{m}个任期届满超过6个月未换届。",
     "《中国共产党支部工作条例（试行）》第九条", None, ""),
    ("2.2.1", "“三会一课”制度落实不到位", "{y}年机关第{n}党支部党员大会仅召开2次，党课无记录，支委会记录由他人代签。",
     "《中国共产党支部工作条例（试行）》第十九条", None, "支部书记"),
    ("2.2.2", "民主生活会批评辣味不足", "{y}年度民主生活会班子成员相互批评意见{n}条，多为工作建议，未触及思想根源。",
     "《县以上党和国家机关党员领导干部民主生活会若干规定》第六条", None, ""),
    ("2.3.1", "发展党员程序不规范", "抽查发展党员档案{n}份，{m}份入党积极分子培养考察不满一年即列为发展对象。",
     "《中国共产党发展党员工作细则》第十四条", None, ""),
    ("2.3.2", "党费少交漏交", "{m}名党员按岗位工资而非全部工资收入交纳党费，{y}年少交党费{money}元。",
     "《关于中国共产党党费收缴、使用和管理的规定》第一条", (800, 12000), ""),
    ("2.4.1", "干部选拔任用动议不充分", "{y}年提拔中层干部{n}名，未按规定进行民主推荐前的动议和酝酿。",
     "《党政领导干部选拔任用工作条例》第十一条", None, ""),
    ("2.4.2", "超职数配备干部", "核定中层职数{n}名，实际配备{m}名，超职数配备问题未整改。",
     "《党政领导干部选拔任用工作条例》第五条", None, ""),
    ("2.5.1", "干部档案“三龄两历一身份”认定不规范", "抽查干部人事档案{n}卷，{m}卷出生日期、参加工作时间前后记载不一致且未经认定。",
     "《干部人事档案工作条例》第十九条", None, ""),
    ("2.5.2", "个人有关事项报告漏报", "{m}名领导干部{y}年个人有关事项报告漏报配偶名下房产、投资情况。",
     "《领导干部报告个人有关事项规定》第十三条", None, "相关领导干部"),
    ("2.6.1", "干部违规兼职取酬", "{m}名干部在下属协会兼职，{y}年领取兼职报酬共计{money}元。",
     "《中国共产党纪律处分条例》第一百零三条", (6000, 60000), "兼职干部"),
    ("2.7.2", "长期借调下级单位人员", "长期借调下属单位工作人员{n}名，最长借调时间达{m}年。",
     "《关于严禁违规借调工作人员的通知》", None, ""),
    ("2.8.2", "党建与业务“两张皮”", "年度党建工作要点与业务工作无对应措施，{n}项党建任务均以召开会议、印发文件完成。",
     "《中国共产党党和国家机关基层组织工作条例》第五条", None, ""),
    ("3.1.1", "主体责任清单照搬照抄", "党组落实全面从严治党主体责任清单与上级文件表述一致，未结合本单位廉政风险点细化。",
     "《党委（党组）落实全面从严治党主体责任规定》第八条", None, ""),
    ("3.1.2", "班子成员“一岗双责”落实不到位", "{y}年班子成员对分管领域开展廉政谈话{n}次，{m}名班子成员全年未开展。",
     "《党委（党组）落实全面从严治党主体责任规定》第十条", None, ""),
    ("3.2.2", "信访移交问题线索办理超期", "上级转办信访件{n}件，{m}件办理超过3个月未反馈结果。",
     "《纪检监察机关处理检举控告工作规则》第三十四条", None, ""),
    ("3.3.1", "以工作餐名义公款吃喝", "{y}年以工作餐名义在机关食堂公款宴请{n}次，列支费用{money}元，无公函和接待清单。",
     "《中国共产党纪律处分条例》第一百零六条", (5000, 60000), "办公室主任"),
    ("3.3.2", "违规收受管理服务对象购物卡", "{y}年春节期间，{m}名干部收受管理服务对象购物卡，价值共计{money}元。",
     "《中国共产党纪律处分条例》第九十八条", (1000, 20000), "相关干部"),
    ("3.3.3", "违规发放津贴补贴", "{y}年以加班费、交通补贴名义向在职人员发放津贴补贴{money}元，无发放依据。",
     "《中国共产党纪律处分条例》第一百零七条", (20000, 300000), "财务负责人"),
    ("3.3.4", "公务用车私用", "调阅公务用车派车单和GPS记录，{y}年节假日公车私用{n}次。",
     "《党政机关公务用车管理办法》第十九条", None, "驾驶员"),
    ("3.4.1", "督查检查考核过多过频", "{y}年对下属单位开展各类督查检查{n}次，其中{m}次要求报送纸质台账。",
     "《关于解决形式主义突出问题为基层减负的通知》", None, ""),
    ("3.4.2", "统计数据弄虚作假", "上报的{y}年{thing}数据与台账不一致，{n}项指标虚报，最高虚报率达{m}0%。",
     "《中华人民共和国统计法》第七条", None, "统计员"),
    ("3.5.1", "白条入账、大额现金支付", "{y}年白条入账{n}笔共计{money}元，另有{m}笔单笔超过5万元的现金支付。",
     "《中华人民共和国会计法》第十四条", (10000, 200000), "会计"),
    ("3.5.2", "私设“小金库”", "将收取的场地租金{money}元存放于个人银行卡，用于发放福利和接待支出，未纳入单位账簿核算。",
     "《中国共产党纪律处分条例》第一百零八条", (30000, 400000), "出纳、分管副职"),
    ("3.5.3", "专项资金挤占挪用", "将{thing}专项资金{money}元用于办公楼维修改造。",
     "《财政违法行为处罚处分条例》第六条", (100000, 1500000), "财务负责人"),
    ("3.6.1", "工程项目化整为零规避招标", "{y}年办公区改造工程拆分为{n}个合同分别发包，合计{money}元，规避公开招标。",
     "《中华人民共和国招标投标法》第四条", (300000, 3000000), "分管副职"),
    ("3.6.2", "工程结算审核不严多付工程款", "{thing}项目结算未经审计即支付尾款，经第三方复核多计工程量，多付{money}元。",
     "《建设工程价款结算暂行办法》第十四条", (50000, 800000), "项目负责人"),
    ("3.7.1", "门面房出租未经审批、租金未收缴", "{n}间门面房出租未经评估和公开招租，累计欠缴租金{money}元。",
     "《行政事业性国有资产管理条例》第二十五条", (20000, 300000), ""),
    ("3.7.2", "固定资产账实不符", "固定资产账面{n}项与实物不符，{m}台设备闲置超过2年未处置，原值{money}元。",
     "《行政事业性国有资产管理条例》第十七条", (50000, 500000), "资产管理员"),
    ("3.8.1", "为亲属经商提供便利", "分管领导亲属控股的公司{y}年承接本单位物业服务项目，合同金额{money}元，本人未回避。",
     "《中国共产党纪律处分条例》第一百零三条", (100000, 900000), "分管副职"),
]
THINGS = ["人居环境整治", "高标准农田建设", "乡村振兴衔接资金", "老旧小区改造", "农村饮水安全", "义务教育薄弱环节改善"]
DEPARTMENTS = [
    ("县自然资源和规划局", "经实地测量，该宗地实际占用面积与批复不符，认定为违法占地。"),
    ("县住房和城乡建设局", "经复核工程量清单，部分工程量重复计价，认定多计价款属实。"),
    ("县财政局", "经审核，该笔支出不属于规定的支出范围，认定为违规列支。"),
    ("县税务局", "经核查，相关发票与实际业务不符，认定为不合规票据。"),
    ("县应急管理局", "经现场检查，所列隐患属一般隐患，整改措施不到位情况属实。"),
]
EXPLAINERS = ["党组书记、局长", "分管副局长", "办公室主任", "财务股股长", "党支部书记"]


def _pdf_bytes(title: str) -> bytes:
    """A small valid one-page PDF (ASCII text: Chinese needs an embedded font, which a demo file does not)."""
    text = title.encode("ascii", "ignore").decode() or "Working paper evidence"
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _png_bytes(rng) -> bytes:
    """A small real PNG (a 48x32 colour block, like a cropped site photo thumbnail)."""
    width, height = 48, 32
    colour = bytes([rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200)])
    raw = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _text(template, rng, year):
    money = None
    code, title, facts, basis, money_range, persons = template
    if money_range:
        money = Decimal(rng.randint(*money_range)).quantize(Decimal("1")) + Decimal(rng.choice([0, 50, 80])) / 100
    values = {
        "y": year, "n": rng.randint(3, 18), "m": rng.randint(2, 6), "thing": rng.choice(THINGS),
        "money": yuan(money, empty=""),
    }
    return code, title, facts.format(**values), basis, money, persons


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


# 清河县's own manifestation, added under the province's default aspect 3.3 违反中央八项规定精神 (the county found
# fuel cards used for private cars in several units): only this office sees it and files findings under it.
OWN_PARENT = "3.3"
OWN_MANIFESTATION = "违规使用公务加油卡为私家车加油"
OWN_FINDING = (
    "公务加油卡为私家车加油",
    "调阅{y}年公务加油卡消费明细并与派车单比对，有9次加油发生在节假日且无派车记录，经核实为干部私家车加油，"
    "金额共计3,860.00元。",
    "《党政机关厉行节约反对浪费条例》第二十八条", Decimal("3860.00"), "办公室主任",
)


def seed(context: dict) -> dict:
    rng = random.Random(2026)
    users = context["users"]
    own = services.category_create(
        actor=users["office"], name=OWN_MANIFESTATION, parent=Category.objects.get(code=OWN_PARENT, owner=None)
    )
    categories = {c.code: c for c in Category.objects.filter(level=3, owner=None)}
    team_units = context["team_units"]
    current = context["current_round"]
    focus = {context["rectification_round"].pk, current.pk}
    all_findings = []

    for round in context["rounds"]:
        if round.phase not in APPROVED_PHASES and round.pk != current.pk:
            continue
        units = [tu for tu in team_units if tu.round_id == round.pk]
        for index, team_unit in enumerate(units):
            # ~30 findings for a few units (the current and the rectification round's first units), fewer elsewhere.
            count = rng.randint(24, 32) if round.pk in focus and index < 2 else rng.randint(4, 10)
            templates = rng.sample(TEMPLATES, min(count, len(TEMPLATES)))
            if round.pk == current.pk:
                all_findings += _seed_current(team_unit, templates, rng, users, categories)
            else:
                all_findings += _seed_approved(round, team_unit, templates, rng, users, categories)

    _seed_evidence(all_findings, rng, users)
    context["own_manifestation"] = own
    context["own_finding"] = _seed_own(own, [tu for tu in team_units if tu.round_id == current.pk], users)
    context["findings"] = all_findings
    context["approved_findings"] = [f for f in all_findings if f.status == S.APPROVED]
    return context


def _seed_own(category, team_units, users):
    """One finding of the current round under the office's own manifestation, submitted to the team leader."""
    for team_unit in team_units:
        member, _leader = _author_and_leader(team_unit, users)
        if member is None:
            continue
        title, facts, basis, money, persons = OWN_FINDING
        finding = services.finding_create(
            actor=member, team_unit=team_unit, category=category, title=f"{team_unit.unit.name}{title}",
            facts=facts.format(y=team_unit.round.start_date.year - 1), basis=basis, money_involved=money,
            persons_involved=persons, confirm_not_duplicate=True,
            working_paper={"description": title, "supporting_facts": "公务加油卡消费明细、派车单、加油站监控截图",
                           "process_record": "调阅明细并与派车单逐笔比对，约谈办公室主任"},
        )
        return services.finding_submit(finding=finding, actor=member)
    return None


def _author_and_leader(team_unit, users):
    memberships = {m.cadre.user_id for m in team_unit.team.memberships.select_related("cadre") if m.cadre.user_id}
    if users["zuyuan"].pk in memberships and users["zuzhang"].pk in memberships:
        return users["zuyuan"], users["zuzhang"]
    return None, None


# Statuses of the current round's findings, in the order the templates are drawn (cycled).
CURRENT_STATUSES = [S.DRAFT, S.SUBMITTED, S.LEADER_APPROVED, S.DRAFT, S.OFFICE_REVIEWED, S.APPROVED, S.SUBMITTED,
                    S.RETURNED, S.DRAFT, S.APPROVED, S.LEADER_APPROVED, S.WITHDRAWN]


def _approve_at_meeting(findings, users, round):
    """The leading group approves the current round's reviewed findings in one batch at one meeting (issue 16), as
    the county does: the meeting's name, number and date on each approval."""
    held_on = timezone.localdate() - timedelta(days=2)
    result = services.findings_batch_approve(
        actor=users["leader"], ids=[f.pk for f in findings],
        meeting_name=f"中共清河县委巡察工作领导小组{held_on.year}年第{round.number + 2}次会议",
        meeting_number=f"{held_on.year}年第{round.number + 2}次", meeting_date=held_on,
    )
    approved = {f.pk: f for f in Finding.objects.filter(pk__in=result.succeeded_ids)}
    return [approved.get(f.pk, f) for f in findings]


def _seed_current(team_unit, templates, rng, users, categories):
    member, leader = _author_and_leader(team_unit, users)
    findings = []
    at_meeting = []
    for index, template in enumerate(templates):
        code, title, facts, basis, money, persons = _text(template, rng, team_unit.round.start_date.year - 1)
        target = CURRENT_STATUSES[index % len(CURRENT_STATUSES)]
        fixed = rng.random() < 0.15
        paper = _paper(title, facts, basis, rng)
        if member is not None:
            finding = services.finding_create(
                actor=member, team_unit=team_unit, category=categories[code], title=title, facts=facts, basis=basis,
                money_involved=money, persons_involved=persons, fixed_on_site=fixed, confirm_not_duplicate=True,
                working_paper=paper,
            )
            # The approvals wait for the leading group's meeting below.
            finding = _walk(finding, S.OFFICE_REVIEWED if target == S.APPROVED else target, member=member,
                            leader=leader, users=users)
            if target == S.APPROVED:
                at_meeting.append(finding)
        else:
            finding = _direct(team_unit, categories[code], title, facts, basis, money, persons, fixed, target, users,
                              paper, team_unit.round.start_date + timedelta(days=rng.randint(5, 25)))
        findings.append(finding)
    if at_meeting:
        approved = {f.pk: f for f in _approve_at_meeting(at_meeting, users, team_unit.round)}
        findings = [approved.get(f.pk, f) for f in findings]
    return findings


def _walk(finding, target, *, member, leader, users):
    office, leading = users["office"], users["leader"]
    if target == S.DRAFT:
        return finding
    if target == S.WITHDRAWN:
        return services.finding_withdraw(finding=finding, actor=member, reason="经核实与本单位另一问题属同一事项，合并反映")
    finding = services.finding_submit(finding=finding, actor=member)
    if target == S.SUBMITTED:
        return finding
    if target == S.RETURNED:
        return services.finding_return(finding=finding, actor=leader, reason="事实依据不足，请补充会计凭证号和谈话笔录")
    finding = services.finding_leader_approve(finding=finding, actor=leader)
    if target == S.LEADER_APPROVED:
        return finding
    finding = services.finding_office_review(finding=finding, actor=office)
    if target == S.OFFICE_REVIEWED:
        return finding
    return services.finding_approve(finding=finding, actor=leading)


PATH = [S.SUBMITTED, S.LEADER_APPROVED, S.OFFICE_REVIEWED, S.APPROVED]


def _direct(team_unit, category, title, facts, basis, money, persons, fixed, target, users, paper, day):
    """Findings of teams without demo logins, and of past rounds, recorded as the office's data entry with the
    same status-change rows the services write."""
    office, leading = users["office"], users["leader"]
    finding = Finding.objects.create(
        round_id=team_unit.round_id, jurisdiction_id=team_unit.round.jurisdiction_id, team_id=team_unit.team_id,
        unit_id=team_unit.unit_id, category=category, title=title, facts=facts, basis=basis, money_involved=money, persons_involved=persons, fixed_on_site=fixed,
        created_by=office, duplicate_confirmed=True,
    )
    WorkingPaper.objects.create(finding=finding, **paper)
    steps = {S.DRAFT: [], S.WITHDRAWN: [S.WITHDRAWN], S.RETURNED: [S.SUBMITTED, S.RETURNED]}.get(
        target, PATH[: PATH.index(target) + 1] if target in PATH else []
    )
    source = S.DRAFT
    for step in steps:
        reason = {S.RETURNED: "定性依据引用条款有误，请修改", S.WITHDRAWN: "经核实不构成问题，撤回"}.get(step, "")
        finding.status = step
        if step == S.SUBMITTED:
            finding.submitted_at = _at(day)
        if step == S.APPROVED:
            finding.approved_at = _at(day + timedelta(days=20))
        if step == S.RETURNED:
            finding.returned_reason = reason
        if step == S.WITHDRAWN:
            finding.withdrawn_at, finding.withdrawn_reason = _at(day), reason
        finding._change_reason = reason or "录入审核结果"
        finding.save()
        StatusChange.objects.create(
            finding=finding, from_status=source, to_status=step,
            actor=leading if step == S.APPROVED else office, reason=reason,
        )
        source = step
    return finding


def _seed_approved(round, team_unit, templates, rng, users, categories):
    findings = []
    for template in templates:
        code, title, facts, basis, money, persons = _text(template, rng, round.start_date.year - 1)
        day = round.start_date + timedelta(days=rng.randint(5, 40))
        findings.append(_direct(
            team_unit, categories[code], title, facts, basis, money, persons, rng.random() < 0.2, S.APPROVED, users,
            _paper(title, facts, basis, rng), day,
        ))
    return findings


def _paper(title, facts, basis, rng):
    return {
        "description": f"{title}。{facts}",
        "supporting_facts": rng.choice([
            "调阅会计凭证、银行流水及相关合同，已复印留存并经经办人签字确认。",
            "查阅党组会议记录、支部会议记录本，经与当事人谈话核实。",
            "调取审批系统数据并与纸质台账比对，制作核对表。",
            "实地查看并拍照取证，经单位负责人签字确认。",
        ]),
        "basis": basis,
        "process_record": rng.choice([
            "巡察组两名同志共同核实，形成谈话笔录2份。", "经与财务人员、经办人核对，本人签字确认。",
            "经组务会研究，认定事实清楚、证据充分。",
        ]),
    }


def _seed_evidence(findings, rng, users):
    office = users["office"]
    reviewed = [f for f in findings if f.status in (S.APPROVED, S.OFFICE_REVIEWED)]
    for finding in rng.sample(reviewed, min(25, len(reviewed))):
        Hearing.objects.create(
            finding=finding, explained_by=f"{finding.unit.head_name or '该单位负责人'}（{rng.choice(EXPLAINERS)}）",
            held_on=(finding.submitted_at or timezone.now()).date() + timedelta(days=rng.randint(3, 10)),
            explanation=rng.choice([
                "对问题事实无异议，系制度执行不严所致，已着手整改。",
                "部分支出系上级检查工作接待，有相关审批单据，请求予以考虑。",
                "该事项经班子会研究同意，程序上存在瑕疵，但不存在个人谋利。",
            ]),
            team_response=rng.choice(["经核实，所提供单据不能证明公务性质，不予采纳。", "解释说明部分属实，定性时予以考虑。",
                                      "对事实无异议，维持原定性。"]),
            adopted=rng.random() < 0.3, recorded_by=office,
        )
    technical = [f for f in findings if f.category.code.startswith(("3.6", "3.7", "1.7", "3.5"))]
    for finding in rng.sample(technical, min(10, len(technical))):
        department, opinion = rng.choice(DEPARTMENTS)
        ThirdPartyOpinion.objects.create(
            finding=finding, department=department, opinion=opinion,
            given_on=(finding.submitted_at or timezone.now()).date() + timedelta(days=rng.randint(5, 15)),
            recorded_by=office,
        )
    for number, finding in enumerate(rng.sample(findings, min(12, len(findings)))):
        if number % 2:
            name, data = f"{finding.title}-现场照片.png", _png_bytes(rng)
        else:
            name, data = f"{finding.title}-问题底稿.pdf", _pdf_bytes(f"Finding {finding.pk}: working paper")
        _attach(finding, name, data, office)


def _attach(finding, name, data, actor):
    # Demo data bypasses the evidence permission (the office enters records of past rounds) but not the checks.
    uploaded = SimpleUploadedFile(name, data)
    checked = check_upload(uploaded)
    attachment = Attachment(
        finding=finding, original_name=checked.original_name, content_type=checked.content_type,
        extension=checked.extension, size=checked.size, sha256=checked.sha256, description="演示附件", uploaded_by=actor,
    )
    attachment.file.save(checked.original_name, uploaded, save=False)
    attachment.save()
