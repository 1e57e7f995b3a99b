"""Excel ledgers of units and cadres: export of a filtered list, all-or-nothing import with a row report."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError

from inspection.core.excel import ImportReport, RowError, export_response, import_rows, read_rows
from inspection.core.fields import blind_index

from . import services
from .models import Cadre, Specialty, Unit, UnitKind, validate_id_number

UNIT_HEADERS = ["单位名称*", "单位类别*", "上级单位", "党组织名称", "主要负责人", "负责人职务", "在编人数", "地址"]
CADRE_HEADERS = ["姓名*", "性别", "所在库*", "入库方式*", "工作单位", "职务", "职级", "专长", "电话", "入库日期",
                 "公民身份号码"]
# Added after the first template: a file made from the older one (without it) still imports.
CADRE_OPTIONAL_HEADERS = ("公民身份号码",)
EXPORT_UNIT_HEADERS = [*UNIT_HEADERS[:8], "在册"]
# Telephone and identity number leave the system masked (the full values are read on the cadre page only).
EXPORT_CADRE_HEADERS = [*CADRE_HEADERS, "回避因素（有效）", "在库"]

SPECIALTY_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def _label_map(choices):
    return {label: value for value, label in choices}


# --- Export -----------------------------------------------------------------------------------------


def units_export(queryset):
    rows = (
        (
            u.name,
            u.get_kind_display(),
            u.parent.name if u.parent_id else "",
            u.party_org_name,
            u.head_name,
            u.head_post,
            u.staff_count,
            u.address,
            "是" if u.is_active else "否",
        )
        for u in queryset.select_related("parent").iterator(chunk_size=2000)
    )
    return export_response(filename="被巡察单位.xlsx", title="被巡察单位", headers=EXPORT_UNIT_HEADERS, rows=rows)


def cadres_export(queryset):
    rows = (
        (
            c.name,
            c.get_gender_display(),
            c.get_pool_display(),
            c.get_joined_via_display(),
            c.employer_label,
            c.post,
            c.rank,
            "、".join(s.name for s in c.specialties.all()),
            c.phone_masked,
            c.joined_on.isoformat() if c.joined_on else "",
            c.id_number_masked,
            c.recusal_count,
            "是" if c.is_active else "否",
        )
        for c in queryset.iterator(chunk_size=2000)
    )
    return export_response(filename="巡察干部.xlsx", title="巡察干部", headers=EXPORT_CADRE_HEADERS, rows=rows)


def template_response(kind: str):
    headers = UNIT_HEADERS if kind == "units" else CADRE_HEADERS
    title = "被巡察单位导入模板" if kind == "units" else "巡察干部导入模板"
    return export_response(filename=f"{title}.xlsx", title=title, headers=headers, rows=[])


# --- Import of units --------------------------------------------------------------------------------


def _parse_count(text):
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError as exc:
        raise RowError(f"在编人数“{text}”不是数字") from exc
    if number < 0 or number != int(number):
        raise RowError(f"在编人数“{text}”必须是非负整数")
    return int(number)


def _order_by_parent(rows):
    """Rows whose parent is another row of the file come after it, so parents are saved first.

    Returns (ordered rows, {row number: error}) where the errors are parent cycles inside the file.
    """
    by_name = {}
    for number, record in rows:
        by_name.setdefault(record["单位名称"], number)
    parent_of = {number: record["上级单位"] for number, record in rows}
    depth, errors = {}, {}

    def depth_of(number):
        chain, node = [], number
        while node is not None and node not in depth:
            if node in chain:
                for member in chain[chain.index(node) :]:
                    errors[member] = "上级单位关系在文件中形成循环"
                break
            chain.append(node)
            node = by_name.get(parent_of[node])
        base = depth.get(node, -1) if node is not None else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset if member not in errors else 0

    for number, _ in rows:
        depth_of(number)
    return sorted(rows, key=lambda r: (depth[r[0]], r[0])), errors


def units_import(*, actor, uploaded_file) -> ImportReport:
    """Raises ImportFileError for an unreadable file; otherwise stores everything or nothing."""
    rows = read_rows(uploaded_file, UNIT_HEADERS)
    jurisdiction_id = actor.jurisdiction_id
    kinds = _label_map(UnitKind.choices)
    existing = dict(Unit.objects.filter(jurisdiction_id=jurisdiction_id).values_list("name", "pk"))
    first_row = {}
    for number, record in rows:
        first_row.setdefault(record["单位名称"], number)
    ordered, cycle_errors = _order_by_parent(rows)
    numbers = iter(number for number, _ in ordered)

    def validate(record):
        number = next(numbers)
        name = record["单位名称"]
        if not name:
            raise RowError("缺少单位名称")
        if len(name) > 120:
            raise RowError("单位名称超过120个字")
        if first_row[name] != number:
            raise RowError(f"单位名称“{name}”与文件第{first_row[name]}行重复")
        if name in existing:
            raise RowError(f"单位“{name}”已在系统中登记")
        if not record["单位类别"]:
            raise RowError("缺少单位类别")
        if record["单位类别"] not in kinds:
            raise RowError(f"单位类别“{record['单位类别']}”无效，应为：" + "、".join(kinds))
        parent = record["上级单位"]
        if parent:
            if parent == name:
                raise RowError("上级单位不能是本单位")
            if parent not in existing and parent not in first_row:
                raise RowError(f"上级单位“{parent}”不存在（既不在系统中，也不在本文件中）")
        if number in cycle_errors:
            raise RowError(cycle_errors[number])
        return {
            "name": name,
            "kind": kinds[record["单位类别"]],
            "parent_name": parent,
            "party_org_name": record["党组织名称"][:150],
            "head_name": record["主要负责人"][:50],
            "head_post": record["负责人职务"][:80],
            "staff_count": _parse_count(record["在编人数"]),
            "address": record["地址"][:200],
        }

    def save(item):
        parent_name = item.pop("parent_name")
        item["parent"] = Unit.objects.get(jurisdiction_id=jurisdiction_id, name=parent_name) if parent_name else None
        services.unit_create(actor=actor, data=item)

    report = import_rows(ordered, validate, save)
    report.errors.sort()
    return report


# --- Import of cadres -------------------------------------------------------------------------------


def _parse_date(text):
    if not text:
        return None
    cleaned = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return datetime.fromisoformat(cleaned).date() if " " in cleaned else date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        year, month, day = (int(p) for p in cleaned.split("-")[:3])
        return date(year, month, day)
    except (ValueError, TypeError) as exc:
        raise RowError(f"入库日期“{text}”格式无效，应为 2024-03-01") from exc


def cadres_import(*, actor, uploaded_file) -> ImportReport:
    rows = read_rows(uploaded_file, CADRE_HEADERS, optional=CADRE_OPTIONAL_HEADERS)
    jurisdiction_id = actor.jurisdiction_id
    pools = _label_map(Cadre.Pool.choices)
    vias = _label_map(Cadre.JoinedVia.choices)
    genders = _label_map(Cadre.Gender.choices)
    specialties = {s.name: s for s in Specialty.objects.all()}
    units = dict(Unit.objects.filter(jurisdiction_id=jurisdiction_id).values_list("name", "pk"))
    # A cadre is a duplicate when the same name already sits at the same employer.
    existing = {
        (c.name, c.employer_label)
        for c in Cadre.objects.filter(jurisdiction_id=jurisdiction_id).select_related("employer")
    }
    first_row = {}
    for number, record in rows:
        first_row.setdefault((record["姓名"], record["工作单位"]), number)
    # One person, one 公民身份号码: compared through the blind index (the stored numbers are ciphertext), against
    # the office's cadres and the rows above.
    id_kind = Cadre._meta.get_field("id_number").kind
    known_ids = dict(
        Cadre.objects.filter(jurisdiction_id=jurisdiction_id).exclude(id_number_index="")
        .values_list("id_number_index", "name")
    )
    id_rows = {}
    numbers = iter(number for number, _ in rows)

    def validate(record):
        number = next(numbers)
        name, employer = record["姓名"], record["工作单位"]
        if not name:
            raise RowError("缺少姓名")
        if len(name) > 50:
            raise RowError("姓名超过50个字")
        if first_row[(name, employer)] != number:
            raise RowError(f"“{name}（{employer or '未填单位'}）”与文件第{first_row[(name, employer)]}行重复")
        if (name, employer) in existing:
            raise RowError(f"“{name}（{employer or '未填单位'}）”已在干部库中")
        if record["性别"] and record["性别"] not in genders:
            raise RowError(f"性别“{record['性别']}”无效，应为：男、女")
        if not record["所在库"]:
            raise RowError("缺少所在库")
        if record["所在库"] not in pools:
            raise RowError(f"所在库“{record['所在库']}”无效，应为：" + "、".join(pools))
        if not record["入库方式"]:
            raise RowError("缺少入库方式")
        if record["入库方式"] not in vias:
            raise RowError(f"入库方式“{record['入库方式']}”无效，应为：" + "、".join(vias))
        id_number = record["公民身份号码"].upper()
        if id_number:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                raise RowError(exc.messages[0]) from exc
            index = blind_index(id_kind, id_number)
            if index in known_ids:
                raise RowError(f"公民身份号码与干部库中的“{known_ids[index]}”相同")
            if id_rows.setdefault(index, number) != number:
                raise RowError(f"公民身份号码与文件第{id_rows[index]}行相同")
        chosen = []
        for token in SPECIALTY_SEPARATORS.split(record["专长"]):
            if not token:
                continue
            if token not in specialties:
                raise RowError(f"专长“{token}”不存在，应为：" + "、".join(specialties))
            chosen.append(specialties[token])
        return {
            "name": name,
            "gender": genders.get(record["性别"], ""),
            "pool": pools[record["所在库"]],
            "joined_via": vias[record["入库方式"]],
            "employer_id": units.get(employer),
            "employer_name": "" if employer in units else employer[:120],
            "post": record["职务"][:80],
            "rank": record["职级"][:40],
            "specialties": chosen,
            "phone": record["电话"][:30],
            "joined_on": _parse_date(record["入库日期"]),
            "id_number": id_number,
        }

    def save(item):
        employer_id = item.pop("employer_id")
        item["employer"] = Unit.objects.get(pk=employer_id) if employer_id else None
        services.cadre_create(actor=actor, data=item)

    return import_rows(rows, validate, save)
