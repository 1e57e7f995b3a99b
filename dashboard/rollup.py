"""The province and city roll-up: every subordinate office's figures, added up from `OfficeFigures`.

Writing: `refresh(jurisdiction_ids=None)` computes each office's own figures — the whole term (year null,
coverage from the office's latest plan) and each year a round of the office started in — with
`selectors.figures(FigureScope(...))`, the very code of the county dashboard, and replaces the office's rows.
Celery runs it hourly (`dashboard.refresh_rollup`, django-celery-beat) and on the office's "立即刷新".

Reading: `rollup(...)` answers from the summary table only, in a constant number of queries: one for the
jurisdiction tree, one for the rows of the subtree, one for the years. A higher office sees the sums, never the
records of the subordinate offices. Rates are recomputed from the summed counts (rectified / fed back, covered /
planned), never averaged.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models.functions import ExtractYear
from django.utils import timezone

from inspection.accounts.models import Jurisdiction
from inspection.core.db_router import on_replica
from rounds.models import Round

from . import selectors
from .models import COUNTERS, MONEY, OfficeFigures
from .selectors import FigureScope, rate

COUNTER_NAMES = [name for name, _ in COUNTERS] + [name for name, _ in MONEY]
LEAD_COUNTERS = frozenset({
    "leads_registered", "leads_referred", "leads_disposed", "cases_opened", "disciplined", "organizational",
    "admonished", "accountable_by_receivers", "money_by_receivers",
})

# The table of the roll-up page: (key, label, unit, lead figure?). Every column sorts.
COLUMNS = [
    ("coverage_rate", "规划覆盖率", "%", False),
    ("units_inspected", "巡察单位", "个", False),
    ("findings", "发现问题", "个", False),
    ("fixed_on_site", "立行立改", "个", False),
    ("fed_back", "反馈问题", "个", False),
    ("rectified", "整改完成", "个", False),
    ("completion_rate", "整改完成率", "%", False),
    ("tasks_overdue", "逾期整改任务", "项", False),
    ("leads_referred", "移交线索", "件", True),
    ("leads_disposed", "已处置线索", "件", True),
    ("cases_opened", "立案", "件", True),
    ("disciplined", "党纪政务处分", "人", True),
    ("accountable", "问责", "人", False),
    ("money_recovered", "回收资金", "元", False),
]
SORT_KEYS = frozenset(key for key, *_ in COLUMNS) | {"name"}


# --- Writing -------------------------------------------------------------------------------------------


def counters_of(figs: selectors.Figures) -> dict:
    """The columns of an `OfficeFigures` row from the county dashboard's figures (leads included)."""
    rect, tasks = figs.rectification, figs.rectification["tasks"]
    return {
        "planned_units": figs.coverage["planned"],
        "covered_units": figs.coverage["covered"],
        "rounds": figs.inspected["rounds"],
        "units_inspected": figs.inspected["units"],
        "findings": figs.findings["total"],
        "findings_approved": figs.findings["approved"],
        "fixed_on_site": figs.findings["fixed_on_site"],
        "petitions": figs.petitions["received"],
        "fed_back": rect["fed_back"],
        "rectified": rect["rectified"],
        "tasks": tasks["total"],
        "tasks_closed": tasks["closed"],
        "tasks_overdue": tasks["overdue"],
        "rules": figs.progress["rules"],
        "accountable_in_rectification": figs.progress["accountable"],
        "money_in_rectification": figs.progress["money"],
        "leads_registered": figs.leads["registered"],
        "leads_referred": figs.leads["referred"],
        "leads_disposed": figs.leads["disposed"],
        "cases_opened": figs.cases_opened,
        "disciplined": figs.disciplined,
        "organizational": figs.organizational,
        "admonished": figs.admonished,
        "accountable_by_receivers": figs.accountable_by_receivers,
        "money_by_receivers": figs.results["money"],
    }


def _office_figures(jurisdiction_id: int, year: int | None, now: datetime) -> OfficeFigures:
    figs = selectors.figures(FigureScope(jurisdiction_id=jurisdiction_id, year=year), include_leads=True,
                             breakdowns=False)
    return OfficeFigures(jurisdiction_id=jurisdiction_id, year=year, computed_at=now, **counters_of(figs))


