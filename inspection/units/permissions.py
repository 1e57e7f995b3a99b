"""Who may see and change units, cadres and recusal factors."""

from django.db.models import Q

from inspection.accounts.models import Role
from inspection.accounts.roles import ALL, OFFICE, OVERSIGHT, TEAM
from inspection.core import access
from inspection.core.team_scope import team_scope

from .models import Cadre, RecusalFactor, Unit


@access.register
class UnitPolicy(access.Policy):
    model = Unit
    permissions = {
        "view": ALL,
        "add": OFFICE,
        "change": OFFICE,
        "import": OFFICE,
        "export": OVERSIGHT,
    }

    def scope(self, user, queryset):
        if user.role in (Role.OFFICE, Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION):
            return queryset.filter(jurisdiction_id=user.jurisdiction_id)
        if user.role in TEAM:
            return queryset.filter(pk__in=team_scope(user).unit_ids())
        if user.role == Role.UNIT_LIAISON:
            return queryset.filter(pk=user.unit_id)
        return queryset.none()


@access.register
class CadrePolicy(access.Policy):
    model = Cadre
    permissions = {
        "view": OVERSIGHT | TEAM,
        "add": OFFICE,
        "change": OFFICE,
        "import": OFFICE,
        "export": OVERSIGHT,
    }

    def scope(self, user, queryset):
        if user.role in OVERSIGHT:
            return queryset.filter(jurisdiction_id=user.jurisdiction_id)
        if user.role in TEAM:
            # A team member sees the colleagues of their own teams, and themselves.
            return queryset.filter(Q(pk__in=team_scope(user).cadre_ids()) | Q(user=user))
        return queryset.none()


@access.register
class RecusalFactorPolicy(access.Policy):
    model = RecusalFactor
    permissions = {"view": OVERSIGHT, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(cadre__jurisdiction_id=user.jurisdiction_id)
