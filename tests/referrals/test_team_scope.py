"""Issue 13 item 1: a team leader makes leads from its own team's findings and petitions during the leader's window
of the round (`rounds.workflow.LEAD_PHASES`: until the feedback), and sees which of its leads were referred until
the round is completed. After that, an old petition is no source and its subject no longer shows."""

import pytest
from django.urls import reverse

from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError
from referrals import selectors, services
from referrals.models import Lead, LeadSource
from rounds import services as round_services
from rounds.models import Membership, Phase, TeamUnit

from .factories import FindingFactory, MembershipFactory, PetitionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db


def set_phase(round, phase):
    round.phase = phase
    round.save(update_fields=["phase"])


@pytest.fixture
def rounds(jurisdiction, make_user, office_user):
    """The same cadre led a team in an earlier round and leads one in the current round (on site); each team
    received a petition and has an approved finding."""
    leader = make_user(Role.TEAM_LEADER, username="zuzhang")
    earlier = RoundFactory(plan__jurisdiction=jurisdiction, phase=Phase.ONSITE)
    current = RoundFactory(plan=earlier.plan, phase=Phase.ONSITE)
    old_team, team = TeamFactory(round=earlier), TeamFactory(round=current)
    old_place = MembershipFactory(team=old_team, cadre__user=leader, position=Membership.Position.LEADER)
    MembershipFactory(team=team, cadre=old_place.cadre, position=Membership.Position.LEADER)
    return {
        "leader": leader, "earlier": earlier, "current": current, "old_team": old_team, "team": team,
        "old_petition": PetitionFactory(team=old_team, subject_person="王某某", created_by=office_user),
        "petition": PetitionFactory(team=team, subject_person="李某某", created_by=office_user),
        "old_finding": assigned(FindingFactory(team=old_team, created_by=office_user)),
        "finding": assigned(FindingFactory(team=team, created_by=office_user)),
    }


def assigned(finding):
    """A team's finding is about a unit assigned to it (a withdrawn assignment ends the team's right to it)."""
    TeamUnit.objects.create(team=finding.team, round=finding.round, unit=finding.unit)
    return finding


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def form_post(client, round_, petition):
    return client.post(reverse("referrals:lead_create"), {"round": round_.pk, "source": "petition",
                                                          "petition": petition.pk})


def api_post(client, round_, petition):
    return client.post("/api/referrals/leads/", {"round": round_.pk, "source": "petition", "petition": petition.pk},
                       content_type="application/json")


def test_during_the_round_the_leader_makes_leads_from_both_teams_sources(rounds):
    leader = rounds["leader"]
    assert ids(selectors.lead_source_rounds(leader)) == {rounds["earlier"].pk, rounds["current"].pk}
    assert ids(selectors.lead_source_petitions(leader)) == {rounds["old_petition"].pk, rounds["petition"].pk}
    assert ids(selectors.lead_source_findings(leader)) == {rounds["old_finding"].pk, rounds["finding"].pk}
    lead = services.lead_create(actor=leader, round=rounds["earlier"], source=LeadSource.PETITION,
                                petition=rounds["old_petition"])
    assert (lead.team, lead.subject_name) == (rounds["old_team"], "王某某")


@pytest.mark.parametrize("phase", [Phase.REFERRAL, Phase.COMPLETED])
def test_after_the_leaders_window_an_old_petition_is_no_source(client, rounds, phase):
    leader, earlier, old_petition = rounds["leader"], rounds["earlier"], rounds["old_petition"]
    set_phase(earlier, phase)
    assert ids(selectors.lead_source_rounds(leader)) == {rounds["current"].pk}
    assert ids(selectors.lead_source_petitions(leader)) == {rounds["petition"].pk}
    assert ids(selectors.lead_source_findings(leader)) == {rounds["finding"].pk}

    client.force_login(leader)
    page = form_post(client, earlier, old_petition)
    assert page.status_code == 400
    assert "您不能在该轮次登记线索" in page.content.decode() and "来源信访件不存在或不可用" in page.content.decode()
    response = api_post(client, earlier, old_petition)
    assert response.status_code == 400 and response.json() == {"petition": ["来源信访件不存在或不可用"]}
    label = Phase(phase).label
    with pytest.raises(DomainError, match=f"本轮已进入“{label}”阶段，巡察组只能在“反馈”阶段结束前登记") as refused:
        services.lead_create(actor=leader, round=earlier, source=LeadSource.PETITION, petition=old_petition)
    assert refused.value.field == "round"
    assert not Lead.objects.exists()
    # The current round is still the leader's to work in.
    assert api_post(client, rounds["current"], rounds["petition"]).status_code == 201


def test_the_referred_page_shows_the_teams_leads_until_the_round_is_completed(client, rounds, office_user):
    services.lead_create(actor=office_user, round=rounds["earlier"], source=LeadSource.PETITION,
                         petition=rounds["old_petition"])
    client.force_login(rounds["leader"])
    url = reverse("referrals:referred")
    set_phase(rounds["earlier"], Phase.REFERRAL)  # past making leads, still following them up
    assert "王**" in client.get(url).content.decode()  # the list masks the subject's name
    set_phase(rounds["earlier"], Phase.COMPLETED)
    page = client.get(url)
    assert page.status_code == 200 and "王**" not in page.content.decode()
    assert [row["id"] for row in selectors.team_referred_leads(rounds["leader"])] == []


def test_a_leader_taken_off_the_team_makes_no_lead(client, rounds, office_user):
    place = Membership.objects.get(team=rounds["team"])
    round_services.membership_remove(membership=place, actor=office_user, reason="本人申请回避")
    client.force_login(rounds["leader"])
    assert api_post(client, rounds["current"], rounds["petition"]).json() == {"petition": ["来源信访件不存在或不可用"]}
    with pytest.raises(DomainError, match="您不是该轮次巡察组的组长或副组长"):
        services.lead_create(actor=rounds["leader"], round=rounds["current"], source=LeadSource.OTHER,
                             subject_name="甲某", summary="反映其违规经商")
