import pytest
from django.urls import reverse

from inspection.accounts.models import Role
from inspection.audit.models import ReadLog

pytestmark = pytest.mark.django_db


def test_every_read_of_a_lead_is_logged(client, office_user, discipline_user, make_lead, refer, discipline_body):
    lead = make_lead(subject_name="钱某")
    batch = refer(discipline_body, lead)
    client.force_login(discipline_user)
    client.get(reverse("referrals:lead_detail", args=[lead.pk]))
    client.get(f"/api/referrals/leads/{lead.pk}/")
    client.get("/api/referrals/leads/")
    client.get(reverse("referrals:batch_detail", args=[batch.pk]))
    rows = list(ReadLog.objects.filter(user=discipline_user).values_list("action", "object_type", "object_id"))
    assert rows.count(("view", "referrals.lead", str(lead.pk))) == 2
    assert ("list", "referrals.lead", str(lead.pk)) in rows
    assert ("view", "referrals.referral", str(batch.pk)) in rows


def test_office_reads_the_log_with_filters(client, office_user, discipline_user, make_lead, refer, discipline_body):
    lead = make_lead(subject_name="钱某")
    refer(discipline_body, lead)
    client.force_login(discipline_user)
    client.get(reverse("referrals:lead_detail", args=[lead.pk]))
    client.force_login(office_user)
    page = client.get(reverse("referrals:read_log"), {"user": "jiwei", "action": "view"})
    assert page.status_code == 200
    rows = list(page.context["object_list"])
    assert [(r.user, r.object_id) for r in rows] == [(discipline_user, str(lead.pk))]
    # The log names the lead by its number: reading the log is no way around the lead's own logged page.
    html = page.content.decode()
    assert f"线索{lead.pk}" in html and "钱某" not in html
    # The object type is the model's Chinese name, not "referrals.lead".
    table = html[html.index('id="read-log"'):]
    assert '<td class="text-nowrap">问题线索</td>' in table and "referrals.lead" not in table
    empty = client.get(reverse("referrals:read_log"), {"user": "nobody"})
    assert list(empty.context["object_list"]) == []
    bad = client.get(reverse("referrals:read_log"), {"since": "not-a-date"})
    assert bad.status_code == 200


def test_log_page_shows_only_referral_records_of_own_jurisdiction(client, office_user, make_user, make_lead,
                                                                   other_jurisdiction):
    from inspection.audit.services import read_log_record

    lead = make_lead()
    read_log_record(user=office_user, obj=lead)
    read_log_record(user=office_user, obj=office_user)  # not a referrals record
    client.force_login(make_user(Role.OFFICE, username="other", jurisdiction=other_jurisdiction))
    assert list(client.get(reverse("referrals:read_log")).context["object_list"]) == []
    client.force_login(office_user)
    rows = list(client.get(reverse("referrals:read_log")).context["object_list"])
    assert [(r.object_type, r.object_id) for r in rows] == [("referrals.lead", str(lead.pk))]


@pytest.mark.parametrize("role", [Role.LEADING_GROUP, Role.DISCIPLINE, Role.TEAM_LEADER])
def test_only_the_office_reads_the_log(client, make_user, role):
    client.force_login(make_user(role, username="someone"))
    assert client.get(reverse("referrals:read_log")).status_code == 403
