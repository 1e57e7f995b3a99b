"""Role groups used by the permission tables of every app."""

from .models import Role

# The three separated administrators (三员分立) are not business roles: no permission table grants them a
# business record, and ALL (every business role) leaves them out.
ADMINISTRATORS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
ALL = frozenset(Role.values) - ADMINISTRATORS
OFFICE = frozenset({Role.OFFICE})
OVERSIGHT = frozenset({Role.OFFICE, Role.LEADING_GROUP})
TEAM = frozenset({Role.TEAM_LEADER, Role.TEAM_MEMBER})
RECEIVERS = frozenset({Role.DISCIPLINE, Role.ORGANIZATION})
INSPECTORS = OVERSIGHT | TEAM
