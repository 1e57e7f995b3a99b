import pytest

from inspection.accounts.models import Role
from referrals.models import LeadStatus
from rounds.models import Petition

from .factories import PetitionFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_the_whole_flow_through_the_api(client, office_user, discipline_user, discipline_body, round_):
    petition = PetitionFactory(team=TeamFactory(round=round_), conclusion=Petition.Conclusion.UNTRUE,
                               conclusion_text="查无实据", created_by=office_user)
    client.force_login(office_user)
    created = client.post("/api/referrals/leads/", {"round": round_.pk, "source": "petition",
                                                    "petition": petition.pk}, content_type="application/json")
    assert created.status_code == 201, created.json()
    lead = created.json()
    assert lead["petition_conclusion"] == "untrue" and lead["status"] == "registered"
    assert [m["verb"] for m in lead["moves"]] == ["refer", "withdraw"]

    batch = client.post("/api/referrals/batches/", {
        "receiving_body": discipline_body.pk, "letter_number": "清巡办移〔2026〕9号", "letter_date": "2026-06-20",
        "leads": [lead["id"]]}, content_type="application/json")
    assert batch.status_code == 201, batch.json()
    batch_id = batch.json()["id"]
    sent = client.post(f"/api/referrals/batches/{batch_id}/send/")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"

    client.force_login(discipline_user)
    early = client.post("/api/referrals/dispositions/", {"lead": lead["id"], "kind": "talk"},
                        content_type="application/json")
    assert early.status_code == 400 and "non_field_errors" in early.json()
    signed = client.post(f"/api/referrals/batches/{batch_id}/sign/")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    results_early = client.post("/api/referrals/results/", {
        "lead": lead["id"], "results": [{"kind": "party_discipline", "people_count": 1}]},
        content_type="application/json")
    assert results_early.status_code == 400
    disposed = client.post("/api/referrals/dispositions/", {"lead": lead["id"], "kind": "case_opened"},
                           content_type="application/json")
    assert disposed.status_code == 201, disposed.json()
    results = client.post("/api/referrals/results/", {"lead": lead["id"], "results": [
        {"kind": "party_discipline", "people_count": 2, "money_recovered": "5000.00"},
        {"kind": "accountability", "people_count": 1}]}, content_type="application/json")
    assert results.status_code == 201, results.json()
    assert [r["kind"] for r in results.json()] == ["party_discipline", "accountability"]
    detail = client.get(f"/api/referrals/leads/{lead['id']}/").json()
    assert detail["status"] == LeadStatus.CONCLUDED and detail["disposition_kind"] == "case_opened"
    assert detail["moves"] == []


def test_bad_input_is_a_400_with_a_field_message(client, office_user, discipline_body, make_lead):
    client.force_login(office_user)
    response = client.post("/api/referrals/batches/", {"receiving_body": discipline_body.pk, "letter_number": "",
                                                       "letter_date": "no", "leads": []},
                           content_type="application/json")
    assert response.status_code == 400
    assert {"letter_number", "letter_date", "leads"} <= set(response.json())
    response = client.post("/api/referrals/batches/", {"receiving_body": discipline_body.pk, "letter_number": "A1",
                                                       "letter_date": "2026-06-01", "leads": [987654]},
                           content_type="application/json")
    assert response.status_code == 400 and "leads" in response.json()
    response = client.post("/api/referrals/leads/", {"round": 987654, "source": "other"},
                           content_type="application/json")
    assert response.status_code == 400 and "round" in response.json()
    response = client.post(f"/api/referrals/leads/{make_lead().pk}/withdraw/", {}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()


def test_no_delete_anywhere(client, office_user, make_lead):
    lead = make_lead()
    client.force_login(office_user)
    assert client.delete(f"/api/referrals/leads/{lead.pk}/").status_code == 405
    assert client.put(f"/api/referrals/leads/{lead.pk}/", {}).status_code == 405


def test_receivers_cannot_create_leads_or_batches(client, discipline_user, discipline_body, make_lead):
    client.force_login(discipline_user)
    assert client.post("/api/referrals/batches/", {}, content_type="application/json").status_code == 403
    assert client.post("/api/referrals/leads/", {}, content_type="application/json").status_code == 403


def test_leading_group_reads_but_does_not_refer(client, make_user, make_lead, discipline_body):
    lead = make_lead()
    client.force_login(make_user(Role.LEADING_GROUP, username="leader"))
    assert client.get(f"/api/referrals/leads/{lead.pk}/").status_code == 200
    response = client.post("/api/referrals/batches/", {"receiving_body": discipline_body.pk, "letter_number": "B",
                                                       "letter_date": "2026-06-01", "leads": [lead.pk]},
                           content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 12])
def test_lead_list_query_count_is_constant(client, office_user, make_lead, refer, discipline_body, rows,
                                           django_assert_max_num_queries):
    leads = [make_lead() for _ in range(rows)]
    refer(discipline_body, *leads)
    client.force_login(office_user)
    with django_assert_max_num_queries(12):
        response = client.get("/api/referrals/leads/")
    assert len(response.json()["results"]) == rows
    with django_assert_max_num_queries(12):
        response = client.get("/api/referrals/batches/")
    assert response.json()["results"][0]["lead_count"] == rows
