"""Writes of the rounds app: one keyword-only function per business verb.

Recusal checks (三次回避) are recorded in their own transaction before a refusal is raised, so that a
refused assignment still leaves its check row behind (every check is on the record).
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from inspection.accounts.models import Role
from inspection.core.dates import refuse_future
from inspection.core.exceptions import DomainError
from inspection.core.team_scope import team_scope
from inspection.units.models import Cadre, RecusalFactor, Unit

from . import selectors
from .models import (
    Announcement,
    CadreEvaluation,
    DefaultMaterialItem,
    InfoRequest,
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    PhaseChange,
    Plan,
    RecusalCheck,
    Round,
    RoundKind,
    Team,
    TeamUnit,
)
from .signals import round_phase_changed
from .workflow import PHASE_TABLE, unit_withdrawal_refusal


class RecusalConflict(DomainError):
    """A recusal conflict blocked an assignment; `checks` are the recorded (committed) check rows."""

    def __init__(self, message, *, checks, field=None):
        super().__init__(message, field=field)
        self.checks = checks


STALE_EDIT = "已被他人修改，请刷新后重试"


class StaleEdit(DomainError):
    """An edit made on a version of the record that someone else has since saved over; `current` is the saved row.

    Nothing of the edit is saved. Pages keep the user's input and show what the other person saved; the API answers
    400 `{"version": [STALE_EDIT]}` (a DomainError like any refusal, see docs/CONVENTIONS.md)."""

    def __init__(self, current):
        super().__init__(STALE_EDIT, field="version")
        self.current = current


# --- Plans ----------------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: Plan, units, actor, reason: str = "") -> Plan:
    if plan.end_year < plan.start_year:
        raise DomainError("截止年度不能早于起始年度", field="end_year")
    foreign = [u.name for u in units if u.jurisdiction_id != plan.jurisdiction_id]
    if foreign:
        raise DomainError(f"规划只能列入本管辖范围的单位：{'、'.join(foreign[:5])}", field="units")
    plan._change_reason = reason
    plan.save()
    plan.units.set(units)
    return plan


# --- Rounds and phases ----------------------------------------------------------------------------------


def _check_round_dates(start_date, end_date):
    if start_date and end_date and end_date < start_date:
        raise DomainError("进驻结束日期不能早于开始日期", field="end_date")


def _check_lookback(*, kind, lookback_of, jurisdiction_id):
    lookback_of = list(lookback_of or [])
    if kind == RoundKind.LOOKBACK and not lookback_of:
        raise DomainError("巡察“回头看”须选择对应的原轮次", field="lookback_of")
    if kind != RoundKind.LOOKBACK and lookback_of:
        raise DomainError("只有巡察“回头看”才能关联原轮次", field="lookback_of")
    if any(r.jurisdiction_id != jurisdiction_id or r.phase not in (Phase.RECTIFICATION, Phase.COMPLETED) for r in lookback_of):
        raise DomainError("“回头看”的原轮次须为本管辖范围内已进入整改或已完成的轮次", field="lookback_of")
    return lookback_of


@transaction.atomic
def round_create(
    *, plan: Plan, start_date: date, end_date: date, actor, kind=RoundKind.REGULAR, topic: str = "", lookback_of=()
) -> Round:
    """Numbers rounds per office and term: the next 第N轮 of the plan."""
    _check_round_dates(start_date, end_date)
    lookback_of = _check_lookback(kind=kind, lookback_of=lookback_of, jurisdiction_id=plan.jurisdiction_id)
    Plan.objects.select_for_update().get(pk=plan.pk)  # serialise numbering within the plan
    number = (plan.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    round = Round.objects.create(
        jurisdiction_id=plan.jurisdiction_id,
        plan=plan,
        number=number,
        kind=kind,
        topic=topic,
        start_date=start_date,
        end_date=end_date,
    )
    if lookback_of:
        round.lookback_of.set(lookback_of)
    return round


@transaction.atomic
def round_update(*, round: Round, actor, kind=None, topic=None, start_date=None, end_date=None, lookback_of=None) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.phase == Phase.COMPLETED:
        raise DomainError("本轮巡察已完成，不能再修改")
    for field, value in (("kind", kind), ("topic", topic), ("start_date", start_date), ("end_date", end_date)):
        if value is not None:
            setattr(round, field, value)
    _check_round_dates(round.start_date, round.end_date)
    if lookback_of is None:
        lookback_of = list(round.lookback_of.all())
    lookback_of = _check_lookback(kind=round.kind, lookback_of=lookback_of, jurisdiction_id=round.jurisdiction_id)
    round.save()
    round.lookback_of.set(lookback_of)
    return round


def _onsite_readiness_errors(round: Round) -> list[str]:
    teams = list(selectors.team_detail_queryset().filter(round=round))
    if not teams:
        return ["本轮尚未组建巡察组"]
    errors = []
    for team in teams:
        if not any(m.position == Membership.Position.LEADER for m in team.active_memberships):
            errors.append(f"{team.name}尚未确定组长")
        if not team.unit_rows:
            errors.append(f"{team.name}尚未确定被巡察单位")
    pending = RecusalCheck.objects.filter(
        round=round, result=RecusalCheck.Result.CONFLICT, trigger=RecusalCheck.Trigger.APPLICATION,
        membership__is_active=True,
    ).select_related("cadre", "team")
    for check in pending:
        errors.append(f"{check.team.name}{check.cadre.name}的回避申请尚未处理")
    return errors


@transaction.atomic
def round_change_phase(*, round: Round, to_phase, actor, reason: str = "") -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    transition = PHASE_TABLE.check(round.phase, to_phase, actor.role, is_superuser=actor.is_superuser)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise DomainError(f"“{transition.label}”须填写理由", field="reason")
    if to_phase == Phase.ONSITE:
        errors = _onsite_readiness_errors(round)
        if errors:
            raise DomainError("不能进驻：" + "；".join(errors), field="to_phase")
    from_phase = round.phase
    round.phase = to_phase
    round.phase_changed_at = timezone.now()
    round._change_reason = reason or transition.label
    round.save(update_fields=["phase", "phase_changed_at"])
    PhaseChange.objects.create(round=round, from_phase=from_phase, to_phase=to_phase, actor=actor, reason=reason)
    transaction.on_commit(
        lambda: round_phase_changed.send(
            sender=Round, round=round, from_phase=from_phase, to_phase=to_phase, actor=actor
        )
    )
    return round


# --- Teams, members and recusal -------------------------------------------------------------------------


def _require_open_round(round: Round):
    if round.phase not in (Phase.PREPARATION, Phase.ONSITE):
        raise DomainError(f"本轮已进入“{round.get_phase_display()}”阶段，不能再调整巡察组")


DUPLICATE_TEAM_NAME = "本轮已有同名巡察组"


def _refuse_duplicate_team_name(*, round_id, name, exclude_pk=None):
    if Team.objects.filter(round_id=round_id, name=name).exclude(pk=exclude_pk).exists():
        raise DomainError(DUPLICATE_TEAM_NAME, field="name")


def _save_team_name(team: Team, **save_kwargs) -> Team:
    """Two offices naming a team alike at the same moment both pass the check; the unique constraint (round, name)
    keeps one, and the other is told in Chinese instead of a 500."""
    try:
        with transaction.atomic():
            team.save(**save_kwargs)
    except IntegrityError as exc:
        raise DomainError(DUPLICATE_TEAM_NAME, field="name") from exc
    return team


@transaction.atomic
def team_create(*, round: Round, name: str, actor) -> Team:
    _require_open_round(round)
    name = name.strip()
    _refuse_duplicate_team_name(round_id=round.pk, name=name)
    return _save_team_name(Team(round=round, name=name))


@transaction.atomic
def team_rename(*, team: Team, name: str, actor) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    name = name.strip()
    _refuse_duplicate_team_name(round_id=team.round_id, name=name, exclude_pk=team.pk)
    team.name = name
    return _save_team_name(team, update_fields=["name"])


def _stage_for(position) -> int:
    return RecusalCheck.Stage.MEMBERS if position == Membership.Position.MEMBER else RecusalCheck.Stage.LEADERS


def _describe(factors) -> str:
    return "；".join(f"{f.unit.name}（{f.get_kind_display()}{'：' + f.description if f.description else ''}）" for f in factors)


def _record_check(*, team, cadre, stage, trigger, factors, actor, position="", start_date=None, end_date=None,
                  unit=None, membership=None, override_reason="") -> RecusalCheck:
    if not factors:
        result = RecusalCheck.Result.PASSED
    elif override_reason:
        result = RecusalCheck.Result.OVERRIDDEN
    else:
        result = RecusalCheck.Result.CONFLICT
    check = RecusalCheck.objects.create(
        round_id=team.round_id,
        team=team,
        cadre=cadre,
        stage=stage,
        trigger=trigger,
        position=position,
        start_date=start_date,
        end_date=end_date,
        unit=unit,
        membership=membership,
        detail=_describe(factors) if factors else "未发现与本组被巡察单位（含上下级单位）相关的回避因素",
        result=result,
        checked_by=actor,
        override_reason=override_reason if factors else "",
        overridden_by=actor if factors and override_reason else None,
        overridden_at=timezone.now() if factors and override_reason else None,
    )
    if factors:
        check.factors.set(factors)
    return check


def _require_override_right(actor, override_reason):
    if override_reason and not (actor.is_superuser or actor.role == Role.OFFICE):
        raise DomainError("只有巡察办可以书面说明理由后强行安排", field="override_reason")


def _lock_cadre(cadre) -> Cadre:
    """Locks the cadre's row until the end of the transaction that assigns them.

    "No overlapping membership" is a rule across teams, so no unique index can hold it. A PostgreSQL exclusion
    constraint (btree_gist, daterange) could, but the demo and a newcomer's install run on SQLite, which has none:
    the rule would hold on one database and not the other. Locking the cadre instead serialises every assignment
    of one cadre (the check of their other places and the insert become one step) on both databases, at the cost
    of a row lock held for one short transaction; assignments of different cadres do not wait for each other. On
    SQLite the write lock of the database serialises the transactions anyway. The locked row is also the fresh
    one, so a cadre retired from the pool meanwhile is refused.
    """
    return Cadre.objects.select_for_update().get(pk=cadre.pk)


def _validate_member(*, team, cadre, position, start_date, end_date) -> Cadre:
    """The rules of one assignment. Call it inside the transaction that makes the assignment: it locks the cadre
    (see `_lock_cadre`) and returns the locked row."""
    cadre = _lock_cadre(cadre)
    if cadre.jurisdiction_id != team.round.jurisdiction_id:
        raise DomainError("只能从本管辖范围的干部库中选派", field="cadre")
    if not cadre.is_active:
        raise DomainError(f"{cadre.name}已不在库，不能选派", field="cadre")
    if position == Membership.Position.MEMBER and cadre.pool != Cadre.Pool.TALENT:
        raise DomainError("组员须从人才库中抽调", field="cadre")
    if position in (Membership.Position.LEADER, Membership.Position.DEPUTY) and cadre.pool != Cadre.Pool.LEADER:
        raise DomainError("组长、副组长须从组长库中选派", field="cadre")
    if end_date < start_date:
        raise DomainError("在组结束日期不能早于开始日期", field="end_date")
    if Membership.objects.filter(team=team, cadre=cadre, is_active=True).exists():
        raise DomainError(f"{cadre.name}已在本组", field="cadre")
    if position == Membership.Position.LEADER and Membership.objects.filter(
        team=team, position=Membership.Position.LEADER, is_active=True
    ).exists():
        raise DomainError("本组已有组长", field="position")
    overlap = selectors.overlapping_memberships(cadre=cadre, start_date=start_date, end_date=end_date, exclude_team=team).first()
    if overlap is not None:
        raise DomainError(
            f"{cadre.name}已在{overlap.team}任{overlap.get_position_display()}"
            f"（{overlap.start_date:%Y-%m-%d}至{overlap.end_date:%Y-%m-%d}），与本次时间重叠",
            field="cadre",
        )
    return cadre


@transaction.atomic
def _create_membership(*, team, cadre, position, start_date, end_date, reason="") -> Membership:
    """Makes the place checked by `_validate_member` in the same transaction.

    The cadre lock does not cover a rule about the team: two offices naming two different leaders at once both pass
    "本组已有组长". The partial unique constraint `membership_one_active_leader_per_team` refuses the second insert
    once the first commits; the rules are then run again, so the loser gets the same Chinese refusal as if it had
    come second, never a 500.
    """
    membership = Membership.objects.select_for_update().filter(team=team, cadre=cadre).first()
    if membership is None:
        membership = Membership(team=team, cadre=cadre)
    membership.position = position
    membership.start_date = start_date
    membership.end_date = end_date
    membership.is_active = True
    membership._change_reason = reason
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        _validate_member(team=team, cadre=cadre, position=position, start_date=start_date, end_date=end_date)
        raise DomainError("保存时本组成员已被他人调整，请刷新后重试", field="cadre") from exc
    return membership


def team_add_member(*, team: Team, cadre: Cadre, position, actor, start_date: date | None = None,
                    end_date: date | None = None, override_reason: str = "") -> Membership:
    """Stage 1 (leader, deputy) or stage 2 (member) recusal check, then the overlap rule, then the place.

    A conflict is recorded and refused (RecusalConflict) unless the office gives a written reason.
    """
    override_reason = (override_reason or "").strip()
    _require_override_right(actor, override_reason)
    team = Team.objects.select_related("round").get(pk=team.pk)
    _require_open_round(team.round)
    start_date = start_date or team.round.start_date
    end_date = end_date or team.round.end_date
    with transaction.atomic():
        # Checked and made in one transaction, with the cadre locked from the check to the commit.
        cadre = _validate_member(team=team, cadre=cadre, position=position, start_date=start_date, end_date=end_date)
        factors = selectors.recusal_conflicts(cadre=cadre, unit_ids=team.team_units.values_list("unit_id", flat=True))
        check = _record_check(
            team=team, cadre=cadre, stage=_stage_for(position), trigger=RecusalCheck.Trigger.MEMBER,
            factors=factors, actor=actor, position=position, start_date=start_date, end_date=end_date,
            override_reason=override_reason,
        )
        if check.result == RecusalCheck.Result.CONFLICT:
            conflict = check
        else:
            conflict = None
            membership = _create_membership(
                team=team, cadre=cadre, position=position, start_date=start_date, end_date=end_date,
                reason=override_reason,
            )
            check.membership = membership
            check.save(update_fields=["membership"])
    if conflict is not None:
        raise RecusalConflict(
            f"回避冲突：{cadre.name}与本组被巡察单位存在回避情形（{conflict.detail}）。"
            "如确需安排，须由巡察办书面说明理由。",
            checks=[conflict],
            field="cadre",
        )
    return membership


def team_add_unit(*, team: Team, unit: Unit, actor, override_reason: str = "") -> TeamUnit:
    """Adds a unit to a team and re-checks every current member against it (and its parent and children)."""
    override_reason = (override_reason or "").strip()
    _require_override_right(actor, override_reason)
    team = Team.objects.select_related("round").get(pk=team.pk)
    _require_open_round(team.round)
    if unit.jurisdiction_id != team.round.jurisdiction_id:
        raise DomainError("只能巡察本管辖范围的单位", field="unit")
    taken = TeamUnit.objects.filter(round_id=team.round_id, unit=unit).select_related("team").first()
    if taken is not None:
        raise DomainError(f"{unit.name}已由本轮{taken.team.name}巡察", field="unit")
    with transaction.atomic():
        conflicts = _recheck_members_against_unit(team=team, unit=unit, actor=actor, override_reason=override_reason)
        if not conflicts:
            team_unit = _create_team_unit(team=team, unit=unit)
    if conflicts:
        names = "、".join(f"{c.cadre.name}（{c.detail}）" for c in conflicts)
        raise RecusalConflict(
            f"回避冲突：增加{unit.name}后，本组{names}存在回避情形。如确需安排，须由巡察办书面说明理由。",
            checks=conflicts,
            field="unit",
        )
    return team_unit


def _recheck_members_against_unit(*, team, unit, actor, override_reason) -> list[RecusalCheck]:
    """Checks every active member of `team` against `unit` and records each check, passed or not.

    Returns the conflicts that block the assignment (none when the office gave a written reason). Callers run
    this in a transaction that they let commit before raising RecusalConflict, so refused checks stay on record.
    """
    conflicts = []
    for membership in team.memberships.filter(is_active=True).select_related("cadre"):
        factors = selectors.recusal_conflicts(cadre=membership.cadre, unit_ids=[unit.pk])
        check = _record_check(
            team=team, cadre=membership.cadre, stage=_stage_for(membership.position),
            trigger=RecusalCheck.Trigger.UNIT, factors=factors, actor=actor, position=membership.position,
            unit=unit, membership=membership, override_reason=override_reason,
        )
        if check.result == RecusalCheck.Result.CONFLICT:
            conflicts.append(check)
    return conflicts


def _create_team_unit(*, team, unit, moved_from=None) -> TeamUnit:
    try:
        with transaction.atomic():
            team_unit = TeamUnit(team=team, round_id=team.round_id, unit=unit, moved_from=moved_from)
            if moved_from is not None:
                team_unit._change_reason = _history_reason(f"由{moved_from.team.name}调整而来", moved_from.withdrawal_reason)
            team_unit.save()
            return team_unit
    except IntegrityError as exc:
        raise DomainError(f"{unit.name}已由本轮其他巡察组巡察", field="unit") from exc


def _history_reason(action: str, reason: str) -> str:
    # django-simple-history keeps 100 characters of a change reason; the full reason is on the row itself.
    text = f"{action}：{reason}"
    return text if len(text) <= 100 else text[:99] + "…"


# --- Withdrawing a unit from its team (before on-site work) ---------------------------------------------

# Records that tie a team to a unit without being work on it: the assignment itself, its recusal checks, and the
# announcement drafted in preparation (the office corrects it along with the move).
_PREPARATION_RECORDS = (TeamUnit, RecusalCheck, Announcement)


def team_unit_work_records(team_unit: TeamUnit) -> list[tuple[str, int]]:
    """(record label, count) of the team's work on the unit: petitions, interviews, findings of higher apps.

    Any model with a foreign key to Team and one named `unit` counts, so that a higher app's records (findings)
    are found without this app importing it. Only a round sent back from on-site work can have any here.
    """
    rows = []
    for relation in Team._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model in _PREPARATION_RECORDS:
            continue
        unit_field = next((f for f in model._meta.concrete_fields if f.name == "unit" and f.is_relation), None)
        if unit_field is None or unit_field.related_model is not Unit:
            continue
        count = model._base_manager.filter(**{relation.field.name: team_unit.team_id, "unit": team_unit.unit_id}).count()
        if count:
            rows.append((str(model._meta.verbose_name), count))
    return rows


def _lock_for_withdrawal(team_unit: TeamUnit) -> TeamUnit:
    """Locks the assignment and applies the one rule for taking a unit off its team (see workflow)."""
    team_unit = (
        TeamUnit.all_objects.select_for_update(of=("self",))
        .select_related("team", "round", "unit", "withdrawn_by")
        .get(pk=team_unit.pk)
    )
    if team_unit.withdrawn_at is not None:
        raise DomainError(
            f"{team_unit.unit.name}已于{timezone.localtime(team_unit.withdrawn_at):%Y-%m-%d %H:%M}调整出{team_unit.team.name}"
        )
    refusal = unit_withdrawal_refusal(team_unit.round.phase)
    if refusal:
        raise DomainError(refusal)
    work = team_unit_work_records(team_unit)
    if work:
        listed = "、".join(f"{label}{count}件" for label, count in work)
        raise DomainError(
            f"{team_unit.team.name}已登记{team_unit.unit.name}的{listed}，已开展巡察工作，不能调整出组"
        )
    return team_unit


def _withdraw(team_unit: TeamUnit, *, actor, reason: str, action: str) -> None:
    team_unit.withdrawn_at = timezone.now()
    team_unit.withdrawn_by = actor
    team_unit.withdrawal_reason = reason
    team_unit._change_reason = _history_reason(action, reason)
    team_unit.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    _settle_applications_after_withdrawal(team_unit, actor=actor)


def _settle_applications_after_withdrawal(team_unit: TeamUnit, *, actor) -> None:
    """A member's pending recusal application (stage 3) is settled when the unit it concerned leaves the team:
    the conflict is gone, so it no longer blocks on-site work (如：回避冲突发现较晚，单位改由其他组巡察)."""
    remaining = list(TeamUnit.objects.filter(team_id=team_unit.team_id).values_list("unit_id", flat=True))
    pending = RecusalCheck.objects.filter(
        team_id=team_unit.team_id, result=RecusalCheck.Result.CONFLICT, trigger=RecusalCheck.Trigger.APPLICATION,
        membership__is_active=True,
    ).select_related("cadre")
    for check in pending:
        if not selectors.recusal_conflicts(cadre=check.cadre, unit_ids=remaining):
            check.result = RecusalCheck.Result.WITHDRAWN
            check._change_reason = _history_reason(f"{team_unit.unit.name}已调整出组", team_unit.withdrawal_reason)
            check.save(update_fields=["result"])


def _withdrawal_inputs(actor, reason, override_reason) -> tuple[str, str]:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("调整被巡察单位须填写理由", field="reason")
    override_reason = (override_reason or "").strip()
    _require_override_right(actor, override_reason)
    return reason, override_reason


def team_unit_withdraw(*, team_unit: TeamUnit, actor, reason: str, to_team: Team | None = None,
                       override_reason: str = "") -> TeamUnit:
    """Takes a unit off its team before on-site work: out of the round, or (`to_team`) to another team of it.

    Nothing is deleted: the assignment keeps who, when and why. A move re-runs the recusal checks of the receiving
    team exactly as `team_add_unit` does, with the same rule: a conflict is recorded and refuses the move (the unit
    stays where it was) unless the office gives a written `override_reason`. Returns the withdrawn assignment.
    """
    reason, override_reason = _withdrawal_inputs(actor, reason, override_reason)
    if to_team is None:
        if override_reason:
            raise DomainError("撤出本轮不涉及回避检查，无需填写回避情形书面说明", field="override_reason")
        with transaction.atomic():
            team_unit = _lock_for_withdrawal(team_unit)
            _withdraw(team_unit, actor=actor, reason=reason, action="撤出本轮巡察")
        return team_unit
    to_team = Team.objects.select_related("round").get(pk=to_team.pk)
    if to_team.round_id != team_unit.round_id:
        raise DomainError("只能调整至本轮的其他巡察组", field="to_team")
    if to_team.pk == team_unit.team_id:
        raise DomainError("该单位已由本组巡察，请选择其他巡察组", field="to_team")
    with transaction.atomic():
        team_unit = _lock_for_withdrawal(team_unit)
        conflicts = _recheck_members_against_unit(
            team=to_team, unit=team_unit.unit, actor=actor, override_reason=override_reason
        )
        if not conflicts:
            _withdraw(team_unit, actor=actor, reason=reason, action=f"调整至{to_team.name}")
            _create_team_unit(team=to_team, unit=team_unit.unit, moved_from=team_unit)
    if conflicts:
        names = "、".join(f"{c.cadre.name}（{c.detail}）" for c in conflicts)
        raise RecusalConflict(
            f"回避冲突：{team_unit.unit.name}调整至{to_team.name}后，该组{names}存在回避情形，未作调整。"
            "如确需调整，须由巡察办书面说明理由。",
            checks=conflicts,
            field="to_team",
        )
    return team_unit


@transaction.atomic
def membership_remove(*, membership: Membership, actor, reason: str) -> Membership:
    """Takes a cadre off a team (e.g. after a recusal application). The row stays, inactive."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("调整出组须填写理由", field="reason")
    membership = Membership.objects.select_for_update(of=("self",)).select_related("team__round").get(pk=membership.pk)
    if not membership.is_active:
        raise DomainError("该干部已不在本组")
    _require_open_round(membership.team.round)
    membership.is_active = False
    membership._change_reason = reason
    membership.save(update_fields=["is_active"])
    RecusalCheck.objects.filter(membership=membership, result=RecusalCheck.Result.CONFLICT).update(
        result=RecusalCheck.Result.WITHDRAWN
    )
    return membership


