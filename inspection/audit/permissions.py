"""The audit is read by the audit administrator (安全审计员) alone: not the system or security administrator,
not a superuser, no business role (三员分立: the audited do not read their own audit)."""

from inspection.accounts.models import Role
from inspection.core import access

from .models import AuditEvent

AUDITORS = frozenset({Role.AUDIT_ADMIN})


@access.register
class AuditEventPolicy(access.Policy):
    model = AuditEvent
    permissions = {"view": AUDITORS, "export": AUDITORS, "verify": AUDITORS}

    def role_allows(self, user, action: str) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        return user.role in self.permissions.get(action, frozenset())

    def scope(self, user, queryset):
        return queryset
