"""Who may act on a finding, and when (DOMAIN.md): the team member drafts findings for its own team's units during
its round (on site and in the report); the leader reviews the team's drafts until the feedback; the office reviews,
withdraws and amends; the leading group approves. Nobody else acts on a finding, ever; the team's right ends when
the member leaves the team, the unit's assignment is withdrawn, or the team's window of the round ends."""

import datetime

import pytest
from django.utils import timezone

from findings.models import Finding
from findings.models import FindingStatus as S
from rounds.models import Phase
from tests.findings.factories import manifestation

from .conftest import (
    ADMINS,
    BEFORE,
    ENDED,
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
    remove_team_actors,
    scene,
    withdraw_assignment,
)

OUTSIDERS = (*RECEIVERS, *LIAISONS, *ADMINS)  # never see a draft


def finding_in(world, phase, status, *, time=None):
    """A finding of the unit's team in a round in `phase`. LATER: the team actors were on an earlier round of the
    unit (completed); the finding is the later round's, drafted by its own team."""
    if time == LATER:
        scene(world, Phase.COMPLETED, start=datetime.date(2023, 4, 1))
    made = scene(world, phase, actors=time != LATER)
    finding = Finding.objects.create(
        round=made.round, jurisdiction=world.jurisdiction, team=made.team, unit=world.unit,
        category=manifestation(), title="违规发放津补贴问题", facts="2025年违规发放津补贴12万元。",
        basis="《中国共产党纪律处分条例》第一百零六条", status=status,
        created_by=world.users["team_member"], approved_at=timezone.now() if status == S.APPROVED else None,
    )
    if time == REMOVED:
        remove_team_actors(made)
    if time == WITHDRAWN:
        withdraw_assignment(world, made)
    return {"scene": made, "finding": finding}


def status_of(state):
    return Finding.objects.filter(pk=state["finding"].pk).values_list("status", "title").get()


def move(url_path, **body):
    return lambda client, state: client.post(f"/api/findings/{state['finding'].pk}/{url_path}/", body, format="json")


def transition(verb, url, status, phase, time, expected, body=None):
    return Case("finding", verb, time, lambda world: finding_in(world, phase, status, time=time),
                move(url, **(body or {})), status_of, expected)


# --- creating a finding for the team's unit ---------------------------------------------------------------

def create_state(phase, time=None):
    def build(world):
        made = scene(world, phase)
        if time == REMOVED:
            remove_team_actors(made)
        if time == WITHDRAWN:
            withdraw_assignment(world, made)
        return {"scene": made}
    return build


def create(client, state):
    return client.post("/api/findings/", {
        "team_unit": state["scene"].team_unit.pk, "category": manifestation().pk, "title": "公务用车私用问题",
        "facts": "2025年公车私用12次。", "basis": "《党政机关公务用车管理办法》第十条",
    }, format="json")


def findings_of(state):
    return sorted(Finding.objects.filter(round=state["scene"].round).values_list("pk", flat=True))


# Creating is the team's (403 for every other role: the list endpoint names no record); a team role outside the
# window, off the unit or off the team is told why (400 with the field message).
NOT_TEAM = ("office", "leading_group", *OUTSIDERS)
CREATE = [
    Case("finding", "create", BEFORE, create_state(Phase.PREPARATION), create, findings_of,
         expect(c400=TEAM_ON + TEAM_OFF, c403=NOT_TEAM)),
    Case("finding", "create", ONSITE, create_state(Phase.ONSITE), create, findings_of,
         expect(TEAM_ON, c400=TEAM_OFF, c403=NOT_TEAM)),
    Case("finding", "create", REPORT, create_state(Phase.REPORT), create, findings_of,
         expect(TEAM_ON, c400=TEAM_OFF, c403=NOT_TEAM)),
    Case("finding", "create", FEEDBACK, create_state(Phase.FEEDBACK), create, findings_of,
         expect(c400=TEAM_ON + TEAM_OFF, c403=NOT_TEAM)),
    Case("finding", "create", ENDED, create_state(Phase.COMPLETED), create, findings_of,
         expect(c400=TEAM_ON + TEAM_OFF, c403=NOT_TEAM)),
    Case("finding", "create", REMOVED, create_state(Phase.ONSITE, REMOVED), create, findings_of,
         expect(c400=TEAM_ON + TEAM_OFF, c403=NOT_TEAM)),
    Case("finding", "create", WITHDRAWN, create_state(Phase.ONSITE, WITHDRAWN), create, findings_of,
         expect(c400=TEAM_ON + TEAM_OFF, c403=NOT_TEAM)),
]

