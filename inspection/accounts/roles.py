"""Role groups used by the permission tables of every app."""

from .models import Role

ALL = frozenset(Role.values)
OFFICE = frozenset({Role.OFFICE})
OVERSIGHT = frozenset({Role.OFFICE, Role.LEADING_GROUP})
TEAM = frozenset({Role.TEAM_LEADER, Role.TEAM_MEMBER})
RECEIVERS = frozenset({Role.DISCIPLINE, Role.ORGANIZATION})
INSPECTORS = OVERSIGHT | TEAM
