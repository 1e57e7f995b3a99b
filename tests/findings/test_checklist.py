"""A checklist per office (issue 13 item 3): the province's default tree, adopted by every office; an office's
own nodes, seen by it alone; retiring a default node for one office only; counts of the office's own findings."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import load_workbook

from findings import selectors, services
from findings.models import Category, Finding, RetiredCategory
from inspection.accounts.models import Jurisdiction, Role
from inspection.core.exceptions import DomainError
from tests.factories import JurisdictionFactory, UserFactory

from .factories import FindingFactory, TeamUnitFactory, manifestation, team_user
from .test_services import draft

REFUSED_DEFAULT = "默认问题清单由省级巡察机构统一维护，本机构不能修改；可停用该项（仅对本机构生效）并添加本机构的分类"
NOT_IN_CHECKLIST = "请选择本机构问题清单中启用的第三级分类（具体表现）"
OWN_NAME = "违规使用公务加油卡为私家车加油"


@pytest.fixture
def office_b(make_user, other_jurisdiction):
    return make_user(Role.OFFICE, username="office_b", jurisdiction=other_jurisdiction)


@pytest.fixture
def team_unit_b(other_jurisdiction):
    return TeamUnitFactory(team__round__jurisdiction=other_jurisdiction, unit__name="柳林县财政局")


@pytest.fixture
def member_b(team_unit_b):
    return team_user(team_unit_b.team, Role.TEAM_MEMBER, username="member_b", display_name="孙组员")


@pytest.fixture
def province_office(make_user):
    province = JurisdictionFactory(name="河北省", level=Jurisdiction.Level.PROVINCE)
    return make_user(Role.OFFICE, username="province", jurisdiction=province)


@pytest.fixture
def own(office_user):
    """County A's own manifestation under the default aspect 3.3 违反中央八项规定精神."""
    return services.category_create(actor=office_user, name=OWN_NAME, parent=Category.objects.get(code="3.3"))


def in_use(jurisdiction):
    return set(selectors.manifestations_in_use(jurisdiction.pk).values_list("code", flat=True))


def test_existing_categories_are_the_default_tree(db):
    assert not Category.objects.filter(owner__isnull=False).exists()
    counts = {level: Category.objects.filter(level=level).count() for level in (1, 2, 3)}
    assert counts == {1: 3, 2: 24, 3: 51}


def test_county_cannot_rename_a_default_manifestation(client, office_user, jurisdiction):
    category = manifestation("3.3.2")
    with pytest.raises(DomainError) as excinfo:
        services.category_update(category=category, actor=office_user, name="收送礼品礼金", order=1)
    assert (excinfo.value.message, excinfo.value.field) == (REFUSED_DEFAULT, "name")

    client.force_login(office_user)
    response = client.post(reverse("findings:category_edit", args=[category.pk]), {"name": "收送礼品礼金", "order": 1})
    assert response.status_code == 200
    assert REFUSED_DEFAULT in response.content.decode()
    response = client.patch(f"/api/finding-categories/{category.pk}/", {"name": "收送礼品礼金"},
                            content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"name": [REFUSED_DEFAULT]})
    category.refresh_from_db()
    assert category.name == "违规收送礼品礼金、消费卡"


