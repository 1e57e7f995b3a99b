"""The phase table: every pair of phases, allowed or refused, and the role allowed to make each move."""

import itertools

import pytest

from inspection.accounts.models import Role
from inspection.core.exceptions import InvalidTransition
from rounds.models import Phase
from rounds.workflow import PHASE_TABLE

ALLOWED = {
    (Phase.PREPARATION, Phase.ONSITE): {Role.OFFICE},
    (Phase.ONSITE, Phase.REPORT): {Role.OFFICE},
    (Phase.REPORT, Phase.FEEDBACK): {Role.LEADING_GROUP},
    (Phase.FEEDBACK, Phase.REFERRAL): {Role.OFFICE},
    (Phase.REFERRAL, Phase.RECTIFICATION): {Role.OFFICE},
    (Phase.RECTIFICATION, Phase.COMPLETED): {Role.OFFICE},
    (Phase.ONSITE, Phase.PREPARATION): {Role.OFFICE},
    (Phase.REPORT, Phase.ONSITE): {Role.OFFICE, Role.LEADING_GROUP},
}
PAIRS = [(a, b) for a, b in itertools.product(Phase.values, Phase.values) if a != b]


@pytest.mark.parametrize("source,target", PAIRS)
@pytest.mark.parametrize("role", Role.values)
def test_every_pair_and_role(source, target, role):
    allowed_roles = ALLOWED.get((source, target))
    if allowed_roles is not None and role in allowed_roles:
        transition = PHASE_TABLE.check(source, target, role)
        assert transition.target == target
        return
    with pytest.raises(InvalidTransition) as info:
        PHASE_TABLE.check(source, target, role)
    message = info.value.message
    if allowed_roles is None:
        assert message.startswith("不能从")
    else:
        assert "您的角色无权" in message
    assert Phase(source).label in message and Phase(target).label in message


def test_table_holds_exactly_the_expected_moves():
    assert {(t.source, t.target): set(t.roles) for t in PHASE_TABLE.transitions} == ALLOWED


def test_backward_moves_need_a_reason():
    assert {(t.source, t.target) for t in PHASE_TABLE.transitions if t.needs_reason} == {
        (Phase.ONSITE, Phase.PREPARATION),
        (Phase.REPORT, Phase.ONSITE),
    }
