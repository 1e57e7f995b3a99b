"""Writes to units, cadres and recusal factors. Pages, the API, the Excel import and the demo all call these."""

from django.db import transaction

from inspection.accounts.models import Role, User
from inspection.core.exceptions import DomainError

from .models import Cadre, RecusalFactor, Specialty, Unit

UNIT_FIELDS = ("name", "kind", "parent", "party_org_name", "head_name", "head_post", "staff_count", "address")
CADRE_FIELDS = (
    "name",
    "gender",
    "employer",
    "employer_name",
    "post",
    "rank",
    "pool",
    "joined_via",
    "joined_on",
    "phone",
    "id_number",
    "user",
    "notes",
)
RECUSAL_FIELDS = ("kind", "description", "declared_at")


def _require_jurisdiction(actor):
    if actor.jurisdiction_id is None:
        raise DomainError("您的账号未设置所属管辖范围，无法登记")
    return actor.jurisdiction


def _stamp(obj, actor, reason):
    # The history row names the actor even outside a request (API token, import, demo seed).
    obj._history_user = actor
    if reason:
        obj._change_reason = reason


# --- Units ------------------------------------------------------------------------------------------


def check_unit(*, unit: Unit, jurisdiction_id: int) -> None:
    name = (unit.name or "").strip()
    if not name:
        raise DomainError("请填写单位名称", field="name")
    unit.name = name
    duplicate = Unit.objects.filter(jurisdiction_id=jurisdiction_id, name=name).exclude(pk=unit.pk)
    if duplicate.exists():
        raise DomainError(f"本管辖范围内已有名为“{name}”的单位", field="name")
    parent = unit.parent
    if parent is None:
        return
    if parent.jurisdiction_id != jurisdiction_id:
        raise DomainError("上级单位必须属于同一管辖范围", field="parent")
    if unit.pk is None:
        return
    # One query for the whole jurisdiction's tree, then walk up from the proposed parent.
    parents = dict(Unit.objects.filter(jurisdiction_id=jurisdiction_id).values_list("pk", "parent_id"))
    node, seen = parent.pk, set()
    while node is not None and node not in seen:
        if node == unit.pk:
            raise DomainError("上级单位不能是本单位或其下级单位（会形成循环）", field="parent")
        seen.add(node)
        node = parents.get(node)


@transaction.atomic
def unit_create(*, actor: User, data: dict) -> Unit:
    jurisdiction = _require_jurisdiction(actor)
    unit = Unit(jurisdiction=jurisdiction, **{k: data[k] for k in UNIT_FIELDS if k in data})
    check_unit(unit=unit, jurisdiction_id=jurisdiction.pk)
    _stamp(unit, actor, "新建单位")
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor: User, data: dict, reason: str = "") -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    for key in UNIT_FIELDS:
        if key in data:
            setattr(unit, key, data[key])
    check_unit(unit=unit, jurisdiction_id=unit.jurisdiction_id)
    _stamp(unit, actor, reason)
    unit.save()
    return unit


