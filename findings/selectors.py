"""Reads of findings, always through the access scope. The near-duplicate check lives here too."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Greatest

from inspection.core import access

from .models import Attachment, Category, Finding, FindingStatus, Hearing, ThirdPartyOpinion

# Measured on Chinese titles (see tests/findings/test_duplicates_postgres.py): trigram scores of related
# Chinese phrases are low (similarity('食堂违规吃喝问题','违规吃喝') = 0.17), so the default 0.3 misses
# obvious duplicates. word_similarity of the shorter phrase inside the longer one lands at 0.4–1.0 for
# real duplicates and below 0.25 for unrelated problems of the same unit; 0.3 separates them.
PG_DUPLICATE_THRESHOLD = 0.3
# difflib ratio on the same strings (SQLite fallback): duplicates 0.45–1.0, unrelated below 0.3.
PY_DUPLICATE_THRESHOLD = 0.4
DUPLICATE_LIMIT = 8


def finding_list_visible_to(user) -> QuerySet[Finding]:
    """The flat list: everything a row shows in one query (no per-row queries)."""
    return access.visible(
        user,
        Finding.objects.select_related(
            "round", "round__plan", "team", "unit", "category", "category__parent", "category__parent__parent",
            "created_by",
        ),
    )


def finding_get_visible(user, pk) -> Finding:
    queryset = finding_list_visible_to(user).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        Prefetch("hearings", queryset=Hearing.objects.select_related("recorded_by")),
        Prefetch("opinions", queryset=ThirdPartyOpinion.objects.select_related("attachment", "recorded_by")),
        "status_changes__actor",
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


def active_manifestations() -> QuerySet[Category]:
    """Level-3 categories that may be chosen for a new finding: active, with active parents."""
    return (
        Category.objects.filter(
            level=Category.Level.MANIFESTATION, is_active=True, parent__is_active=True, parent__parent__is_active=True
        )
        .select_related("parent", "parent__parent")
        .order_by("parent__parent__order", "parent__parent__code", "parent__order", "parent__code", "order", "code")
    )


def category_tree() -> list[dict]:
    """The whole checklist as nested dicts in display order (one query)."""
    nodes = list(Category.objects.all().annotate(finding_count=Count("findings")))
    children: dict = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.order, n.code))

    def build(parent_id):
        return [{"node": n, "children": build(n.pk)} for n in children.get(parent_id, [])]

    return build(None)


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
        scores = []
        if title:
            scores += [TrigramSimilarity("title", title), TrigramWordSimilarity(title, "title")]
        if len(facts) >= 6:
            scores += [TrigramWordSimilarity(facts[:300], "facts"), TrigramSimilarity("facts", facts[:2000])]
        score = Greatest(*scores) if len(scores) > 1 else scores[0]
        rows = (
            candidates.annotate(similarity=score)
            .filter(similarity__gte=PG_DUPLICATE_THRESHOLD)
            .order_by("-similarity", "-id")[:DUPLICATE_LIMIT]
        )
        return [Duplicate(f, round(float(f.similarity), 2), f.pk in visible_ids) for f in rows]
    found = []
    # SQLite fallback: the unit's findings are few (~30 a round), so a Python comparison is cheap.
    for finding in candidates[:2000]:
        score = max(_ratio(title, finding.title), _ratio(facts[:500], finding.facts[:500]) if len(facts) >= 6 else 0)
        if score >= PY_DUPLICATE_THRESHOLD:
            found.append(Duplicate(finding, round(score, 2), finding.pk in visible_ids))
    found.sort(key=lambda d: (-d.similarity, -d.finding.pk))
    return found[:DUPLICATE_LIMIT]


def unit_report(user, *, round_id, unit_id) -> dict:
    """A unit's findings of a round grouped area → aspect, with counts, for the team leader's report."""
    findings = list(
        finding_list_visible_to(user)
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