REASON = {"reason": "依据组务会意见处理"}
SEES = ("office", "leading_group")  # oversight sees every finding of its county, and acts only on its own moves
TRANSITIONS = [
    # The author and the leader submit a draft, while the team works on the round.
    transition("submit", "submit", S.DRAFT, Phase.ONSITE, ONSITE,
               expect(TEAM_ON, c403=SEES)),
    transition("submit", "submit", S.DRAFT, Phase.REPORT, REPORT,
               expect(TEAM_ON, c403=SEES)),
    transition("submit", "submit", S.DRAFT, Phase.COMPLETED, ENDED,
               expect(c403=SEES)),
    transition("submit", "submit", S.DRAFT, Phase.ONSITE, LATER,
               expect(c403=SEES)),
    transition("submit", "submit", S.DRAFT, Phase.ONSITE, REMOVED,
               expect(c403=SEES)),
    transition("submit", "submit", S.DRAFT, Phase.ONSITE, WITHDRAWN,
               expect(c403=SEES)),
    transition("withdraw draft", "withdraw", S.DRAFT, Phase.ONSITE, ONSITE,
               expect(TEAM_ON, c403=SEES), REASON),
    # The leader reviews the team's submitted drafts until the feedback.
    transition("leader_approve", "leader-approve", S.SUBMITTED, Phase.ONSITE, ONSITE,
               expect({"team_leader"}, c403=(*SEES, "team_member"))),
    transition("leader_approve", "leader-approve", S.SUBMITTED, Phase.FEEDBACK, FEEDBACK,
               expect({"team_leader"}, c403=SEES)),
    transition("leader_approve", "leader-approve", S.SUBMITTED, Phase.COMPLETED, ENDED,
               expect(c403=SEES)),
    transition("leader_approve", "leader-approve", S.SUBMITTED, Phase.REPORT, REMOVED,
               expect(c403=SEES)),
    transition("leader_approve", "leader-approve", S.SUBMITTED, Phase.REPORT, WITHDRAWN,
               expect(c403=SEES)),
    transition("return", "return", S.SUBMITTED, Phase.REPORT, REPORT,
               expect({"team_leader"}, c403=(*SEES, "team_member")), REASON),
    # The office reviews what the leader passed; the leading group approves what the office reviewed.
    transition("office_review", "office-review", S.LEADER_APPROVED, Phase.REPORT, REPORT,
               expect({"office"}, c403=("leading_group", *TEAM_ON))),
    transition("approve", "approve", S.OFFICE_REVIEWED, Phase.REPORT, REPORT,
               expect({"leading_group"}, c403=("office", *TEAM_ON))),
    transition("return office-reviewed", "return", S.OFFICE_REVIEWED, Phase.REPORT, REPORT,
               expect({"leading_group"}, c403=("office", *TEAM_ON)), REASON),
    # After the feedback the members' window is over, the leader's not yet: the leader sees, may not overturn.
    transition("withdraw approved", "withdraw", S.APPROVED, Phase.FEEDBACK, FEEDBACK,
               expect({"office"}, c403=("leading_group", "team_leader")), REASON),
    transition("withdraw approved", "withdraw", S.APPROVED, Phase.COMPLETED, ENDED,
               expect({"office"}, c403=("leading_group",)), REASON),
    transition("amend", "amend", S.APPROVED, Phase.RECTIFICATION, FEEDBACK,
               expect({"office"}, c403=("leading_group",)), {"reason": "听取解释说明后修正问题标题", "title": "修正后的问题标题"}),
]


@pytest.mark.parametrize("case", params(CREATE + TRANSITIONS))
def test_who_may_act_on_a_finding(world, db, case):
    check(world, case)
