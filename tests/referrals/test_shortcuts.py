"""Where a lead starts (issue 16): "移交线索" on a finding and "转为线索" on a petition open the lead form filled in
from the record, through the referrals view and service; the petition's conclusion travels with the lead."""

import pytest

from inspection.accounts.models import Role
from referrals.models import Lead, LeadSource
from rounds.models import Petition

from .factories import FindingFactory, PetitionFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(round_):
    return FindingFactory(team=TeamFactory(round=round_), title="违规发放津补贴问题",
                          facts="2025年违规发放津补贴12万元")


def test_office_refers_a_lead_from_the_finding_page(client, office_user, finding):
    client.force_login(office_user)
    page = client.get(f"/findings/{finding.pk}/").content.decode()
    assert 'id="refer-finding"' in page and "移交线索" in page
    url = f"/referrals/leads/new/?source=finding&amp;round={finding.round_id}&amp;finding={finding.pk}"
    assert url in page
    form = client.get(url.replace("&amp;", "&"))
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["source"] == LeadSource.FINDING and initial["finding"] == finding.pk
    assert initial["summary"].startswith("违规发放津补贴问题。2025年违规发放津补贴12万元")
    assert initial["subject_unit"] == finding.unit.name
    response = client.post("/referrals/leads/new/", {
        "round": finding.round_id, "source": "finding", "finding": finding.pk, "subject_name": "王某某",
        "subject_post": "局长", "subject_unit": initial["subject_unit"], "summary": initial["summary"],
    })
    lead = Lead.objects.get()
    assert response.status_code == 302 and response.url == f"/referrals/leads/{lead.pk}/"
    assert (lead.finding_id, lead.unit_id, lead.source) == (finding.pk, finding.unit_id, LeadSource.FINDING)


def test_no_shortcut_for_a_member_nor_for_a_draft(client, make_user, finding):
    member = make_user(Role.TEAM_MEMBER)
    client.force_login(member)
    response = client.get(f"/findings/{finding.pk}/")
    assert 'id="refer-finding"' not in response.content.decode()


def test_office_turns_a_petition_into_a_lead_with_its_conclusion(client, office_user, round_):
    petition = PetitionFactory(team=TeamFactory(round=round_), conclusion=Petition.Conclusion.UNTRUE,
                               conclusion_text="经核查，反映问题不属实")
    client.force_login(office_user)
    page = client.get(f"/rounds/petitions/{petition.pk}/").content.decode()
    assert 'id="petition-to-lead"' in page and "转为线索" in page
    form = client.get(f"/referrals/leads/new/?source=petition&round={round_.pk}&petition={petition.pk}")
    assert form.context["form"].initial["petition"] == str(petition.pk)
    client.post("/referrals/leads/new/", {"round": round_.pk, "source": "petition", "petition": petition.pk})
    lead = Lead.objects.get()
    assert lead.petition_id == petition.pk and lead.subject_name == "王某某"
    assert (lead.petition_conclusion, lead.petition_conclusion_text) == ("untrue", "经核查，反映问题不属实")
