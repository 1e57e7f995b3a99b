"""Where a lead starts (issue 16): "移交线索" on a finding and "转为线索" on a petition open the lead form filled
in from that record (`LeadCreateView`, then `services.lead_create`: a petition's conclusion travels with the
lead). Registered with `inspection.core.record_actions` in `ready()`, since findings and rounds cannot import
this app. Offered only when the user may register leads and the record is one of its lead sources."""

from urllib.parse import urlencode

from django.urls import reverse

from inspection.core import access

from . import selectors
from .models import Lead, LeadSource


def _url(**params) -> str:
    return reverse("referrals:lead_create") + "?" + urlencode(params)


def refer_finding(user, finding):
    if not access.can(user, "add", Lead) or not selectors.lead_source_findings(user).filter(pk=finding.pk).exists():
        return None
    return {"label": "移交线索", "icon": "send", "id": "refer-finding",
            "url": _url(source=LeadSource.FINDING, round=finding.round_id, finding=finding.pk)}


def petition_to_lead(user, petition):
    if not access.can(user, "add", Lead) or not selectors.lead_source_petitions(user).filter(pk=petition.pk).exists():
        return None
    return {"label": "转为线索", "icon": "send", "id": "petition-to-lead",
            "url": _url(source=LeadSource.PETITION, round=petition.round_id, petition=petition.pk)}


def finding_initial(user, finding_id) -> dict:
    """The lead form filled in from a finding the user may make a lead of: its unit and a summary of its facts."""
    finding = selectors.lead_source_findings(user).select_related("unit").filter(pk=finding_id).first()
    if finding is None:
        return {}
    return {
        "round": finding.round_id, "source": LeadSource.FINDING, "finding": finding.pk,
        "subject_unit": finding.unit.name,
        "summary": f"{finding.title}。{finding.facts}"[:2000],
        "source_detail": f"巡察发现问题{finding.pk}",
    }
