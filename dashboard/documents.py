"""Official documents rendered with WeasyPrint through `inspection.exports` (a Celery task, versions kept).

Each renderer takes (record, report_progress) and returns (bytes, filename, content_type). The data comes from
the records at render time; the layout (GB/T 9704-2012) is `templates/pdf/base.html`, the documents'
templates are in `templates/pdf/dashboard/`. Every count in a document is computed here, never typed.
"""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from findings.models import Finding
from inspection.documents import official_date, render_pdf
from rectification.models import Feedback, ProblemItem, Task
from referrals.models import Lead, LeadStatus
from rounds.models import InfoRequest, Interview, MaterialItem, Membership, Petition, Plan, Round, TeamUnit

from . import selectors
from .selectors import COUNTED_FINDING_EXCLUDED, REFERRED_STATUSES, FigureScope

PDF = "application/pdf"
def group_by_area(findings) -> list[dict]:
    """Findings grouped area → aspect, in checklist order (the findings carry their categories)."""
    areas: dict = {}
    for finding in findings:
        aspect = finding.category.parent
        area = aspect.parent
        area_entry = areas.setdefault(area.pk, {"area": area, "count": 0, "aspects": {}})
        area_entry["aspects"].setdefault(aspect.pk, {"aspect": aspect, "findings": []})["findings"].append(finding)
        area_entry["count"] += 1
    result = sorted(areas.values(), key=lambda a: (a["area"].order, a["area"].code))
    for entry in result:
        entry["aspects"] = sorted(entry["aspects"].values(), key=lambda a: (a["aspect"].order, a["aspect"].code))
    return result


def _findings_of(round_id, unit_id):
    return list(
        Finding.objects.filter(round_id=round_id, unit_id=unit_id)
        .exclude(status__in=COUNTED_FINDING_EXCLUDED)
        .select_related("category__parent__parent")
        .order_by("category__parent__parent__order", "category__parent__order", "category__order", "id")
    )


def _team_unit_of(round_id, unit_id):
    return TeamUnit.objects.filter(round_id=round_id, unit_id=unit_id).select_related("team").first()


def _position_order(membership):
    return list(Membership.Position.values).index(membership.position)


# --- 巡察报告 (record: rounds.TeamUnit) ----------------------------------------------------------------------


def inspection_report_context(team_unit: TeamUnit) -> dict:
    team_unit = TeamUnit.objects.select_related("team", "round__plan", "round__jurisdiction", "unit").get(
        pk=team_unit.pk
    )
    round_, unit, team = team_unit.round, team_unit.unit, team_unit.team
    members = sorted(
        Membership.objects.filter(team=team, is_active=True).select_related("cadre"),
        key=lambda m: (_position_order(m), m.pk),
    )
    findings = _findings_of(round_.pk, unit.pk)
    materials = MaterialItem.objects.filter(round=round_, unit=unit).aggregate(
        requested=Count("pk"), received=Count("pk", filter=Q(received_on__isnull=False))
    )
    info = InfoRequest.objects.filter(round=round_, unit=unit).aggregate(
        sent=Count("pk"), replied=Count("pk", filter=Q(replied_on__isnull=False))
    )
    petitions = Petition.objects.filter(round=round_, unit=unit).aggregate(
        received=Count("pk"), concluded=Count("pk", filter=~Q(conclusion=Petition.Conclusion.PENDING))
    )
    interviews = Interview.objects.filter(round=round_, unit=unit).aggregate(
        held=Count("pk"), people=Count("interviewee_name", distinct=True)
    )
    # Leads are secret: the report carries their number only, never a name or a summary.
    leads = Lead.objects.filter(round=round_, unit=unit).exclude(status=LeadStatus.WITHDRAWN).aggregate(
        total=Count("pk"), referred=Count("pk", filter=Q(status__in=REFERRED_STATUSES))
    )
    team_units = list(TeamUnit.objects.filter(team=team).order_by("id").values_list("pk", flat=True))
    return {
        "team_unit": team_unit,
        "round": round_,
        "unit": unit,
        "team": team,
        "jurisdiction": round_.jurisdiction,
        "members": members,
        "leaders": [m for m in members if m.position != Membership.Position.MEMBER],
        "areas": group_by_area(findings),
        "finding_total": len(findings),
        "approved_total": sum(1 for f in findings if f.status == "approved"),
        "fixed_on_site": sum(1 for f in findings if f.fixed_on_site),
        "money_involved": sum((f.money_involved or 0) for f in findings),
        "materials": materials,
        "info": info,
        "petitions": petitions,
        "interviews": interviews,
        "leads": leads,
        "doc_number": f"{team.name}报〔{round_.start_date.year}〕{team_units.index(team_unit.pk) + 1}号",
        "start_cn": official_date(round_.start_date),
        "end_cn": official_date(round_.end_date),
        "today_cn": official_date(timezone.localdate()),
    }


def render_inspection_report(team_unit, report_progress):
    context = inspection_report_context(team_unit)
    report_progress(30)
    content = render_pdf("pdf/dashboard/inspection_report.html", context)
    report_progress(95)
    return content, f"巡察报告-{context['unit'].name}-{context['round'].title}.pdf", PDF


