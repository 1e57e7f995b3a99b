"""Who may record the feedback, publish the rectification summary and evaluate its effect, and when (DOMAIN.md):
the office of the county feeds a unit back once the round is in feedback (or later) and every finding of the unit is
decided; it alone writes, publishes and withdraws the public summary (整改公开) and scores the effect (整改效果
评价). Nobody else acts on these, whatever their role; an office of another county does not know the records exist."""


import pytest
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import Role
from rectification.models import Disclosure, Evaluation, Feedback
from rounds.models import Phase
from tests.factories import JurisdictionFactory, UserFactory
from tests.findings.factories import manifestation

from .conftest import (
    ADMINS,
    BEFORE,
    ENDED,
    FEEDBACK,
    ONSITE,
    RECEIVERS,
    TEAM_OFF,
    TEAM_ON,
    Case,
    check,
    expect,
    params,
    scene,
)
from .test_rectification import TODAY, fed_back

NOT_OFFICE = ("leading_group", *RECEIVERS, *TEAM_ON, *TEAM_OFF, "liaison", "liaison_other", *ADMINS)


def decided(phase):
    """A round of the office in `phase` whose one finding of the unit is approved: the unit waits for its feedback."""
    def build(world):
        made = scene(world, phase)
        Finding.objects.create(
            round=made.round, jurisdiction=world.jurisdiction, team=made.team, unit=world.unit,
            category=manifestation(), title="违规发放津贴补贴问题", facts="2025年违规发放加班补贴4.6万元。",
            basis="《中国共产党纪律处分条例》第一百零二条", status=FindingStatus.APPROVED, approved_at=timezone.now(),
            created_by=world.users["team_member"],
        )
        return {"scene": made}
    return build


def record_feedback(client, state):
    return client.post("/api/rectification/feedbacks/", {
        "round": state["scene"].round.pk, "unit": state["scene"].team_unit.unit_id,
        "held_on": TODAY().isoformat(), "place": "县住建局三楼会议室", "attendees": "局领导班子成员、中层干部",
        "letter_number": "清巡反〔2026〕3号",
    }, format="json")


def feedbacks_of(state):
    return sorted(Feedback.objects.filter(round=state["scene"].round).values_list("pk", flat=True))


def with_disclosure(published=False):
    def build(world):
        state = fed_back()(world)
        state["disclosure"] = Disclosure.objects.create(
            feedback=state["feedback"], title="县住建局关于巡察整改进展情况的通报", summary="已完成整改问题1个。",
            published_at=timezone.now() if published else None,
            published_by=world.users["office"] if published else None,
        )
        return state
    return build


def write_disclosure(client, state):
    return client.post("/api/rectification/disclosures/", {
        "feedback": state["feedback"].pk, "title": "县住建局关于巡察整改进展情况的通报", "summary": "已完成整改问题1个。",
    }, format="json")


def disclosures_of(state):
    return sorted(Disclosure.objects.filter(feedback=state["feedback"]).values_list("pk", "title"))


def published(state):
    return Disclosure.objects.filter(pk=state["disclosure"].pk).values_list("published_at", flat=True).get() is not None


def evaluate(client, state):
    return client.post("/api/rectification/evaluations/", {
        "feedback": state["feedback"].pk, "self_score": "90", "public_score": "85", "supervision_score": "88",
        "onsite_score": "86", "notes": "整改措施具体，成效明显。",
    }, format="json")


def evaluations_of(state):
    return sorted(Evaluation.objects.filter(feedback=state["feedback"]).values_list("pk", "total"))


