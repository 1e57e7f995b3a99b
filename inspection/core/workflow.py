"""A transition table for a status field: one literal table per state machine, shared checks.

Each app's `workflow.py` declares its table with `TransitionTable([...])`; services call `check()`,
pages and serializers call `moves_for()` so that templates never repeat the rules.
"""

from dataclasses import dataclass

from .exceptions import InvalidTransition


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset
    verb: str  # a short code for the action, e.g. "submit"
    label: str  # the Chinese button label, e.g. "提交审核"
    needs_reason: bool = False


def move(source, target, roles, verb, label, needs_reason=False) -> Transition:
    return Transition(source, target, frozenset(roles), verb, label, needs_reason)


class TransitionTable:
    def __init__(self, transitions, *, labels):
        self.transitions = tuple(transitions)
        self.labels = dict(labels)  # status value -> Chinese label, for messages
        self._by_pair = {(t.source, t.target): t for t in self.transitions}

    def get(self, source, target) -> Transition | None:
        return self._by_pair.get((source, target))

    def by_verb(self, source, verb) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.verb == verb), None)

    def check(self, source, target, role, *, is_superuser=False) -> Transition:
        transition = self.get(source, target)
        if transition is None:
            raise InvalidTransition(
                f"不能从“{self.labels.get(source, source)}”变更为“{self.labels.get(target, target)}”"
            )
        if not is_superuser and role not in transition.roles:
            raise InvalidTransition(
                f"您的角色无权将状态从“{self.labels.get(source, source)}”变更为“{self.labels.get(target, target)}”"
            )
        return transition

    def moves_for(self, source, user) -> list[Transition]:
        if user.is_superuser:
            return [t for t in self.transitions if t.source == source]
        return [t for t in self.transitions if t.source == source and user.role in t.roles]
