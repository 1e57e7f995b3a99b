"""The one team scope: what a team leader or member reaches through their places on teams, and when.

`team_scope(user, phases=..., rounds=..., positions=...)` is a window over the user's places (memberships):
a place counts when it is active (the cadre was not taken off the team), its team's round is in one of `phases`,
and, when given, the round is one of `rounds` and the position one of `positions`. Through the places that count
the user reaches their teams, those teams' rounds, the teammates on active places, and the units assigned to those
teams in force (a withdrawn assignment reaches nothing). Pages, the API, services and exports ask here, for
seeing and for acting alike: there is no other team scope.

Teams and phases belong to `rounds`, above the foundation: it registers the provider in its AppConfig.ready() and
names the windows (`rounds/workflow.py`). Without a provider every scope is empty.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Q


class Provider(Protocol):
    """What `rounds` implements. Each answer is a lazy subquery, so a scoped query stays one SQL statement."""

    def team_ids(self, scope: "TeamScope") -> Any: ...

    def round_ids(self, scope: "TeamScope") -> Any: ...

    def unit_ids(self, scope: "TeamScope") -> Any: ...

    def cadre_ids(self, scope: "TeamScope") -> Any: ...

    def covers(self, scope: "TeamScope", *, round: str, unit: str) -> Q: ...

    def revisits(self, scope: "TeamScope", *, round: str, unit: str) -> Q: ...


_provider: Provider | None = None


def register(provider: Provider) -> None:
    global _provider
    _provider = provider


NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class TeamScope:
    user: Any
    # Round phases in which a place counts; None: the round's own work, whose end depends on the role
    # (the provider's default, `rounds.workflow.duty_phases`).
    phases: tuple[str, ...] | None = None
    # Only places on teams of these rounds (ids, objects or a queryset); None: any round.
    rounds: Any = None
    # Only places in these positions (组长, 副组长, 组员); None: any.
    positions: tuple[str, ...] | None = None

    def team_ids(self):
        """Ids of the teams of the places that count."""
        return _provider.team_ids(self) if _provider else []

    def round_ids(self):
        """Ids of those teams' rounds."""
        return _provider.round_ids(self) if _provider else []

    def unit_ids(self):
        """Ids of the units assigned in force to those teams."""
        return _provider.unit_ids(self) if _provider else []

    def cadre_ids(self):
        """Ids of the cadres on active places of those teams (the user's own cadre included)."""
        return _provider.cadre_ids(self) if _provider else []

    def covers(self, *, round: str, unit: str) -> Q:
        """A filter on rows that name a round and a unit (paths from the row, e.g. "plan__feedback__round_id"):
        one of the teams inspects that unit in that round, by an assignment in force."""
        return _provider.covers(self, round=round, unit=unit) if _provider else NOTHING

    def revisits(self, *, round: str, unit: str) -> Q:
        """A filter on rows that name a round and a unit: one of the teams is a look-back team of that round and
        has that unit, by an assignment in force."""
        return _provider.revisits(self, round=round, unit=unit) if _provider else NOTHING


def team_scope(
    user, *, phases: Iterable[str] | None = None, rounds=None, positions: Iterable[str] | None = None
) -> TeamScope:
    """The user's team scope in a window: which phases, which rounds, which positions. Active places and
    assignments in force only, always."""
    return TeamScope(
        user=user,
        phases=tuple(phases) if phases is not None else None,
        rounds=rounds,
        positions=tuple(positions) if positions is not None else None,
    )
