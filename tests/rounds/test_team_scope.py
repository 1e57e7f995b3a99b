"""The one team scope (`inspection.core.team_scope`, provided by rounds): what a team role reaches, and when.

Exact id sets for each window, before and during the round, after it, after a removal from the team and after a
withdrawn assignment (issue 13 item 1)."""

import pytest

from inspection.accounts.models import Role
from inspection.core.team_scope import team_scope
from rounds import services
from rounds.models import InfoRequest, Membership, Phase, RoundKind
from rounds.workflow import (
    FOLLOW_UP_PHASES,
    LEAD_PHASES,
    LEAD_POSITIONS,
    LEADER_PHASES,
    MEMBER_PHASES,
    duty_phases,
)

from .conftest import REASON
from .factories import RoundFactory, TeamUnitFactory

pytestmark = pytest.mark.django_db


def reach(scope):
    return {
        "teams": set(scope.team_ids()), "rounds": set(scope.round_ids()), "units": set(scope.unit_ids()),
        "cadres": set(scope.cadre_ids()),
    }


NOTHING = {"teams": set(), "rounds": set(), "units": set(), "cadres": set()}


def set_phase(round, phase):
    round.phase = phase
    round.save(update_fields=["phase"])


def test_the_windows_are_written_once():
    assert duty_phases(Role.TEAM_MEMBER) == MEMBER_PHASES == (Phase.PREPARATION, Phase.ONSITE, Phase.REPORT)
    assert duty_phases(Role.TEAM_LEADER) == LEADER_PHASES == MEMBER_PHASES + (Phase.FEEDBACK,)
    assert Phase.COMPLETED not in FOLLOW_UP_PHASES and set(FOLLOW_UP_PHASES) | {Phase.COMPLETED} == set(Phase.values)
    assert LEAD_PHASES == LEADER_PHASES
    assert LEAD_POSITIONS == (Membership.Position.LEADER, Membership.Position.DEPUTY)


def test_a_member_reaches_the_round_while_the_team_works(prep):
    member, round_ = prep["users"]["member"], prep["round"]
    during = {
        "teams": {prep["first"].pk}, "rounds": {round_.pk}, "units": {prep["finance"].pk, prep["education"].pk},
        "cadres": set(Membership.objects.filter(team=prep["first"]).values_list("cadre_id", flat=True)),
    }
    for phase in (Phase.PREPARATION, Phase.ONSITE, Phase.REPORT):
        set_phase(round_, phase)
        assert reach(team_scope(member)) == during, phase
    for phase in (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED):
        set_phase(round_, phase)
        assert reach(team_scope(member)) == NOTHING, phase
    # Following up the round's results lasts until the round is completed.
    set_phase(round_, Phase.RECTIFICATION)
    assert reach(team_scope(member, phases=FOLLOW_UP_PHASES)) == during
    set_phase(round_, Phase.COMPLETED)
    assert reach(team_scope(member, phases=FOLLOW_UP_PHASES)) == NOTHING


def test_a_leader_reaches_the_round_until_the_feedback(prep):
    leader, round_ = prep["users"]["leader"], prep["round"]
    set_phase(round_, Phase.FEEDBACK)
    assert set(team_scope(leader).team_ids()) == {prep["first"].pk}
    set_phase(round_, Phase.REFERRAL)
    assert set(team_scope(leader).team_ids()) == set()


def test_nothing_before_joining_and_nothing_after_removal(prep, make_user, office_user):
    assert reach(team_scope(make_user(Role.TEAM_MEMBER))) == NOTHING
    member = prep["users"]["member"]
    services.membership_remove(membership=prep["member"], actor=office_user, reason=REASON)
    for phases in (None, FOLLOW_UP_PHASES, LEAD_PHASES):
        assert reach(team_scope(member, phases=phases)) == NOTHING
    # Nor does the removed cadre count as a colleague of those still on the team.
    assert prep["member"].cadre_id not in set(team_scope(prep["users"]["leader"]).cadre_ids())


def test_a_withdrawn_assignment_reaches_nothing(prep, office_user):
    member = prep["users"]["member"]
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"])
    assert set(team_scope(member).unit_ids()) == {prep["education"].pk}
    assert set(team_scope(prep["users"]["second_member"]).unit_ids()) == {prep["audit"].pk, prep["finance"].pk}


def test_rounds_and_positions_narrow_the_window(prep, jurisdiction):
    leader, member = prep["users"]["leader"], prep["users"]["member"]
    other_round = RoundFactory(plan=prep["round"].plan, number=99)
    leader_place = Membership.objects.get(team=prep["first"], cadre__user=leader)
    other = TeamUnitFactory(team__round=other_round)
    Membership.objects.create(team=other.team, cadre=leader_place.cadre, position=Membership.Position.MEMBER,
                              start_date=other_round.start_date, end_date=other_round.end_date)
    assert set(team_scope(leader).team_ids()) == {prep["first"].pk, other.team_id}
    assert set(team_scope(leader, rounds=[prep["round"]]).team_ids()) == {prep["first"].pk}
    assert set(team_scope(leader, positions=LEAD_POSITIONS).team_ids()) == {prep["first"].pk}
    assert set(team_scope(leader, rounds=[other_round], positions=LEAD_POSITIONS).team_ids()) == set()
    assert set(team_scope(member, positions=LEAD_POSITIONS).team_ids()) == set()


def test_covers_and_revisits_match_the_round_and_the_unit_together(prep, office_user):
    """The scope is a set of assignments, not units times rounds: a team of round A with unit X and of round B with
    unit Y covers neither (A, Y) nor (B, X). Rows naming a round and a unit here: info requests."""
    member = prep["users"]["member"]
    original = RoundFactory(plan=prep["round"].plan, number=98, phase=Phase.COMPLETED)
    later = RoundFactory(plan=prep["round"].plan, number=97)
    Membership.objects.create(team=TeamUnitFactory(team__round=later, unit=prep["audit"]).team, cadre=prep["member"].cadre,
                              position=Membership.Position.MEMBER, start_date=later.start_date, end_date=later.end_date)

    def info(round_, unit):
        return InfoRequest.objects.create(round=round_, unit=unit, recipient=InfoRequest.Recipient.AUDIT,
                                          sent_on="2026-02-01", due_date="2026-02-10", created_by=office_user)

    own, own_later = info(prep["round"], prep["finance"]), info(later, prep["audit"])
    crossed = [info(prep["round"], prep["audit"]), info(later, prep["finance"])]
    revisited, elsewhere = info(original, prep["education"]), info(original, prep["audit"])
    scope = team_scope(member, phases=FOLLOW_UP_PHASES)
    where = {"round": "round_id", "unit": "unit_id"}

    def matched(condition):
        return set(InfoRequest.objects.filter(condition).values_list("pk", flat=True))

    assert matched(scope.covers(**where)) == {own.pk, own_later.pk}
    assert not matched(scope.covers(**where)) & {c.pk for c in crossed}
    assert matched(scope.revisits(**where)) == set()
    prep["round"].kind = RoundKind.LOOKBACK
    prep["round"].save(update_fields=["kind"])
    prep["round"].lookback_of.add(original)
    assert matched(scope.revisits(**where)) == {revisited.pk}
    assert elsewhere.pk not in matched(scope.covers(**where) | scope.revisits(**where))
