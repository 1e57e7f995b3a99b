"""The same acts posted from the pages' forms: the page asks the same rules as the API and answers the same
refusals (404 for a record the actor may not know, 403 for one it sees and may not act on); a refusal in the wrong
state is told as a message after the redirect (302, nothing changed) or as the form again (400)."""

import pytest
from django.urls import reverse

from findings.models import FindingStatus
from rectification.models import TaskStatus
from rounds.models import Phase

from . import test_findings as findings
from . import test_rectification as rectification
from . import test_round_phase as round_phase
from .conftest import (
    ADMINS,
    FEEDBACK,
    LATER,
    LIAISONS,
    ONSITE,
    RECEIVERS,
    REMOVED,
    REPORT,
    TEAM_OFF,
    TEAM_ON,
    WITHDRAWN,
    Case,
    check,
    expect,
    params,
)


def finding_move(verb):
    return lambda client, state: client.post(
        reverse("findings:finding_transition", args=[state["finding"].pk]), {"verb": verb, "reason": ""}
    )


def task_close(client, state):
    return client.post(
        reverse("rectification:task_close", args=[state["task"].pk]), {"verification_opinion": "经核查整改到位"}
    )



def lookback_check(client, state):
    return client.post(
        reverse("rectification:lookback_check", args=[state["lookback"].round.pk, state["task"].pk]),
        {"is_fixed": "1", "notes": "现场查看接待台账，整改到位。"},
    )


def phase_move(to_phase):
    return lambda client, state: client.post(
        reverse("rounds:round_change_phase", args=[state["round"].pk]), {"to_phase": to_phase, "reason": ""}
    )


OVERSEERS = ("leading_group", *RECEIVERS)
NOT_CHECKERS = ("leading_group", *RECEIVERS, *LIAISONS, *ADMINS)
CASES = [
    Case("finding", "leader_approve", ONSITE,
         lambda world: findings.finding_in(world, Phase.ONSITE, FindingStatus.SUBMITTED),
         finding_move("leader_approve"), findings.status_of,
         expect({"team_leader"}, c403=("office", "leading_group", "team_member")), page=True),
    Case("finding", "leader_approve", WITHDRAWN,
         lambda world: findings.finding_in(world, Phase.ONSITE, FindingStatus.SUBMITTED, time=WITHDRAWN),
         finding_move("leader_approve"), findings.status_of,
         expect(c403=("office", "leading_group")), page=True),
    Case("task", "close", FEEDBACK, rectification.fed_back(task=TaskStatus.SUBMITTED), task_close,
         rectification.task_status, expect(("office", *TEAM_ON), c403=(*OVERSEERS, "liaison")), page=True),
    Case("task", "close", LATER, rectification.fed_back(time=LATER, task=TaskStatus.SUBMITTED), task_close,
         rectification.task_status, expect({"office"}, c403=(*OVERSEERS, "liaison")), page=True),
    Case("look-back", "record check", ONSITE, rectification.looked_back(Phase.ONSITE), lookback_check,
         rectification.checks_of, expect(("office", *TEAM_ON), c403=NOT_CHECKERS), page=True),
    Case("look-back", "record check", REMOVED, rectification.looked_back(Phase.ONSITE, REMOVED), lookback_check,
         rectification.checks_of, expect({"office"}, c403=NOT_CHECKERS), page=True),
    Case("round phase", "approve_feedback", REPORT, round_phase.in_phase(Phase.REPORT), phase_move(Phase.FEEDBACK),
         round_phase.phase_of,
         expect({"leading_group"}, c400=("office",), c403=(*RECEIVERS, *TEAM_ON, *TEAM_OFF)), page=True),
]


@pytest.mark.parametrize("case", params(CASES))
def test_who_may_act_on_the_pages(world, db, case):
    check(world, case)
