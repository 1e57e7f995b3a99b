"""Excel import (all or nothing, each bad row reported by its Excel row number) and export of the filtered list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from inspection.accounts.models import Role
from inspection.units.ledgers import CADRE_HEADERS, UNIT_HEADERS
from inspection.units.models import Cadre, Unit, UnitKind
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _xlsx(headers, rows, name="导入.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _read(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_unit_import_reports_every_bad_row_and_stores_nothing(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="县财政局")
    rows = [
        ["城关镇", "乡镇/街道", "", "中共城关镇委员会", "刘志刚", "党委书记", 56, ""],  # 2: fine
        ["", "县直部门", "", "", "", "", "", ""],  # 3: missing name
        ["县水利局", "县直单位", "", "", "", "", "", ""],  # 4: unknown kind
        ["东关社区", "村/社区", "西关镇", "", "", "", "", ""],  # 5: unknown parent
        ["城关镇", "乡镇/街道", "", "", "", "", "", ""],  # 6: duplicate in file
        ["县财政局", "县直部门", "", "", "", "", "", ""],  # 7: duplicate in database
        ["县审计局", "县直部门", "", "", "", "", "三十", ""],  # 8: staff count not a number
    ]
    response = office_client.post(reverse("units:unit_import"), {"file": _xlsx(UNIT_HEADERS, rows)})
    assert response.status_code == 400
    errors = dict(response.context["report"].errors)
    assert errors == {
        3: "缺少单位名称",
        4: errors[4],
        5: "上级单位“西关镇”不存在（既不在系统中，也不在本文件中）",
        6: "单位名称“城关镇”与文件第2行重复",
        7: "单位“县财政局”已在系统中登记",
        8: "在编人数“三十”不是数字",
    }
    assert errors[4].startswith("单位类别“县直单位”无效")
    page = response.content.decode()
    assert "第 5 行" in page and "所有数据均未保存" in page
    assert list(Unit.objects.values_list("name", flat=True)) == ["县财政局"]


def test_unit_import_creates_children_listed_before_their_parent(office_client, jurisdiction, office_user):
    rows = [
        ["东关社区", "村/社区", "城关镇", "中共东关社区委员会", "王芳", "党委书记", 12, ""],
        ["城关镇", "乡镇/街道", "", "中共城关镇委员会", "刘志刚", "党委书记", 56, "城关镇人民路1号"],
        ["县一中", "学校", "", "", "", "", "", ""],
    ]
    response = office_client.post(reverse("units:unit_import"), {"file": _xlsx(UNIT_HEADERS, rows)})
    assert response.status_code == 302
    village = Unit.objects.get(name="东关社区")
    assert village.parent.name == "城关镇" and village.staff_count == 12 and village.kind == UnitKind.VILLAGE
    assert village.jurisdiction == jurisdiction
    assert village.history.first().history_user == office_user


def test_unit_import_refuses_a_parent_cycle_inside_the_file(office_client):
    rows = [["甲单位", "其他", "乙单位"], ["乙单位", "其他", "甲单位"]]
    rows = [row + [""] * 5 for row in rows]
    response = office_client.post(reverse("units:unit_import"), {"file": _xlsx(UNIT_HEADERS, rows)})
    assert dict(response.context["report"].errors) == {
        2: "上级单位关系在文件中形成循环",
        3: "上级单位关系在文件中形成循环",
    }
    assert not Unit.objects.exists()


def test_import_refuses_a_file_that_is_not_excel_or_lacks_columns(office_client):
    response = office_client.post(
        reverse("units:unit_import"), {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")}
    )
    assert response.status_code == 400 and "文件无法读取" in response.content.decode()
    response = office_client.post(reverse("units:unit_import"), {"file": _xlsx(["单位名称"], [["城关镇"]])})
    assert "缺少列" in response.content.decode()


def test_cadre_import_reports_bad_rows(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="县审计局")
    bureau = Unit.objects.get(name="县审计局")
    CadreFactory(jurisdiction=jurisdiction, name="李红梅", employer=bureau)
    rows = [
        ["王建国", "男", "组长库", "组织认定", "县审计局", "副局长", "四级调研员", "审计、财务", "", "2023-03-01"],
        ["", "男", "人才库", "个人报名", "", "", "", "", "", ""],
        ["张伟", "男", "专家库", "个人报名", "", "", "", "", "", ""],
        ["刘洋", "女", "人才库", "个人报名", "", "", "", "会计", "", ""],
        ["李红梅", "女", "人才库", "单位推荐", "县审计局", "", "", "", "", ""],
        ["王建国", "男", "人才库", "单位推荐", "县审计局", "", "", "", "", ""],
        ["周文", "男", "人才库", "推荐", "", "", "", "", "", ""],
        ["孙丽", "女", "人才库", "个人报名", "", "", "", "", "", "去年"],
    ]
    response = office_client.post(reverse("units:cadre_import"), {"file": _xlsx(CADRE_HEADERS, rows)})
    assert response.status_code == 400
    errors = dict(response.context["report"].errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert errors[3] == "缺少姓名"
    assert errors[4].startswith("所在库“专家库”无效")
    assert errors[5].startswith("专长“会计”不存在")
    assert errors[6] == "“李红梅（县审计局）”已在干部库中"
    assert errors[7] == "“王建国（县审计局）”与文件第2行重复"
    assert errors[8].startswith("入库方式“推荐”无效")
    assert errors[9].startswith("入库日期“去年”格式无效")
    assert Cadre.objects.count() == 1


def test_cadre_import_links_employer_and_specialties(office_client, jurisdiction):
    bureau = UnitFactory(jurisdiction=jurisdiction, name="县审计局")
    rows = [
        ["王建国", "男", "组长库", "组织认定", "县审计局", "副局长", "", "审计、财务", "13800000000", "2023-03-01"],
        ["陈晓燕", "女", "人才库", "个人报名", "县一中", "教师", "", "", "", ""],
    ]
    response = office_client.post(reverse("units:cadre_import"), {"file": _xlsx(CADRE_HEADERS, rows)})
    assert response.status_code == 302
    wang = Cadre.objects.get(name="王建国")
    assert wang.employer == bureau and wang.pool == "leader" and str(wang.joined_on) == "2023-03-01"
    assert sorted(s.name for s in wang.specialties.all()) == ["审计", "财务"]
    chen = Cadre.objects.get(name="陈晓燕")
    assert chen.employer is None and chen.employer_name == "县一中"


def test_export_follows_the_filter(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP, head_name="刘志刚")
    UnitFactory(jurisdiction=jurisdiction, name="县财政局")
    response = office_client.get(reverse("units:unit_export"), {"kind": UnitKind.TOWNSHIP})
    rows = _read(response)
    assert rows[0][:2] == ["单位名称*", "单位类别*"]
    assert [r[0] for r in rows[1:]] == ["城关镇"]
    assert rows[1][1] == "乡镇/街道" and rows[1][4] == "刘志刚"


def test_cadre_export_and_template(office_client, jurisdiction):
    CadreFactory(jurisdiction=jurisdiction, name="王建国", employer_name="县委办")
    rows = _read(office_client.get(reverse("units:cadre_export")))
    assert rows[1][0] == "王建国" and rows[1][4] == "县委办"
    template = _read(office_client.get(reverse("units:cadres_import_template")))
    assert template == [CADRE_HEADERS]


def test_import_and_export_permissions(make_user, client):
    client.force_login(make_user(Role.LEADING_GROUP))
    assert client.get(reverse("units:unit_export")).status_code == 200
    assert client.get(reverse("units:unit_import")).status_code == 403
    client.force_login(make_user(Role.DISCIPLINE))
    assert client.get(reverse("units:unit_export")).status_code == 403
    assert client.get(reverse("units:units_import_template")).status_code == 403


def _id(first17):
    from inspection.units.models import id_check_character

    return first17 + id_check_character(first17)


def test_cadre_import_takes_the_id_number_checked_and_unique(office_client, jurisdiction):
    """公民身份号码: optional, checked (length, check character), one person once — against the cadres already
    stored (compared through the blind index, the stored numbers being ciphertext) and the rows above."""
    CadreFactory(jurisdiction=jurisdiction, name="李红梅", id_number=_id("43012419800101002"))
    blank = ["", "", "", "", "", "", ""]
    rows = [
        ["王建国", "男", "组长库", "组织认定", *blank[:6], _id("43012419750615001").lower()],  # 2: fine (x → X)
        ["陈晓燕", "女", "人才库", "个人报名", *blank[:6], "430124198001010021"],  # 3: wrong check character
        ["刘洋", "女", "人才库", "个人报名", *blank[:6], _id("43012419800101002")],  # 4: 李红梅's number
        ["赵磊", "男", "人才库", "个人报名", *blank[:6], _id("43012419750615001")],  # 5: row 2's number
        ["孙丽", "女", "人才库", "个人报名", *blank[:6], "4301241980"],  # 6: too short
    ]
    response = office_client.post(reverse("units:cadre_import"), {"file": _xlsx(CADRE_HEADERS, rows)})
    assert response.status_code == 400
    assert dict(response.context["report"].errors) == {
        3: "公民身份号码校验位不正确，请核对",
        4: "公民身份号码与干部库中的“李红梅”相同",
        5: "公民身份号码与文件第2行相同",
        6: "公民身份号码应为 18 位（前 17 位数字，末位数字或 X）",
    }
    assert Cadre.objects.count() == 1

    response = office_client.post(reverse("units:cadre_import"), {"file": _xlsx(CADRE_HEADERS, rows[:1])})
    assert response.status_code == 302
    assert Cadre.objects.get(name="王建国").id_number == _id("43012419750615001").upper()


def test_a_file_from_the_older_cadre_template_still_imports(office_client, jurisdiction):
    older = [h for h in CADRE_HEADERS if h != "公民身份号码"]
    response = office_client.post(reverse("units:cadre_import"), {
        "file": _xlsx(older, [["王建国", "男", "组长库", "组织认定", "", "", "", "", "", ""]])})
    assert response.status_code == 302
    assert Cadre.objects.get(name="王建国").id_number == ""
