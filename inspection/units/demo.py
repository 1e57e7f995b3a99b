"""Demo base data of 清河县: the office, receiving bodies, ~130 units, ~80 cadres, recusal factors, demo users.

`seed(context)` is called first by `seed_demo`; later seeds read what it leaves in `context`. Every figure comes
from one `random.Random(2026)`, so two runs produce the same county; rows are fetched or created by name, so a
second run adds nothing.
"""

import random
from datetime import date, timedelta

from inspection.accounts.models import Jurisdiction, ReceivingBody, Role, User

from .models import Cadre, RecusalFactor, Specialty, Unit, UnitKind, id_check_character

JURISDICTION = "清河县"
OFFICE_NAME = "中共清河县委巡察工作领导小组办公室"
PASSWORD = "Xuncha@2026"

RECEIVING_BODIES = [
    ("县纪委监委", ReceivingBody.Kind.DISCIPLINE),
    ("县委组织部", ReceivingBody.Kind.ORGANIZATION),
    ("县审计局", ReceivingBody.Kind.OTHER),
    ("县财政局", ReceivingBody.Kind.OTHER),
    ("县信访局", ReceivingBody.Kind.OTHER),
]

# (name, head post)
COUNTY_DEPARTMENTS = [
    ("县委办公室", "主任"),
    ("县政府办公室", "主任"),
    ("县委组织部", "部长"),
    ("县委宣传部", "部长"),
    ("县委统战部", "部长"),
    ("县发展和改革局", "局长"),
    ("县教育局", "局长"),
    ("县科技和工业信息化局", "局长"),
    ("县公安局", "局长"),
    ("县民政局", "局长"),
    ("县司法局", "局长"),
    ("县财政局", "局长"),
    ("县人力资源和社会保障局", "局长"),
    ("县自然资源局", "局长"),
    ("县住房和城乡建设局", "局长"),
    ("县交通运输局", "局长"),
    ("县水利局", "局长"),
    ("县农业农村局", "局长"),
    ("县商务局", "局长"),
    ("县文化和旅游局", "局长"),
    ("县卫生健康局", "局长"),
    ("县退役军人事务局", "局长"),
    ("县应急管理局", "局长"),
    ("县审计局", "局长"),
    ("县市场监督管理局", "局长"),
    ("县统计局", "局长"),
    ("县医疗保障局", "局长"),
    ("县林业局", "局长"),
    ("县乡村振兴局", "局长"),
    ("县城市管理局", "局长"),
    ("县行政审批服务局", "局长"),
    ("县信访局", "局长"),
]
TOWNSHIPS = [
    "城关镇",
    "清河镇",
    "东坡镇",
    "南湖镇",
    "桃源镇",
    "石桥镇",
    "西岭乡",
    "北山乡",
    "柳溪乡",
    "马坊乡",
    "新华街道",
    "兴隆街道",
]
COMMUNITIES = [
    "东关社区",
    "西关社区",
    "南街社区",
    "北街社区",
    "人民路社区",
    "解放路社区",
    "幸福社区",
    "和平社区",
    "建设路社区",
    "文化路社区",
    "滨河社区",
    "金桥社区",
    "锦绣社区",
    "育才社区",
    "朝阳社区",
]
VILLAGE_PREFIXES = (
    "东西南北前后上下大小新高李王张刘陈杨赵黄周吴徐孙马朱胡郭何林罗梁宋郑谢韩唐冯于董萧程曹袁邓许"
)
VILLAGE_SUFFIXES = [
    "庄村",
    "店村",
    "沟村",
    "营村",
    "屯村",
    "河村",
    "岭村",
    "坪村",
    "湾村",
    "寨村",
    "堡村",
    "桥村",
    "集村",
]
# (name, kind, parent name or "", head post)
OTHER_UNITS = [
    ("县城市建设投资集团有限公司", UnitKind.STATE_ENTERPRISE, "", "董事长"),
    ("县国有资产运营有限公司", UnitKind.STATE_ENTERPRISE, "", "董事长"),
    ("县水务集团有限公司", UnitKind.STATE_ENTERPRISE, "", "董事长"),
    ("县交通投资有限公司", UnitKind.STATE_ENTERPRISE, "", "董事长"),
    ("县粮食储备有限公司", UnitKind.STATE_ENTERPRISE, "", "总经理"),
    ("县农业发展投资有限公司", UnitKind.STATE_ENTERPRISE, "", "董事长"),
    ("县第一中学", UnitKind.SCHOOL, "县教育局", "党总支书记、校长"),
    ("县第二中学", UnitKind.SCHOOL, "县教育局", "党总支书记、校长"),
    ("县职业教育中心", UnitKind.SCHOOL, "县教育局", "校长"),
    ("县实验小学", UnitKind.SCHOOL, "县教育局", "校长"),
    ("县城关第二小学", UnitKind.SCHOOL, "县教育局", "校长"),
    ("县实验幼儿园", UnitKind.SCHOOL, "县教育局", "园长"),
    ("县特殊教育学校", UnitKind.SCHOOL, "县教育局", "校长"),
    ("县人民医院", UnitKind.HOSPITAL, "县卫生健康局", "党委书记"),
    ("县中医医院", UnitKind.HOSPITAL, "县卫生健康局", "院长"),
    ("县妇幼保健院", UnitKind.HOSPITAL, "县卫生健康局", "院长"),
    ("县第二人民医院", UnitKind.HOSPITAL, "县卫生健康局", "院长"),
    ("县融媒体中心", UnitKind.PUBLIC_INSTITUTION, "县委宣传部", "主任"),
    ("县不动产登记中心", UnitKind.PUBLIC_INSTITUTION, "县自然资源局", "主任"),
    ("县公共资源交易中心", UnitKind.PUBLIC_INSTITUTION, "县政府办公室", "主任"),
    ("县社会保险事业中心", UnitKind.PUBLIC_INSTITUTION, "县人力资源和社会保障局", "主任"),
    ("县住房公积金管理中心", UnitKind.PUBLIC_INSTITUTION, "", "主任"),
    ("县农业技术推广中心", UnitKind.PUBLIC_INSTITUTION, "县农业农村局", "主任"),
    ("县疾病预防控制中心", UnitKind.PUBLIC_INSTITUTION, "县卫生健康局", "主任"),
    ("县档案馆", UnitKind.PUBLIC_INSTITUTION, "县委办公室", "馆长"),
    ("县总工会", UnitKind.MASS_ORGANIZATION, "", "常务副主席"),
    ("共青团清河县委员会", UnitKind.MASS_ORGANIZATION, "", "书记"),
    ("县妇女联合会", UnitKind.MASS_ORGANIZATION, "", "主席"),
    ("县科学技术协会", UnitKind.MASS_ORGANIZATION, "", "主席"),
    ("县工商业联合会", UnitKind.MASS_ORGANIZATION, "", "主席"),
    ("县残疾人联合会", UnitKind.MASS_ORGANIZATION, "", "理事长"),
]
STREETS = [
    "人民路",
    "解放路",
    "建设路",
    "文化路",
    "滨河路",
    "兴华街",
    "府前街",
    "朝阳路",
    "迎宾大道",
    "清河大街",
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
MALE_GIVEN = [
    "建国",
    "建华",
    "国强",
    "志强",
    "文斌",
    "海涛",
    "振华",
    "卫东",
    "晓东",
    "德明",
    "永刚",
    "立新",
    "军",
    "伟",
    "勇",
    "磊",
    "涛",
    "斌",
    "鹏",
    "浩",
    "俊杰",
    "宏伟",
    "明辉",
    "春生",
    "红旗",
    "学军",
    "世平",
    "光明",
    "长青",
    "家豪",
    "子轩",
    "天宇",
    "新民",
    "建军",
    "保国",
    "庆丰",
    "兴旺",
    "守信",
    "玉林",
    "广田",
]
FEMALE_GIVEN = [
    "红梅",
    "丽华",
    "秀英",
    "晓燕",
    "桂兰",
    "玉兰",
    "海燕",
    "丽娟",
    "静",
    "敏",
    "芳",
    "娜",
    "婷",
    "雪梅",
    "春燕",
    "慧敏",
    "玉珍",
    "凤英",
    "淑珍",
    "亚楠",
    "晓红",
    "文静",
    "雅琴",
    "佳慧",
    "秋菊",
    "美玲",
]
RANKS = ["四级调研员", "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员"]
LEADER_POSTS = [
    "县委巡察组组长",
    "县委巡察组副组长",
    "四级调研员",
    "原县直单位主要负责人",
    "县委巡察办副主任",
]
FINANCE_POSTS = ["会计", "审计员", "财务股股长", "审计科科长", "会计核算中心主任"]
TALENT_POSTS = [
    "科长",
    "副科长",
    "股长",
    "主任科员",
    "科员",
    "干部",
    "副主任",
    "纪检监察员",
]

# Demo logins: username -> (display name, role)
DEMO_USERS = {
    "office": ("刘晓红", Role.OFFICE),
    "leader": ("陈卫东", Role.LEADING_GROUP),
    "zuzhang": ("周振华", Role.TEAM_LEADER),
    "zuyuan": ("吴丽娟", Role.TEAM_MEMBER),
    "jiwei": ("郑国强", Role.DISCIPLINE),
    "zuzhibu": ("许文静", Role.ORGANIZATION),
    "liaison": ("孙海燕", Role.UNIT_LIAISON),
}


class _Names:
    """Chinese names without repeats, drawn from the one seeded generator."""

    def __init__(self, rng: random.Random, taken=()):
        self.rng = rng
        self.taken = set(taken)

    def person(self, gender=None):
        gender = gender or self.rng.choice([Cadre.Gender.MALE] * 3 + [Cadre.Gender.FEMALE] * 2)
        pool = MALE_GIVEN if gender == Cadre.Gender.MALE else FEMALE_GIVEN
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(pool)
            if name not in self.taken:
                self.taken.add(name)
                return name, gender


def _party_org(name, kind):
    short = name.removeprefix("县")
    if kind == UnitKind.COUNTY_DEPARTMENT:
        return f"中共清河县{short}党组" if "委" not in name else f"中共清河县{short}支部委员会"
    if kind == UnitKind.TOWNSHIP:
        return f"中共清河县{name}委员会" if name.endswith(("镇", "乡")) else f"中共清河县{name}工作委员会"
    if kind == UnitKind.VILLAGE:
        return f"中共{name}支部委员会" if name.endswith("村") else f"中共{name}委员会"
    if kind == UnitKind.MASS_ORGANIZATION:
        return f"中共{name}党组" if name.startswith("共青团") else f"中共清河县{short}党组"
    return (
        f"中共清河县{short}委员会"
        if kind in (UnitKind.HOSPITAL, UnitKind.STATE_ENTERPRISE)
        else f"中共清河县{short}支部委员会"
    )


def _unit_rows(rng: random.Random, names: _Names):
    """Every unit as a dict, parents before children."""
    rows = []

    def add(name, kind, parent, post, staff):
        head, _ = names.person()
        rows.append(
            {
                "name": name,
                "kind": kind,
                "parent": parent,
                "party_org_name": _party_org(name, kind),
                "head_name": head,
                "head_post": post,
                "staff_count": staff,
                "address": f"清河县{rng.choice(STREETS)}{rng.randint(1, 280)}号",
            }
        )

    for name, post in COUNTY_DEPARTMENTS:
        add(name, UnitKind.COUNTY_DEPARTMENT, "", post, rng.randint(18, 160))
    used = set()
    communities = iter(COMMUNITIES)
    for town in TOWNSHIPS:
        is_street = town.endswith("街道") or town == "城关镇"
        add(
            town,
            UnitKind.TOWNSHIP,
            "",
            "党工委书记" if town.endswith("街道") else "党委书记",
            rng.randint(45, 120),
        )
        for _ in range(rng.randint(4, 5)):
            if is_street:
                village = next(communities)
            else:
                while True:
                    village = rng.choice(VILLAGE_PREFIXES) + rng.choice(VILLAGE_SUFFIXES)
                    if village not in used:
                        break
            used.add(village)
            add(
                village,
                UnitKind.VILLAGE,
                town,
                "党支部书记、主任" if village.endswith("村") else "党委书记、主任",
                rng.randint(5, 15),
            )
    for name, kind, parent, post in OTHER_UNITS:
        add(
            name,
            kind,
            parent,
            post,
            rng.randint(12, 900) if kind == UnitKind.HOSPITAL else rng.randint(10, 220),
        )
    return rows


def _demo_id_number(index: int, gender: str) -> str:
    """An invented but well-formed 公民身份号码 (the county's area code, a birth date, an odd sequence number for
    men). Its own generator, so adding it left every other demo value as it was."""
    rng = random.Random(f"id-number-{index}")
    birth = date(1968, 1, 1) + timedelta(days=rng.randint(0, 30 * 365))
    sex = rng.choice([1, 3, 5, 7, 9] if gender == Cadre.Gender.MALE else [0, 2, 4, 6, 8])
    first17 = f"130534{birth:%Y%m%d}{rng.randint(0, 99):02d}{sex}"
    return first17 + id_check_character(first17)


def _cadre_rows(rng: random.Random, names: _Names, unit_names: list[str], county_departments: list[str]):
    specialty_codes = [
        "finance",
        "audit",
        "law",
        "discipline",
        "organization",
        "engineering",
        "land",
        "it",
        "agriculture",
        "education",
        "health",
    ]
    rows = []
    for index in range(80):
        leader = index < 20
        name, gender = names.person()
        # About one in five is an auditor or accountant: "3+X" teams need at least one.
        if index % 5 == 0 or index in (3, 11):
            specialties = [rng.choice(["audit", "finance"])]
            if rng.random() < 0.4:
                specialties.append("finance" if specialties[0] == "audit" else "audit")
        else:
            specialties = rng.sample(specialty_codes[2:], rng.randint(1, 2))
        outside = rng.random() < 0.1
        rows.append(
            {
                "name": name,
                "gender": gender,
                "pool": Cadre.Pool.LEADER if leader else Cadre.Pool.TALENT,
                "joined_via": Cadre.JoinedVia.DESIGNATED
                if leader and rng.random() < 0.7
                else rng.choice(
                    [Cadre.JoinedVia.SELF, Cadre.JoinedVia.RECOMMENDED, Cadre.JoinedVia.RECOMMENDED]
                ),
                "joined_on": date(2019, 3, 1) + timedelta(days=rng.randint(0, 6 * 365)),
                "employer": None if outside else rng.choice(county_departments if leader else unit_names),
                "employer_name": rng.choice(
                    ["市审计局驻县审计组", "县委党校", "县人大常委会办公室", "县政协办公室"]
                )
                if outside
                else "",
                "post": rng.choice(LEADER_POSTS)
                if leader
                else rng.choice(FINANCE_POSTS if {"audit", "finance"} & set(specialties) else TALENT_POSTS),
                "rank": rng.choice(RANKS[:2]) if leader else rng.choice(RANKS[1:]),
                "phone": "1" + rng.choice(["39", "38", "58", "87", "35"]) + f"{rng.randint(0, 99999999):08d}",
                "id_number": _demo_id_number(index, gender),
                "specialties": specialties,
            }
        )
    return rows


def seed(context: dict) -> dict:
    rng = random.Random(2026)
    jurisdiction, _ = Jurisdiction.objects.get_or_create(
        name=JURISDICTION, defaults={"office_name": OFFICE_NAME, "level": Jurisdiction.Level.COUNTY}
    )
    bodies = {}
    for name, kind in RECEIVING_BODIES:
        body, _ = ReceivingBody.objects.get_or_create(
            jurisdiction=jurisdiction, name=name, defaults={"kind": kind}
        )
        bodies.setdefault(kind.value, body)

    names = _Names(rng, taken=[display for display, _ in DEMO_USERS.values()])
    units_by_name = {}
    for row in _unit_rows(rng, names):
        parent_name = row.pop("parent")
        row["parent"] = units_by_name[parent_name] if parent_name else None
        unit, _ = Unit.objects.get_or_create(jurisdiction=jurisdiction, name=row.pop("name"), defaults=row)
        units_by_name[unit.name] = unit
    units = list(units_by_name.values())

    specialties = {s.code: s for s in Specialty.objects.all()}
    county_departments = [name for name, _ in COUNTY_DEPARTMENTS]
    cadres = []
    for row in _cadre_rows(rng, names, list(units_by_name), county_departments):
        codes = row.pop("specialties")
        employer = row.pop("employer")
        row["employer"] = units_by_name[employer] if employer else None
        cadre, created = Cadre.objects.get_or_create(
            jurisdiction=jurisdiction, name=row.pop("name"), defaults=row
        )
        if created:
            cadre.specialties.set([specialties[code] for code in codes if code in specialties])
        cadres.append(cadre)

    # Recusal factors: where they worked, where a relative works, their home township.
    townships = [u for u in units if u.kind == UnitKind.TOWNSHIP]
    for cadre in rng.sample(cadres, 28):
        kind = rng.choice(list(RecusalFactor.Kind))
        if kind == RecusalFactor.Kind.WORKED_THERE:
            unit = cadre.employer or rng.choice(units)
            description = f"{rng.randint(2008, 2022)}年至{rng.randint(2023, 2025)}年在该单位工作"
        elif kind == RecusalFactor.Kind.HOMETOWN:
            unit = rng.choice(townships)
            description = f"籍贯{unit.name}"
        elif kind == RecusalFactor.Kind.RELATIVE:
            unit = rng.choice(units)
            description = rng.choice(["配偶", "兄长", "妹妹", "女婿", "表弟"]) + "在该单位任职"
        else:
            unit = rng.choice(units)
            description = "曾与该单位主要负责人共事多年，主动申报"
        RecusalFactor.objects.get_or_create(
            cadre=cadre,
            unit=unit,
            kind=kind,
            defaults={
                "description": description,
                "declared_at": date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
            },
        )

    leader_cadre = next(c for c in cadres if c.pool == Cadre.Pool.LEADER and c.employer_id)
    member_cadre = next(
        c
        for c in cadres
        if c.pool == Cadre.Pool.TALENT and c.specialties.filter(counts_as_finance=True).exists()
    )
    liaison_unit = units_by_name["城关镇"]
    users = _seed_users(jurisdiction, bodies, liaison_unit, leader_cadre, member_cadre)

    context.update(
        jurisdiction=jurisdiction,
        users=users,
        units=units,
        cadres=cadres,
        receiving_bodies=bodies,
        liaison_unit=liaison_unit,
        leader_cadre=leader_cadre,
        member_cadre=member_cadre,
    )
    return context


def _seed_users(jurisdiction, bodies, liaison_unit, leader_cadre, member_cadre):
    users = {}
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "display_name": "系统管理员",
            "is_superuser": True,
            "is_staff": True,
            "jurisdiction": jurisdiction,
        },
    )
    if created:
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
    users["admin"] = admin
    # The team leader and member are people of the cadre pool: their login shows their cadre's name.
    cadre_names = {"zuzhang": leader_cadre.name, "zuyuan": member_cadre.name}
    for username, (display_name, role) in DEMO_USERS.items():
        fields = {
            "display_name": cadre_names.get(username, display_name),
            "role": role,
            "jurisdiction": jurisdiction,
        }
        if role == Role.UNIT_LIAISON:
            fields["unit"] = liaison_unit
        if role == Role.DISCIPLINE:
            fields["receiving_body"] = bodies[ReceivingBody.Kind.DISCIPLINE.value]
        if role == Role.ORGANIZATION:
            fields["receiving_body"] = bodies[ReceivingBody.Kind.ORGANIZATION.value]
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    # The team roles find their teams through their cadre record.
    for cadre, username in ((leader_cadre, "zuzhang"), (member_cadre, "zuyuan")):
        if cadre.user_id != users[username].pk:
            cadre.user = users[username]
            cadre.save(update_fields=["user"])
    return users