def recusal_application_file(*, membership: Membership, unit: Unit, kind, actor, description: str = "") -> RecusalCheck:
    """Stage 3: a cadre declares a relation; it becomes a recusal factor and is checked against the team."""
    if not membership.is_active:
        raise DomainError("该干部已不在本组")
    if actor.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER) and membership.cadre.user_id != actor.pk:
        raise DomainError("只能为本人申请回避")
    with transaction.atomic():
        factor = RecusalFactor.objects.create(
            cadre=membership.cadre, unit=unit, kind=kind, description=description, declared_at=date.today()
        )
        factors = selectors.recusal_conflicts(
            cadre=membership.cadre, unit_ids=membership.team.team_units.values_list("unit_id", flat=True)
        )
        factors = [f for f in factors if f.pk == factor.pk] or factors
        return _record_check(
            team=membership.team, cadre=membership.cadre, stage=RecusalCheck.Stage.APPLICATION,
            trigger=RecusalCheck.Trigger.APPLICATION, factors=factors, actor=actor,
            position=membership.position, membership=membership,
        )


@transaction.atomic
def recusal_check_override(*, check: RecusalCheck, actor, reason: str) -> RecusalCheck:
    """The office lets a conflicting assignment go ahead, in writing; the blocked assignment is then made."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("须书面说明理由", field="reason")
    _require_override_right(actor, reason)
    check = (
        RecusalCheck.objects.select_for_update(of=("self",)).select_related("team__round", "cadre", "unit").get(pk=check.pk)
    )
    if check.result != RecusalCheck.Result.CONFLICT:
        raise DomainError(f"该检查结果为“{check.get_result_display()}”，无需说明")
    if selectors.recusal_check_superseded(check):
        raise DomainError("该次检查之后已重新检查：请对最近一次检查书面说明理由")
    if check.trigger == RecusalCheck.Trigger.MEMBER:
        _require_open_round(check.team.round)
        # Locks the cadre: two overrides placing them on two teams at once are one after the other; two overrides
        # naming two leaders of one team are settled by the constraint in `_create_membership`.
        cadre = _validate_member(
            team=check.team, cadre=check.cadre, position=check.position,
            start_date=check.start_date, end_date=check.end_date,
        )
        check.membership = _create_membership(
            team=check.team, cadre=cadre, position=check.position,
            start_date=check.start_date, end_date=check.end_date, reason=reason,
        )
    check.result = RecusalCheck.Result.OVERRIDDEN
    check.override_reason = reason
    check.overridden_by = actor
    check.overridden_at = timezone.now()
    check._change_reason = reason
    check.save()
    if check.trigger == RecusalCheck.Trigger.UNIT:
        # The unit is added once every member who conflicted with it has been overridden.
        # Only each member's latest check counts: an older refused attempt is superseded, not still blocking.
        still_blocked = selectors.unit_conflicts_pending(team=check.team, unit=check.unit).exists()
        held = TeamUnit.objects.filter(round_id=check.round_id, unit=check.unit).select_related("team").first()
        if held is not None and held.team_id != check.team_id:
            # A refused move: the unit is still with its team, and the move is redone with the written reason.
            raise DomainError(
                f"{check.unit.name}目前由本轮{held.team.name}巡察：请在{held.team.name}页面将其“调整至{check.team.name}”，"
                "并在回避情形书面说明中填写理由"
            )
        if not still_blocked and held is None:
            _require_open_round(check.team.round)
            _create_team_unit(team=check.team, unit=check.unit)
    return check


# --- Preparation and on-site records --------------------------------------------------------------------


def _require_team_actor(actor, team):
    """Team roles write only for their own current team; the office writes for any team of its office."""
    if actor.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER) and team.pk not in set(team_scope(actor).team_ids()):
        raise DomainError("只能为本组登记", field="team")


def _validate_links(*, round, team=None, unit=None, unit_must_be_of_team=True):
    if team is not None and team.round_id != round.pk:
        raise DomainError("巡察组不属于本轮", field="team")
    if unit is not None:
        team_units = TeamUnit.objects.filter(round=round, unit=unit)
        if team is not None and unit_must_be_of_team:
            team_units = team_units.filter(team=team)
        if not team_units.exists():
            raise DomainError(f"{unit.name}不是{'本组' if team is not None else '本轮'}的被巡察单位", field="unit")


# Dates of records that log something that already happened: never later than today.
PAST_EVENT_DATES = {
    Petition: ("received_on",),
    Inquiry: ("asked_on",),
    Interview: ("held_on",),
    InfoRequest: ("replied_on",),
    MaterialItem: ("received_on",),
}


def _refuse_future_dates(instance):
    for name in PAST_EVENT_DATES.get(type(instance), ()):
        field = instance._meta.get_field(name)
        refuse_future(getattr(instance, name), field=name, label=str(field.verbose_name))


def _save(instance, *, actor, reason=""):
    instance._change_reason = reason
    instance.save()
    return instance


def _save_versioned(instance, *, reason=""):
    """Saves a new record at version 1, or an edit only if the row is still at the version the editor read.

    `instance.version` is the version the edit was made on (the form's hidden field, the API's `version`). The
    conditional UPDATE ... WHERE version = n claims the row: on PostgreSQL a second editor's UPDATE waits for the
    first to commit, then matches nothing, and is refused with StaleEdit instead of silently writing over the
    first edit (last write wins). The full save then writes the fields and the history row in the same transaction.
    """
    if instance.pk is None:
        instance.version = 1
        return _save(instance, actor=None, reason=reason)
    model = type(instance)
    read_version = instance.version
    if not model.objects.filter(pk=instance.pk, version=read_version).update(version=F("version") + 1):
        raise StaleEdit(model.objects.get(pk=instance.pk))
    instance.version = read_version + 1
    return _save(instance, actor=None, reason=reason)


@transaction.atomic
def record_save(*, instance, actor, reason: str = ""):
    """Creates or updates an announcement, info request, material item or interview after checking
    that its team and unit belong to its round and that a team author writes for their own team.

    Petitions and inquiries have their own services (`petition_save`, `inquiry_save`): they carry a version."""
    if isinstance(instance, Petition | Inquiry):
        raise TypeError("petitions and inquiries are saved by petition_save / inquiry_save (version check)")
    round = instance.round
    team = getattr(instance, "team", None)
    if team is not None:
        _require_team_actor(actor, team)
    _validate_links(round=round, team=team, unit=getattr(instance, "unit", None))
    if round.phase == Phase.COMPLETED:
        raise DomainError("本轮巡察已完成，不能再登记")
    _refuse_future_dates(instance)
    if instance.pk is None and hasattr(instance, "created_by_id"):
        instance.created_by = actor
    if hasattr(instance, "start_date") and hasattr(instance, "end_date") and instance.end_date < instance.start_date:
        raise DomainError("截止日期不能早于开始日期", field="end_date")
    if hasattr(instance, "due_date") and hasattr(instance, "sent_on") and instance.due_date < instance.sent_on:
        raise DomainError("回复期限不能早于发函日期", field="due_date")
    if isinstance(instance, MaterialItem) and MaterialItem.objects.filter(
        round=round, unit=instance.unit, name=instance.name
    ).exclude(pk=instance.pk).exists():
        raise DomainError("该单位的调阅清单中已有同名资料", field="name")
    return _save(instance, actor=actor, reason=reason)


@transaction.atomic
def petition_save(*, petition: Petition, actor, reason: str = "") -> Petition:
    _require_team_actor(actor, petition.team)
    _validate_links(round=petition.round, team=petition.team, unit=petition.unit)
    _refuse_future_dates(petition)
    if petition.is_anonymous:
        # An anonymous petitioner stays anonymous: no name or contact is kept.
        petition.petitioner_name = ""
        petition.petitioner_contact = ""
    elif not petition.petitioner_name.strip():
        raise DomainError("实名信访须填写信访人姓名", field="petitioner_name")
    if petition.conclusion != Petition.Conclusion.PENDING and not petition.handling.strip():
        raise DomainError("作出办理结论前须填写办理情况", field="handling")
    if petition.pk is None:
        petition.created_by = actor
    return _save_versioned(petition, reason=reason)


@transaction.atomic
def inquiry_save(*, inquiry: Inquiry, actor, reason: str = "") -> Inquiry:
    """Logs or edits an inquiry (过问登记) of the actor's team; an edit is saved only on the version it was made on."""
    _require_team_actor(actor, inquiry.team)
    _validate_links(round=inquiry.round, team=inquiry.team)
    if inquiry.round.phase == Phase.COMPLETED:
        raise DomainError("本轮巡察已完成，不能再登记")
    _refuse_future_dates(inquiry)
    if inquiry.pk is None:
        inquiry.created_by = actor
    return _save_versioned(inquiry, reason=reason)


