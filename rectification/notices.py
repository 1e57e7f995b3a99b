"""Notices at the handoffs of rectification (issue 16): one function, `record_moved`, called by the services inside
their transaction after a feedback is recorded or a plan, report or task changed status.

Who is told, filtered through this app's access policies (so a notice reaches only who may act on the record now):
feedback recorded → the unit's liaisons; plan or report submitted → the office; plan or report accepted or returned
→ the liaisons; task asking to be closed → the office; task closed or returned → the liaisons."""

from django.urls import reverse

from inspection.accounts import selectors as account_selectors
from inspection.accounts.services import notify_actors

from .models import (
    Feedback,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    ReportStatus,
    Task,
    TaskStatus,
)


def _plan_or_report(record, feedback, what, url, *, actor, reason):
    status = record.status
    unit = feedback.unit.name
    if status in (PlanStatus.SUBMITTED, ReportStatus.SUBMITTED):
        return (account_selectors.office_users(feedback.jurisdiction_id), "transition",
                f"{unit}报送了{what}，请审核", f"{actor}报送了{feedback.round.title}的{what}。", url)
    if status in (PlanStatus.ACCEPTED, ReportStatus.ACCEPTED):
        return (account_selectors.unit_liaisons(feedback.unit_id), "view",
                f"{what}已审核通过（{feedback.round.title}）", f"{actor}审核通过了本单位的{what}。", url)
    if status in (PlanStatus.RETURNED, ReportStatus.RETURNED):
        return (account_selectors.unit_liaisons(feedback.unit_id), "transition",
                f"{what}被退回修改（{feedback.round.title}）", f"退回原因：{reason}。请修改后重新报送。", url)
    return None


def _task(task, *, actor, reason):
    feedback = task.plan.feedback
    label = f"整改任务#{task.pk}（{feedback.unit.name}）"
    url = reverse("rectification:task_detail", args=[task.pk])
    if task.status == TaskStatus.SUBMITTED:
        return (account_selectors.office_users(task.jurisdiction_id), "transition", f"{label}申请销号，请核验",
                f"{actor}申请销号：{task.finding.title}。", url)
    if task.status == TaskStatus.CLOSED:
        return (account_selectors.unit_liaisons(feedback.unit_id), "view", f"{label}已核验销号",
                f"{actor}核验销号：{task.finding.title}。", url)
    if task.status == TaskStatus.RETURNED:
        return (account_selectors.unit_liaisons(feedback.unit_id), "transition", f"{label}销号申请被退回",
                f"退回原因：{reason}。请继续整改后重新申请销号。", url)
    return None


def record_moved(record, *, actor, reason=""):
    """The notice of what just happened to `record` (a Feedback just recorded, or a plan, report or task in its new
    status); nothing for a move that hands nothing over."""
    if isinstance(record, Feedback):
        notice = (account_selectors.unit_liaisons(record.unit_id), "view",
                  f"巡察反馈已登记（{record.round.title}），请制定整改方案",
                  f"巡察组已向本单位反馈巡察意见（{record.letter_number}），整改方案请于{record.plan_due_on:%Y-%m-%d}前报送。",
                  reverse("rectification:feedback_detail", args=[record.pk]))
    elif isinstance(record, RectificationPlan):
        notice = _plan_or_report(record, record.feedback, "整改方案",
                                 reverse("rectification:feedback_detail", args=[record.feedback_id]),
                                 actor=actor, reason=reason)
    elif isinstance(record, RectificationReport):
        notice = _plan_or_report(record, record.feedback, "整改情况报告",
                                 reverse("rectification:report_detail", args=[record.pk]), actor=actor, reason=reason)
    elif isinstance(record, Task):
        notice = _task(record, actor=actor, reason=reason)
    else:
        notice = None
    if notice is None:
        return []
    candidates, action, title, body, url = notice
    return notify_actors(candidates=candidates, action=action, obj=record, title=title, body=body, url=url)

