"""The search box: exactly the records in the user's scope, secret kinds only for roles that see them, each
lead shown a logged read, a constant number of queries (issue 16)."""

import pytest

from findings.models import FindingStatus
from inspection.accounts.models import Role
from inspection.audit.models import ReadLog
from referrals.models import Lead, LeadSource
from tests.findings.factories import FindingFactory, TeamUnitFactory, team_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(jurisdiction):
    mine = TeamUnitFactory(team__round__jurisdiction=jurisdiction, unit__name="清河县财政局")
    theirs = TeamUnitFactory(team__round=mine.round, unit__name="清河县教育局")
    member = team_user(mine.team, Role.TEAM_MEMBER, username="member", display_name="李组员")
    own = [FindingFactory(team_unit=mine, title=f"违规发放津补贴问题{i}", created_by=member,
                          status=FindingStatus.SUBMITTED) for i in range(3)]
    other = FindingFactory(team_unit=theirs, title="违规发放津补贴问题（外组）", status=FindingStatus.SUBMITTED)
    lead = Lead.objects.create(
        jurisdiction=jurisdiction, round=mine.round, team=mine.team, unit=mine.unit, source=LeadSource.FINDING,
        finding=own[0], subject_name="王某某", subject_post="局长", summary="反映其违规发放津补贴",
        created_by=member,
    )
    return {"mine": mine, "theirs": theirs, "member": member, "own": own, "other": other, "lead": lead}


def _ids(response, key):
    group = next((g for g in response.context["groups"] if g.key == key), None)
    return None if group is None else {int(h.url.rstrip("/").rsplit("/", 1)[1]) for h in group.hits}


def test_member_finds_exactly_the_own_teams_findings_and_no_lead(client, world):
    client.force_login(world["member"])
    response = client.get("/dashboard/search/", {"q": "津补贴"})
    assert response.status_code == 200
    assert _ids(response, "findings") == {f.pk for f in world["own"]}
    assert world["other"].pk not in _ids(response, "findings")
    assert _ids(response, "leads") is None  # a team member never sees leads (secret)
    assert "问题线索" not in response.content.decode().split('id="search-results"')[1]
    assert not ReadLog.objects.exists()


def test_a_member_of_another_team_does_not_find_the_finding_by_number(client, world):
    outsider = team_user(world["theirs"].team, Role.TEAM_MEMBER, username="outsider", display_name="外组组员")
    client.force_login(outsider)
    response = client.get("/dashboard/search/", {"q": str(world["own"][0].pk)})
    assert world["own"][0].pk not in _ids(response, "findings")
    by_words = client.get("/dashboard/search/", {"q": "津补贴"})
    assert _ids(by_words, "findings") == {world["other"].pk}


def test_office_finds_units_findings_by_number_and_leads_with_a_logged_read(client, office_user, world):
    client.force_login(office_user)
    number = world["own"][1].pk
    response = client.get("/dashboard/search/", {"q": str(number)})
    assert number in _ids(response, "findings")
    units = client.get("/dashboard/search/", {"q": "财政局"})
    assert _ids(units, "units") == {world["mine"].unit.pk}
    leads = client.get("/dashboard/search/", {"q": "王某某"})  # the whole name, through the blind index
    assert _ids(leads, "leads") == {world["lead"].pk}
    html = leads.content.decode()
    assert f"线索{world['lead'].pk}" in html and "王某某</a>" not in html and "王**" in html
    log = ReadLog.objects.get(user=office_user)
    assert (log.object_type, log.object_id, log.action) == ("referrals.lead", str(world["lead"].pk), "list")
    rounds = client.get("/dashboard/search/", {"q": f"第{world['mine'].round.number}轮"})
    assert world["mine"].round.pk in _ids(rounds, "rounds")


def test_administrators_do_not_search_business_records(client, make_user, world):
    client.force_login(make_user(Role.SYSTEM_ADMIN))
    assert client.get("/dashboard/search/", {"q": "津补贴"}).status_code == 403
    assert 'id="nav-search"' not in client.get("/").content.decode()


def test_search_runs_a_constant_number_of_queries(client, office_user, world, django_assert_max_num_queries):
    client.force_login(office_user)
    with django_assert_max_num_queries(30) as few:
        client.get("/dashboard/search/", {"q": "津补贴"})
    for i in range(15):
        FindingFactory(team_unit=world["mine"], title=f"违规发放津补贴问题补{i}", status=FindingStatus.SUBMITTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/dashboard/search/", {"q": "津补贴"})
    group = next(g for g in response.context["groups"] if g.key == "findings")
    assert len(group.hits) == 10 and group.more


def test_empty_and_overlong_queries_are_answered(client, office_user, world):
    client.force_login(office_user)
    assert client.get("/dashboard/search/").status_code == 200
    long = client.get("/dashboard/search/", {"q": "津" * 300})
    assert long.status_code == 200 and "关键词过长" in long.content.decode()
