"""Reads of the account pages: the list (one query for the page, whatever it shows) and the grants."""

from django.db.models import Exists, OuterRef, QuerySet

from inspection.core import access

from .models import RoleGrant, User


def user_list_visible_to(user) -> QuerySet:
    pending = RoleGrant.objects.filter(user=OuterRef("pk"), status=RoleGrant.Status.PENDING)
    return (
        access.visible(user, User)
        .select_related("jurisdiction", "unit", "receiving_body", "cadre")
        .annotate(has_pending_grant=Exists(pending))
        .order_by("-is_active", "username", "id")
    )


def grant_list_visible_to(user, *, status=None) -> QuerySet:
    queryset = access.visible(user, RoleGrant).select_related("user", "requested_by", "decided_by")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def pending_grant(user: User) -> RoleGrant | None:
    return user.role_grants.filter(status=RoleGrant.Status.PENDING).select_related("requested_by").first()