@transaction.atomic
def unit_retire(*, unit: Unit, actor: User, reason: str = "") -> Unit:
    """Units merged or abolished are marked not registered; their history and findings stay."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise DomainError("该单位已不在册")
    if unit.children.filter(is_active=True).exists():
        raise DomainError("该单位仍有在册的下级单位，请先处理下级单位")
    unit.is_active = False
    _stamp(unit, actor, reason or "撤并/不在册")
    unit.save(update_fields=["is_active"])
    return unit


@transaction.atomic
def unit_restore(*, unit: Unit, actor: User, reason: str = "") -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_active:
        raise DomainError("该单位已在册")
    if unit.parent_id and not unit.parent.is_active:
        raise DomainError("上级单位不在册，请先恢复上级单位")
    unit.is_active = True
    _stamp(unit, actor, reason or "恢复在册")
    unit.save(update_fields=["is_active"])
    return unit


# --- Cadres -----------------------------------------------------------------------------------------


def check_cadre(*, cadre: Cadre, jurisdiction_id: int) -> None:
    cadre.name = (cadre.name or "").strip()
    if not cadre.name:
        raise DomainError("请填写姓名", field="name")
    if cadre.pool not in Cadre.Pool.values:
        raise DomainError("请选择所在库（组长库或人才库）", field="pool")
    if cadre.joined_via not in Cadre.JoinedVia.values:
        raise DomainError("请选择入库方式", field="joined_via")
    if cadre.employer_id and cadre.employer.jurisdiction_id != jurisdiction_id:
        raise DomainError("工作单位必须属于同一管辖范围", field="employer")
    if cadre.employer_id:
        # One place holds the employer: a registered unit wins over the free text.
        cadre.employer_name = ""
    user = cadre.user
    if user is not None:
        if user.jurisdiction_id != jurisdiction_id:
            raise DomainError("登录账号必须属于同一管辖范围", field="user")
        if user.role not in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
            raise DomainError("只能关联巡察组组长或组员角色的账号", field="user")
        if Cadre.objects.filter(user=user).exclude(pk=cadre.pk).exists():
            raise DomainError("该账号已关联其他巡察干部", field="user")


def _set_specialties(cadre: Cadre, specialties) -> None:
    if specialties is None:
        return
    specialties = list(specialties)
    if any(not isinstance(s, Specialty) for s in specialties):
        raise DomainError("专长无效", field="specialties")
    current = set(cadre.specialties.values_list("pk", flat=True))
    if current != {s.pk for s in specialties}:
        cadre.specialties.set(specialties)


@transaction.atomic
def cadre_create(*, actor: User, data: dict) -> Cadre:
    jurisdiction = _require_jurisdiction(actor)
    cadre = Cadre(jurisdiction=jurisdiction, **{k: data[k] for k in CADRE_FIELDS if k in data and data[k] is not None})
    check_cadre(cadre=cadre, jurisdiction_id=jurisdiction.pk)
    _stamp(cadre, actor, "入库")
    cadre.save()
    _set_specialties(cadre, data.get("specialties"))
    return cadre


@transaction.atomic
def cadre_update(*, cadre: Cadre, actor: User, data: dict, reason: str = "") -> Cadre:
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    for key in CADRE_FIELDS:
        if key in data:
            value = data[key]
            if value is None and key in ("gender", "employer_name", "post", "rank", "phone", "id_number", "notes"):
                value = ""
            setattr(cadre, key, value)
    check_cadre(cadre=cadre, jurisdiction_id=cadre.jurisdiction_id)
    _stamp(cadre, actor, reason)
    cadre.save()
    _set_specialties(cadre, data.get("specialties"))
    return cadre


@transaction.atomic
def cadre_retire(*, cadre: Cadre, actor: User, reason: str = "") -> Cadre:
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if not cadre.is_active:
        raise DomainError("该干部已出库")
    cadre.is_active = False
    _stamp(cadre, actor, reason or "出库")
    cadre.save(update_fields=["is_active"])
    return cadre


@transaction.atomic
def cadre_restore(*, cadre: Cadre, actor: User, reason: str = "") -> Cadre:
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.is_active:
        raise DomainError("该干部已在库")
    cadre.is_active = True
    _stamp(cadre, actor, reason or "重新入库")
    cadre.save(update_fields=["is_active"])
    return cadre


# --- Recusal factors ------------------------------------------------------------------------------


def _check_factor(factor: RecusalFactor) -> None:
    if factor.kind not in RecusalFactor.Kind.values:
        raise DomainError("请选择回避情形", field="kind")
    if factor.unit.jurisdiction_id != factor.cadre.jurisdiction_id:
        raise DomainError("关联单位必须与干部属于同一管辖范围", field="unit")
    if factor.is_active:
        same = RecusalFactor.objects.filter(
            cadre_id=factor.cadre_id, unit_id=factor.unit_id, kind=factor.kind, is_active=True
        ).exclude(pk=factor.pk)
        if same.exists():
            raise DomainError("该干部已登记了与此单位的同类回避因素", field="unit")


@transaction.atomic
def recusal_factor_add(*, cadre: Cadre, unit: Unit, actor: User, data: dict) -> RecusalFactor:
    factor = RecusalFactor(cadre=cadre, unit=unit, **{k: data[k] for k in RECUSAL_FIELDS if k in data})
    factor.description = factor.description or ""
    _check_factor(factor)
    _stamp(factor, actor, "登记回避因素")
    factor.save()
    return factor


@transaction.atomic
def recusal_factor_update(*, factor: RecusalFactor, actor: User, data: dict, reason: str = "") -> RecusalFactor:
    factor = RecusalFactor.objects.select_for_update().select_related("cadre", "unit").get(pk=factor.pk)
    for key in (*RECUSAL_FIELDS, "unit", "is_active"):
        if key in data:
            setattr(factor, key, data[key])
    if "cadre" in data and data["cadre"].pk != factor.cadre_id:
        raise DomainError("不能把回避因素改到其他干部名下", field="cadre")
    factor.description = factor.description or ""
    _check_factor(factor)
    _stamp(factor, actor, reason)
    factor.save()
    return factor


@transaction.atomic
def recusal_factor_retire(*, factor: RecusalFactor, actor: User, reason: str = "") -> RecusalFactor:
    factor = RecusalFactor.objects.select_for_update().get(pk=factor.pk)
    if not factor.is_active:
        raise DomainError("该回避因素已失效")
    factor.is_active = False
    _stamp(factor, actor, reason or "回避因素失效")
    factor.save(update_fields=["is_active"])
    return factor
