import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.selectors import referral_figures

from .factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(jurisdiction, round_, make_lead, refer, discipline_body, organization_body, discipline_user,
            organization_user, office_user):
    """Round 1: 3 leads to the discipline commission (1 case opened with 2 + 1 disciplined, 1 talk, 1 received
    and overdue), 1 to the organization department (unsigned); 1 registered; 1 withdrawn.
    Round 2 (another plan): 1 to the discipline commission, disposed as closed."""
    case, talk, overdue = make_lead(), make_lead(), make_lead()
    refer(discipline_body, case, talk, overdue, sign_by=discipline_user)
    services.lead_dispose(lead=case, actor=discipline_user, kind="case_opened")
    services.lead_record_results(lead=case, actor=discipline_user, results=[
        {"kind": "party_discipline", "people_count": 2, "money_recovered": "120000"},
        {"kind": "state_discipline", "people_count": 1},
        {"kind": "organizational", "people_count": 1},
    ])
    services.lead_dispose(lead=talk, actor=discipline_user, kind="talk")
    overdue.disposition_due_on = timezone.localdate() - datetime.timedelta(days=1)
    overdue.save()
    refer(organization_body, make_lead())
    make_lead()
    services.lead_withdraw(lead=make_lead(), actor=office_user, reason="重复登记")
    round2 = RoundFactory(plan__jurisdiction=jurisdiction)
    closed = make_lead(round=round2)
    refer(discipline_body, closed, sign_by=discipline_user)
    services.lead_dispose(lead=closed, actor=discipline_user, kind="closed")
    return {"round": round_, "round2": round2}


def test_totals_match_the_records(records, jurisdiction):
    totals = referral_figures(jurisdiction)["totals"]
    assert totals["leads"] == 6
    assert totals["referred"] == 5
    assert totals["signed"] == 4
    assert totals["disposed"] == 3
    assert totals["concluded"] == 1
    assert totals["cases_opened"] == 1
    assert totals["overdue"] == 1
    assert totals["people_disciplined"] == 3
    assert totals["organizational"] == 1
    assert totals["money_recovered"] == Decimal("120000")


def test_figures_by_receiver_round_and_plan(records, jurisdiction, discipline_body, organization_body):
    figures = referral_figures(jurisdiction)
    by_receiver = {row["name"]: row for row in figures["by_receiver"]}
    assert by_receiver[discipline_body.name]["referred"] == 4
    assert by_receiver[discipline_body.name]["people_disciplined"] == 3
    assert by_receiver[organization_body.name]["referred"] == 1
    assert by_receiver[organization_body.name]["signed"] == 0
    assert by_receiver["尚未移交"]["leads"] == 1
    by_round = {row["round_id"]: row for row in figures["by_round"]}
    assert by_round[records["round"].pk]["referred"] == 4
    assert by_round[records["round2"].pk]["disposed"] == 1
    assert len(figures["by_plan"]) == 2
    assert {row["kind"]: row["count"] for row in figures["by_disposition"]} == {
        "talk": 1, "preliminary": 0, "shelved": 0, "closed": 1, "case_opened": 1}


def test_figures_narrow_to_a_round_and_a_plan(records, jurisdiction):
    only_two = referral_figures(jurisdiction, round=records["round2"])["totals"]
    assert (only_two["referred"], only_two["cases_opened"], only_two["people_disciplined"]) == (1, 0, 0)
    plan_one = referral_figures(jurisdiction, plan=records["round"].plan)["totals"]
    assert (plan_one["referred"], plan_one["people_disciplined"]) == (4, 3)


def test_other_jurisdiction_counts_nothing(records, other_jurisdiction):
    assert referral_figures(other_jurisdiction)["totals"]["leads"] == 0


def test_statistics_page_and_api(client, office_user, records, django_assert_max_num_queries):
    client.force_login(office_user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("referrals:statistics"))
    assert page.status_code == 200
    cards = {card["key"]: card["value"] for card in page.context["page"]["cards"]}
    assert cards["cases_opened"] == 1 and cards["people_disciplined"] == 3
    data = client.get("/api/referrals/statistics/").json()
    assert data["totals"]["referred"] == 5 and data["totals"]["money_recovered"] == "120000.00"
    narrowed = client.get("/api/referrals/statistics/", {"round": records["round2"].pk}).json()
    assert narrowed["totals"]["referred"] == 1
    bad = client.get("/api/referrals/statistics/", {"round": "abc"})
    assert bad.status_code == 400 and "round" in bad.json()
    assert client.get("/api/referrals/statistics/", {"round": 999999}).status_code == 400
    assert client.get(reverse("referrals:statistics"), {"round": "abc"}).status_code == 200


def test_receivers_do_not_get_statistics(client, discipline_user):
    client.force_login(discipline_user)
    assert client.get("/api/referrals/statistics/").status_code == 403
    assert client.get(reverse("referrals:statistics")).status_code == 403
