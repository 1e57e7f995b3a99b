"""Who may see and act on leads, referral batches, dispositions and results.

Leads are secret (保密): the office and the leading group of the jurisdiction, and the receiving body a
batch is addressed to once it is sent. Everyone else gets 404. The team that found a lead sees only that
it was referred, through `selectors.team_referred_leads` (action "see_referred"), never the lead itself.
"""

from inspection.accounts.models import Role
from inspection.accounts.roles import OFFICE, OVERSIGHT, RECEIVERS, TEAM
from inspection.core import access

from .models import Disposition, Lead, Referral, ReferralStatus, Result

TEAM_LEADER = frozenset({Role.TEAM_LEADER})


def _sent_to_body(user):
    return {"receiving_body_id": user.receiving_body_id, "status__in": [ReferralStatus.SENT, ReferralStatus.SIGNED]}


def _lead_scope(user, queryset, prefix=""):
    if user.role in OVERSIGHT:
        return queryset.filter(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
    if user.role in RECEIVERS and user.receiving_body_id:
        return queryset.filter(**{f"{prefix}referral__{k}": v for k, v in _sent_to_body(user).items()})
    return queryset.none()


@access.register
class LeadPolicy(access.Policy):
    model = Lead
    secret = True
    permissions = {
        "view": OVERSIGHT | RECEIVERS,
        # The office or a team leader of the round registers leads (the round check is in the service).
        "add": OFFICE | TEAM_LEADER,
        "change": OFFICE,
        "withdraw": OFFICE,
        "dispose": RECEIVERS,
        "record_results": RECEIVERS,
        "statistics": OVERSIGHT,
        "audit": OFFICE,
        # The team's own view: names and "已移交" only.
        "see_referred": OVERSIGHT | TEAM,
    }

    def scope(self, user, queryset):
        return _lead_scope(user, queryset)


@access.register
class ReferralPolicy(access.Policy):
    model = Referral
    secret = True
    permissions = {
        "view": OVERSIGHT | RECEIVERS,
        "add": OFFICE,
        "change": OFFICE,
        "send": OFFICE,
        "render": OFFICE,
        "sign": RECEIVERS,
    }

    def scope(self, user, queryset):
        if user.role in OVERSIGHT:
            return queryset.filter(jurisdiction_id=user.jurisdiction_id)
        if user.role in RECEIVERS and user.receiving_body_id:
            return queryset.filter(**_sent_to_body(user))
        return queryset.none()


@access.register
class DispositionPolicy(access.Policy):
    model = Disposition
    secret = True
    permissions = {"view": OVERSIGHT | RECEIVERS, "add": RECEIVERS}

    def scope(self, user, queryset):
        return _lead_scope(user, queryset, prefix="lead__")


@access.register
class ResultPolicy(access.Policy):
    model = Result
    secret = True
    permissions = {"view": OVERSIGHT | RECEIVERS, "add": RECEIVERS}

    def scope(self, user, queryset):
        return _lead_scope(user, queryset, prefix="lead__")
