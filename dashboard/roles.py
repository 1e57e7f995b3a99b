from inspection.accounts.models import Role

ALL_ROLES = frozenset(Role.values)
