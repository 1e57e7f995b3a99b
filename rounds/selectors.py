"""Reads for rounds: the team scope provider (every app asks `inspection.core.team_scope`), coverage, lists."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from inspection.accounts.models import Role
from inspection.core import access
from inspection.units.models import Cadre, RecusalFactor, Unit, UnitKind
from inspection.units.selectors import unit_family_ids

from .models import (
    Announcement,
    InfoRequest,
    Interview,
    MaterialItem,
    Membership,
    Plan,
    RecusalCheck,
    Round,
    RoundKind,
    Team,
    TeamUnit,
)
from .workflow import INSPECTED_PHASES, duty_phases

# --- Team scoping ---------------------------------------------------------------------------------------


class TeamScopeProvider:
    """`inspection.core.team_scope` on the rounds tables (registered in `RoundsConfig.ready()`).

    A place counts when it is active and its round is in the window's phases (by default the role's own work,
    `workflow.duty_phases`); units are reached through `TeamUnit.objects`, the assignments in force."""

    def memberships(self, scope) -> QuerySet[Membership]:
        user = scope.user
        if not user.is_authenticated or user.role not in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
            return Membership.objects.none()
        phases = scope.phases if scope.phases is not None else duty_phases(user.role)
        places = Membership.objects.filter(cadre__user=user, is_active=True, team__round__phase__in=phases)
        if scope.rounds is not None:
            places = places.filter(team__round__in=scope.rounds)
        if scope.positions is not None:
            places = places.filter(position__in=scope.positions)
        return places

    def team_ids(self, scope) -> QuerySet:
        return self.memberships(scope).values_list("team_id", flat=True)

    def round_ids(self, scope) -> QuerySet:
        return self.memberships(scope).values_list("team__round_id", flat=True)

    def unit_ids(self, scope) -> QuerySet:
        return TeamUnit.objects.filter(team_id__in=self.team_ids(scope)).values_list("unit_id", flat=True)

    def cadre_ids(self, scope) -> QuerySet:
        return Membership.objects.filter(team_id__in=self.team_ids(scope), is_active=True).values_list(
            "cadre_id", flat=True
        )

    def covers(self, scope, *, round: str, unit: str) -> Q:
        assignments = TeamUnit.objects.filter(
            team_id__in=self.team_ids(scope), round_id=OuterRef(round), unit_id=OuterRef(unit)
        )
        return Q(Exists(assignments))

    def revisits(self, scope, *, round: str, unit: str) -> Q:
        assignments = TeamUnit.objects.filter(
            team_id__in=self.team_ids(scope), round__kind=RoundKind.LOOKBACK, round__lookback_of=OuterRef(round),
            unit_id=OuterRef(unit),
        )
        return Q(Exists(assignments))


def team_users(team_id, *, positions=None) -> QuerySet:
    """The enabled accounts of a team's active places (optionally of some positions): who a notice about the
    team's work can reach. The caller's access policy decides which of them may act now."""
    from django.contrib.auth import get_user_model

    places = Membership.objects.filter(team_id=team_id, is_active=True)
    if positions is not None:
        places = places.filter(position__in=positions)
    return get_user_model().objects.filter(
        is_active=True, role__in=(Role.TEAM_LEADER, Role.TEAM_MEMBER), cadre__in=places.values("cadre_id")
    ).order_by("pk")


def round_list_visible_to(user) -> QuerySet[Round]:
    return access.visible(
        user, Round.objects.select_related("plan").annotate(team_count=Count("teams", distinct=True))
    ).order_by("-start_date", "-id")


# --- Rounds and teams -----------------------------------------------------------------------------------


def team_detail_queryset() -> QuerySet[Team]:
    return Team.objects.select_related("round__plan").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True)
            .select_related("cadre__employer")
            .prefetch_related("cadre__specialties"),
            to_attr="active_memberships",
        ),
        Prefetch("team_units", queryset=TeamUnit.objects.select_related("unit", "moved_from__team"), to_attr="unit_rows"),
    )


def withdrawn_team_units(team) -> QuerySet[TeamUnit]:
    """The team's withdrawn assignments, latest first, with who, why and where the unit went (if moved)."""
    return (
        TeamUnit.all_objects.filter(team=team, withdrawn_at__isnull=False)
        .select_related("unit", "withdrawn_by", "moved_to__team")
        .order_by("-withdrawn_at", "-id")
    )