def interview_save(*, interview: Interview, actor, reason: str = "") -> Interview:
    return record_save(instance=interview, actor=actor, reason=reason)


@transaction.atomic
def material_list_apply_default(
    *, round: Round, unit: Unit, actor, requested_on: date | None = None
) -> list[MaterialItem]:
    """Copies the office's default material list to one unit of the round; items already listed are kept.
    Returns the items it listed (none when every default item was listed already)."""
    _validate_links(round=round, unit=unit)
    defaults = list(DefaultMaterialItem.objects.filter(jurisdiction_id=round.jurisdiction_id, is_active=True))
    if not defaults:
        raise DomainError("本单位尚未设置默认调阅资料清单", field="unit")
    existing = set(MaterialItem.objects.filter(round=round, unit=unit).values_list("name", flat=True))
    requested_on = requested_on or date.today()
    created = [
        MaterialItem(round=round, unit=unit, order=d.order, name=d.name, description=d.description, requested_on=requested_on)
        for d in defaults
        if d.name not in existing
    ]
    for item in created:
        item.save()  # one by one so that each item gets its history row
    return created


@transaction.atomic
def material_item_receive(*, item: MaterialItem, actor, received_on: date | None = None) -> MaterialItem:
    item = MaterialItem.objects.select_for_update().get(pk=item.pk)
    if item.received_on is not None:
        raise DomainError("该资料已登记收到")
    item.received_on = received_on or date.today()
    _refuse_future_dates(item)
    if item.received_on < item.requested_on:
        raise DomainError("收到日期不能早于调阅日期", field="received_on")
    item.save(update_fields=["received_on"])
    return item


