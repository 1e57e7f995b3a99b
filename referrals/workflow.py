"""The transition tables of leads and referral batches. Pure: no database."""

from inspection.accounts.models import Role
from inspection.core.workflow import TransitionTable, move

from .models import LeadStatus, ReferralStatus

OFFICE = {Role.OFFICE}
RECEIVERS = {Role.DISCIPLINE, Role.ORGANIZATION}

# A lead cannot be disposed of before its batch is signed for, and results come only after a disposition.
LEAD_TRANSITIONS = TransitionTable(
    [
        move(LeadStatus.REGISTERED, LeadStatus.REFERRED, OFFICE, "refer", "移交"),
        move(LeadStatus.REGISTERED, LeadStatus.WITHDRAWN, OFFICE, "withdraw", "撤销线索", needs_reason=True),
        move(LeadStatus.REFERRED, LeadStatus.RECEIVED, RECEIVERS, "receive", "签收"),
        move(LeadStatus.RECEIVED, LeadStatus.DISPOSED, RECEIVERS, "dispose", "填报处置方式"),
        move(LeadStatus.DISPOSED, LeadStatus.CONCLUDED, RECEIVERS, "record_results", "填报查处结果"),
    ],
    labels=LeadStatus.choices,
)

REFERRAL_TRANSITIONS = TransitionTable(
    [
        move(ReferralStatus.DRAFT, ReferralStatus.SENT, OFFICE, "send", "发送移交"),
        move(ReferralStatus.SENT, ReferralStatus.SIGNED, RECEIVERS, "sign", "签收"),
    ],
    labels=ReferralStatus.choices,
)