def team_unit_preparation_records(team_unit) -> list[tuple[str, int]]:
    """(label, count) of the preparation records about the unit in the round: they stay with the round (and follow
    the unit to its new team) when the assignment is withdrawn; the withdrawal page lists them so none is lost."""
    counts = [
        ("巡前征询函", InfoRequest.objects.filter(round_id=team_unit.round_id, unit_id=team_unit.unit_id).count()),
        ("调阅资料", MaterialItem.objects.filter(round_id=team_unit.round_id, unit_id=team_unit.unit_id).count()),
        (
            "巡察公告",
            Announcement.objects.filter(team_id=team_unit.team_id, unit_id=team_unit.unit_id).count(),
        ),
    ]
    return [(label, n) for label, n in counts if n]


def team_warnings(team) -> list[str]:
    """Soft rules shown on the team form and in the API: the 3+X team has an audit/finance specialist."""
    memberships = getattr(team, "active_memberships", None)
    if memberships is None:
        memberships = list(
            team.memberships.filter(is_active=True).select_related("cadre").prefetch_related("cadre__specialties")
        )
    warnings = []
    if not any(s.counts_as_finance for m in memberships for s in m.cadre.specialties.all()):
        warnings.append("本组尚无审计或财务专长的干部（“3+X”组队要求至少一名）")
    if not any(m.position == Membership.Position.LEADER for m in memberships):
        warnings.append("本组尚未确定组长")
    unit_rows = getattr(team, "unit_rows", None)
    if unit_rows is None:
        unit_rows = list(team.team_units.all())
    if not unit_rows:
        warnings.append("本组尚未确定被巡察单位")
    return warnings


def overlapping_memberships(*, cadre, start_date: date, end_date: date, exclude_team=None) -> QuerySet[Membership]:
    """Other active team places of the cadre whose dates overlap [start_date, end_date]."""
    queryset = Membership.objects.filter(
        cadre=cadre, is_active=True, start_date__lte=end_date, end_date__gte=start_date
    ).select_related("team__round__plan")
    if exclude_team is not None:
        queryset = queryset.exclude(team=exclude_team)
    return queryset


def recusal_conflicts(*, cadre, unit_ids) -> list[RecusalFactor]:
    """Active recusal factors of the cadre that touch the units, their parents or their children."""
    family = unit_family_ids(unit_ids)
    if not family:
        return []
    return list(
        RecusalFactor.objects.filter(cadre=cadre, is_active=True, unit_id__in=family).select_related("unit")
    )


# --- Plans and coverage ---------------------------------------------------------------------------------


def recusal_check_superseded(check) -> bool:
    """A later check of the same cadre for the same assignment (same team, trigger and unit) replaces this one:
    only the latest attempt can be overridden, or an old refusal would make or block an assignment."""
    return RecusalCheck.objects.filter(
        team_id=check.team_id, cadre_id=check.cadre_id, trigger=check.trigger, unit_id=check.unit_id, pk__gt=check.pk
    ).exists()


