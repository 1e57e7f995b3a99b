import datetime

import pytest

from inspection.accounts.models import ReceivingBody, Role
from referrals import services
from tests.factories import ReceivingBodyFactory

from .factories import LeadFactory, RoundFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def discipline_body(jurisdiction):
    return ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.DISCIPLINE, name="清河县纪委监委")


@pytest.fixture
def organization_body(jurisdiction):
    return ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.ORGANIZATION, name="中共清河县委组织部")


@pytest.fixture
def discipline_user(make_user, discipline_body):
    return make_user(Role.DISCIPLINE, username="jiwei", receiving_body=discipline_body)


@pytest.fixture
def organization_user(make_user, organization_body):
    return make_user(Role.ORGANIZATION, username="zuzhibu", receiving_body=organization_body)


@pytest.fixture
def round_(jurisdiction):
    return RoundFactory(plan__jurisdiction=jurisdiction)


@pytest.fixture
def make_lead(round_, office_user):
    def make(**fields):
        fields.setdefault("round", round_)
        fields.setdefault("created_by", office_user)
        return LeadFactory(**fields)

    return make


@pytest.fixture
def refer(office_user, monkeypatch):
    """refer(body, *leads, sign_by=None, send=True): make a batch, send it, optionally sign it."""
    counter = {"n": 0}

    def do(body, *leads, send=True, sign_by=None):
        counter["n"] += 1
        batch = services.batch_create(
            actor=office_user, receiving_body=body, letter_number=f"清巡办移〔2026〕{counter['n']}号",
            letter_date=datetime.date(2026, 6, 1), leads=list(leads),
        )
        if send:
            batch = services.batch_send(referral=batch, actor=office_user)
        if sign_by is not None:
            batch = services.batch_sign(referral=batch, actor=sign_by)
        for lead in leads:
            lead.refresh_from_db()
        batch.refresh_from_db()
        return batch

    return do


@pytest.fixture
def no_pdf(monkeypatch):
    """Skip WeasyPrint in tests that are not about the letter (rendering costs ~2 s)."""
    monkeypatch.setattr("referrals.documents.render_pdf", lambda template, context: b"%PDF-1.4 test")