def test_county_retiring_a_default_manifestation_retires_it_for_itself_only(
    client, office_user, office_b, jurisdiction, other_jurisdiction, team_unit, member, team_unit_b, member_b,
):
    category = manifestation("3.3.2")
    client.force_login(office_user)
    response = client.post(reverse("findings:category_edit", args=[category.pk]), {"action": "retire"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.is_active is True  # the default node itself is untouched
    assert list(RetiredCategory.objects.values_list("jurisdiction__name", "category__code", "retired_by__username")) == [
        ("清河县", "3.3.2", "office")
    ]
    assert "3.3.2" not in in_use(jurisdiction)
    assert "3.3.2" in in_use(other_jurisdiction)
    with pytest.raises(DomainError) as excinfo:
        draft(member, team_unit, category=category, title="违规收送购物卡", facts="春节期间收受购物卡价值3000元。")
    assert (excinfo.value.message, excinfo.value.field) == (NOT_IN_CHECKLIST, "category")
    kept = draft(member_b, team_unit_b, category=category, title="违规收送购物卡", facts="春节期间收受购物卡价值3000元。")
    assert kept.category_id == category.pk

    # County B's page and API still show it in force; county A's show it retired here.
    client.force_login(office_b)
    body = {row["code"]: row for row in client.get("/api/finding-categories/").json()}
    assert (body["3.3.2"]["is_active"], body["3.3.2"]["retired_here"], body["3.3.2"]["in_force"]) == (True, False, True)
    client.force_login(office_user)
    body = {row["code"]: row for row in client.get("/api/finding-categories/").json()}
    assert (body["3.3.2"]["is_active"], body["3.3.2"]["retired_here"], body["3.3.2"]["in_force"]) == (False, True, False)

    # Restoring is for A only too; the row stays with who restored it, and retiring again adds a new one.
    response = client.patch(f"/api/finding-categories/{category.pk}/", {"is_active": True},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["in_force"] is True
    assert "3.3.2" in in_use(jurisdiction)
    services.category_set_active(category=category, actor=office_user, active=False)
    assert list(RetiredCategory.objects.order_by("id").values_list("restored_by__username", flat=True)) == [
        "office", None
    ]


def test_retiring_a_default_aspect_for_itself_hides_its_manifestations_and_blocks_restoring_below(
    office_user, jurisdiction, other_jurisdiction
):
    aspect = Category.objects.get(code="3.5")
    services.category_set_active(category=aspect, actor=office_user, active=False)
    assert not {"3.5.1", "3.5.2", "3.5.3"} & in_use(jurisdiction)
    assert {"3.5.1", "3.5.2", "3.5.3"} <= in_use(other_jurisdiction)
    with pytest.raises(DomainError, match="已停用的分类下不能添加下级分类"):
        services.category_create(actor=office_user, name="公务卡使用不规范", parent=aspect)


def test_own_manifestation_is_invisible_to_another_office(
    client, own, office_user, office_b, jurisdiction, other_jurisdiction, team_unit, member, team_unit_b, member_b,
):
    assert (own.code, own.level, own.owner_id) == ("3.3.5", 3, jurisdiction.pk)
    assert own.code in in_use(jurisdiction)
    assert own.code not in in_use(other_jurisdiction)
    assert draft(member, team_unit, category=own, title="公务加油卡加私车", facts="2025年用公务加油卡为私家车加油8次。")

    client.force_login(office_b)
    assert own.pk not in {row["id"] for row in client.get("/api/finding-categories/").json()}
    assert OWN_NAME not in client.get(reverse("findings:category_list")).content.decode()
    assert client.get(reverse("findings:category_edit", args=[own.pk])).status_code == 404
    response = client.patch(f"/api/finding-categories/{own.pk}/", {"is_active": False}, content_type="application/json")
    assert response.status_code == 404
    # Nor can B add beneath it (the page: not found; the API: the parent does not exist for B).
    assert client.post(reverse("findings:category_create"), {"name": "下级", "parent": own.pk}).status_code == 404
    response = client.post("/api/finding-categories/", {"name": "下级", "parent": own.pk}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["parent"]
    with pytest.raises(DomainError, match="上级分类不存在"):
        services.category_create(actor=office_b, name="下级", parent=own)

    # B's findings cannot use it: a 400 naming the field, in Chinese; B's form does not offer it.
    client.force_login(member_b)
    payload = {"team_unit": team_unit_b.pk, "category": own.pk, "title": "公务加油卡加私车",
               "facts": "2025年用公务加油卡为私家车加油8次。", "basis": "违反《党政机关厉行节约反对浪费条例》第二十八条"}
    response = client.post("/api/findings/", payload, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"category": [NOT_IN_CHECKLIST]})
    assert not Finding.objects.filter(jurisdiction=other_jurisdiction).exists()
    choices = client.get(reverse("findings:finding_create")).context["form"].fields["category"].queryset
    assert own not in choices and manifestation("3.3.1") in choices
    client.force_login(member)
    choices = client.get(reverse("findings:finding_create")).context["form"].fields["category"].queryset
    assert own in choices
    # The list filter offers an office its own checklist only.
    client.force_login(office_b)
    response = client.get("/api/findings/", {"category": own.pk})
    assert response.status_code == 400 and list(response.json()) == ["category"]


def test_codes_never_collide_within_what_an_office_sees(office_user, office_b, province_office, jurisdiction):
    aspect = Category.objects.get(code="3.3")  # default 3.3.1–3.3.4
    a = services.category_create(actor=office_user, name=OWN_NAME, parent=aspect)
    b = services.category_create(actor=office_b, name="违规配备使用公务用车", parent=aspect)
    assert (a.code, b.code) == ("3.3.5", "3.3.5")  # offices never see each other's nodes
    default = services.category_create(actor=province_office, name="违规操办婚丧喜庆事宜", parent=aspect)
    assert (default.code, default.owner_id) == ("3.3.6", None)  # after every office's own
    again = services.category_create(actor=office_user, name="违规借用下属单位车辆", parent=aspect)
    assert again.code == "3.3.7"
    area = services.category_create(actor=office_user, name="巡察整改专项")
    assert (area.code, area.level, area.owner_id) == ("4", 1, jurisdiction.pk)


def test_the_province_office_maintains_the_default_tree(province_office, jurisdiction, other_jurisdiction):
    category = manifestation("3.3.2")
    services.category_update(category=category, actor=province_office, name="违规收送礼品礼金、消费卡、电子红包", order=2)
    assert Category.objects.get(pk=category.pk).name == "违规收送礼品礼金、消费卡、电子红包"
    services.category_set_active(category=category, actor=province_office, active=False)
    assert "3.3.2" not in in_use(jurisdiction) and "3.3.2" not in in_use(other_jurisdiction)
    assert not RetiredCategory.objects.exists()


def test_a_county_cannot_restore_what_the_province_retired(office_user, province_office, jurisdiction):
    category = manifestation("3.3.2")
    services.category_set_active(category=category, actor=province_office, active=False)
    with pytest.raises(DomainError, match="该分类已由省级巡察机构停用，本机构不能启用"):
        services.category_set_active(category=category, actor=office_user, active=True)
    assert "3.3.2" not in in_use(jurisdiction)


def test_own_nodes_are_renamed_and_retired_by_their_office(own, office_user, jurisdiction):
    services.category_update(category=own, actor=office_user, name="公务加油卡违规使用", order=9)
    services.category_set_active(category=own, actor=office_user, active=False)
    own.refresh_from_db()
    assert (own.name, own.order, own.is_active) == ("公务加油卡违规使用", 9, False)
    assert own.code not in in_use(jurisdiction)


def test_leading_group_cannot_edit_the_checklist(make_user):
    with pytest.raises(PermissionDenied):
        services.category_create(actor=make_user(Role.LEADING_GROUP), name="新领域")


def test_a_code_taken_in_between_is_a_chinese_error_not_an_integrity_error(
    client, office_user, jurisdiction, monkeypatch
):
    services.category_create(actor=office_user, name="巡察整改专项")  # code 4, owned by county A
    # Someone else's insert landed between the numbering and ours: the numbering answers a code now taken.
    monkeypatch.setattr(services, "_next_number", lambda codes: 4)
    client.force_login(office_user)
    response = client.post("/api/finding-categories/", {"name": "基层治理专项"}, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"name": ["编号 4 刚被他人占用，请重新提交"]})
    assert list(Category.objects.filter(owner=jurisdiction).values_list("name", flat=True)) == ["巡察整改专项"]
    with pytest.raises(IntegrityError):  # the constraint behind it
        Category.objects.create(owner=jurisdiction, level=1, code="4", name="重复编号")


# --- The checklist page: the office's own counts, in a constant number of queries ----------------------------


def counts_by_code(tree) -> dict:
    found = {}

    def walk(entries):
        for entry in entries:
            if entry["finding_count"]:
                found[entry["node"].code] = entry["finding_count"]
            walk(entry["children"])

    walk(tree)
    return found


def test_checklist_counts_are_the_office_own(client, office_user, office_b, own, team_unit, team_unit_b):
    for code, n in (("3.3.1", 2), ("3.3.3", 1), ("2.2.1", 1)):
        FindingFactory.create_batch(n, team_unit=team_unit, category=manifestation(code))
    FindingFactory(team_unit=team_unit, category=own)
    FindingFactory.create_batch(5, team_unit=team_unit_b, category=manifestation("3.3.1"))

    client.force_login(office_user)
    response = client.get(reverse("findings:category_list"))
    assert counts_by_code(response.context["tree"]) == {
        "3.3.1": 2, "3.3.3": 1, "3.3.5": 1, "3.3": 4, "3": 4, "2.2.1": 1, "2.2": 1, "2": 1,
    }
    body = response.content.decode()
    assert body.count("本机构</span>") == 1 and OWN_NAME in body
    response = client.get(reverse("findings:category_edit", args=[manifestation("3.3.1").pk]))
    assert response.context["finding_count"] == 2
    assert "本机构已归入问题 2 个" in response.content.decode()

    client.force_login(office_b)
    response = client.get(reverse("findings:category_list"))
    assert counts_by_code(response.context["tree"]) == {"3.3.1": 5, "3.3": 5, "3": 5}


def test_checklist_page_and_api_keep_a_constant_number_of_queries(
    client, office_user, team_unit, django_assert_max_num_queries
):
    client.force_login(office_user)
    FindingFactory(team_unit=team_unit, category=manifestation("3.3.1"))
    with django_assert_max_num_queries(20) as page:
        assert client.get(reverse("findings:category_list")).status_code == 200
    with django_assert_max_num_queries(20) as api:
        assert len(client.get("/api/finding-categories/").json()) == 78

    # More own nodes at every level, retirements and findings: the same number of queries.
    area = services.category_create(actor=office_user, name="巡察整改专项")
    for n in range(3):
        aspect = services.category_create(actor=office_user, name=f"整改方面{n}", parent=area)
        for m in range(3):
            leaf = services.category_create(actor=office_user, name=f"整改表现{n}{m}", parent=aspect)
            FindingFactory.create_batch(2, team_unit=team_unit, category=leaf)
    for code in ("1.1.1", "2.3", "3.6.1"):
        services.category_set_active(category=Category.objects.get(code=code, owner=None), actor=office_user, active=False)
    FindingFactory.create_batch(10, team_unit=team_unit, category=manifestation("2.2.2"))
    with django_assert_max_num_queries(len(page.captured_queries)):
        response = client.get(reverse("findings:category_list"))
    assert counts_by_code(response.context["tree"])["4"] == 18
    with django_assert_max_num_queries(len(api.captured_queries)):
        assert len(client.get("/api/finding-categories/").json()) == 78 + 13



def test_admin_lists_owners_and_retirements_read_only(client, own, office_user):
    services.category_set_active(category=manifestation("3.3.2"), actor=office_user, active=False)
    client.force_login(UserFactory(username="admin", role="", is_superuser=True, is_staff=True))
    body = client.get(reverse("admin:findings_category_changelist"), {"q": OWN_NAME}).content.decode()
    assert OWN_NAME in body and "清河县" in body
    response = client.get(reverse("admin:findings_retiredcategory_changelist"))
    assert response.status_code == 200 and "违规收送礼品礼金、消费卡" in response.content.decode()
    assert client.get(reverse("admin:findings_retiredcategory_add")).status_code == 403


def test_demo_adds_an_office_manifestation_and_files_a_finding_under_it(
    office_user, leading_user, member, leader, team_unit, jurisdiction, other_jurisdiction
):
    from findings import demo

    users = {"office": office_user, "leader": leading_user, "zuyuan": member, "zuzhang": leader}
    context = demo.seed({"users": users, "team_units": [team_unit], "current_round": team_unit.round,
                         "rectification_round": team_unit.round, "rounds": [team_unit.round]})
    own = context["own_manifestation"]
    assert (own.owner_id, own.code, str(own.parent)) == (jurisdiction.pk, "3.3.5", "3.3 违反中央八项规定精神")
    assert own.name == "违规使用公务加油卡为私家车加油"
    assert own.code in in_use(jurisdiction) and own.code not in in_use(other_jurisdiction)
    finding = context["own_finding"]
    assert (finding.category_id, finding.title, finding.status) == (own.pk, "清河县财政局公务加油卡为私家车加油", "submitted")


def exported(client) -> dict:
    response = client.get(reverse("findings:category_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["编号", "层级", "领域", "方面", "具体表现", "来源", "状态", "本机构已归入问题数"]
    return {row[0]: list(row[1:]) for row in rows[1:]}


def test_the_checklist_export_is_the_office_own(client, own, office_user, office_b, team_unit, django_assert_max_num_queries):
    services.category_set_active(category=manifestation("3.3.2"), actor=office_user, active=False)
    services.category_set_active(category=Category.objects.get(code="3.5", owner=None), actor=office_user, active=False)
    FindingFactory.create_batch(2, team_unit=team_unit, category=own)
    client.force_login(office_user)
    with django_assert_max_num_queries(12):
        rows = exported(client)
    assert len(rows) == 79
    area, aspect = "全面从严治党不力", "违反中央八项规定精神"
    assert rows["3.3.5"] == ["具体表现", area, aspect, OWN_NAME, "本机构", "启用", 2]
    assert rows["3.3.2"] == ["具体表现", area, aspect, "违规收送礼品礼金、消费卡", "全省默认清单", "本机构已停用", 0]
    assert rows["3.3"] == ["方面", area, aspect, None, "全省默认清单", "启用", 2]
    assert rows["3.5"][-2] == "本机构已停用" and rows["3.5.1"][-2] == "上级已停用"

    client.force_login(office_b)
    rows = exported(client)
    assert len(rows) == 78 and "3.3.5" not in rows
    assert rows["3.3.2"][-3:] == ["全省默认清单", "启用", 0]
