"""Who manages accounts and who approves role grants (三员分立).

Accounts are install-wide: the system administrator manages every account of the installation (a county
system, or a city system with its counties), the security administrator approves every grant. Neither policy
grants a business role anything, and no business policy grants an administrator anything
(`roles.ALL` leaves them out; `tests/accounts/test_separation.py` checks every registered policy).
"""

from django.db.models import Q

from inspection.core import access

from . import roles
from .models import ApiToken, Jurisdiction, ReceivingBody, Role, RoleGrant, User

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})


def subtree_q(jurisdiction_id, path: str = "jurisdiction") -> Q:
    """The jurisdiction and those below it (province → city → county: two levels down), through `path` from the
    filtered model to its Jurisdiction ("" for Jurisdiction itself)."""
    to = f"{path}__" if path else ""
    return (
        Q(**{f"{to}id": jurisdiction_id})
        | Q(**{f"{to}parent_id": jurisdiction_id})
        | Q(**{f"{to}parent__parent_id": jurisdiction_id})
    )


@access.register
class UserPolicy(access.Policy):
    model = User
    permissions = {
        "view": SYSTEM_ADMIN,
        "add": SYSTEM_ADMIN,
        "change": SYSTEM_ADMIN,
        # enable/disable, unlock, reset the second factor, reset the password
        "manage": SYSTEM_ADMIN,
    }

    def scope(self, user, queryset):
        return queryset


@access.register
class RoleGrantPolicy(access.Policy):
    model = RoleGrant
    permissions = {
        "view": SYSTEM_ADMIN | SECURITY_ADMIN,
        "add": SYSTEM_ADMIN,
        "approve": SECURITY_ADMIN,
    }

    def scope(self, user, queryset):
        return queryset


@access.register
class ApiTokenPolicy(access.Policy):
    """Every token of the installation, for the security administrator: who holds a way into the API, and its
    revocation (a person leaves, a device is lost). Owners list and revoke their own on their token page
    (accounts.tokens), which does not go through this policy."""

    model = ApiToken
    permissions = {"view": SECURITY_ADMIN, "revoke": SECURITY_ADMIN}

    def scope(self, user, queryset):
        return queryset


def _office_and_below(user, queryset, *, path):
    """Reference data: all of it for the system administrator, else the user's jurisdiction and those below."""
    if user.role == Role.SYSTEM_ADMIN or user.is_superuser:
        return queryset
    if not user.jurisdiction_id:
        return queryset.none()
    return queryset.filter(subtree_q(user.jurisdiction_id, path=path))


@access.register
class JurisdictionPolicy(access.Policy):
    """The offices an integrator's records name: a business user's own jurisdiction and those below it (a city
    its counties); the system administrator every jurisdiction of the installation. Read only: jurisdictions and
    their deadlines are set up in the admin."""

    model = Jurisdiction
    permissions = {"view": roles.ALL | SYSTEM_ADMIN}

    def scope(self, user, queryset):
        return _office_and_below(user, queryset, path="")


@access.register
class ReceivingBodyPolicy(access.Policy):
    """The bodies referrals go to, of the user's jurisdiction and those below it; all for the system
    administrator. Read only here (set up in the admin)."""

    model = ReceivingBody
    permissions = {"view": roles.ALL | SYSTEM_ADMIN}

    def scope(self, user, queryset):
        return _office_and_below(user, queryset, path="jurisdiction")
