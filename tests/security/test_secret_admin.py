"""Issue 13 item 4: the back-office admin never shows a secret field.

The admin is the system administrator's (三员分立: no business records) and logs no reads, so for petitions,
inquiries, interviews, leads, batches, dispositions and results its list, search, change page, history page
(old → new) and the page of a historical version show numbers, dates and statuses only.
"""

import datetime

import pytest
from django.urls import reverse

from referrals.models import Disposition, Lead, Referral, Result
from rounds.models import Inquiry, Interview, Petition
from tests.factories import ReceivingBodyFactory, UnitFactory, UserFactory
from tests.referrals.factories import LeadFactory, PetitionFactory, TeamFactory

pytestmark = pytest.mark.django_db

SECRETS = ["欧阳秀珍", "13900001111", "司马建国", "皇甫志刚", "收受礼金八万元", "诸葛丽华", "上官海燕", "慕容立新"]
MASK = "（保密，后台不显示）"


@pytest.fixture
def admin_client(client, jurisdiction):
    client.force_login(UserFactory(username="root", role="", is_superuser=True, is_staff=True, jurisdiction=jurisdiction))
    return client


@pytest.fixture
def records(jurisdiction, office_user):
    team = TeamFactory(round__plan__jurisdiction=jurisdiction)
    unit = UnitFactory(jurisdiction=jurisdiction)
    petition = PetitionFactory(team=team, unit=unit, is_anonymous=False, petitioner_name="欧阳秀珍",
                               petitioner_contact="13900001111", subject_person="司马建国",
                               summary="反映司马建国收受礼金八万元", created_by=office_user)
    # A second version, so the history has an old → new change of the petitioner.
    petition.petitioner_name = "欧阳秀英"
    petition.save()
    inquiry = Inquiry.objects.create(round=team.round, team=team, asker_name="皇甫志刚", asker_post="县住建局局长",
                                     asked_person="组长", asked_on=datetime.date(2026, 3, 5), manner="pleading",
                                     subject="为司马建国说情", created_by=office_user)
    interview = Interview.objects.create(round=team.round, team=team, unit=unit, interviewee_name="诸葛丽华",
                                         held_on=datetime.date(2026, 3, 6), interviewers="组长",
                                         notes="反映司马建国收受礼金八万元", created_by=office_user)
    interview.notes = "补充：上官海燕知情"
    interview.save()
    lead = LeadFactory(round=team.round, subject_name="慕容立新", summary="收受礼金八万元", created_by=office_user)
    lead.subject_name = "司马建国"
    lead._change_reason = "经核实被反映人为司马建国"
    lead.save()
    body = ReceivingBodyFactory(jurisdiction=jurisdiction)
    referral = Referral.objects.create(jurisdiction=jurisdiction, receiving_body=body, letter_number="清巡办移〔2026〕9号",
                                       letter_date=datetime.date(2026, 6, 1), title="关于移交巡察发现问题线索的函",
                                       notes="其中慕容立新一件请优先核查",
                                       created_by=office_user)
    Lead.objects.filter(pk=lead.pk).update(referral=referral)
    disposition = Disposition.objects.create(lead=lead, kind="talk", decided_on=datetime.date(2026, 6, 10),
                                             note="对慕容立新谈话函询", recorded_by=office_user)
    result = Result.objects.create(lead=lead, kind="admonition", people_count=1, note="慕容立新诫勉谈话",
                                   recorded_by=office_user)
    return [petition, inquiry, interview, lead, referral, disposition, result]


def _pages(obj):
    opts = obj._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [
        reverse(f"{name}_changelist"),
        reverse(f"{name}_changelist") + "?q=司马建国",
        reverse(f"{name}_change", args=[obj.pk]),
        reverse(f"{name}_history", args=[obj.pk]),
    ]
    urls += [reverse(f"{name}_simple_history", args=[obj.pk, h.history_id]) for h in obj.history.all()]
    return urls


def test_no_admin_page_of_a_secret_record_shows_a_secret_field(admin_client, records):
    for obj in records:
        for url in _pages(obj):
            response = admin_client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            leaked = [text for text in SECRETS + ["欧阳秀英"] if text in html]
            assert leaked == [], f"{url} shows {leaked}"


def test_the_history_says_which_secret_field_changed_but_not_its_values(admin_client, records):
    petition, interview, lead = records[0], records[2], records[3]
    html = admin_client.get(reverse("admin:rounds_petition_history", args=[petition.pk])).content.decode()
    assert "信访人姓名:</strong>" in html and MASK in html
    html = admin_client.get(reverse("admin:rounds_interview_history", args=[interview.pk])).content.decode()
    assert "谈话要点:</strong>" in html and MASK in html
    html = admin_client.get(reverse("admin:referrals_lead_history", args=[lead.pk])).content.decode()
    assert "被反映人姓名:</strong>" in html and f"线索{lead.pk}" in html and html.count(MASK) >= 2


def test_lead_changelist_lists_numbers_and_searches_nothing(admin_client, records):
    lead = records[3]
    html = admin_client.get(reverse("admin:referrals_lead_changelist")).content.decode()
    assert f"线索{lead.pk}" in html and "司马建国" not in html and "慕容立新" not in html
    assert 'id="searchbar"' not in html


def test_the_admin_of_secret_records_is_read_only(admin_client, records):
    for obj in records:
        opts = obj._meta
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
        response = admin_client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]), {})
        assert response.status_code == 403
    assert Petition.objects.get(pk=records[0].pk).petitioner_name == "欧阳秀英"


@pytest.mark.parametrize("n", [1, 20])
def test_secret_changelists_run_a_constant_number_of_queries(admin_client, records, django_assert_max_num_queries, n):
    lead, interview = records[3], records[2]
    for _ in range(n):
        LeadFactory(round=lead.round, referral=lead.referral, created_by=lead.created_by)
        Interview.objects.create(round=interview.round, team=interview.team, unit=interview.unit, interviewee_name="某",
                                 held_on=interview.held_on, interviewers="组长", created_by=interview.created_by)
    for url in (reverse("admin:referrals_lead_changelist"), reverse("admin:rounds_interview_changelist"),
                reverse("admin:rounds_petition_changelist"), reverse("admin:referrals_disposition_changelist")):
        with django_assert_max_num_queries(12):
            assert admin_client.get(url).status_code == 200