@transaction.atomic
def default_material_item_save(*, item: DefaultMaterialItem, actor) -> DefaultMaterialItem:
    if DefaultMaterialItem.objects.filter(jurisdiction_id=item.jurisdiction_id, name=item.name, is_active=True).exclude(
        pk=item.pk
    ).exists():
        raise DomainError("默认清单中已有同名资料", field="name")
    item.save()
    return item


# --- Evaluation of cadres after the round (考评) ---------------------------------------------------------

EVALUATION_PHASES = (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED)
# The grade follows the score band, so that a score and a grade never contradict each other.
GRADE_BANDS = ((90, CadreEvaluation.Grade.EXCELLENT), (75, CadreEvaluation.Grade.COMPETENT), (60, CadreEvaluation.Grade.BASIC))


def grade_for(score: int) -> str:
    return next((grade for floor, grade in GRADE_BANDS if score >= floor), CadreEvaluation.Grade.INCOMPETENT)


def _lock_membership_for_evaluation(membership: Membership) -> Membership:
    # The membership row, not the evaluation, is what two people evaluating one cadre at once must take turns on:
    # before the first evaluation there is no evaluation row to lock, so both would find none and both insert into
    # the one-to-one (an IntegrityError 500). Locked, the second waits, then finds the first's evaluation and is
    # told it exists. `of=self`: not the team and round rows joined for the phase; `no_key`: rows that merely
    # reference the membership (the evaluation's own insert) are not blocked.
    return (
        Membership.objects.select_related("team__round", "cadre")
        .select_for_update(of=("self",), no_key=True)
        .get(pk=membership.pk)
    )


@transaction.atomic
def cadre_evaluate(*, membership: Membership, score: int, actor, comment: str = "", reason: str = "") -> CadreEvaluation:
    membership = _lock_membership_for_evaluation(membership)
    if membership.team.round.phase not in EVALUATION_PHASES:
        raise DomainError("本轮进驻和报告工作结束（进入反馈阶段）后方可考评", field="membership")
    if score is None or not 0 <= score <= 100:
        raise DomainError("考评得分应在0至100之间", field="score")
    evaluation = CadreEvaluation.objects.select_related("evaluated_by").filter(membership=membership).first()
    if evaluation is None:
        evaluation = CadreEvaluation(membership=membership)
    elif not (reason or "").strip():
        # Also what the second of two simultaneous first evaluations is told: it names what the first one saved.
        raise DomainError(
            f"{membership.cadre.name}已有考评（{evaluation.evaluated_by}评定：{evaluation.score}分，"
            f"{evaluation.get_grade_display()}），修改已有考评须说明理由",
            field="reason",
        )
    evaluation.score = score
    evaluation.grade = grade_for(score)
    evaluation.comment = comment
    evaluation.evaluated_by = actor
    evaluation._change_reason = reason
    evaluation.save()
    return evaluation
