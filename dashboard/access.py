"""Who may see the dashboard and its documents, asked of `inspection.core.access` like every other page.

The figures span every app, so the page asks the policy of the plan (巡察规划: office and leading group of the
jurisdiction), and the lead figures additionally ask the lead policy's "statistics" action.
"""

from django.core.exceptions import PermissionDenied

from inspection.core import access
from referrals.models import Lead
from rounds.models import Plan


def may_see_figures(user) -> bool:
    return bool(user.is_authenticated and user.jurisdiction_id and access.can(user, "view", Plan))


def require_figures(user) -> None:
    if not may_see_figures(user):
        raise PermissionDenied("您无权查看统计分析")


def may_see_lead_figures(user) -> bool:
    return access.can(user, "statistics", Lead)
