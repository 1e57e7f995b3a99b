"""Reads of the referrals app. Scoping of leads and batches lives in `permissions`; these add the
select/prefetch each page needs, the team's narrow view of its own leads, and the figures."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import ReceivingBody, Role
from inspection.accounts.roles import OVERSIGHT, RECEIVERS
from inspection.audit.models import ReadLog
from inspection.core import access
from inspection.core.money import yuan
from inspection.core.team_scope import team_scope
from rounds.models import Petition, Round, Team
from rounds.workflow import FOLLOW_UP_PHASES, LEAD_PHASES, LEAD_POSITIONS

from .models import (
    Disposition,
    DispositionKind,
    Lead,
    LeadStatus,
    Referral,
    ReferralStatus,
    Result,
    ResultKind,
)

CENT = Decimal("0.01")
REFERRED_STATUSES = [LeadStatus.REFERRED, LeadStatus.RECEIVED, LeadStatus.DISPOSED, LeadStatus.CONCLUDED]
SIGNED_STATUSES = [LeadStatus.RECEIVED, LeadStatus.DISPOSED, LeadStatus.CONCLUDED]
DISPOSED_STATUSES = [LeadStatus.DISPOSED, LeadStatus.CONCLUDED]
DISCIPLINE_KINDS = [ResultKind.PARTY_DISCIPLINE, ResultKind.STATE_DISCIPLINE]
LOGGED_TYPES = {
    "referrals.lead": Lead,
    "referrals.referral": Referral,
    "referrals.disposition": Disposition,
    "referrals.result": Result,
}


# --- links used by notifications ------------------------------------------------------------------------

def referral_url(referral) -> str:
    return reverse("referrals:batch_detail", args=[referral.pk])


def workspace_url() -> str:
    return reverse("referrals:workspace")


def overdue_url() -> str:
    return reverse("referrals:lead_list") + "?overdue=true"


# --- people ---------------------------------------------------------------------------------------------

def receiver_users(receiving_body_id):
    return get_user_model().objects.filter(
        receiving_body_id=receiving_body_id, role__in=RECEIVERS, is_active=True
    ).order_by("pk")


def office_users(jurisdiction_id):
    return get_user_model().objects.filter(
        jurisdiction_id=jurisdiction_id, role=Role.OFFICE, is_active=True
    ).order_by("pk")


def lead_window(user, round=None):
    """A team leader's window for making leads: its places as leader or deputy, during the leader's window of the
    round (`rounds.workflow.LEAD_PHASES`); `round` narrows it to one round."""
    return team_scope(user, phases=LEAD_PHASES, positions=LEAD_POSITIONS, rounds=None if round is None else [round])


def teams_led_by(user, round) -> QuerySet[Team]:
    """The teams of `round` where `user` is leader or deputy leader, while the round is in the lead window."""
    return Team.objects.filter(pk__in=lead_window(user, round).team_ids())


# --- what a lead can be made from ---------------------------------------------------------------------

def lead_source_rounds(user) -> QuerySet[Round]:
    rounds = Round.objects.select_related("plan")
    if user.is_superuser:
        return rounds
    if user.role == Role.OFFICE:
        return rounds.filter(jurisdiction_id=user.jurisdiction_id)
    if user.role == Role.TEAM_LEADER:
        return rounds.filter(pk__in=lead_window(user).round_ids())
    return rounds.none()


def lead_source_findings(user) -> QuerySet[Finding]:
    """Approved findings of the rounds the user may make leads in (a team leader: its own team's, in the window)."""
    findings = Finding.objects.filter(status=FindingStatus.APPROVED).select_related("unit")
    if user.role == Role.TEAM_LEADER and not user.is_superuser:
        # Of a unit the team still has: a withdrawn assignment (调整出组) ends the team's right to act on the unit.
        window = lead_window(user)
        return findings.filter(window.covers(round="round_id", unit="unit_id"), team_id__in=window.team_ids()).order_by(
            "-pk"
        )
    return findings.filter(round__in=lead_source_rounds(user)).order_by("-pk")


def lead_source_petitions(user) -> QuerySet[Petition]:
    petitions = Petition.objects.all()
    if user.role == Role.TEAM_LEADER and not user.is_superuser:
        # A petition about a unit the team no longer has (assignment withdrawn) is no longer the team's to act on.
        window = lead_window(user)
        return petitions.filter(
            Q(unit__isnull=True) | window.covers(round="round_id", unit="unit_id"), team_id__in=window.team_ids()
        )
    return petitions.filter(round__in=lead_source_rounds(user))


# --- leads and batches ----------------------------------------------------------------------------------

def lead_list_visible_to(user) -> QuerySet[Lead]:
    return access.visible(
        user,
        Lead.objects.select_related("round__plan", "referral__receiving_body", "disposition", "unit"),
    )


def lead_get_visible(user, pk) -> Lead:
    return access.get_visible_or_404(
        user,
        Lead.objects.select_related(
            "round__plan", "team", "unit", "finding", "petition", "referral__receiving_body", "created_by",
            "disposition__recorded_by", "jurisdiction",
        ),
        pk=pk,
    )


def referral_list_visible_to(user) -> QuerySet[Referral]:
    return access.visible(
        user,
        Referral.objects.select_related("receiving_body", "created_by", "signed_by").annotate(
            lead_count=Count("leads", filter=~Q(leads__status=LeadStatus.WITHDRAWN)),
            disposed_count=Count("leads", filter=Q(leads__status__in=DISPOSED_STATUSES)),
        ).order_by("-letter_date", "-id"),  # Meta.ordering does not apply to GROUP BY queries
    )


def referral_get_visible(user, pk) -> Referral:
    return access.get_visible_or_404(
        user, Referral.objects.select_related("receiving_body", "jurisdiction", "created_by", "signed_by"), pk=pk
    )


def referral_leads(referral) -> QuerySet[Lead]:
    return referral.leads.exclude(status=LeadStatus.WITHDRAWN).select_related(
        "round__plan", "disposition"
    ).prefetch_related("results").order_by("pk")


def leads_available_for_referral(user) -> QuerySet[Lead]:
    return access.visible(user, Lead.objects.select_related("round__plan")).filter(
        status=LeadStatus.REGISTERED, referral__isnull=True
    ).order_by("round_id", "pk")


def overdue_leads(*, today=None, jurisdiction=None) -> QuerySet[Lead]:
    today = today or timezone.localdate()
    queryset = Lead.objects.filter(status=LeadStatus.RECEIVED, disposition_due_on__lt=today)
    if jurisdiction is not None:
        queryset = queryset.filter(jurisdiction=jurisdiction)
    return queryset


def receiver_workspace(user, *, today=None) -> dict:
    """What a receiver has to do: batches to sign, leads to dispose (overdue first), results to report."""
    today = today or timezone.localdate()
    batches = referral_list_visible_to(user).filter(status=ReferralStatus.SENT).order_by("sent_at", "pk")
    leads = lead_list_visible_to(user)
    to_dispose = leads.filter(status=LeadStatus.RECEIVED).order_by("disposition_due_on", "pk")
    to_conclude = leads.filter(status=LeadStatus.DISPOSED).order_by("disposed_at", "pk")
    return {
        "batches_to_sign": list(batches),
        "leads_to_dispose": list(to_dispose),
        "leads_to_conclude": list(to_conclude),
        "today": today,
    }


def team_referred_leads(user, *, round_id=None) -> list[dict]:
    """The team's view of the leads it found: who, and whether they were referred. Nothing after that.

    The office and leading group see every team's rows of their jurisdiction; team roles see their teams'.
    """
    queryset = Lead.objects.exclude(status=LeadStatus.WITHDRAWN)
    if user.is_superuser:
        pass
    elif user.role in OVERSIGHT:
        queryset = queryset.filter(jurisdiction_id=user.jurisdiction_id)
    else:
        # Until the round is completed the team sees which of its leads were referred; then nothing.
        queryset = queryset.filter(team_id__in=team_scope(user, phases=FOLLOW_UP_PHASES).team_ids())
    if round_id:
        queryset = queryset.filter(round_id=round_id)
    rows = queryset.select_related("round__plan", "team").only(
        "id", "subject_name", "status", "round__number", "round__kind", "round__topic", "round__plan__start_year",
        "round__plan__end_year", "team__name",
    ).order_by("-round_id", "team_id", "pk")
    return [
        {
            "id": lead.pk,
            "subject_name": lead.subject_name_masked,
            "round": lead.round,
            "team": lead.team,
            # Only the fact of referral reaches the team: 已移交 covers every later status.
            "status_label": "待移交" if lead.status == LeadStatus.REGISTERED else "已移交",
            "_lead": lead,
        }
        for lead in rows
    ]


# --- the secret-read log --------------------------------------------------------------------------------

def read_log_for_referrals(jurisdiction_id) -> QuerySet[ReadLog]:
    """ReadLog rows about this jurisdiction's leads, batches, dispositions and results."""
    condition = Q()
    for object_type, model in LOGGED_TYPES.items():
        field = "lead__jurisdiction_id" if model in (Disposition, Result) else "jurisdiction_id"
        ids = model.objects.filter(**{field: jurisdiction_id}).annotate(
            sid=Cast("pk", output_field=CharField())
        ).values("sid")
        condition |= Q(object_type=object_type, object_id__in=ids)
    return ReadLog.objects.filter(condition).select_related("user")


# --- figures --------------------------------------------------------------------------------------------

FIGURE_LABELS = {
    "leads": "登记线索",
    "referred": "已移交",
    "signed": "已签收",
    "disposed": "已处置",
    "concluded": "已办结",
    "cases_opened": "立案审查调查",
    "overdue": "处置逾期",
    "people_disciplined": "党纪政务处分（人次）",
    "party_discipline": "党纪处分（人）",
    "state_discipline": "政务处分（人）",
    "organizational": "组织处理（人）",
    "admonition": "诫勉谈话（人）",
    "judicial": "移送司法（人）",
    "accountability": "问责（人）",
    "clarified": "澄清（人）",
    "money_recovered": "挽回经济损失/收缴资金（元）",
}


def _lead_counts(today):
    return {
        "leads": Count("pk"),
        "referred": Count("pk", filter=Q(status__in=REFERRED_STATUSES)),
        "signed": Count("pk", filter=Q(status__in=SIGNED_STATUSES)),
        "disposed": Count("pk", filter=Q(status__in=DISPOSED_STATUSES)),
        "concluded": Count("pk", filter=Q(status=LeadStatus.CONCLUDED)),
        "cases_opened": Count("pk", filter=Q(disposition__kind=DispositionKind.CASE_OPENED)),
        "overdue": Count("pk", filter=Q(status=LeadStatus.RECEIVED, disposition_due_on__lt=today)),
    }


def _result_sums():
    sums = {kind.value: Sum("people_count", filter=Q(kind=kind), default=0) for kind in ResultKind}
    # Not named "money_recovered": an annotation may not shadow a field of Result.
    sums["money_sum"] = Sum("money_recovered", default=Decimal("0"))
    return sums


def _money(values):
    values = dict(values)
    # Two decimals whatever the database: SQLite sums drop the scale PostgreSQL keeps.
    values["money_recovered"] = (values.pop("money_sum", None) or Decimal("0")).quantize(CENT)
    return values


def _empty_row():
    row = {key: 0 for key in FIGURE_LABELS}
    row["money_recovered"] = Decimal("0.00")
    return row


def _finish(row):
    row["people_disciplined"] = sum(row.get(kind, 0) for kind in DISCIPLINE_KINDS)
    return row


def referral_figures(jurisdiction, round=None, plan=None, *, today=None) -> dict:
    """Leads referred, signed, disposed, cases opened and people disciplined, computed from the records.

    Totals, and the same figures by receiving body, by round and by term plan; `round`/`plan` narrow all.
    Withdrawn leads count nowhere. Six aggregate queries whatever the number of leads.
    """
    today = today or timezone.localdate()
    jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction)
    leads = Lead.objects.filter(jurisdiction_id=jurisdiction_id).exclude(status=LeadStatus.WITHDRAWN)
    results = Result.objects.filter(lead__jurisdiction_id=jurisdiction_id).exclude(
        lead__status=LeadStatus.WITHDRAWN
    )
    if round is not None:
        round_id = getattr(round, "pk", round)
        leads, results = leads.filter(round_id=round_id), results.filter(lead__round_id=round_id)
    if plan is not None:
        plan_id = getattr(plan, "pk", plan)
        leads, results = leads.filter(round__plan_id=plan_id), results.filter(lead__round__plan_id=plan_id)

    totals = _empty_row()
    totals.update(leads.aggregate(**_lead_counts(today)))
    totals.update(_money(results.aggregate(**_result_sums())))
    _finish(totals)

    def grouped(key):
        rows = {}
        for values in leads.values(key).annotate(**_lead_counts(today)).order_by(key):
            rows.setdefault(values[key], _empty_row()).update(values)
        for values in results.values(f"lead__{key}").annotate(**_result_sums()).order_by(f"lead__{key}"):
            row = rows.setdefault(values[f"lead__{key}"], _empty_row())
            row.update({k: v for k, v in _money(values).items() if k != f"lead__{key}"})
        return rows

    by_body = grouped("referral__receiving_body")
    bodies = ReceivingBody.objects.in_bulk([k for k in by_body if k is not None])
    by_receiver = []
    for body_id, row in sorted(by_body.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        row = _finish(row)
        row["receiving_body_id"] = body_id
        row["name"] = bodies[body_id].name if body_id in bodies else "尚未移交"
        row["kind"] = bodies[body_id].kind if body_id in bodies else ""
        by_receiver.append(row)

    by_round_map = grouped("round")
    rounds = Round.objects.select_related("plan").in_bulk(list(by_round_map))
    by_round = []
    for round_id, row in sorted(by_round_map.items(), key=lambda item: item[0], reverse=True):
        row = _finish(row)
        row["round_id"] = round_id
        row["name"] = str(rounds[round_id]) if round_id in rounds else str(round_id)
        row["plan_id"] = rounds[round_id].plan_id if round_id in rounds else None
        by_round.append(row)

    by_plan_map = {}
    for row in by_round:
        plan_row = by_plan_map.setdefault(row["plan_id"], _empty_row())
        for key in FIGURE_LABELS:
            plan_row[key] += row[key]
    plans = {r.plan_id: r.plan for r in rounds.values()}
    by_plan = [
        {**row, "plan_id": plan_id, "name": plans[plan_id].name if plan_id in plans else ""}
        for plan_id, row in by_plan_map.items()
    ]

    by_disposition = [
        {"kind": kind.value, "name": kind.label, "count": 0} for kind in DispositionKind
    ]
    counts = dict(
        leads.filter(disposition__isnull=False).values_list("disposition__kind").annotate(n=Count("pk"))
        .order_by()
    )
    for row in by_disposition:
        row["count"] = counts.get(row["kind"], 0)

    return {
        "totals": totals,
        "by_receiver": by_receiver,
        "by_round": by_round,
        "by_plan": by_plan,
        "by_disposition": by_disposition,
        "labels": FIGURE_LABELS,
    }


def figures_chart_option(figures) -> dict:
    """An ECharts bar option (rendered by static/js/xuncha.js): referred, signed, disposed, cases by receiver."""
    rows = [row for row in figures["by_receiver"] if row["receiving_body_id"] is not None]
    names = [row["name"] for row in rows]
    series = [
        {"name": FIGURE_LABELS[key], "type": "bar", "data": [row[key] for row in rows]}
        for key in ("referred", "signed", "disposed", "cases_opened", "people_disciplined")
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 20, "bottom": 30, "top": 40},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }


TABLE_KEYS = ["referred", "signed", "disposed", "concluded", "cases_opened", "people_disciplined",
              "organizational", "admonition", "accountability", "money_recovered", "overdue"]


def figures_for_page(figures) -> dict:
    """The figures laid out for a template: cards for the totals, a header and rows for each table."""

    def cells(row):
        return [yuan(row[key]) if key == "money_recovered" else row[key] for key in TABLE_KEYS]

    return {
        "cards": [{"key": key, "label": label,
                   "value": yuan(figures["totals"][key]) if key == "money_recovered" else figures["totals"][key]}
                  for key, label in FIGURE_LABELS.items()],
        "columns": [FIGURE_LABELS[key] for key in TABLE_KEYS],
        "by_receiver": [{"name": row["name"], "id": row["receiving_body_id"], "cells": cells(row)}
                        for row in figures["by_receiver"]],
        "by_round": [{"name": row["name"], "id": row["round_id"], "cells": cells(row)} for row in figures["by_round"]],
        "by_plan": [{"name": row["name"], "id": row["plan_id"], "cells": cells(row)} for row in figures["by_plan"]],
        "by_disposition": figures["by_disposition"],
    }
