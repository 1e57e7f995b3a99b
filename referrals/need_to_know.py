"""What a receiving body needs to know of findings because of referrals (inspection.core.access need-to-know)."""

from inspection.core import access

from .models import Lead


def findings_behind_referred_leads(user):
    """Ids of the findings behind the leads the user may see: for a receiver, the leads of the batches sent to
    its body (`LeadPolicy`), from the moment the batch is sent."""
    return access.visible(user, Lead).filter(finding_id__isnull=False).values("finding_id")