def _as_of() -> datetime:
    """When a computation starts, by the database's clock: the web process (立即刷新) and the worker (the hourly run)
    may sit on hosts whose clocks disagree by minutes (air-gapped networks often have no time server), and the
    write below orders refreshes by this value."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")  # not now(): that is the start of an enclosing transaction
            return cursor.fetchone()[0]
    return timezone.now()


def _lock_office(jurisdiction_id: int) -> None:
    # FOR NO KEY UPDATE: refreshes of the office wait for each other, inserts of rows that reference the office
    # (rounds, findings…) do not wait for a refresh.
    Jurisdiction.objects.select_for_update(no_key=True).filter(pk=jurisdiction_id).values_list("pk").first()


def _replace(jurisdiction_id: int, rows: list[OfficeFigures], as_of: datetime) -> bool:
    """Replace the office's rows with `rows`, computed from data read after `as_of`, unless a refresh that started
    later has already written: the hourly run over every office can take minutes, and without this check it would
    commit the counters it read before a "立即刷新" over the fresher ones the refresh just wrote. The office's row
    lock makes the check and the write one step: two refreshes of one office take turns, and the second (each
    statement reading what is committed when it starts) sees what the first wrote."""
    with transaction.atomic():
        _lock_office(jurisdiction_id)
        if OfficeFigures.objects.filter(jurisdiction_id=jurisdiction_id, computed_at__gte=as_of).exists():
            return False
        OfficeFigures.objects.filter(jurisdiction_id=jurisdiction_id).delete()
        OfficeFigures.objects.bulk_create(rows)
    return True


def refresh(jurisdiction_ids=None) -> int:
    """Recompute the rows of the given offices (all when None); returns how many rows were written.
    Each office is replaced in its own transaction, so readers see an office's old rows or its new ones; rows are
    never replaced by ones computed earlier than theirs (`_replace`)."""
    offices = Jurisdiction.objects.order_by("id")
    if jurisdiction_ids is not None:
        offices = offices.filter(pk__in=list(jurisdiction_ids))
    office_ids = list(offices.values_list("pk", flat=True))
    years = defaultdict(set)
    for jurisdiction_id, year in (
        Round.objects.filter(jurisdiction_id__in=office_ids)
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values_list("jurisdiction_id", "year")
        .distinct()
    ):
        years[jurisdiction_id].add(year)
    written = 0
    for jurisdiction_id in office_ids:
        # Taken before the first count is read: every count below sees at least what was committed by then.
        as_of = _as_of()
        # On the replica once it has replayed what the primary had committed after `as_of` was taken, so the
        # stamp's promise holds there too (db_router).
        with on_replica(caught_up=True):
            rows = [_office_figures(jurisdiction_id, None, as_of)]
            rows += [_office_figures(jurisdiction_id, year, as_of) for year in sorted(years[jurisdiction_id])]
        if _replace(jurisdiction_id, rows, as_of):
            written += len(rows)
    return written


# --- Reading -------------------------------------------------------------------------------------------


@dataclass
class Office:
    id: int
    name: str
    level: str
    parent_id: int | None


class Tree:
    """The jurisdictions (a few hundred rows at province scale), loaded once per request."""

    def __init__(self, offices):
        self.offices = {o.id: o for o in offices}
        self.children = defaultdict(list)
        for o in self.offices.values():
            if o.parent_id is not None:
                self.children[o.parent_id].append(o)

    @classmethod
    def load(cls) -> "Tree":
        return cls(Office(*row) for row in Jurisdiction.objects.order_by("id").values_list("id", "name", "level",
                                                                                            "parent_id"))

    def subtree(self, root_id: int) -> set[int]:
        ids, stack = set(), [root_id]
        while stack:
            current = stack.pop()
            if current in ids:
                continue
            ids.add(current)
            stack.extend(o.id for o in self.children.get(current, []))
        return ids

    def roots(self) -> list[Office]:
        return [o for o in self.offices.values() if o.parent_id is None or o.parent_id not in self.offices]

    def is_within(self, office_id: int, ancestor_id: int) -> bool:
        seen = set()
        while office_id is not None and office_id not in seen:
            if office_id == ancestor_id:
                return True
            seen.add(office_id)
            office = self.offices.get(office_id)
            office_id = office.parent_id if office else None
        return False


@dataclass
class Sums:
    """Summed counters of some offices, with the figures derived from them."""

    counts: dict = field(default_factory=lambda: {name: 0 for name in COUNTER_NAMES})
    offices: int = 0
    computed_at: datetime | None = None

    def add(self, row: OfficeFigures) -> None:
        for name in COUNTER_NAMES:
            self.counts[name] += getattr(row, name)
        self.offices += 1
        if self.computed_at is None or row.computed_at < self.computed_at:
            self.computed_at = row.computed_at

    def values(self, *, include_leads: bool) -> dict:
        c = self.counts
        values = {name: c[name] for name in COUNTER_NAMES if include_leads or name not in LEAD_COUNTERS}
        values["money_in_rectification"] = Decimal(c["money_in_rectification"]).quantize(Decimal("0.01"))
        if include_leads:
            values["money_by_receivers"] = Decimal(c["money_by_receivers"]).quantize(Decimal("0.01"))
        values["coverage_rate"] = rate(c["covered_units"], c["planned_units"])
        values["completion_rate"] = rate(c["rectified"], c["fed_back"])
        values["task_rate"] = rate(c["tasks_closed"], c["tasks"])
        # As on the county dashboard: the receivers' part only for those who may see lead figures.
        values["accountable"] = c["accountable_in_rectification"] + (c["accountable_by_receivers"] if include_leads else 0)
        values["money_recovered"] = values["money_in_rectification"] + (
            values["money_by_receivers"] if include_leads else Decimal("0"))
        return values


@dataclass
class RollupRow:
    office: Office
    own: bool  # the office's own rounds (本级), not a subordinate office
    sums: Sums
    drill: bool  # the office has subordinate offices of its own: its row opens its roll-up


@dataclass
class Rollup:
    office: Office | None  # None: the superuser's view over every top-level office
    year: int | None
    total: Sums
    rows: list[RollupRow]
    years: list[int]

    @property
    def computed_at(self):
        return self.total.computed_at


def rollup(tree: Tree, root: Office | None, rows_queryset, *, year: int | None) -> Rollup:
    """The roll-up below `root` (or of every top-level office): one row per direct child with its subtree's
    sums, plus the root's own rounds; `rows_queryset` is the user's visible `OfficeFigures` (scoped by access)."""
    if root is None:
        groups = [(o, False) for o in tree.roots()]
    else:
        groups = [(root, True)] + [(o, False) for o in tree.children.get(root.id, [])]
    member_of = {}
    for office, own in groups:
        for office_id in ({office.id} if own else tree.subtree(office.id)):
            member_of[office_id] = office.id
    sums = {office.id: Sums() for office, _ in groups}
    total = Sums()
    scoped = rows_queryset.filter(jurisdiction_id__in=list(member_of))
    for row in scoped.filter(year=year) if year else scoped.filter(year__isnull=True):
        sums[member_of[row.jurisdiction_id]].add(row)
        total.add(row)
    years = sorted(set(scoped.filter(year__isnull=False).values_list("year", flat=True).distinct()), reverse=True)
    rows = [
        RollupRow(office=office, own=own, sums=sums[office.id], drill=not own and bool(tree.children.get(office.id)))
        for office, own in groups
    ]
    # The office's own row only when it has rounds of its own (a province office rarely inspects directly).
    rows = [r for r in rows if not r.own or r.sums.offices and any(r.sums.counts.values())]
    return Rollup(office=root, year=year, total=total, rows=rows, years=years)


def sort_rows(rows: list[RollupRow], key: str, *, include_leads: bool) -> list[RollupRow]:
    """Sort by a column ("-key" descending); unknown keys, and lead columns for those who may not see them,
    keep the tree's order."""
    descending = key.startswith("-")
    name = key.lstrip("-")
    if name not in SORT_KEYS or (not include_leads and any(k == name and lead for k, _, _, lead in COLUMNS)):
        return rows
    if name == "name":
        return sorted(rows, key=lambda r: r.office.id, reverse=descending)
    return sorted(rows, key=lambda r: (r.sums.values(include_leads=include_leads)[name], -r.office.id),
                  reverse=descending)
