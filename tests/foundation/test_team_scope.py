"""The foundation's team scope without `rounds`: the window is kept as given, and with no provider it reaches
nothing (a lower layer never guesses a team's rights)."""

import pytest

from inspection.accounts.models import Role
from inspection.core import team_scope as module
from inspection.core.team_scope import team_scope
from inspection.units.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_the_window_is_in_the_signature(make_user):
    user = make_user(Role.TEAM_MEMBER)
    scope = team_scope(user, phases=["onsite", "report"], rounds=[3], positions={"leader"})
    assert (scope.user, scope.phases, scope.rounds, scope.positions) == (user, ("onsite", "report"), [3], ("leader",))
    assert team_scope(user).phases is None  # the provider's default: the round's own work for the role
    with pytest.raises(TypeError):
        team_scope(user, ["onsite"])  # keyword-only: a window is always named


def test_without_a_provider_nothing_is_reached(make_user, jurisdiction, monkeypatch):
    monkeypatch.setattr(module, "_provider", None)
    UnitFactory(jurisdiction=jurisdiction)
    scope = team_scope(make_user(Role.TEAM_MEMBER))
    assert (list(scope.team_ids()), list(scope.round_ids()), list(scope.unit_ids()), list(scope.cadre_ids())) == (
        [], [], [], []
    )
    assert not Unit.objects.filter(scope.covers(round="pk", unit="pk")).exists()
    assert not Unit.objects.filter(scope.revisits(round="pk", unit="pk")).exists()
