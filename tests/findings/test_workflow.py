"""The transition table: every (from, to) pair allowed or refused, and who may make each move."""

import itertools
from types import SimpleNamespace

import pytest

from findings.models import FindingStatus as S
from findings.workflow import FINDING_WORKFLOW, roles_for_verb
from inspection.accounts.models import Role
from inspection.core.exceptions import InvalidTransition

TEAM = {Role.TEAM_MEMBER, Role.TEAM_LEADER}
# The expected table, written out independently of findings/workflow.py: (from, to) -> roles.
ALLOWED = {
    (S.DRAFT, S.SUBMITTED): TEAM,
    (S.RETURNED, S.SUBMITTED): TEAM,
    (S.SUBMITTED, S.LEADER_APPROVED): {Role.TEAM_LEADER},
    (S.SUBMITTED, S.RETURNED): {Role.TEAM_LEADER},
    (S.LEADER_APPROVED, S.OFFICE_REVIEWED): {Role.OFFICE},
    (S.LEADER_APPROVED, S.RETURNED): {Role.OFFICE},
    (S.OFFICE_REVIEWED, S.APPROVED): {Role.LEADING_GROUP},
    (S.OFFICE_REVIEWED, S.RETURNED): {Role.LEADING_GROUP},
    (S.DRAFT, S.WITHDRAWN): TEAM,
    (S.RETURNED, S.WITHDRAWN): TEAM,
    (S.SUBMITTED, S.WITHDRAWN): {Role.OFFICE},
    (S.LEADER_APPROVED, S.WITHDRAWN): {Role.OFFICE},
    (S.OFFICE_REVIEWED, S.WITHDRAWN): {Role.OFFICE},
    (S.APPROVED, S.WITHDRAWN): {Role.OFFICE},
}
PAIRS = list(itertools.product(S.values, S.values))
CASES = [(source, target, role) for source, target in PAIRS for role in Role.values]


@pytest.mark.parametrize(("source", "target", "role"), CASES)
def test_every_pair_for_every_role(source, target, role):
    allowed_roles = ALLOWED.get((source, target), set())
    if role in allowed_roles:
        assert FINDING_WORKFLOW.check(source, target, role).target == target
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            FINDING_WORKFLOW.check(source, target, role)
        # The refusal is a Chinese message naming the statuses, never a code.
        assert "“" in excinfo.value.message


def test_table_has_exactly_the_expected_moves():
    assert {(t.source, t.target): set(t.roles) for t in FINDING_WORKFLOW.transitions} == ALLOWED


def test_nothing_leaves_withdrawn_and_approved_only_to_withdrawn():
    assert not [t for t in FINDING_WORKFLOW.transitions if t.source == S.WITHDRAWN]
    assert [t.target for t in FINDING_WORKFLOW.transitions if t.source == S.APPROVED] == [S.WITHDRAWN]


def test_returns_and_withdrawals_need_a_reason():
    for t in FINDING_WORKFLOW.transitions:
        assert t.needs_reason == (t.target in (S.RETURNED, S.WITHDRAWN)), t


@pytest.mark.parametrize(
    ("status", "role", "verbs"),
    [
        (S.DRAFT, Role.TEAM_MEMBER, ["submit", "withdraw"]),
        (S.DRAFT, Role.OFFICE, []),
        (S.SUBMITTED, Role.TEAM_MEMBER, []),
        (S.SUBMITTED, Role.TEAM_LEADER, ["leader_approve", "return"]),
        (S.LEADER_APPROVED, Role.OFFICE, ["office_review", "return", "withdraw"]),
        (S.LEADER_APPROVED, Role.LEADING_GROUP, []),
        (S.OFFICE_REVIEWED, Role.LEADING_GROUP, ["approve", "return"]),
        (S.APPROVED, Role.LEADING_GROUP, []),
        (S.APPROVED, Role.OFFICE, ["withdraw"]),
        (S.APPROVED, Role.DISCIPLINE, []),
        (S.APPROVED, Role.UNIT_LIAISON, []),
    ],
)
def test_moves_for_shows_each_role_its_buttons(status, role, verbs):
    user = SimpleNamespace(role=role, is_superuser=False)
    assert [m.verb for m in FINDING_WORKFLOW.moves_for(status, user)] == verbs


def test_policy_roles_come_from_the_table():
    assert roles_for_verb("approve") == {Role.LEADING_GROUP}
    assert roles_for_verb("return") == {Role.TEAM_LEADER, Role.OFFICE, Role.LEADING_GROUP}
    assert Role.UNIT_LIAISON not in set().union(*(roles_for_verb(v) for v in ("submit", "withdraw", "approve")))
