"""The world of the who-may-act matrix, and the harness that makes every actor try one action.

One world per module (the office's county, its two units, a user of every role, the two receiving bodies), built
once inside a transaction that is rolled back at the end of the module. Each case builds its own state on top of
it inside the test's own transaction (rolled back after the test), so no case sees another's rows and the order of
the cases does not matter. Within a case every actor acts in a savepoint that is rolled back afterwards: each one
meets exactly the same state.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.accounts.models import ReceivingBody, Role
from rounds.models import Membership, RoundKind, TeamUnit
from tests.factories import CadreFactory, JurisdictionFactory, ReceivingBodyFactory, UnitFactory, UserFactory
from tests.rounds.factories import PlanFactory, RoundFactory, TeamFactory

# Every actor of the matrix. "team_*" sit on the team that has the unit; "team_*_off" on another team of the same
# round (another unit): in their window, but not on this team. "liaison" is the unit's liaison, "liaison_other" the
# liaison of the other unit.
ACTORS = (
    "office", "leading_group", "team_leader", "team_member", "team_leader_off", "team_member_off",
    "discipline", "organization", "liaison", "liaison_other", "system_admin", "security_admin", "audit_admin",
)
TEAM_ON = ("team_leader", "team_member")
TEAM_OFF = ("team_leader_off", "team_member_off")
ADMINS = ("system_admin", "security_admin", "audit_admin")
RECEIVERS = ("discipline", "organization")
LIAISONS = ("liaison", "liaison_other")

ROLE_OF = {
    "office": Role.OFFICE, "leading_group": Role.LEADING_GROUP,
    "team_leader": Role.TEAM_LEADER, "team_member": Role.TEAM_MEMBER,
    "team_leader_off": Role.TEAM_LEADER, "team_member_off": Role.TEAM_MEMBER,
    "discipline": Role.DISCIPLINE, "organization": Role.ORGANIZATION,
    "liaison": Role.UNIT_LIAISON, "liaison_other": Role.UNIT_LIAISON,
    "system_admin": Role.SYSTEM_ADMIN, "security_admin": Role.SECURITY_ADMIN, "audit_admin": Role.AUDIT_ADMIN,
}

# The times of the matrix, as test ids read them.
BEFORE = "before the round"
ONSITE = "on site"
REPORT = "in the report phase"
FEEDBACK = "after feedback"
BEFORE_MEETING = "before the feedback meeting"
IN_REFERRAL = "after feedback, in referral"
IN_RECTIFICATION = "after feedback, in rectification"
ENDED = "after the round ended"
LATER = "after a later round of the same unit"
REMOVED = "after removal from the team"
WITHDRAWN = "after a withdrawn assignment"
MOVED = "after the unit moved to another team"

SUCCESS = (200, 201)


@dataclass
class World:
    jurisdiction: object
    unit: object
    other_unit: object
    users: dict
    cadres: dict
    bodies: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            jurisdiction = JurisdictionFactory(name="清河县")
            unit = UnitFactory(jurisdiction=jurisdiction, name="县住房和城乡建设局")
            other_unit = UnitFactory(jurisdiction=jurisdiction, name="县农业农村局")
            bodies = {
                kind: ReceivingBodyFactory(jurisdiction=jurisdiction, kind=kind)
                for kind in (ReceivingBody.Kind.DISCIPLINE, ReceivingBody.Kind.ORGANIZATION)
            }
            users, cadres = {}, {}
            for name in ACTORS:
                role = ROLE_OF[name]
                fields = {"username": f"act_{name}", "display_name": f"测试{name}", "role": role,
                          "jurisdiction": jurisdiction}
                if name == "liaison":
                    fields["unit"] = unit
                if name == "liaison_other":
                    fields["unit"] = other_unit
                if role in (Role.DISCIPLINE, Role.ORGANIZATION):
                    fields["receiving_body"] = bodies[ReceivingBody.Kind(role)]
                users[name] = UserFactory(**fields)
                if name.startswith("team_"):
                    cadres[name] = CadreFactory(jurisdiction=jurisdiction, user=users[name], name=f"干部{name}")
            yield World(jurisdiction, unit, other_unit, users, cadres, bodies)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@dataclass
class Scene:
    """A round with the unit's team (team_leader, team_member) and another team with the other unit
    (team_leader_off, team_member_off)."""

    round: object
    team: object
    team_unit: object
    off_team: object
    off_team_unit: object
    places: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def scene(world, phase, *, kind=RoundKind.REGULAR, actors=True, start=datetime.date(2026, 3, 1)) -> Scene:
    """A round of the office in `phase`; with `actors`, the four team actors on its two teams."""
    round = RoundFactory(
        plan=PlanFactory(jurisdiction=world.jurisdiction), phase=phase, kind=kind,
        start_date=start, end_date=start + datetime.timedelta(days=45),
    )
    team = TeamFactory(round=round, name=f"第{round.number}轮第一巡察组")
    off_team = TeamFactory(round=round, name=f"第{round.number}轮第二巡察组")
    team_unit = TeamUnit.objects.create(team=team, round=round, unit=world.unit)
    off_team_unit = TeamUnit.objects.create(team=off_team, round=round, unit=world.other_unit)
    made = Scene(round, team, team_unit, off_team, off_team_unit)
    if actors:
        for name, on, position in (
            ("team_leader", team, Membership.Position.LEADER), ("team_member", team, Membership.Position.MEMBER),
            ("team_leader_off", off_team, Membership.Position.LEADER),
            ("team_member_off", off_team, Membership.Position.MEMBER),
        ):
            made.places.append(place(world, name, on, position))
    else:
        for on in (team, off_team):
            Membership.objects.create(
                team=on, cadre=CadreFactory(jurisdiction=world.jurisdiction), position=Membership.Position.LEADER,
                start_date=round.start_date, end_date=round.end_date,
            )
    return made


def place(world, name, team, position=Membership.Position.MEMBER):
    return Membership.objects.create(
        team=team, cadre=world.cadres[name], position=position,
        start_date=team.round.start_date, end_date=team.round.end_date,
    )


def remove_team_actors(made: Scene):
    """The office took the unit's team actors off the team (e.g. after a recusal application)."""
    Membership.objects.filter(pk__in=[p.pk for p in made.places if p.team_id == made.team.pk]).update(is_active=False)


