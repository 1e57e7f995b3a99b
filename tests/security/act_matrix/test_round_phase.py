"""Who may move a round through its phases, and when (DOMAIN.md "How a round flows"): the office moves the round
from preparation to on-site work, to the report, and on after the feedback; the leading group hears the report and
approves the move to feedback; a move back needs the office (or, from the report, the leading group) and a reason.
Nobody moves a completed round. The office and the leading group are the phase's actors: a move that is not theirs
from this phase is the wrong state (400); every other role that sees the round is refused (403); whoever does not
see it is told nothing (404)."""

import pytest

from rounds.models import Phase, Round

from .conftest import (
    BEFORE,
    ENDED,
    FEEDBACK,
    IN_RECTIFICATION,
    IN_REFERRAL,
    LIAISONS,
    ONSITE,
    RECEIVERS,
    REPORT,
    Case,
    check,
    expect,
    params,
    scene,
)

LEADERS = ("team_leader", "team_leader_off")
MEMBERS = ("team_member", "team_member_off")


def in_phase(phase):
    return lambda world: {"round": scene(world, phase).round}


def change(to_phase, reason=""):
    return lambda client, state: client.post(
        f"/api/rounds/{state['round'].pk}/change-phase/", {"to_phase": to_phase, "reason": reason}, format="json"
    )


def phase_of(state):
    return Round.objects.filter(pk=state["round"].pk).values_list("phase", flat=True).get()


def seen_by(phase):
    """Who sees a round in `phase` without moving it: the teams in their window, the receivers, and the liaisons
    of its units from the feedback on."""
    seeing = list(RECEIVERS)
    if phase in (Phase.PREPARATION, Phase.ONSITE, Phase.REPORT, Phase.FEEDBACK):
        seeing += LEADERS
    if phase in (Phase.PREPARATION, Phase.ONSITE, Phase.REPORT):
        seeing += MEMBERS
    if phase in (Phase.FEEDBACK, Phase.REFERRAL, Phase.RECTIFICATION, Phase.COMPLETED):
        seeing += LIAISONS
    return tuple(seeing)


def case(verb, phase, to_phase, time, ok, wrong_state, reason=""):
    return Case("round phase", verb, time, in_phase(phase), change(to_phase, reason), phase_of,
                expect(ok, c400=wrong_state, c403=seen_by(phase)))


CASES = [
    case("go_onsite", Phase.PREPARATION, Phase.ONSITE, BEFORE, {"office"}, ("leading_group",)),
    case("to_report", Phase.ONSITE, Phase.REPORT, ONSITE, {"office"}, ("leading_group",)),
    case("back_to_preparation", Phase.ONSITE, Phase.PREPARATION, ONSITE, {"office"}, ("leading_group",),
         "被巡察单位主要负责人调整，推迟进驻"),
    case("approve_feedback", Phase.REPORT, Phase.FEEDBACK, REPORT, {"leading_group"}, ("office",)),
    case("back_to_onsite", Phase.REPORT, Phase.ONSITE, REPORT, {"office", "leading_group"}, (),
         "领导小组听取汇报后要求补充核实"),
    case("to_referral", Phase.FEEDBACK, Phase.REFERRAL, FEEDBACK, {"office"}, ("leading_group",)),
    case("to_rectification", Phase.REFERRAL, Phase.RECTIFICATION, IN_REFERRAL, {"office"},
         ("leading_group",)),
    case("complete", Phase.RECTIFICATION, Phase.COMPLETED, IN_RECTIFICATION, {"office"}, ("leading_group",)),
    case("back_to_rectification", Phase.COMPLETED, Phase.RECTIFICATION, ENDED, (), ("office", "leading_group"),
         "补录整改情况"),
]


@pytest.mark.parametrize("case", params(CASES))
def test_who_may_move_a_round(world, db, case):
    check(world, case)
