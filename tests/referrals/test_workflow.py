import itertools

import pytest

from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError, InvalidTransition
from referrals import services
from referrals.models import LeadStatus, ReferralStatus
from referrals.workflow import LEAD_TRANSITIONS, REFERRAL_TRANSITIONS

ALLOWED_LEAD = {
    (LeadStatus.REGISTERED, LeadStatus.REFERRED): {Role.OFFICE},
    (LeadStatus.REGISTERED, LeadStatus.WITHDRAWN): {Role.OFFICE},
    (LeadStatus.REFERRED, LeadStatus.RECEIVED): {Role.DISCIPLINE, Role.ORGANIZATION},
    (LeadStatus.RECEIVED, LeadStatus.DISPOSED): {Role.DISCIPLINE, Role.ORGANIZATION},
    (LeadStatus.DISPOSED, LeadStatus.CONCLUDED): {Role.DISCIPLINE, Role.ORGANIZATION},
}
ALLOWED_REFERRAL = {
    (ReferralStatus.DRAFT, ReferralStatus.SENT): {Role.OFFICE},
    (ReferralStatus.SENT, ReferralStatus.SIGNED): {Role.DISCIPLINE, Role.ORGANIZATION},
}


@pytest.mark.parametrize(
    "source,target,role",
    list(itertools.product(LeadStatus.values, LeadStatus.values, Role.values)),
)
def test_lead_table_allows_exactly_the_listed_moves(source, target, role):
    allowed = role in ALLOWED_LEAD.get((source, target), set())
    if allowed:
        assert LEAD_TRANSITIONS.check(source, target, role).target == target
    else:
        with pytest.raises(InvalidTransition):
            LEAD_TRANSITIONS.check(source, target, role)


@pytest.mark.parametrize(
    "source,target,role",
    list(itertools.product(ReferralStatus.values, ReferralStatus.values, Role.values)),
)
def test_referral_table_allows_exactly_the_listed_moves(source, target, role):
    allowed = role in ALLOWED_REFERRAL.get((source, target), set())
    if allowed:
        assert REFERRAL_TRANSITIONS.check(source, target, role).target == target
    else:
        with pytest.raises(InvalidTransition):
            REFERRAL_TRANSITIONS.check(source, target, role)


def test_withdrawal_needs_a_reason():
    assert LEAD_TRANSITIONS.get(LeadStatus.REGISTERED, LeadStatus.WITHDRAWN).needs_reason


# --- the same rules enforced by the services, on real rows ----------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["registered", "referred"])
def test_no_disposition_before_receipt(stage, make_lead, refer, discipline_body, discipline_user):
    lead = make_lead()
    if stage == "referred":
        refer(discipline_body, lead)
        assert lead.status == LeadStatus.REFERRED
    with pytest.raises(DomainError):
        services.lead_dispose(lead=lead, actor=discipline_user, kind="talk")
    lead.refresh_from_db()
    assert lead.status == stage
    assert not hasattr(lead, "disposition") or lead.disposition is None


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["referred", "received"])
def test_results_only_after_a_disposition(stage, make_lead, refer, discipline_body, discipline_user):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user if stage == "received" else None)
    assert lead.status == stage
    with pytest.raises(DomainError):
        services.lead_record_results(
            lead=lead, actor=discipline_user, results=[{"kind": "party_discipline", "people_count": 1}]
        )
    lead.refresh_from_db()
    assert lead.status == stage
    assert lead.results.count() == 0


@pytest.mark.django_db
def test_a_disposition_is_recorded_once(make_lead, refer, discipline_body, discipline_user):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user)
    services.lead_dispose(lead=lead, actor=discipline_user, kind="talk")
    with pytest.raises(InvalidTransition):
        services.lead_dispose(lead=lead, actor=discipline_user, kind="case_opened")
    lead.refresh_from_db()
    assert lead.disposition.kind == "talk"