def withdraw_assignment(world, made: Scene, *, to_off_team=False):
    """The unit's assignment to the team is withdrawn (调整出组): the team keeps its places, not the unit; with
    `to_off_team` the unit moves to the round's other team (the off-team actors then have it)."""
    TeamUnit.all_objects.filter(pk=made.team_unit.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=world.users["office"], withdrawal_reason="组员申请回避，单位调整出组"
    )
    if to_off_team:
        TeamUnit.objects.create(team=made.off_team, round=made.round, unit=world.unit, moved_from=made.team_unit)


def expect(ok=(), *, default=404, **codes):
    """The expected answer of every actor: 200/201 for `ok` (any success code), else the code named for it
    (codes given as c400=[...], c403=[...]), else `default`."""
    answer = dict.fromkeys(ACTORS, default)
    for name, actors in codes.items():
        for actor in actors:
            answer[actor] = int(name[1:])
    for actor in ok:
        answer[actor] = "ok"
    return answer


@dataclass(frozen=True)
class Case:
    """One verb at one time: `build(world)` makes the state, `act(client, state)` makes the request,
    `stored(state)` reads what the action changes, `expected` is every actor's answer ("ok" or a code).
    `page`: the action is a page's form post (a logged-in session; success is the redirect after the change)."""

    workflow: str
    verb: str
    time: str
    build: object
    act: object
    stored: object
    expected: dict
    page: bool = False

    @property
    def id(self):
        return f"{self.workflow}{' (page)' if self.page else ''}: {self.verb} @ {self.time}"


def params(cases):
    return [pytest.param(case, id=case.id) for case in cases]


def _client(user, page):
    if page:
        client = Client()
        client.force_login(user)
        return client
    client = APIClient()
    client.force_authenticate(user)
    return client


def run(world, case: Case):
    """Every actor performs the action on the same state; returns {actor: "ok" | status code}. A refused action
    must leave the stored state as it was; a successful one must have changed it."""
    state = case.build(world)
    before = case.stored(state)
    answers = {}
    for actor in ACTORS:
        savepoint = transaction.savepoint()
        try:
            response = case.act(_client(world.users[actor], case.page), state)
            after = case.stored(state)
        finally:
            transaction.savepoint_rollback(savepoint)
        code = response.status_code
        assert code < 500, f"{case.id}: {actor}: {code}"
        if case.page:
            # A page tells a refusal in the wrong state as a message after a redirect (or the form again): success
            # is what changed, and it always redirects.
            if after != before:
                assert code == 302, f"{case.id}: {actor} changed the state but was answered {code}"
            answers[actor] = "ok" if after != before else code
        elif code in SUCCESS:
            assert after != before, f"{case.id}: {actor} was answered {code} but nothing changed"
            answers[actor] = "ok"
        else:
            assert after == before, f"{case.id}: {actor} was refused ({code}) but the state changed"
            answers[actor] = code
    return answers


def check(world, case: Case):
    answers = run(world, case)
    allowed = {actor for actor, answer in answers.items() if answer == "ok"}
    assert allowed == {actor for actor, answer in case.expected.items() if answer == "ok"}, answers
    assert answers == case.expected
