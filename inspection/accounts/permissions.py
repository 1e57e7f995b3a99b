"""Who manages accounts and who approves role grants (三员分立).

Accounts are install-wide: the system administrator manages every account of the installation (a county
system, or a city system with its counties), the security administrator approves every grant. Neither policy
grants a business role anything, and no business policy grants an administrator anything
(`roles.ALL` leaves them out; `tests/accounts/test_separation.py` checks every registered policy).
"""

from inspection.core import access

from .models import ApiToken, Role, RoleGrant, User

SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
SECURITY_ADMIN = frozenset({Role.SECURITY_ADMIN})


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
