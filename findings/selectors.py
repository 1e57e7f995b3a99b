"""Reads of findings, always through the access scope. The near-duplicate check lives here too."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import CharField, Count, F, FloatField, Func, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest

from inspection.accounts.models import Jurisdiction
from inspection.core import access

from .models import (
    Attachment,
    Category,
    Finding,
    FindingStatus,
    Hearing,
    RetiredCategory,
    StatusChange,
    ThirdPartyOpinion,
)

# Thresholds measured on PostgreSQL 15 (C.UTF-8) with real pairs (tests/findings/test_duplicates_postgres.py).
# pg_trgm scores Chinese low: similarity('食堂违规吃喝问题','违规吃喝') = 0.17, under the default 0.3. We take the
# greatest of similarity() and word_similarity() both ways. Titles of the same problem scored 0.29–0.91
# (机关食堂违规公款吃喝/食堂违规吃喝 0.29, 白条入账问题/存在白条入账现象 0.29, 党费收缴… 0.50); unrelated titles of a
# unit 0.00–0.22 (违规发放津贴补贴/违规收受礼品礼金 0.22). Facts (long, punctuated) of the same problem 0.24–0.38,
# unrelated 0.09–0.19. Hence 0.25 on titles and 0.3 on facts.
PG_TITLE_THRESHOLD = 0.25
# Boilerplate that nearly every title carries (“……不规范”, “……问题”): shared endings made unrelated titles score
# 0.25 (三会一课不规范 / 干部人事档案出生日期认定不规范), so both sides are compared without them.
BOILERPLATE = "问题|现象|情况|存在|不规范|不到位|不严格|不健全|不力|突出"
PG_FACTS_THRESHOLD = 0.3
# SQLite fallback, difflib ratio on the same pairs: same problem 0.5–0.95, unrelated 0.0–0.25.
PY_TITLE_THRESHOLD = 0.4
PY_FACTS_THRESHOLD = 0.45
DUPLICATE_LIMIT = 8


def finding_list_visible_to(user) -> QuerySet[Finding]:
    """The list page's rows: what a row shows, in a fixed number of queries (no per-row queries)."""
    return access.visible(user, finding_rows())


def _findings_in_full(user) -> QuerySet[Finding]:
    return access.visible(
        user,
        Finding.objects.select_related(
            "round", "round__plan", "team", "unit", "category", "category__parent", "category__parent__parent",
            "created_by",
        ),
    )


# The columns a list row shows (API list, list page, ledger): long texts (facts, basis, persons involved, reasons)
# stay in the table.
FINDING_ROW_FIELDS = (
    "id", "title", "status", "round_id", "jurisdiction_id", "team_id", "unit_id", "category_id", "money_involved",
    "fixed_on_site", "created_by_id", "created_at", "approved_at",
    "round__id", "round__number", "round__kind", "round__topic", "round__jurisdiction_id", "round__phase",
    "team__id", "team__name", "unit__id", "unit__name",
    "category__id", "category__code", "category__name", "category__parent_id",
)


def finding_rows() -> QuerySet[Finding]:
    """Finding list rows, unscoped (the caller scopes them): four joins, not seven. Joining the checklist tree
    three times made the planner's join search cost more than the query (3.5 ms of planning at province scale,
    bench/RESULTS.md); the two upper levels of the category (≈ 30 rows) come in one small query each."""
    return (
        Finding.objects.select_related("round", "team", "unit", "category")
        .only(*FINDING_ROW_FIELDS)
        .prefetch_related(
            Prefetch("category__parent", queryset=Category.objects.only("id", "parent_id", "code", "name")),
            Prefetch("category__parent__parent", queryset=Category.objects.only("id", "code", "name")),
        )
    )


def finding_get_visible(user, pk) -> Finding:
    queryset = _findings_in_full(user).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        Prefetch("hearings", queryset=Hearing.objects.select_related("recorded_by")),
        Prefetch("opinions", queryset=ThirdPartyOpinion.objects.select_related("attachment", "recorded_by")),
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor", "meeting")),
    )
    return access.get_visible_or_404(user, queryset, pk=pk)


def working_paper_of(finding):
    try:
        return finding.working_paper
    except Finding.working_paper.RelatedObjectDoesNotExist:
        return None


def search(queryset: QuerySet[Finding], text: str) -> QuerySet[Finding]:
    """Chinese substring search over title and facts. On PostgreSQL the UPPER(...) trigram GIN indexes serve
    patterns of 3+ characters; shorter ones scan, which the unit/round filters keep small."""
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(Q(title__icontains=text) | Q(facts__icontains=text))


