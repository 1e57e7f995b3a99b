"""Load a province-sized data set into PostgreSQL with COPY (issue 9).

    DJANGO_SETTINGS_MODULE=inspection.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuncha_bench \\
    .venv/bin/python -m bench.generate --scale 1.0

Scale 1.0 is a province: 1 province office, 14 cities and 185 counties (200 offices), 100,000 units,
~2 million findings, ~4 million rectification tasks, 300,000 leads. Scale 0.001 is the CI smoke size.
Every table it fills is emptied first (TRUNCATE ... CASCADE): run it on a database of its own, never on real data.
The checklist (findings.Category) seeded by the findings migration is reused, not replaced.

Rows stream from generators straight into `COPY ... FROM STDIN` (psycopg2 `copy_expert`); foreign keys are not
checked during the load (`session_replication_role = replica`), secondary indexes are dropped first and rebuilt
after (at scale >= 0.02), then sequences are reset and the tables ANALYZEd.
"""

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import loading

ROUNDS_PER_OFFICE = 15  # 3 a year over a five-year term
TEAMS_PER_ROUND = 4
CADRES_PER_OFFICE = 40  # the first 8 in the leader pool
LEADER_POOL = 8
OFFICE_STAFF = 5  # 2 office, 1 leading group, 1 discipline, 1 organization
REPORT_UNIT_FINDINGS = 300
FULL = {"cities": 14, "counties": 185, "units": 100_000, "findings": 2_000_000, "tasks": 4_000_000, "leads": 300_000}
DROP_INDEXES_FROM_SCALE = 0.02

BENCH_USERNAMES = {
    "superuser": "bench_admin",
    "province": "bench_province",
    "county_office": "bench_office",
}
REPORT_UNIT_NAME = "基准报告单位（300个问题）"

