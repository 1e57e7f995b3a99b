"""Who may see the roll-up counters: the office and the leading group of an office, for that office and the
offices below it (a city its counties, a province its cities and their counties). The counters are aggregates:
they give no access to the subordinate offices' records, whose policies stay scoped to their own office."""

from inspection.accounts.permissions import subtree_q
from inspection.accounts.roles import OFFICE, OVERSIGHT
from inspection.core import access

from .models import OfficeFigures


@access.register
class OfficeFiguresPolicy(access.Policy):
    model = OfficeFigures
    permissions = {"view": OVERSIGHT, "refresh": OFFICE}

    def scope(self, user, queryset):
        if user.role in OVERSIGHT and user.jurisdiction_id:
            return queryset.filter(subtree_q(user.jurisdiction_id))
        return queryset.none()
