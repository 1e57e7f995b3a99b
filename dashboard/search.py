"""The search box of every page (issue 16): units, rounds, findings, leads and tasks the user may see, found by
number or by words. Each kind is read through its own policy (`access.visible`: role, office, team scope and time),
so the search shows nothing a list page would not; leads are secret, so only roles that see leads get them, and
every lead shown is a logged read (`read_log_record_many`, one INSERT). Each kind is one query of at most
`LIMIT + 1` rows whatever the data: the page runs a constant number of queries."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from findings import selectors as finding_selectors
from findings.models import Finding
from inspection.audit.models import ReadLog
from inspection.audit.services import read_log_record_many
from inspection.core import access
from inspection.core.fields import matches
from inspection.units.models import Unit
from rectification.models import Task
from referrals.models import Lead
from rounds.models import Round

LIMIT = 10
MAX_LENGTH = 100
_NUMBER = re.compile(r"^\s*(?:第)?\s*(\d{1,9})\s*(?:号|轮)?\s*$")


@dataclass
class Hit:
    label: str
    url: str
    note: str = ""


@dataclass
class Group:
    key: str
    label: str
    hits: list = field(default_factory=list)
    more: bool = False


def number_of(text: str) -> int | None:
    """"123", "第3轮", "12号" → the number; other text → None."""
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None


def _take(queryset) -> tuple[list, bool]:
    rows = list(queryset[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def _units(user, text, number):
    rows, more = _take(access.visible(user, Unit).filter(name__icontains=text).only("id", "name", "kind")
                       .order_by("name", "id"))
    return Group("units", "被巡察单位", [Hit(u.name, reverse("units:unit_detail", args=[u.pk]), u.get_kind_display())
                                       for u in rows], more)


def _rounds(user, text, number):
    condition = Q(topic__icontains=text) | Q(plan__name__icontains=text)
    if number is not None:
        condition |= Q(number=number)
    rows, more = _take(access.visible(user, Round).select_related("plan").filter(condition)
                       .order_by("-start_date", "-id"))
    return Group("rounds", "巡察轮次", [Hit(str(r), reverse("rounds:round_detail", args=[r.pk]), r.get_phase_display())
                                      for r in rows], more)


def _findings(user, text, number):
    queryset = access.visible(user, Finding).select_related("unit").only("id", "title", "status", "unit__name")
    found = finding_selectors.search(queryset, text)
    if number is not None:
        found = found | queryset.filter(pk=number)
    rows, more = _take(found.order_by("-id"))
    return Group("findings", "巡察发现问题", [
        Hit(f"{f.pk} {f.title}", reverse("findings:finding_detail", args=[f.pk]),
            f"{f.unit.name}；{f.get_status_display()}") for f in rows
    ], more)


def _leads(user, text, number):
    queryset = access.visible(user, Lead).only("id", "status", "subject_name", "subject_post")
    condition = matches(Lead, "subject_name", text) | Q(summary__icontains=text)
    if number is not None:
        condition |= Q(pk=number)
    rows, more = _take(queryset.filter(condition).order_by("-id"))
    return Group("leads", "问题线索", [
        Hit(str(lead), reverse("referrals:lead_detail", args=[lead.pk]),
            f"{lead.subject_name_masked} {lead.subject_post}；{lead.get_status_display()}") for lead in rows
    ], more), rows


def _tasks(user, text, number):
    condition = Q(measures__icontains=text) | Q(finding__title__icontains=text)
    if number is not None:
        condition |= Q(pk=number)
    rows, more = _take(access.visible(user, Task).select_related("finding").only(
        "id", "status", "deadline", "finding__title").filter(condition).order_by("deadline", "id"))
    return Group("tasks", "整改任务", [
        Hit(f"{t.pk} {t.finding.title}", reverse("rectification:task_detail", args=[t.pk]),
            f"时限 {t.deadline:%Y-%m-%d}；{t.get_status_display()}") for t in rows
    ], more)


def search(user, text: str, *, request=None) -> list[Group]:
    """The groups of hits for `text` (kinds the user's role never sees are left out)."""
    text = (text or "").strip()[:MAX_LENGTH]
    if not text:
        return []
    number = number_of(text)
    groups = []
    for model, kind in ((Unit, _units), (Round, _rounds), (Finding, _findings), (Lead, _leads), (Task, _tasks)):
        if not access.can(user, "view", model):
            continue
        group = kind(user, text, number)
        if model is Lead:
            group, leads = group
            # The search lists secret records: a logged read of each lead shown, like a list page.
            read_log_record_many(user=user, objects=leads, action=ReadLog.Action.LIST, request=request)
        groups.append(group)
    return groups
