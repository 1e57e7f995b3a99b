"""Notices at the handoffs of a referred lead (issue 16): `lead_moved` is called by `services.lead_dispose` and
`services.lead_record_results` inside their transaction. The receiver's disposition and its result go back to the
office that referred the lead (those of its jurisdiction who may read the lead). A lead is named by its number
(`Lead.__str__`) and the batch's letter number, never by its subject: a notice outlives the reader's need-to-know."""

from django.urls import reverse

from inspection.accounts import selectors as account_selectors
from inspection.accounts.services import notify_actors

from .models import LeadStatus


def lead_moved(lead, *, actor, what: str):
    """`what`: the disposition kind or the results, in Chinese (no names)."""
    if lead.status == LeadStatus.DISPOSED:
        title = f"{lead}已处置：{what}"
    elif lead.status == LeadStatus.CONCLUDED:
        title = f"{lead}已办结：{what}"
    else:
        return []
    body = f"{actor.receiving_body or actor}填报了{lead}（移交函{lead.referral.letter_number}）的办理情况。"
    return notify_actors(
        candidates=account_selectors.office_users(lead.jurisdiction_id), action="view", obj=lead, title=title,
        body=body, url=reverse("referrals:lead_detail", args=[lead.pk]),
    )
