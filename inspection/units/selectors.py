from django.db.models import Count, Q, QuerySet

from inspection.core import access

from .models import Cadre, Unit


def unit_list_visible_to(user) -> QuerySet[Unit]:
    return access.visible(user, Unit.objects.select_related("parent", "jurisdiction"))


def unit_family_ids(unit_ids) -> set[int]:
    """The units themselves, their parents and their children: recusal reaches the whole family."""
    unit_ids = set(unit_ids)
    rows = Unit.objects.filter(Q(pk__in=unit_ids) | Q(parent_id__in=unit_ids)).values_list("pk", "parent_id")
    family = set(unit_ids)
    for pk, parent_id in rows:
        family.add(pk)
        if parent_id and pk in unit_ids:
            family.add(parent_id)
    return family


def cadre_list_queryset() -> QuerySet[Cadre]:
    """Everything a cadre row shows, fetched in a fixed number of queries however many rows."""
    return (
        Cadre.objects.select_related("employer")
        .prefetch_related("specialties")
        .annotate(recusal_count=Count("recusal_factors", filter=Q(recusal_factors__is_active=True), distinct=True))
        # Meta.ordering is dropped from GROUP BY queries: without this, pages would shuffle rows.
        .order_by("jurisdiction_id", "pool", "name", "id")
    )


def cadre_list_visible_to(user) -> QuerySet[Cadre]:
    return access.visible(user, cadre_list_queryset())
