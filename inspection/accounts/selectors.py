"""Reads of the account pages: the list (one query for the page, whatever it shows) and the grants."""

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from inspection.core import access

from .models import Role, RoleGrant, User


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


def unit_has_liaison(unit) -> bool:
    return User.objects.filter(unit=unit, role=Role.UNIT_LIAISON, is_active=True).exists()


def liaison_create_url(unit) -> str:
    """The account-create page with the liaison's role, unit and jurisdiction filled in."""
    query = urlencode({"role": Role.UNIT_LIAISON, "unit": unit.pk, "jurisdiction": unit.jurisdiction_id})
    return f"{reverse('accounts:user_create')}?{query}"


# --- who is told at a handoff (the services' notices filter these through the access policies) ------------

def office_users(jurisdiction_id) -> QuerySet[User]:
    return User.objects.filter(role=Role.OFFICE, jurisdiction_id=jurisdiction_id, is_active=True).order_by("pk")


def leading_group_users(jurisdiction_id) -> QuerySet[User]:
    return User.objects.filter(role=Role.LEADING_GROUP, jurisdiction_id=jurisdiction_id, is_active=True).order_by("pk")


def unit_liaisons(unit_id) -> QuerySet[User]:
    return User.objects.filter(role=Role.UNIT_LIAISON, unit_id=unit_id, is_active=True).order_by("pk")