# --- The checklist: one tree per office ---------------------------------------------------------------------


def checklist_owner_id(user) -> int | None:
    """The owner of the checklist nodes this user maintains: None (the default tree) for the province office
    and a superuser, else the user's own office."""
    if user.is_superuser:
        return None
    jurisdiction = user.jurisdiction
    if jurisdiction is not None and jurisdiction.level == Jurisdiction.Level.PROVINCE:
        return None
    return user.jurisdiction_id


def checklist_nodes(jurisdiction_id) -> QuerySet[Category]:
    """Every node office X may see, in force or retired: the default tree and X's own nodes (never another
    office's). `jurisdiction_id` None is the default tree alone."""
    owned = Q(owner__isnull=True)
    if jurisdiction_id is not None:
        owned |= Q(owner_id=jurisdiction_id)
    return Category.objects.filter(owned)


def retired_here(jurisdiction_id) -> QuerySet:
    """Ids of the default nodes office X has retired for itself (a subquery)."""
    return (
        RetiredCategory.objects.filter(jurisdiction_id=jurisdiction_id, restored_at__isnull=True)
        .order_by().values("category_id")
    )


def effective_checklist(jurisdiction_id) -> QuerySet[Category]:
    """The effective checklist of office X: the nodes X uses now. A node is in force when it and its ancestors
    are neither retired by their owner (is_active) nor retired by X for itself (RetiredCategory). The checklist
    page, the finding form and API, their validation, the list filter and the ledger all start here."""
    retired = retired_here(jurisdiction_id)

    def in_force(prefix):
        return Q(**{f"{prefix}is_active": True}) & ~Q(**{f"{prefix}id__in": retired})

    return checklist_nodes(jurisdiction_id).filter(
        in_force(""),
        Q(parent__isnull=True) | in_force("parent__"),
        Q(parent__parent__isnull=True) | in_force("parent__parent__"),
    )


def manifestations_in_use(jurisdiction_id) -> QuerySet[Category]:
    """Level-3 nodes office X may file a new finding under, in checklist order."""
    return (
        effective_checklist(jurisdiction_id)
        .filter(level=Category.Level.MANIFESTATION)
        .select_related("parent", "parent__parent")
        .order_by("parent__parent__order", "parent__parent__code", "parent__order", "parent__code", "order", "code")
    )


def category_finding_count(category, jurisdiction_id) -> int:
    """Office X's findings filed under `category` or beneath it."""
    return Finding.objects.filter(
        Q(category=category) | Q(category__parent=category) | Q(category__parent__parent=category),
        jurisdiction_id=jurisdiction_id,
    ).count()


def checklist_tree(jurisdiction_id) -> list[dict]:
    """Office X's checklist as nested dicts in display order, in three queries however large the tree: its
    nodes, its retirements, and its own findings counted per category (the (jurisdiction, category) index:
    the office's rows only, never the province's). Each entry: node, children, in_force (usable by X now),
    retired_here (a default node X retired for itself), own (X's own node), finding_count (X's findings filed
    under the node or beneath it; None without an office)."""
    nodes = list(checklist_nodes(jurisdiction_id))
    retired = set(retired_here(jurisdiction_id).values_list("category_id", flat=True)) if jurisdiction_id else set()
    counts = {}
    if jurisdiction_id is not None:
        counts = dict(
            Finding.objects.filter(jurisdiction_id=jurisdiction_id).order_by()
            .values("category_id").annotate(n=Count("id")).values_list("category_id", "n")
        )
    children: dict = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.order, n.code))

    def build(parent_id, parent_in_force):
        entries = []
        for node in children.get(parent_id, []):
            in_force = parent_in_force and node.is_active and node.pk not in retired
            below = build(node.pk, in_force)
            count = None
            if jurisdiction_id is not None:
                count = counts.get(node.pk, 0) + sum(child["finding_count"] for child in below)
            entries.append({
                "node": node, "children": below, "in_force": in_force, "retired_here": node.pk in retired,
                "own": node.owner_id is not None, "finding_count": count,
            })
        return entries

    return build(None, True)


@dataclass
class Duplicate:
    finding: Finding
    similarity: float
    visible: bool


