"""The deadline calendar (截止日历, issue 16): what falls due this week or this month for the user, by role and
scope. Four kinds, each read through its own policy (`access.visible`), so each role sees its own: rectification
plans due (反馈后报送整改方案), rectification reports due, open tasks by their time limit, and received leads whose
disposition report is due (secret: only roles that see leads, and each lead shown is a logged read).
One query per kind of at most `LIMIT` rows: a constant number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inspection.audit.models import ReadLog
from inspection.audit.services import read_log_record_many
from inspection.core import access
from rectification.models import OPEN_TASK_STATUSES, Feedback, PlanStatus, ReportStatus, Task
from referrals.models import Lead, LeadStatus

LIMIT = 200
RANGES = {"week": "本周", "month": "本月"}
UNSENT_PLAN = Q(plan__isnull=True) | Q(plan__status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED])
UNSENT_REPORT = Q(report__isnull=True) | Q(report__status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])


@dataclass
class Due:
    on: date
    kind: str
    label: str
    url: str
    note: str = ""


def period(which: str, today: date) -> tuple[date, date]:
    """This week (Monday to Sunday) or this month (first to last day)."""
    if which == "month":
        first = today.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return first, last
    first = today - timedelta(days=today.weekday())
    return first, first + timedelta(days=6)


def deadlines(user, which: str = "week", *, today: date | None = None, request=None) -> dict:
    today = today or timezone.localdate()
    which = which if which in RANGES else "week"
    start, end = period(which, today)
    items: list[Due] = []
    more = False
    if access.can(user, "view", Feedback):
        feedbacks = access.visible(user, Feedback).select_related("unit", "round__plan")
        plans = list(feedbacks.filter(UNSENT_PLAN, plan_due_on__range=(start, end)).order_by("plan_due_on", "id")[:LIMIT])
        reports = list(feedbacks.filter(UNSENT_REPORT, report_due_on__range=(start, end))
                       .order_by("report_due_on", "id")[:LIMIT])
        more |= len(plans) == LIMIT or len(reports) == LIMIT
        url = "rectification:feedback_detail"
        items += [Due(f.plan_due_on, "整改方案", f"{f.unit.name}整改方案报送", reverse(url, args=[f.pk]), str(f.round))
                  for f in plans]
        items += [Due(f.report_due_on, "整改报告", f"{f.unit.name}整改情况报告", reverse(url, args=[f.pk]), str(f.round))
                  for f in reports]
    if access.can(user, "view", Task):
        tasks = list(access.visible(user, Task).select_related("finding", "plan__feedback__unit")
                     .filter(status__in=OPEN_TASK_STATUSES, deadline__range=(start, end))
                     .order_by("deadline", "id")[:LIMIT])
        more |= len(tasks) == LIMIT
        items += [Due(t.deadline, "整改任务", t.finding.title, reverse("rectification:task_detail", args=[t.pk]),
                      f"{t.plan.feedback.unit.name}；{t.get_status_display()}") for t in tasks]
    if access.can(user, "view", Lead):
        leads = list(access.visible(user, Lead).only("id", "disposition_due_on", "status")
                     .filter(status=LeadStatus.RECEIVED, disposition_due_on__range=(start, end))
                     .order_by("disposition_due_on", "id")[:LIMIT])
        more |= len(leads) == LIMIT
        items += [Due(lead.disposition_due_on, "线索处置", f"{lead}处置情况报告",
                      reverse("referrals:lead_detail", args=[lead.pk])) for lead in leads]
        read_log_record_many(user=user, objects=leads, action=ReadLog.Action.LIST, request=request)
    items.sort(key=lambda d: (d.on, d.kind))
    days = {}
    for item in items:
        days.setdefault(item.on, []).append(item)
    return {
        "which": which, "which_label": RANGES[which], "start": start, "end": end, "today": today,
        "days": [{"on": on, "items": day, "overdue": on < today, "is_today": on == today}
                 for on, day in sorted(days.items())],
        "count": len(items), "more": more,
    }