# A feedback is recorded by the office only (403 at the endpoint for every other role), and only in its window:
# before the round reaches feedback the office is told why (400).
FEEDBACKS = [
    Case("feedback", "record", ONSITE, decided(Phase.ONSITE), record_feedback, feedbacks_of,
         expect(c400=("office",), c403=NOT_OFFICE)),
    Case("feedback", "record", BEFORE, decided(Phase.PREPARATION), record_feedback, feedbacks_of,
         expect(c400=("office",), c403=NOT_OFFICE)),
    Case("feedback", "record", FEEDBACK, decided(Phase.FEEDBACK), record_feedback, feedbacks_of,
         expect({"office"}, c403=NOT_OFFICE)),
    # A feedback meeting registered late, after the round was completed (the round cannot go back).
    Case("feedback", "record", ENDED, decided(Phase.COMPLETED), record_feedback, feedbacks_of,
         expect({"office"}, c403=NOT_OFFICE)),
]

# The public summary: the office writes and publishes it; its readers (the leading group, the receiving bodies, the
# unit) see it but may not act (403); the teams and the other unit's liaison do not know it exists (404).
READERS_OF_SUMMARY = ("leading_group", *RECEIVERS, "liaison")
DISCLOSURES = [
    Case("disclosure", "write", FEEDBACK, fed_back(), write_disclosure, disclosures_of,
         expect({"office"}, default=403)),
    Case("disclosure", "publish", FEEDBACK, with_disclosure(),
         lambda client, state: client.post(f"/api/rectification/disclosures/{state['disclosure'].pk}/publish/"),
         published, expect({"office"}, c403=READERS_OF_SUMMARY)),
    Case("disclosure", "withdraw", ENDED, with_disclosure(published=True),
         lambda client, state: client.post(f"/api/rectification/disclosures/{state['disclosure'].pk}/unpublish/"),
         published, expect({"office"}, c403=READERS_OF_SUMMARY)),
]

EVALUATIONS = [
    Case("evaluation", "score", FEEDBACK, fed_back(), evaluate, evaluations_of, expect({"office"}, default=403)),
]


@pytest.mark.parametrize("case", params(FEEDBACKS + DISCLOSURES + EVALUATIONS))
def test_who_may_record_feedback_publish_and_evaluate(world, db, case):
    check(world, case)


# --- an office of another county ---------------------------------------------------------------------------

def _other_office():
    return UserFactory(username="act_office_other", display_name="邻县巡察办", role=Role.OFFICE,
                       jurisdiction=JurisdictionFactory(name="柳林县"))


OTHER_COUNTY = [
    ("record the feedback", decided(Phase.FEEDBACK), record_feedback, feedbacks_of, 400),
    ("close a task", fed_back(task="submitted"),
     lambda client, state: client.post(f"/api/rectification/tasks/{state['task'].pk}/close/", {}, format="json"),
     lambda state: type(state["task"]).objects.get(pk=state["task"].pk).status, 404),
    ("accept the plan", fed_back(plan="submitted"),
     lambda client, state: client.post(f"/api/rectification/plans/{state['plan'].pk}/accept/"),
     lambda state: type(state["plan"]).objects.get(pk=state["plan"].pk).status, 404),
    ("publish the summary", with_disclosure(),
     lambda client, state: client.post(f"/api/rectification/disclosures/{state['disclosure'].pk}/publish/"),
     published, 404),
    ("write the summary", fed_back(), write_disclosure, disclosures_of, 404),
    ("score the effect", fed_back(), evaluate, evaluations_of, 404),
]


@pytest.mark.parametrize(("verb", "build", "act", "stored", "code"), OTHER_COUNTY, ids=[c[0] for c in OTHER_COUNTY])
def test_an_office_of_another_county_acts_on_nothing_of_this_county(world, db, verb, build, act, stored, code):
    """Same role, another jurisdiction: the records do not exist for it (404), or the round and unit it names are
    not choices it has (400 naming the field); nothing changes."""
    from rest_framework.test import APIClient

    state = build(world)
    before = stored(state)
    client = APIClient()
    client.force_authenticate(_other_office())
    answer = act(client, state)
    assert answer.status_code == code, answer.content.decode()
    if code == 400:
        assert answer.json() == {"round": ["只能为本管辖范围的轮次登记反馈"]}
    assert stored(state) == before