def _candidates(user, unit_id, exclude_pk=None) -> QuerySet[Finding]:
    # What the user may see of this unit, plus the unit's approved findings of any round (those were fed back
    # to the unit anyway); never another team's draft.
    visible_ids = access.visible(user, Finding).filter(unit_id=unit_id).values("pk")
    queryset = (
        Finding.objects.filter(unit_id=unit_id)
        .filter(Q(pk__in=visible_ids) | Q(status=FindingStatus.APPROVED))
        .exclude(status=FindingStatus.WITHDRAWN)
        .select_related("round", "round__plan", "category", "team")
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def _strip_boilerplate(text: str) -> str:
    return re.sub(BOILERPLATE, "", text) or text


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def near_duplicates(user, *, unit_id, title="", facts="", exclude_pk=None) -> list[Duplicate]:
    """Findings of the same unit (this round and earlier ones) that look like the one being written."""
    title = (title or "").strip()
    facts = (facts or "").strip()
    if not unit_id or (len(title) < 2 and len(facts) < 6):
        return []
    visible_ids = set(access.visible(user, Finding).filter(unit_id=unit_id).values_list("pk", flat=True))
    candidates = _candidates(user, unit_id, exclude_pk)
    if settings.IS_POSTGRES:
        return _pg_duplicates(candidates, title, facts, visible_ids)
    found = []
    # SQLite fallback: a unit has ~30 findings a round, so comparing in Python is cheap.
    for finding in candidates[:2000]:
        title_score = _ratio(_strip_boilerplate(title), _strip_boilerplate(finding.title))
        facts_score = _ratio(facts[:500], finding.facts[:500]) if len(facts) >= 6 else 0.0
        if title_score >= PY_TITLE_THRESHOLD or facts_score >= PY_FACTS_THRESHOLD:
            found.append(Duplicate(finding, round(max(title_score, facts_score), 2), finding.pk in visible_ids))
    found.sort(key=lambda d: (-d.similarity, -d.finding.pk))
    return found[:DUPLICATE_LIMIT]


def _bare_title():
    return Func(F("title"), Value(BOILERPLATE), Value(""), Value("g"), function="regexp_replace", output_field=CharField())


def _pg_duplicates(candidates, title, facts, visible_ids) -> list[Duplicate]:
    """pg_trgm on the unit's findings: the unit/status index narrows the rows to a few hundred at most."""
    zero = Value(0.0, output_field=FloatField())
    bare = _strip_boilerplate(title)
    title_score = (
        Greatest(
            TrigramSimilarity(_bare_title(), bare),
            TrigramWordSimilarity(bare, _bare_title()),
            # word_similarity(stored, typed): how well the stored title fits inside the text being typed
            Func(_bare_title(), Value(bare), function="word_similarity", output_field=FloatField()),
        )
        if len(title) >= 2 else zero
    )
    facts_text = facts[:1000]
    facts_score = (
        Greatest(TrigramSimilarity("facts", facts_text), TrigramWordSimilarity(facts_text, "facts"))
        if len(facts) >= 6 else zero
    )
    rows = (
        candidates.annotate(title_score=title_score, facts_score=facts_score)
        .filter(Q(title_score__gte=PG_TITLE_THRESHOLD) | Q(facts_score__gte=PG_FACTS_THRESHOLD))
        .annotate(similarity=Greatest("title_score", "facts_score"))
        .order_by("-similarity", "-id")[:DUPLICATE_LIMIT]
    )
    return [Duplicate(f, round(float(f.similarity), 2), f.pk in visible_ids) for f in rows]


def unit_report(user, *, round_id, unit_id) -> dict:
    """A unit's findings of a round grouped area → aspect, with counts, for the team leader's report."""
    findings = list(
        _findings_in_full(user)
        .filter(round_id=round_id, unit_id=unit_id)
        .exclude(status=FindingStatus.WITHDRAWN)
        .order_by("category__parent__parent__order", "category__parent__order", "category__order", "id")
    )
    areas: dict = {}
    for finding in findings:
        aspect = finding.category.parent
        area = aspect.parent
        area_entry = areas.setdefault(area.pk, {"area": area, "count": 0, "aspects": {}})
        aspect_entry = area_entry["aspects"].setdefault(aspect.pk, {"aspect": aspect, "findings": []})
        aspect_entry["findings"].append(finding)
        area_entry["count"] += 1
    grouped = [
        {**entry, "aspects": list(entry["aspects"].values())} for entry in areas.values()
    ]
    by_status: dict = {}
    for finding in findings:
        by_status[finding.get_status_display()] = by_status.get(finding.get_status_display(), 0) + 1
    return {
        "areas": grouped,
        "total": len(findings),
        "approved": sum(1 for f in findings if f.status == FindingStatus.APPROVED),
        "fixed_on_site": sum(1 for f in findings if f.fixed_on_site),
        "money": sum((f.money_involved or 0) for f in findings),
        "by_status": by_status,
    }