# --- 反馈意见 (record: rectification.Feedback) ----------------------------------------------------------------


def _feedback(feedback) -> Feedback:
    return Feedback.objects.select_related("round__plan", "round__jurisdiction", "unit").get(pk=feedback.pk)


def feedback_letter_context(feedback: Feedback) -> dict:
    feedback = _feedback(feedback)
    # The letter of the meeting: a finding added to the list after it (rectification.services.problem_item_add)
    # was not in the letter handed over; the rectification ledger lists it.
    items = list(
        ProblemItem.objects.filter(feedback=feedback, added_at__isnull=True)
        .select_related("finding__category__parent__parent")
        .order_by("position")
    )
    team_unit = _team_unit_of(feedback.round_id, feedback.unit_id)
    return {
        "feedback": feedback,
        "round": feedback.round,
        "unit": feedback.unit,
        "team": team_unit.team if team_unit else None,
        "jurisdiction": feedback.round.jurisdiction,
        "areas": group_by_area([item.finding for item in items]),
        "item_total": len(items),
        "held_cn": official_date(feedback.held_on),
        "plan_due_cn": official_date(feedback.plan_due_on),
        "report_due_cn": official_date(feedback.report_due_on),
        "signature_cn": official_date(feedback.held_on),
    }


def render_feedback_letter(feedback, report_progress):
    context = feedback_letter_context(feedback)
    report_progress(30)
    content = render_pdf("pdf/dashboard/feedback_letter.html", context)
    report_progress(95)
    return content, f"反馈意见-{context['unit'].name}-{context['round'].title}.pdf", PDF


# --- 整改台账 (record: rectification.Feedback) ----------------------------------------------------------------


def rectification_ledger_context(feedback: Feedback, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    feedback = _feedback(feedback)
    items = list(ProblemItem.objects.filter(feedback=feedback).select_related("finding").order_by("position"))
    tasks_by_finding: dict = {}
    for task in Task.objects.filter(plan__feedback=feedback).order_by("id"):
        tasks_by_finding.setdefault(task.finding_id, []).append(task)
    rows = [{"item": item, "tasks": tasks_by_finding.pop(item.finding_id, [])} for item in items]
    tasks = [t for row in rows for t in row["tasks"]]
    closed = sum(1 for t in tasks if t.status == "closed")
    return {
        "feedback": feedback,
        "round": feedback.round,
        "unit": feedback.unit,
        "jurisdiction": feedback.round.jurisdiction,
        "rows": rows,
        "task_total": len(tasks),
        "task_closed": closed,
        "task_overdue": sum(1 for t in tasks if t.status != "closed" and t.deadline < today),
        "rectified": sum(1 for r in rows if r["tasks"] and all(t.status == "closed" for t in r["tasks"])),
        "today": today,
        "today_cn": official_date(today),
    }


def render_rectification_ledger(feedback, report_progress):
    context = rectification_ledger_context(feedback)
    report_progress(30)
    content = render_pdf("pdf/dashboard/rectification_ledger.html", context)
    report_progress(95)
    return content, f"整改台账-{context['unit'].name}-{context['round'].title}.pdf", PDF


# --- 巡察工作统计报告 (record: rounds.Plan) --------------------------------------------------------------------


def term_statistics_context(plan: Plan) -> dict:
    plan = Plan.objects.select_related("jurisdiction").get(pk=plan.pk)
    scope = FigureScope(jurisdiction_id=plan.jurisdiction_id, plan=plan)
    figs = selectors.figures(scope, include_leads=True)
    rounds = list(
        Round.objects.filter(plan=plan)
        .annotate(
            unit_count=Count("team_units", filter=Q(team_units__withdrawn_at__isnull=True), distinct=True),
            finding_count=Count(
                "findings", filter=~Q(findings__status__in=COUNTED_FINDING_EXCLUDED), distinct=True
            ),
        )
        .order_by("number")
    )
    return {
        "plan": plan,
        "jurisdiction": plan.jurisdiction,
        "figures": figs,
        "rounds": rounds,
        "by_aspect": selectors.findings_by_category(scope, level=2),
        "today_cn": official_date(timezone.localdate()),
        "doc_number": f"{plan.start_year}—{plan.end_year}年度巡察工作统计",
    }


def render_term_statistics(plan, report_progress):
    context = term_statistics_context(plan)
    report_progress(40)
    content = render_pdf("pdf/dashboard/term_statistics.html", context)
    report_progress(95)
    return content, f"巡察工作统计报告-{context['plan'].name}.pdf", PDF


DOCUMENTS = [
    ("dashboard.inspection_report", "巡察报告", "rounds.TeamUnit", render_inspection_report),
    ("dashboard.feedback_letter", "反馈意见", "rectification.Feedback", render_feedback_letter),
    ("dashboard.rectification_ledger", "整改台账", "rectification.Feedback", render_rectification_ledger),
    ("dashboard.term_statistics", "巡察工作统计报告", "rounds.Plan", render_term_statistics),
]