def unit_conflicts_pending(*, team, unit) -> QuerySet[RecusalCheck]:
    """The conflicts that still block adding `unit` to `team`: for each active member, the latest unit check
    for this unit, when it is a conflict. Older refused attempts are superseded by the latest one."""
    latest = (
        RecusalCheck.objects.filter(
            team_id=team.pk, unit_id=unit.pk, trigger=RecusalCheck.Trigger.UNIT, membership_id=OuterRef("membership_id")
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    return RecusalCheck.objects.filter(
        team_id=team.pk, unit_id=unit.pk, trigger=RecusalCheck.Trigger.UNIT, membership__is_active=True,
        result=RecusalCheck.Result.CONFLICT, pk=Subquery(latest),
    )


def recusal_override_outcome(check) -> str:
    """What an override actually did, in Chinese, so the page never reports an assignment that was not made."""
    if check.trigger != RecusalCheck.Trigger.UNIT:
        if check.membership_id and Membership.objects.filter(pk=check.membership_id, is_active=True).exists():
            return f"已书面说明理由，{check.cadre.name}的安排已生效"
        return f"已书面说明理由，但{check.cadre.name}尚未安排进组"
    if TeamUnit.objects.filter(team_id=check.team_id, unit_id=check.unit_id).exists():
        return f"已书面说明理由，{check.unit.name}已安排由{check.team.name}巡察"
    pending = unit_conflicts_pending(team=check.team, unit=check.unit).count()
    return (
        f"已书面说明理由；本组还有 {pending} 名成员与{check.unit.name}存在回避冲突尚未书面说明，"
        f"{check.unit.name}暂未安排"
    )


def plan_unit_rows(plan) -> QuerySet[Unit]:
    """The plan's units, each annotated `inspected` by the rule in `workflow.INSPECTED_PHASES`."""
    inspected = TeamUnit.objects.filter(unit_id=OuterRef("pk"), round__plan=plan, round__phase__in=INSPECTED_PHASES)
    return plan.units.annotate(inspected=Exists(inspected)).select_related("parent")


def plan_coverage(plan) -> dict:
    """Per unit kind and overall: planned, inspected, rate. Two queries whatever the size of the plan."""
    rows = (
        plan_unit_rows(plan)
        .order_by()
        .values("kind")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(inspected=True)))
    )
    labels = dict(UnitKind.choices)
    by_kind = [
        {
            "kind": row["kind"],
            "label": labels.get(row["kind"], row["kind"]),
            "planned": row["planned"],
            "inspected": row["done"],
            "rate": round(100 * row["done"] / row["planned"], 1) if row["planned"] else 0,
        }
        for row in rows
    ]
    by_kind.sort(key=lambda r: list(labels).index(r["kind"]) if r["kind"] in labels else 99)
    planned = sum(r["planned"] for r in by_kind)
    inspected = sum(r["inspected"] for r in by_kind)
    return {
        "by_kind": by_kind,
        "planned": planned,
        "inspected": inspected,
        "rate": round(100 * inspected / planned, 1) if planned else 0,
    }


def coverage_chart_option(coverage: dict) -> dict:
    names = [r["label"] for r in coverage["by_kind"]] + ["合计"]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["规划单位", "已巡察"]},
        "grid": {"left": 40, "right": 20, "bottom": 40, "top": 40},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": "规划单位", "type": "bar", "data": [r["planned"] for r in coverage["by_kind"]] + [coverage["planned"]]},
            {"name": "已巡察", "type": "bar", "data": [r["inspected"] for r in coverage["by_kind"]] + [coverage["inspected"]]},
        ],
    }


def plan_list_visible_to(user) -> QuerySet[Plan]:
    return access.visible(user, Plan.objects.annotate(unit_count=Count("units", distinct=True)).order_by("-start_year", "id"))


# --- Preparation and on-site records --------------------------------------------------------------------


def info_request_overdue_q(today: date | None = None) -> Q:
    today = today or date.today()
    return Q(replied_on__isnull=True, due_date__lt=today)


def info_requests_overdue(queryset: QuerySet[InfoRequest], today: date | None = None) -> QuerySet[InfoRequest]:
    return queryset.filter(info_request_overdue_q(today))


def interview_counts_by_unit(queryset: QuerySet[Interview]) -> list[dict]:
    return list(
        queryset.order_by().values("unit_id", "unit__name").annotate(count=Count("pk")).order_by("-count", "unit__name")
    )


def cadres_for_position(jurisdiction_id, position) -> QuerySet[Cadre]:
    """Leaders and deputies come from the leader pool, members from the talent pool."""
    pool = Cadre.Pool.TALENT if position == Membership.Position.MEMBER else Cadre.Pool.LEADER
    return Cadre.objects.filter(jurisdiction_id=jurisdiction_id, pool=pool, is_active=True).order_by("name", "id")