# Status codes kept per finding in a bytearray (2 million findings: 2 MB).
F_DRAFT, F_SUBMITTED, F_LEADER, F_OFFICE, F_APPROVED, F_RETURNED, F_WITHDRAWN = range(7)
FINDING_STATUS = ["draft", "submitted", "leader_approved", "office_reviewed", "approved", "returned", "withdrawn"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文斌波宇浩凯辉鹏飞玲燕"
UNIT_KINDS = [
    ("county_department", "局"), ("township", "镇"), ("village", "村"), ("state_enterprise", "公司"),
    ("public_institution", "中心"), ("school", "学校"), ("hospital", "医院"), ("mass_organization", "会"),
]
UNIT_WORDS = ["财政", "教育", "卫生健康", "自然资源", "住房和城乡建设", "交通运输", "水利", "农业农村", "商务", "文化旅游",
              "市场监管", "应急管理", "林业", "民政", "人社", "生态环境", "审计", "统计", "医保", "乡村振兴", "城管",
              "粮食", "供销", "国资", "科技", "司法", "退役军人", "信访", "档案", "机关事务"]
FACT_PHRASES = [
    "经查阅2023年度会计凭证", "发现单位存在", "违规发放津补贴", "公务接待超标准", "以会议费名义列支", "未经集体研究决策",
    "工程项目未按规定招标", "专项资金被挤占挪用", "政府采购程序不规范", "固定资产账实不符", "“三会一课”记录不全",
    "党费收缴不及时", "干部档案材料缺失", "整改台账未建立", "惠民资金发放不到位", "合同管理不规范", "涉及金额较大",
    "相关负责人对此负有责任", "个别干部作风漂浮", "群众反映强烈", "督促检查不到位", "制度执行流于形式",
    "多次提醒仍未纠正", "资料报送不及时", "存在廉政风险隐患", "基层党组织软弱涣散", "民主生活会查摆问题不深",
]
BASIS = ["《中国共产党纪律处分条例》第一百零六条", "《党政机关厉行节约反对浪费条例》第二十条", "《中华人民共和国政府采购法》第二十六条",
         "《中国共产党支部工作条例（试行）》第十九条", "《行政事业单位内部控制规范（试行）》第四十条"]
MEASURES = ["建立健全制度，明确责任分工", "开展专项清理，全额退缴违规资金", "组织专题学习，严肃批评教育", "完善台账，逐项对账销号",
            "约谈相关责任人，举一反三排查", "修订内部控制制度并严格执行"]
DEPARTMENTS = ["办公室", "财务股", "人事股", "党建办", "综合股", "业务股", "纪检组"]
POSTS = ["局长", "副局长", "镇党委书记", "镇长", "村党支部书记", "总经理", "院长", "校长", "主任", "科长"]
RANKS = ["正科级", "副科级", "科员", "正处级", "副处级"]


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _ts(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00+08"


@dataclass
class Office:
    index: int
    jurisdiction_id: int
    name: str
    first_unit: int = 0  # unit id of its first unit
    unit_count: int = 0


@dataclass
class Plan:
    """Sizes and id layout derived from the scale; every id is computed, none looked up."""

    scale: float
    today: date
    cities: int = 0
    counties: int = 0
    units: int = 0
    findings: int = 0
    tasks: int = 0
    leads: int = 0
    offices: list = field(default_factory=list)

    def __post_init__(self):
        s = self.scale
        self.cities = max(1, round(FULL["cities"] * s))
        self.counties = max(1, round(FULL["counties"] * s))
        self.units = max(2 * (self.cities + self.counties), round(FULL["units"] * s))
        self.findings = max(self.units * 4, round(FULL["findings"] * s))
        self.tasks = max(self.findings, round(FULL["tasks"] * s))
        self.leads = max(20, round(FULL["leads"] * s))
        # Jurisdiction ids: 1 province, then cities, then counties. Offices (with units) are cities + counties;
        # the first county is the one benchmarked as "a county".
        jid = 2
        for c in range(self.cities):
            self.offices.append(Office(len(self.offices), jid, f"第{c + 1}市"))
            jid += 1
        for k in range(self.counties):
            self.offices.append(Office(len(self.offices), jid, f"第{k % self.cities + 1}市第{k + 1}县"))
            jid += 1
        per, extra = divmod(self.units, len(self.offices))
        next_unit = 1
        for office in self.offices:
            office.first_unit = next_unit
            office.unit_count = per + (1 if office.index < extra else 0)
            next_unit += office.unit_count
        self.term_start = date(self.today.year - 4, 1, 10)
        last_start = self.today - timedelta(days=30)
        self.round_gap = max(1, (last_start - self.term_start).days // (ROUNDS_PER_OFFICE - 1))

    @property
    def bench_office(self) -> Office:
        return self.offices[self.cities]

    # --- ids ---------------------------------------------------------------------------------------------
    def round_id(self, office: Office, r: int) -> int:
        return office.index * ROUNDS_PER_OFFICE + r + 1

    def team_id(self, office: Office, r: int, t: int) -> int:
        return (office.index * ROUNDS_PER_OFFICE + r) * TEAMS_PER_ROUND + t + 1

    def cadre_id(self, office: Office, c: int) -> int:
        return office.index * CADRES_PER_OFFICE + c + 1

    def staff_user_id(self, office: Office, k: int) -> int:
        # 1 = superuser, 2 = province office user, then per office 5 staff + 40 cadre users.
        return 3 + office.index * (OFFICE_STAFF + CADRES_PER_OFFICE) + k

    def cadre_user_id(self, office: Office, c: int) -> int:
        return self.staff_user_id(office, OFFICE_STAFF + c)

    def liaison_user_id(self, unit_id: int) -> int:
        return 3 + len(self.offices) * (OFFICE_STAFF + CADRES_PER_OFFICE) + unit_id - 1

    def body_id(self, office: Office, k: int) -> int:
        return office.index * 3 + k + 1

    # --- a unit's place in the term ---------------------------------------------------------------------
    def unit_slot(self, office: Office, local: int) -> tuple[int, int]:
        """(round index, team index) of the unit's inspection in this term."""
        return local % ROUNDS_PER_OFFICE, (local // ROUNDS_PER_OFFICE) % TEAMS_PER_ROUND

    def round_dates(self, r: int) -> tuple[date, date]:
        start = self.term_start + timedelta(days=r * self.round_gap)
        return start, start + timedelta(days=45)

    def phase(self, r: int) -> str:
        start, end = self.round_dates(r)
        if end > self.today:
            return "onsite"
        if start + timedelta(days=75) > self.today:
            return "report"
        if start + timedelta(days=400) > self.today:
            return "rectification"
        return "completed"

    def has_feedback(self, r: int) -> bool:
        return self.phase(r) in ("rectification", "completed")

    def member_cadre(self, r: int, t: int, m: int) -> int:
        return LEADER_POOL + ((r * TEAMS_PER_ROUND + t) * 3 + m) % (CADRES_PER_OFFICE - LEADER_POOL)

    def leader_cadre(self, r: int, t: int) -> int:
        return (r * TEAMS_PER_ROUND + t) % LEADER_POOL


class Generator:
    def __init__(self, cursor, plan: Plan, seed: int, log):
        from django.apps import apps

        self.cursor = cursor
        self.plan = plan
        self.seed = seed
        self.log = log
        self.get = apps.get_model
        self.counts: dict[str, int] = {}
        self.timings: dict[str, float] = {}

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}:{salt}")

    def copy(self, label: str, columns: list[str], rows) -> None:
        model = self.get(label)
        started = time.perf_counter()
        n = loading.copy_rows(self.cursor, model, columns, rows)
        seconds = time.perf_counter() - started
        self.counts[label] = self.counts.get(label, 0) + n
        self.timings[label] = self.timings.get(label, 0.0) + seconds
        self.log(f"  {label:32s} {n:>10,d} rows  {seconds:7.1f} s")

    # --- foundation ---------------------------------------------------------------------------------------
    def jurisdictions(self):
        p = self.plan
        rows = [(1, "全省（基准）", "省委巡视工作领导小组办公室", "province", None)]
        for office in p.offices:
            level = "city" if office.index < p.cities else "county"
            parent = 1 if level == "city" else 2 + (office.index - p.cities) % p.cities
            rows.append((office.jurisdiction_id, office.name, f"中共{office.name}委巡察工作领导小组办公室", level, parent))
        self.copy("accounts.Jurisdiction", ["id", "name", "office_name", "level", "parent_id"], rows)

    def receiving_bodies(self):
        kinds = [("discipline", "纪委监委"), ("organization", "组织部"), ("other", "审计局")]
        rows = (
            (self.plan.body_id(o, k), o.jurisdiction_id, f"{o.name}{label}", kind, True)
            for o in self.plan.offices
            for k, (kind, label) in enumerate(kinds)
        )
        self.copy("accounts.ReceivingBody", ["id", "jurisdiction_id", "name", "kind", "is_active"], rows)

    def units(self):
        p = self.plan
        rng = self.rng("units")

        def rows():
            for office in p.offices:
                for local in range(office.unit_count):
                    unit_id = office.first_unit + local
                    kind, suffix = UNIT_KINDS[local % len(UNIT_KINDS)]
                    if office is p.bench_office and local == 0:
                        name = REPORT_UNIT_NAME
                    else:
                        name = f"{office.name}{UNIT_WORDS[local % len(UNIT_WORDS)]}{suffix}{local + 1}"
                    yield (
                        unit_id, office.jurisdiction_id, name, kind, f"中共{name}委员会", _name(rng),
                        rng.choice(POSTS), rng.randint(8, 300), True,
                    )

        self.copy(
            "units.Unit",
            ["id", "jurisdiction_id", "name", "kind", "party_org_name", "head_name", "head_post", "staff_count",
             "is_active"],
            rows(),
        )

    def users(self):
        p = self.plan
        rng = self.rng("users")
        password = "!unusable-bench-password"
        joined = _ts(p.term_start)

        def rows():
            yield (1, BENCH_USERNAMES["superuser"], password, True, True, True, joined, "", None, None, None, "基准超级管理员")
            yield (2, BENCH_USERNAMES["province"], password, False, False, True, joined, "office", 1, None, None, "省巡视办")
            staff_roles = [("office", None), ("office", None), ("leading_group", None), ("discipline", 0),
                           ("organization", 1)]
            for office in p.offices:
                for k, (role, body) in enumerate(staff_roles):
                    username = f"o{office.index}_{role}_{k}"
                    if office is p.bench_office and k == 0:
                        username = BENCH_USERNAMES["county_office"]
                    yield (
                        p.staff_user_id(office, k), username, password, False, False, True, joined, role,
                        office.jurisdiction_id, None, p.body_id(office, body) if body is not None else None,
                        _name(rng),
                    )
                for c in range(CADRES_PER_OFFICE):
                    role = "team_leader" if c < LEADER_POOL else "team_member"
                    yield (
                        p.cadre_user_id(office, c), f"o{office.index}_cadre_{c}", password, False, False, True, joined,
                        role, office.jurisdiction_id, None, None, _name(rng),
                    )
            for office in p.offices:
                for local in range(office.unit_count):
                    unit_id = office.first_unit + local
                    yield (
                        p.liaison_user_id(unit_id), f"liaison_{unit_id}", password, False, False, True, joined,
                        "unit_liaison", office.jurisdiction_id, unit_id, None, _name(rng),
                    )

        self.copy(
            "accounts.User",
            ["id", "username", "password", "is_superuser", "is_staff", "is_active", "date_joined", "role",
             "jurisdiction_id", "unit_id", "receiving_body_id", "display_name"],
            rows(),
        )

    def cadres(self):
        p = self.plan
        rng = self.rng("cadres")
        rows = (
            (
                p.cadre_id(o, c), o.jurisdiction_id, _name(rng), rng.choice(["male", "female"]),
                f"{o.name}{rng.choice(UNIT_WORDS)}局", rng.choice(POSTS), rng.choice(RANKS),
                "leader" if c < LEADER_POOL else "talent", rng.choice(["self", "recommended", "designated"]),
                p.term_start, p.cadre_user_id(o, c), True,
            )
            for o in p.offices
            for c in range(CADRES_PER_OFFICE)
        )
        self.copy(
            "units.Cadre",
            ["id", "jurisdiction_id", "name", "gender", "employer_name", "post", "rank", "pool", "joined_via",
             "joined_on", "user_id", "is_active"],
            rows,
        )

    # --- rounds -------------------------------------------------------------------------------------------
    def plans_and_rounds(self):
        p = self.plan
        start_year = p.term_start.year
        self.copy(
            "rounds.Plan",
            ["id", "jurisdiction_id", "name", "start_year", "end_year"],
            ((o.index + 1, o.jurisdiction_id, f"{o.name}{start_year}—{start_year + 4}年巡察规划", start_year,
              start_year + 4) for o in p.offices),
        )
        through = self.get("rounds.Plan").units.through
        model_label = through._meta.label
        self.copy(
            model_label,
            ["plan_id", "unit_id"],
            ((o.index + 1, o.first_unit + local) for o in p.offices for local in range(o.unit_count)),
        )

        def round_rows():
            for o in p.offices:
                for r in range(ROUNDS_PER_OFFICE):
                    start, end = p.round_dates(r)
                    kind = "lookback" if r == ROUNDS_PER_OFFICE - 2 else ("special" if r % 5 == 2 else "regular")
                    topic = "乡村振兴领域专项巡察" if kind == "special" else ""
                    yield (p.round_id(o, r), o.jurisdiction_id, o.index + 1, r + 1, kind, topic, start, end,
                           p.phase(r), _ts(start))

        self.copy(
            "rounds.Round",
            ["id", "jurisdiction_id", "plan_id", "number", "kind", "topic", "start_date", "end_date", "phase",
             "phase_changed_at"],
            round_rows(),
        )
        names = "一二三四五六七八"
        self.copy(
            "rounds.Team",
            ["id", "round_id", "name"],
            ((p.team_id(o, r, t), p.round_id(o, r), f"第{names[t]}巡察组") for o in p.offices
             for r in range(ROUNDS_PER_OFFICE) for t in range(TEAMS_PER_ROUND)),
        )

        def memberships():
            mid = 0
            for o in p.offices:
                for r in range(ROUNDS_PER_OFFICE):
                    start, end = p.round_dates(r)
                    for t in range(TEAMS_PER_ROUND):
                        team = p.team_id(o, r, t)
                        mid += 1
                        yield (mid, team, p.cadre_id(o, p.leader_cadre(r, t)), "leader", start, end, True)
                        for m in range(3):
                            mid += 1
                            yield (mid, team, p.cadre_id(o, p.member_cadre(r, t, m)), "member", start, end, True)

        self.copy(
            "rounds.Membership",
            ["id", "team_id", "cadre_id", "position", "start_date", "end_date", "is_active"],
            memberships(),
        )

        def team_units():
            for o in p.offices:
                for local in range(o.unit_count):
                    r, t = p.unit_slot(o, local)
                    unit_id = o.first_unit + local
                    yield (unit_id, p.team_id(o, r, t), p.round_id(o, r), unit_id)

        self.copy("rounds.TeamUnit", ["id", "team_id", "round_id", "unit_id"], team_units())

        rng = self.rng("petitions")
        conclusions = ["pending", "true", "partly_true", "untrue", "unverifiable"]

        def petitions():
            for o in p.offices:
                for local in range(o.unit_count):
                    r, t = p.unit_slot(o, local)
                    start, _ = p.round_dates(r)
                    unit_id = o.first_unit + local
                    yield (
                        unit_id, p.round_id(o, r), p.team_id(o, r, t), unit_id, rng.choice(["letter", "call", "online"]),
                        start + timedelta(days=rng.randint(1, 40)), True, _name(rng), "某科室负责人",
                        "反映" + rng.choice(FACT_PHRASES) + rng.choice(FACT_PHRASES),
                        rng.choice(conclusions) if p.has_feedback(r) else "pending",
                        p.cadre_user_id(o, p.member_cadre(r, t, 0)),
                    )

        self.copy(
            "rounds.Petition",
            ["id", "round_id", "team_id", "unit_id", "channel", "received_on", "is_anonymous", "subject_person",
             "subject_post", "summary", "conclusion", "created_by_id"],
            petitions(),
        )

    # --- findings -----------------------------------------------------------------------------------------
    def finding_counts(self) -> list[int]:
        """Findings per unit (index unit_id - 1): the report unit has 300, the rest share the remainder."""
        p = self.plan
        report_unit = p.bench_office.first_unit
        others = p.units - 1
        per, extra = divmod(max(0, p.findings - REPORT_UNIT_FINDINGS), others)
        counts = [per + (1 if i < extra else 0) for i in range(others)]
        counts.insert(report_unit - 1, REPORT_UNIT_FINDINGS)
        return counts

    def findings(self):
        p = self.plan
        self.cursor.execute("SELECT id, name FROM findings_category WHERE level = 3 AND owner_id IS NULL ORDER BY id")
        categories = self.cursor.fetchall()
        if not categories:
            raise loading.GenerationError("no level-3 findings.Category: run the findings migrations first")
        counts = self.finding_counts()
        self.first_finding = [0] * (p.units + 2)
        next_id = 1
        for unit_id in range(1, p.units + 1):
            self.first_finding[unit_id] = next_id
            next_id += counts[unit_id - 1]
        self.first_finding[p.units + 1] = next_id
        self.status = bytearray(next_id)
        rng = self.rng("findings")
        open_weights = [F_DRAFT] * 40 + [F_SUBMITTED] * 25 + [F_LEADER] * 15 + [F_OFFICE] * 10 + [F_RETURNED] * 5 + [
            F_APPROVED] * 5
        done_weights = [F_APPROVED] * 95 + [F_WITHDRAWN] * 5
        status_names = FINDING_STATUS

        def rows():
            status = self.status
            for o in p.offices:
                for local in range(o.unit_count):
                    unit_id = o.first_unit + local
                    r, t = p.unit_slot(o, local)
                    round_id, team_id = p.round_id(o, r), p.team_id(o, r, t)
                    start, end = p.round_dates(r)
                    weights = done_weights if p.has_feedback(r) else open_weights
                    approved_on = end + timedelta(days=20)
                    for fid in range(self.first_finding[unit_id], self.first_finding[unit_id + 1]):
                        code = rng.choice(weights)
                        status[fid] = code
                        category_id, category_name = categories[fid % len(categories)]
                        created = start + timedelta(days=rng.randint(1, 40))
                        facts = "，".join(rng.sample(FACT_PHRASES, 5)) + "。"
                        yield (
                            fid, round_id, o.jurisdiction_id, team_id, unit_id, category_id,
                            f"{category_name[:16]}（{rng.choice(FACT_PHRASES)}）第{fid}号", facts, rng.choice(BASIS),
                            f"{rng.randint(1, 500000)}.00" if rng.random() < 0.3 else None,
                            _name(rng) if rng.random() < 0.5 else "", rng.random() < 0.08, status_names[code],
                            p.cadre_user_id(o, p.member_cadre(r, t, fid % 3)), _ts(created), _ts(created, 11),
                            _ts(created, 15) if code != F_DRAFT else None,
                            _ts(approved_on) if code == F_APPROVED else None,
                            _ts(approved_on) if code == F_WITHDRAWN else None,
                            "经核实不构成问题" if code == F_WITHDRAWN else "",
                        )

        self.copy(
            "findings.Finding",
            ["id", "round_id", "jurisdiction_id", "team_id", "unit_id", "category_id", "title", "facts", "basis", "money_involved",
             "persons_involved", "fixed_on_site", "status", "created_by_id", "created_at", "updated_at",
             "submitted_at", "approved_at", "withdrawn_at", "withdrawn_reason"],
            rows(),
        )

    # --- rectification --------------------------------------------------------------------------------------
    def rectification(self):
        p = self.plan
        today = p.today
        yesterday = today - timedelta(days=1)
        approved_total = self.status.count(F_APPROVED)
        # Tasks only for approved findings of units given feedback; spread to reach the target count.
        fed_back_approved = 0
        feedback_units = []  # (office, local, round index)
        for o in p.offices:
            for local in range(o.unit_count):
                r, _ = p.unit_slot(o, local)
                if p.has_feedback(r):
                    unit_id = o.first_unit + local
                    feedback_units.append((o, local, r))
                    fed_back_approved += self.status[self.first_finding[unit_id]:self.first_finding[unit_id + 1]].count(
                        F_APPROVED
                    )
        ratio = p.tasks / max(1, fed_back_approved)
        self.log(f"  approved findings {approved_total:,d}, fed back {fed_back_approved:,d}, tasks per finding {ratio:.2f}")
        self.feedback_units = feedback_units

        def feedback_rows():
            for fid, (o, local, r) in enumerate(feedback_units, start=1):
                _, end = p.round_dates(r)
                held = end + timedelta(days=30)
                yield (
                    fid, p.round_id(o, r), o.first_unit + local, o.jurisdiction_id, held, "单位三楼会议室",
                    "巡察组全体成员、被巡察单位领导班子成员", f"{o.name[:4]}巡反〔{held.year}〕{fid}号",
                    held + timedelta(days=30), held + timedelta(days=60), p.staff_user_id(o, 0), _ts(held),
                )

        self.copy(
            "rectification.Feedback",
            ["id", "round_id", "unit_id", "jurisdiction_id", "held_on", "place", "attendees", "letter_number",
             "plan_due_on", "report_due_on", "created_by_id", "created_at"],
            feedback_rows(),
        )

        def problem_items():
            item_id = 0
            for fid, (o, local, _r) in enumerate(feedback_units, start=1):
                unit_id = o.first_unit + local
                position = 0
                for finding in range(self.first_finding[unit_id], self.first_finding[unit_id + 1]):
                    if self.status[finding] == F_APPROVED:
                        item_id += 1
                        position += 1
                        yield (item_id, fid, finding, position)

        self.copy("rectification.ProblemItem", ["id", "feedback_id", "finding_id", "position"], problem_items())

        rng = self.rng("plans")
        plan_reminders = []

        def stage_on(day: date, due: date):
            days_left = (due - day).days
            if days_left > 7:
                return None
            if days_left < -30:
                return "escalated"
            if days_left < 0:
                return "overdue"
            return "due" if days_left == 0 else "due_soon"

        run = loading.uuid_text()

        def plan_rows():
            for fid, (_o, _local, r) in enumerate(feedback_units, start=1):
                _, end = p.round_dates(r)
                held = end + timedelta(days=30)
                due = held + timedelta(days=30)
                if due < today - timedelta(days=20) or rng.random() < 0.5:
                    status, submitted, accepted = "accepted", _ts(due - timedelta(days=3)), _ts(due)
                else:
                    status, submitted, accepted = rng.choice(["draft", "submitted", "returned"]), None, None
                    if status != "draft":
                        submitted = _ts(due - timedelta(days=2))
                    stage = stage_on(yesterday, due) if status in ("draft", "returned") else None
                    if stage:
                        plan_reminders.append((fid, stage, yesterday, run))
                yield (fid, fid, "一、总体要求；二、整改任务；三、保障措施。", status, submitted, accepted, _ts(held))

        self.copy(
            "rectification.RectificationPlan",
            ["id", "feedback_id", "content", "status", "submitted_at", "accepted_at", "created_at"],
            plan_rows(),
        )
        self.copy("rectification.PlanReminder", ["plan_id", "stage", "sent_on", "run"], plan_reminders)

        # The unit's rectification report, due 60 days after feedback: older ones accepted, recent ones in every
        # state or not begun; those still owed were reminded up to yesterday, as the daily job would have done.
        rng = self.rng("reports")
        report_reminders = []

        def report_rows():
            report_id = 0
            for fid, (o, local, r) in enumerate(feedback_units, start=1):
                _, end = p.round_dates(r)
                held = end + timedelta(days=30)
                due = held + timedelta(days=60)
                if due < today - timedelta(days=20) or rng.random() < 0.4:
                    status, first, accepted = "accepted", _ts(due - timedelta(days=2)), _ts(due + timedelta(days=5))
                    late = False
                else:
                    status = rng.choice(["none", "draft", "submitted", "returned"])
                    first = _ts(due - timedelta(days=1)) if status in ("submitted", "returned") else None
                    accepted, late = None, False
                    stage = stage_on(yesterday, due) if status in ("none", "draft", "returned") else None
                    if stage:
                        report_reminders.append((fid, stage, yesterday, run))
                    if status == "none":
                        continue
                report_id += 1
                yield (
                    report_id, fid, "一、整改工作开展情况；二、问题整改情况；三、下一步工作打算。", status, first, first,
                    1 if first else 0, late, accepted, "已按要求补充整改佐证材料" if status == "returned" else "",
                    p.liaison_user_id(o.first_unit + local), _ts(held + timedelta(days=40)),
                )

        self.copy(
            "rectification.RectificationReport",
            ["id", "feedback_id", "content", "status", "first_submitted_at", "submitted_at", "submission_count",
             "is_late", "accepted_at", "return_reason", "created_by_id", "created_at"],
            report_rows(),
        )
        self.copy("rectification.ReportReminder", ["feedback_id", "stage", "sent_on", "run"], report_reminders)

        task_reminders = []
        progress = []
        rng = self.rng("tasks")
        whole, fraction = int(ratio), ratio - int(ratio)
        open_recent = ["pending"] * 20 + ["in_progress"] * 35 + ["submitted_for_closing"] * 10 + ["returned"] * 5 + [
            "closed"] * 30
        reminded = {"pending", "in_progress", "returned", "reopened"}

        def task_rows():
            task_id = 0
            for fid, (o, local, r) in enumerate(feedback_units, start=1):
                unit_id = o.first_unit + local
                _, end = p.round_dates(r)
                held = end + timedelta(days=30)
                leader = _name(rng)
                for finding in range(self.first_finding[unit_id], self.first_finding[unit_id + 1]):
                    if self.status[finding] != F_APPROVED:
                        continue
                    for _ in range(whole + (1 if rng.random() < fraction else 0)):
                        task_id += 1
                        kind = rng.choice(["immediate", "time_limited", "time_limited", "long_term"])
                        days = {"immediate": 15, "time_limited": rng.choice([60, 90, 120, 180]), "long_term": 365}[kind]
                        deadline = held + timedelta(days=days)
                        if deadline < today - timedelta(days=60):
                            status = "closed" if rng.random() < 0.92 else rng.choice(["in_progress", "returned"])
                        else:
                            status = rng.choice(open_recent)
                        closed_at = None
                        if status == "closed":
                            closed_at = _ts(min(today, deadline + timedelta(days=rng.randint(-30, 20))))
                        submitted_at = closed_at if status == "closed" else (
                            _ts(deadline) if status == "submitted_for_closing" else None
                        )
                        if status in reminded:
                            stage = stage_on(yesterday, deadline)
                            if stage:
                                task_reminders.append((task_id, stage, deadline, yesterday, run))
                        if task_id % 4 == 0 and status != "pending":
                            progress.append((task_id, min(today, deadline), rng.randint(0, 3) * 5000, status, o, r, local))
                        yield (
                            task_id, fid, o.jurisdiction_id, finding, rng.choice(MEASURES), leader, rng.choice(DEPARTMENTS), deadline, kind,
                            status, submitted_at, closed_at, _ts(held + timedelta(days=10)),
                        )

        self.copy(
            "rectification.Task",
            ["id", "plan_id", "jurisdiction_id", "finding_id", "measures", "responsible_leader", "responsible_department", "deadline",
             "kind", "status", "submitted_at", "closed_at", "created_at"],
            task_rows(),
        )
        self.copy("rectification.TaskReminder", ["task_id", "stage", "deadline", "sent_on", "run"], task_reminders)
        self.copy(
            "rectification.Progress",
            ["task_id", "reported_on", "description", "money_recovered", "rules_established_count",
             "people_held_accountable", "created_by_id"],
            (
                (task_id, day, "已完成整改，相关资料已归档。", f"{money}.00", 1 if status == "closed" else 0,
                 1 if money else 0, p.liaison_user_id(o.first_unit + local))
                for task_id, day, money, status, o, _r, local in progress
            ),
        )

    # --- referrals ----------------------------------------------------------------------------------------
    def referrals(self):
        p = self.plan
        today = p.today
        rng = self.rng("leads")
        # Leads come from the units of every round; older rounds' leads have moved further.
        units = [(o, local) for o in p.offices for local in range(o.unit_count)]
        per, extra = divmod(p.leads, len(units))
        batches: dict[tuple[int, int, str], tuple] = {}
        dispositions, results = [], []
        done = ["concluded"] * 40 + ["disposed"] * 20 + ["received"] * 20 + ["referred"] * 10 + ["registered"] * 5 + [
            "withdrawn"] * 5
        recent = ["registered"] * 60 + ["referred"] * 30 + ["withdrawn"] * 10

        def batch_for(o, r, signed: bool) -> int:
            key = (o.index, r, "signed" if signed else "sent")
            if key not in batches:
                start, end = p.round_dates(r)
                letter = end + timedelta(days=35)
                batches[key] = (len(batches) + 1, o, letter, signed)
            return batches[key][0]

        def rows():
            lead_id = 0
            for n, (o, local) in enumerate(units):
                unit_id = o.first_unit + local
                r, t = p.unit_slot(o, local)
                start, end = p.round_dates(r)
                approved = [
                    f for f in range(self.first_finding[unit_id], self.first_finding[unit_id + 1])
                    if self.status[f] == F_APPROVED
                ]
                for _ in range(per + (1 if n < extra else 0)):
                    lead_id += 1
                    status = rng.choice(done if p.has_feedback(r) else recent)
                    roll = rng.random()
                    if approved and roll < 0.7:
                        source, finding, petition = "finding", rng.choice(approved), None
                    elif roll < 0.85:
                        source, finding, petition = "petition", None, unit_id
                    else:
                        source, finding, petition = "other", None, None
                    referred_at = received_at = due = disposed_at = concluded_at = withdrawn_at = None
                    referral = None
                    letter = end + timedelta(days=35)
                    if status in ("referred", "received", "disposed", "concluded"):
                        referred_at = _ts(letter)
                        referral = batch_for(o, r, status != "referred")
                    if status in ("received", "disposed", "concluded"):
                        received = letter + timedelta(days=3)
                        received_at, due = _ts(received), received + timedelta(days=90)
                    if status in ("disposed", "concluded"):
                        decided = min(today, letter + timedelta(days=rng.randint(20, 80)))
                        disposed_at = _ts(decided)
                        dispositions.append((lead_id, rng.choice(["talk", "preliminary", "shelved", "closed", "case_opened"]),
                                             decided, o))
                    if status == "concluded":
                        concluded_at = _ts(min(today, letter + timedelta(days=100)))
                        results.append((lead_id, rng.choice(["party_discipline", "state_discipline", "organizational",
                                                             "admonition", "accountability", "clarified"]),
                                        rng.randint(1, 3), rng.randint(0, 20) * 1000, o))
                    if status == "withdrawn":
                        withdrawn_at = _ts(end + timedelta(days=10))
                    yield (
                        lead_id, o.jurisdiction_id, p.round_id(o, r), p.team_id(o, r, t), unit_id, source, finding,
                        petition, _name(rng), rng.choice(POSTS), f"{o.name}{UNIT_WORDS[local % len(UNIT_WORDS)]}局",
                        rng.choice(RANKS), "反映其" + rng.choice(FACT_PHRASES) + "，" + rng.choice(FACT_PHRASES),
                        rng.choice(["true", "partly_true", "untrue"]) if source == "petition" else "", status, referral,
                        referred_at, received_at, due, disposed_at, concluded_at, withdrawn_at, p.staff_user_id(o, 0),
                        _ts(start + timedelta(days=30)),
                    )

        self.copy(
            "referrals.Lead",
            ["id", "jurisdiction_id", "round_id", "team_id", "unit_id", "source", "finding_id", "petition_id",
             "subject_name", "subject_post", "subject_unit", "subject_rank", "summary", "petition_conclusion", "status",
             "referral_id", "referred_at", "received_at", "disposition_due_on", "disposed_at", "concluded_at",
             "withdrawn_at", "created_by_id", "created_at"],
            rows(),
        )

        def referral_rows():
            for (_office, r, kind), (bid, o, letter, signed) in batches.items():
                yield (
                    bid, o.jurisdiction_id, p.body_id(o, 0), f"{o.name[:4]}巡办移〔{letter.year}〕{r + 1}-{kind}号", letter,
                    f"关于移交第{r + 1}轮巡察发现问题线索的函", "signed" if signed else "sent", p.staff_user_id(o, 0),
                    _ts(letter), _ts(letter), _ts(letter + timedelta(days=3)) if signed else None,
                    p.staff_user_id(o, 3) if signed else None,
                )

        self.copy(
            "referrals.Referral",
            ["id", "jurisdiction_id", "receiving_body_id", "letter_number", "letter_date", "title", "status",
             "created_by_id", "created_at", "sent_at", "signed_at", "signed_by_id"],
            referral_rows(),
        )
        self.copy(
            "referrals.Disposition",
            ["lead_id", "kind", "decided_on", "note", "recorded_by_id"],
            ((lead, kind, day, "已按规定处置", p.staff_user_id(o, 3)) for lead, kind, day, o in dispositions),
        )
        self.copy(
            "referrals.Result",
            ["lead_id", "kind", "people_count", "money_recovered", "recorded_by_id"],
            ((lead, kind, people, f"{money}.00", p.staff_user_id(o, 3)) for lead, kind, people, money, o in results),
        )


LOADED_MODELS = [
    "accounts.Jurisdiction", "accounts.ReceivingBody", "units.Unit", "accounts.User", "units.Cadre", "rounds.Plan",
    "rounds.Round", "rounds.Team", "rounds.Membership", "rounds.TeamUnit", "rounds.Petition", "findings.Finding",
    "rectification.Feedback", "rectification.ProblemItem", "rectification.RectificationPlan",
    "rectification.PlanReminder", "rectification.RectificationReport", "rectification.ReportReminder",
    "rectification.Task", "rectification.TaskReminder", "rectification.Progress",
    "referrals.Referral", "referrals.Lead", "referrals.Disposition", "referrals.Result",
]


def _tables():
    from django.apps import apps

    models = [apps.get_model(label) for label in LOADED_MODELS]
    models.append(apps.get_model("rounds.Plan").units.through)
    return models


def generate(scale: float = 1.0, *, seed: int = 2026, today: date | None = None, log=print,
             drop_indexes: bool | None = None, vacuum: bool = False) -> dict:
    """Empty the bench tables and load a data set of `scale` into the default database. Returns counts and times."""
    from django.db import connection, transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        raise loading.GenerationError("bench.generate needs PostgreSQL (COPY)")
    plan = Plan(scale=scale, today=today or timezone.localdate())
    if drop_indexes is None:
        drop_indexes = scale >= DROP_INDEXES_FROM_SCALE
    models = _tables()
    tables = [m._meta.db_table for m in models]
    started = time.perf_counter()
    log(f"scale {scale}: {len(plan.offices)} offices, {plan.units:,d} units, ~{plan.findings:,d} findings, "
        f"~{plan.tasks:,d} tasks, {plan.leads:,d} leads (today {plan.today})")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        # The default checklist (owner NULL) is seeded by a migration, not generated; Category.owner references a
        # jurisdiction, so TRUNCATE ... CASCADE empties it too. Keep it aside and put it back.
        cursor.execute("CREATE TEMP TABLE bench_default_checklist AS "
                       "SELECT * FROM findings_category WHERE owner_id IS NULL")
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        cursor.execute("INSERT INTO findings_category SELECT * FROM bench_default_checklist")
        cursor.execute("DROP TABLE bench_default_checklist")
        cursor.execute("SELECT setval(pg_get_serial_sequence('findings_category', 'id'), "
                       "COALESCE((SELECT MAX(id) FROM findings_category), 0) + 1, false)")
        indexes = loading.secondary_indexes(cursor, tables) if drop_indexes else []
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        generator = Generator(cursor, plan, seed, log)
        generator.jurisdictions()
        generator.receiving_bodies()
        generator.units()
        generator.users()
        generator.cadres()
        generator.plans_and_rounds()
        generator.findings()
        generator.rectification()
        generator.referrals()
        loaded = time.perf_counter()
        for name, definition in indexes:
            t0 = time.perf_counter()
            cursor.execute(definition)
            log(f"  index {name:40s} {time.perf_counter() - t0:6.1f} s")
        indexed = time.perf_counter()
        for model in models:
            loading.reset_sequence(cursor, model)
        # Everything the apps' tests or seeds left behind that points at the reset ids is gone with CASCADE;
        # the sequences of the other tables (e.g. historical records) keep going.
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
    if vacuum:
        # As autovacuum would have by the time anyone benchmarks production: visibility maps for index-only scans.
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'VACUUM ANALYZE "{table}"')
    done = time.perf_counter()
    summary = {
        "scale": scale,
        "counts": generator.counts,
        "copy_seconds": round(loaded - started, 1),
        "index_seconds": round(indexed - loaded, 1),
        "analyze_seconds": round(done - indexed, 1),  # and VACUUM when asked
        "total_seconds": round(done - started, 1),
    }
    log(f"loaded in {summary['copy_seconds']} s, indexes {summary['index_seconds']} s, "
        f"analyze{' and vacuum' if vacuum else ''} {summary['analyze_seconds']} s, total {summary['total_seconds']} s")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description="Load a province-scale data set with COPY (empties the bench tables)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = province (100k units, 2M findings, 4M tasks)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    parser.add_argument("--keep-indexes", action="store_true", help="do not drop and rebuild secondary indexes")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings.local")
    import django

    django.setup()
    summary = generate(args.scale, seed=args.seed, today=args.today, drop_indexes=False if args.keep_indexes else None,
                       vacuum=True)
    print({k: v for k, v in summary.items() if k != "counts"}, file=sys.stderr)


if __name__ == "__main__":
    main()
