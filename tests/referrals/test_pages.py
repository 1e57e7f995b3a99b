import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Role
from referrals.models import Lead, LeadStatus, Referral
from rounds.models import Membership

from .factories import FindingFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [1, 15])
def test_list_pages_have_a_constant_query_count(client, office_user, discipline_user, make_lead, refer,
                                                discipline_body, rows, django_assert_max_num_queries):
    leads = [make_lead() for _ in range(rows)]
    refer(discipline_body, *leads, sign_by=discipline_user)
    client.force_login(office_user)
    for name in ("lead_list", "batch_list", "statistics", "referred", "read_log"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(f"referrals:{name}")).status_code == 200, name
    client.force_login(discipline_user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("referrals:workspace"))
    assert len(page.context["leads_to_dispose"]) == rows


def test_office_registers_a_lead_from_a_finding_and_refers_it(client, office_user, round_, discipline_body):
    finding = FindingFactory(team=TeamFactory(round=round_), created_by=office_user)
    client.force_login(office_user)
    assert client.get(reverse("referrals:lead_create")).status_code == 200
    bad = client.post(reverse("referrals:lead_create"), {"round": round_.pk, "source": "finding"})
    assert bad.status_code == 400 and "请选择来源问题" in bad.content.decode()
    response = client.post(reverse("referrals:lead_create"), {
        "round": round_.pk, "source": "finding", "finding": finding.pk, "subject_name": "黄某",
        "subject_post": "财务科科长", "summary": "经手违规发放津补贴"})
    lead = Lead.objects.get()
    assert response.status_code == 302 and response.url == reverse("referrals:lead_detail", args=[lead.pk])

    response = client.post(reverse("referrals:batch_create"), {
        "receiving_body": discipline_body.pk, "letter_number": "清巡办移〔2026〕2号", "letter_date": "2026-06-01",
        "leads": [lead.pk]})
    batch = Referral.objects.get()
    assert response.status_code == 302
    assert client.post(reverse("referrals:batch_send", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "sent"
    duplicate = client.post(reverse("referrals:batch_create"), {
        "receiving_body": discipline_body.pk, "letter_number": "清巡办移〔2026〕2号", "letter_date": "2026-06-01",
        "leads": []})
    assert duplicate.status_code == 400


def test_team_leader_registers_and_lands_on_the_referred_list(client, make_user, round_):
    leader = make_user(Role.TEAM_LEADER, username="zuzhang")
    team = TeamFactory(round=round_)
    MembershipFactory(team=team, cadre__user=leader, position=Membership.Position.LEADER)
    client.force_login(leader)
    response = client.post(reverse("referrals:lead_create"), {
        "round": round_.pk, "source": "other", "source_detail": "个别谈话", "subject_name": "郑某",
        "summary": "反映其违规经商办企业"})
    assert response.status_code == 302 and response.url.startswith(reverse("referrals:referred"))
    assert Lead.objects.get().team == team
    assert "<td>郑*</td>" in client.get(response.url).content.decode()  # masked on the list (issue 15 item 5)


def test_receiver_disposes_and_records_results_on_the_page(client, discipline_user, make_lead, refer,
                                                           discipline_body):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user)
    client.force_login(discipline_user)
    page = client.get(reverse("referrals:lead_detail", args=[lead.pk])).content.decode()
    assert "填报处置方式" in page and "填报查处结果" not in page
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad = client.post(reverse("referrals:lead_dispose", args=[lead.pk]), {"kind": "talk", "decided_on": future})
    assert bad.status_code == 400 and "不能晚于今天" in bad.content.decode()
    client.post(reverse("referrals:lead_dispose", args=[lead.pk]),
                {"kind": "case_opened", "decided_on": timezone.localdate().isoformat()})
    empty = client.post(reverse("referrals:lead_results", args=[lead.pk]), {})
    assert empty.status_code == 400 and "请至少填报一项" in empty.content.decode()
    client.post(reverse("referrals:lead_results", args=[lead.pk]),
                {"people_party_discipline": "2", "money_recovered": "8000"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED
    assert lead.results.get().people_count == 2


def test_office_cannot_dispose(client, office_user, discipline_user, make_lead, refer, discipline_body):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user)
    client.force_login(office_user)
    assert client.post(reverse("referrals:lead_dispose", args=[lead.pk]), {"kind": "talk"}).status_code == 403


def test_office_sees_the_overdue_dispositions(client, office_user, discipline_user, make_lead, refer,
                                             discipline_body):
    late, on_time = make_lead(subject_name="逾期某"), make_lead(subject_name="按期某")
    refer(discipline_body, late, on_time, sign_by=discipline_user)
    late.disposition_due_on = timezone.localdate() - datetime.timedelta(days=2)
    late.save()
    client.force_login(office_user)
    page = client.get(reverse("referrals:lead_list"))
    assert page.context["overdue_count"] == 1
    listed = client.get(page.context["overdue_url"])
    assert [lead.subject_name for lead in listed.context["object_list"]] == ["逾期某"]


def test_lead_history_shows_when_it_joined_the_batch(make_lead, refer, discipline_body):
    lead = make_lead()
    refer(discipline_body, lead, send=False)
    assert lead.history.first().history_change_reason == "列入移交批次清巡办移〔2026〕1号"
