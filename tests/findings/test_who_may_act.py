"""Who may make each move, with real users and object scope (the table's roles plus team and ownership)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from findings import services
from findings.models import FindingStatus as S
from inspection.accounts.models import Role
from inspection.core import access
from inspection.core.exceptions import DomainError

from .factories import FindingFactory, TeamUnitFactory, team_user

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
ACTORS = ["author", "teammate", "leader", "other_leader", "office", "leading", "discipline", "liaison"]
# verb, from status -> the actors who may do it (everyone else is refused)
CASES = [
    ("submit", S.DRAFT, {"author", "leader"}),
    ("submit", S.RETURNED, {"author", "leader"}),
    ("withdraw", S.DRAFT, {"author", "leader"}),
    ("leader_approve", S.SUBMITTED, {"leader"}),
    ("return", S.SUBMITTED, {"leader"}),
    ("office_review", S.LEADER_APPROVED, {"office"}),
    ("return", S.LEADER_APPROVED, {"office"}),
    ("withdraw", S.LEADER_APPROVED, {"office"}),
    ("approve", S.OFFICE_REVIEWED, {"leading"}),
    ("return", S.OFFICE_REVIEWED, {"leading"}),
    ("withdraw", S.APPROVED, {"office"}),
]


@pytest.fixture
def people(team_unit, jurisdiction, make_user):
    other = TeamUnitFactory(team__round=team_unit.round)
    return {
        "author": team_user(team_unit.team, Role.TEAM_MEMBER),
        "teammate": team_user(team_unit.team, Role.TEAM_MEMBER),
        "leader": team_user(team_unit.team, Role.TEAM_LEADER),
        "other_leader": team_user(other.team, Role.TEAM_LEADER),
        "office": make_user(Role.OFFICE),
        "leading": make_user(Role.LEADING_GROUP),
        "discipline": make_user(Role.DISCIPLINE),
        "liaison": make_user(Role.UNIT_LIAISON, unit=team_unit.unit),
    }


@pytest.mark.parametrize(("verb", "status", "allowed"), CASES, ids=[f"{v}-from-{s}" for v, s, _ in CASES])
@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_act(people, team_unit, verb, status, allowed, actor):
    finding = FindingFactory(
        team_unit=team_unit, created_by=people["author"], status=status,
        approved_at=NOW if status == S.APPROVED else None,
    )
    call = lambda: services.finding_transition(  # noqa: E731
        finding=finding, actor=people[actor], verb=verb, reason="依据组务会意见处理"
    )
    if actor in allowed:
        assert call().status != status
    else:
        # Whoever may not see the finding (the liaison; a receiver before approval) may not know it exists: 404.
        hidden = not access.can(people[actor], "view", finding)
        with pytest.raises(Http404 if hidden else (PermissionDenied, DomainError)):
            call()
        finding.refresh_from_db()
        assert finding.status == status
