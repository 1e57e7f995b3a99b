"""Secrecy: who sees leads and batches, and who gets 404."""

import pytest
from django.urls import reverse

from inspection.accounts.models import Role
from inspection.audit.models import ReadLog
from referrals import services
from referrals.models import Lead, Referral
from rounds.models import Membership

from .factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_batches(make_lead, refer, discipline_body, organization_body):
    to_discipline = refer(discipline_body, make_lead(subject_name="纪某"))
    to_organization = refer(organization_body, make_lead(subject_name="组某"))
    return to_discipline, to_organization


def test_discipline_user_cannot_see_an_organization_batch(client, discipline_user, two_batches):
    to_discipline, to_organization = two_batches
    client.force_login(discipline_user)
    assert client.get(reverse("referrals:batch_detail", args=[to_discipline.pk])).status_code == 200
    assert client.get(reverse("referrals:batch_detail", args=[to_organization.pk])).status_code == 404
    org_lead = to_organization.leads.get()
    assert client.get(reverse("referrals:lead_detail", args=[org_lead.pk])).status_code == 404
    assert client.get(f"/api/referrals/batches/{to_organization.pk}/").status_code == 404
    assert client.get(f"/api/referrals/leads/{org_lead.pk}/").status_code == 404
    listed = client.get("/api/referrals/batches/").json()["results"]
    assert [row["id"] for row in listed] == [to_discipline.pk]
    page = client.get(reverse("referrals:batch_list")).content.decode()
    assert to_discipline.letter_number in page and to_organization.letter_number not in page
    # Signing another body's batch: 404, not even 403.
    assert client.post(reverse("referrals:batch_sign", args=[to_organization.pk])).status_code == 404
    assert client.post(f"/api/referrals/batches/{to_organization.pk}/sign/").status_code == 404


def test_organization_user_sees_only_its_own(organization_user, two_batches):
    _, to_organization = two_batches
    from inspection.core import access

    assert list(access.visible(organization_user, Referral)) == [to_organization]
    assert [lead.subject_name for lead in access.visible(organization_user, Lead)] == ["组某"]


def test_receiver_does_not_see_a_draft_batch(client, make_lead, refer, discipline_body, discipline_user):
    draft = refer(discipline_body, make_lead(), send=False)
    client.force_login(discipline_user)
    assert client.get(reverse("referrals:batch_detail", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("path", ["lead_detail", "api_lead", "api_disposition_list"])
def test_unit_liaison_gets_404_for_any_lead(client, make_user, make_lead, refer, discipline_body, path,
                                            discipline_user):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user)
    services.lead_dispose(lead=lead, actor=discipline_user, kind="talk")
    liaison = make_user(Role.UNIT_LIAISON, username="liaison")
    client.force_login(liaison)
    if path == "lead_detail":
        assert client.get(reverse("referrals:lead_detail", args=[lead.pk])).status_code == 404
        assert client.post(reverse("referrals:lead_dispose", args=[lead.pk]), {"kind": "talk"}).status_code == 404
    elif path == "api_lead":
        assert client.get(f"/api/referrals/leads/{lead.pk}/").status_code == 404
        assert client.post(f"/api/referrals/leads/{lead.pk}/withdraw/", {"reason": "x"}).status_code == 404
    else:
        assert client.get(f"/api/referrals/dispositions/{lead.disposition.pk}/").status_code == 404
    assert not ReadLog.objects.filter(user=liaison).exists()


def test_unit_liaison_has_no_referral_pages(client, make_user):
    client.force_login(make_user(Role.UNIT_LIAISON, username="liaison"))
    for name in ("lead_list", "batch_list", "workspace", "read_log", "statistics", "referred"):
        assert client.get(reverse(f"referrals:{name}")).status_code == 403, name
    assert client.get("/api/referrals/leads/").status_code == 403


def test_other_jurisdiction_office_gets_404(client, make_user, make_lead, other_jurisdiction):
    lead = make_lead()
    client.force_login(make_user(Role.OFFICE, username="other", jurisdiction=other_jurisdiction))
    assert client.get(reverse("referrals:lead_detail", args=[lead.pk])).status_code == 404


def test_team_sees_that_its_leads_were_referred_and_nothing_more(
    client, make_user, round_, make_lead, refer, discipline_body, discipline_user
):
    member = make_user(Role.TEAM_MEMBER, username="zuyuan")
    team, other_team = TeamFactory(round=round_), TeamFactory(round=round_)
    MembershipFactory(team=team, cadre__user=member, position=Membership.Position.MEMBER)
    referred = make_lead(team=team, subject_name="孙某", summary="违规插手工程招投标")
    pending = make_lead(team=team, subject_name="周某")
    make_lead(team=other_team, subject_name="吴某")
    refer(discipline_body, referred, sign_by=discipline_user)
    services.lead_dispose(lead=referred, actor=discipline_user, kind="case_opened")

    client.force_login(member)
    page = client.get(reverse("referrals:referred")).content.decode()
    # Lists show subject names masked (SM4-encrypted personal data): 孙某 → 孙*.
    assert "孙*" in page and "周*" in page and "吴*" not in page
    assert "已移交" in page and "待移交" in page
    assert "立案" not in page and "违规插手工程招投标" not in page and "已处置" not in page
    assert client.get(reverse("referrals:lead_detail", args=[referred.pk])).status_code == 404
    assert client.get(f"/api/referrals/leads/{pending.pk}/").status_code == 404
    assert ReadLog.objects.filter(user=member, object_id=str(referred.pk)).exists()


@pytest.mark.parametrize("role,expected", [
    (Role.OFFICE, ["问题线索", "移交批次", "查阅日志", "移交统计"]),
    (Role.LEADING_GROUP, ["问题线索", "移交批次", "移交统计"]),
    (Role.DISCIPLINE, ["接收工作台"]),
    (Role.ORGANIZATION, ["接收工作台"]),
    (Role.TEAM_LEADER, ["本组线索"]),
    (Role.UNIT_LIAISON, []),
])
def test_navigation_by_role(make_user, role, expected):
    from inspection.core.navigation import entries_for

    user = make_user(role, username=f"nav-{role}")
    labels = [e["label"] for e in entries_for(user) if e["url_name"].startswith("referrals:")]
    assert labels == expected
