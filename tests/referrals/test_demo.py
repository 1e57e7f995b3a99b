from collections import Counter

import pytest

from inspection.accounts.models import ReceivingBody, Role
from referrals import demo
from referrals.models import Lead, Referral
from referrals.selectors import referral_figures
from rounds.models import Petition
from tests.factories import ReceivingBodyFactory

from .factories import FindingFactory, PetitionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_status_and_is_idempotent(jurisdiction, make_user, office_user):
    bodies = {kind.value: ReceivingBodyFactory(jurisdiction=jurisdiction, kind=kind, name=f"演示{kind.label}")
              for kind in ReceivingBody.Kind}
    users = {
        "office": office_user,
        "jiwei": make_user(Role.DISCIPLINE, username="jiwei", receiving_body=bodies["discipline"]),
        "zuzhibu": make_user(Role.ORGANIZATION, username="zuzhibu", receiving_body=bodies["organization"]),
    }
    older, recent = RoundFactory(plan__jurisdiction=jurisdiction), RoundFactory(plan__jurisdiction=jurisdiction)
    untrue = PetitionFactory(team=TeamFactory(round=recent), conclusion=Petition.Conclusion.UNTRUE,
                             conclusion_text="经核查不属实", created_by=office_user)
    finding = FindingFactory(team=TeamFactory(round=older), created_by=office_user)
    context = {"users": users, "receiving_bodies": bodies, "rounds": [recent, older], "referral_round": recent,
               "rectification_round": older, "petitions": [untrue], "approved_findings": [finding]}

    demo.seed(context)
    statuses = Counter(Lead.objects.values_list("status", flat=True))
    assert set(statuses) == {"registered", "referred", "received", "disposed", "concluded", "withdrawn"}
    assert set(Referral.objects.values_list("status", flat=True)) == {"draft", "sent", "signed"}
    assert Lead.objects.filter(petition=untrue, petition_conclusion="untrue").exists()
    assert Lead.objects.filter(finding=finding).exists()
    totals = referral_figures(jurisdiction)["totals"]
    assert totals["cases_opened"] == 1 and totals["people_disciplined"] == 3 and totals["overdue"] == 1

    demo.seed(context)
    assert Lead.objects.count() == sum(statuses.values())


def test_demo_skips_without_its_context(db):
    assert demo.seed({}) == {}
    assert not Lead.objects.exists()
