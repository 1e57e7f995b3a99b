"""Scoping: who sees which findings."""

import datetime

import pytest

from findings.models import Finding, FindingStatus
from inspection.accounts.models import Role
from inspection.core import access
from tests.factories import JurisdictionFactory

from .factories import FindingFactory, TeamUnitFactory

APPROVED_AT = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


@pytest.fixture
def findings(team_unit, other_team_unit, member, jurisdiction):
    own_draft = FindingFactory(team_unit=team_unit, created_by=member)
    own_approved = FindingFactory(team_unit=team_unit, status=FindingStatus.APPROVED, approved_at=APPROVED_AT)
    other_team = FindingFactory(team_unit=other_team_unit)
    elsewhere = FindingFactory(team_unit=TeamUnitFactory(team__round__jurisdiction=JurisdictionFactory(name="柳林县")),
                               status=FindingStatus.APPROVED, approved_at=APPROVED_AT)
    return {"own_draft": own_draft, "own_approved": own_approved, "other_team": other_team, "elsewhere": elsewhere}


def visible(user):
    return set(access.visible(user, Finding).values_list("pk", flat=True))


def test_team_sees_only_its_own_teams_findings(findings, member, leader):
    expected = {findings["own_draft"].pk, findings["own_approved"].pk}
    assert visible(member) == expected
    assert visible(leader) == expected


def test_office_and_leading_group_see_their_jurisdiction(findings, office_user, leading_user):
    expected = {findings[k].pk for k in ("own_draft", "own_approved", "other_team")}
    assert visible(office_user) == expected
    assert visible(leading_user) == expected


@pytest.mark.parametrize("role", [Role.DISCIPLINE, Role.ORGANIZATION])
def test_receivers_do_not_read_an_approved_finding_without_a_reason(findings, make_user, role):
    # Need-to-know (referred leads, problem lists) is tested in test_receivers_need_to_know.py.
    user = make_user(role)
    assert visible(user) == set()
    assert not access.can(user, "add", Finding)


def test_unit_liaison_never_sees_a_finding_here(findings, make_user, team_unit):
    liaison = make_user(Role.UNIT_LIAISON, unit=team_unit.unit)
    assert visible(liaison) == set()
    assert not access.can(liaison, "view", findings["own_approved"])


def test_inactive_membership_loses_access(findings, member):
    member.cadre.memberships.update(is_active=False)
    assert visible(member) == set()


@pytest.mark.parametrize(
    ("url", "liaison_status"),
    [("/findings/", 403), ("/api/findings/", 403), ("/findings/categories/", 403)],
)
def test_liaison_pages_are_refused(client, make_user, url, liaison_status, team_unit):
    client.force_login(make_user(Role.UNIT_LIAISON, unit=team_unit.unit))
    assert client.get(url).status_code == liaison_status


def test_other_team_gets_404_on_detail(client, findings, outsider):
    client.force_login(outsider)
    assert client.get(f"/findings/{findings['own_draft'].pk}/").status_code == 404
    assert client.get(f"/api/findings/{findings['own_draft'].pk}/").status_code == 404
