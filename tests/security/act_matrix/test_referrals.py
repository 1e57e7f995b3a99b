"""Who may act on problem leads and referral batches, and when (DOMAIN.md): a team leader (or deputy) registers
leads from its own team's findings and petitions while the round is the team's (until the feedback); the office
registers leads at any time, withdraws them, and makes and sends the batches; the receiving body a batch is
addressed to signs for it. Leads and batches are secret: whoever may not see one is told nothing (404)."""

import datetime

import pytest
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import ReceivingBody
from referrals import services
from referrals.models import Lead, LeadSource, Referral
from rounds.models import Petition, Phase
from tests.findings.factories import manifestation

from .conftest import (
    ADMINS,
    ENDED,
    FEEDBACK,
    IN_RECTIFICATION,
    IN_REFERRAL,
    LATER,
    LIAISONS,
    ONSITE,
    RECEIVERS,
    REMOVED,
    REPORT,
    WITHDRAWN,
    Case,
    check,
    expect,
    params,
    remove_team_actors,
    scene,
    withdraw_assignment,
)

# Registering is the office's and the team leaders' (403 for every other role: the endpoint names no record); a
# team leader outside the window, off the team or the unit is told why (400 with the field message).
NOT_REGISTRARS = ("leading_group", "team_member", "team_member_off", *RECEIVERS, *LIAISONS, *ADMINS)


def source_state(phase, source, time=None):
    def build(world):
        if time == LATER:
            # The team actors were on an earlier round of the unit; the source is the later round's.
            scene(world, Phase.COMPLETED, start=datetime.date(2023, 4, 1))
        made = scene(world, phase, actors=time != LATER)
        if source == LeadSource.PETITION:
            record = Petition.objects.create(
                round=made.round, team=made.team, unit=world.unit, channel=Petition.Channel.LETTER,
                received_on=datetime.date(2026, 3, 10), is_anonymous=True, subject_person="王某某",
                subject_post="副局长", summary="反映王某某插手工程项目", created_by=world.users["team_member"],
            )
        else:
            record = Finding.objects.create(
                round=made.round, jurisdiction=world.jurisdiction, team=made.team, unit=world.unit,
                category=manifestation(), title="工程项目未批先建问题", facts="2025年3个项目未批先建。",
                basis="《政府投资条例》第十一条", status=FindingStatus.APPROVED, approved_at=timezone.now(),
                created_by=world.users["team_member"],
            )
        if time == REMOVED:
            remove_team_actors(made)
        if time == WITHDRAWN:
            withdraw_assignment(world, made)
        return {"scene": made, "source": source, "record": record}
    return build


def register(client, state):
    return client.post("/api/referrals/leads/", {
        "round": state["scene"].round.pk, "source": state["source"], state["source"]: state["record"].pk,
        "subject_name": "王某某", "subject_post": "副局长", "subject_unit": "县住房和城乡建设局",
        "summary": "反映其插手工程项目",
    }, format="json")


def leads_of(state):
    return sorted(Lead.objects.filter(round=state["scene"].round).values_list("pk", flat=True))


def register_case(phase, source, time, ok, c400):
    return Case("lead", f"register from a {source}", time, source_state(phase, source, time), register, leads_of,
                expect(ok, c400=c400, c403=NOT_REGISTRARS))


REGISTER = [
    register_case(Phase.ONSITE, LeadSource.PETITION, ONSITE, {"office", "team_leader"}, ("team_leader_off",)),
    register_case(Phase.REPORT, LeadSource.FINDING, REPORT, {"office", "team_leader"}, ("team_leader_off",)),
    register_case(Phase.FEEDBACK, LeadSource.FINDING, FEEDBACK, {"office", "team_leader"}, ("team_leader_off",)),
    register_case(Phase.RECTIFICATION, LeadSource.FINDING, IN_RECTIFICATION, {"office"},
                  ("team_leader", "team_leader_off")),
    register_case(Phase.COMPLETED, LeadSource.PETITION, ENDED, {"office"}, ("team_leader", "team_leader_off")),
    register_case(Phase.REPORT, LeadSource.FINDING, LATER, {"office"}, ("team_leader", "team_leader_off")),
    register_case(Phase.REPORT, LeadSource.FINDING, REMOVED, {"office"}, ("team_leader", "team_leader_off")),
    register_case(Phase.REPORT, LeadSource.FINDING, WITHDRAWN, {"office"}, ("team_leader", "team_leader_off")),
    register_case(Phase.ONSITE, LeadSource.PETITION, WITHDRAWN, {"office"}, ("team_leader", "team_leader_off")),
]


def lead_state(phase, batch=None):
    def build(world):
        made = scene(world, phase)
        lead = Lead.objects.create(
            round=made.round, jurisdiction=world.jurisdiction, source=LeadSource.OTHER, subject_name="李某",
            subject_post="副局长", subject_unit="县住房和城乡建设局", summary="反映其违规收受礼金",
            created_by=world.users["office"],
        )
        state = {"scene": made, "lead": lead}
        if batch:
            referral = services.batch_create(
                actor=world.users["office"], receiving_body=world.bodies[ReceivingBody.Kind.DISCIPLINE],
                letter_number=f"清巡移〔2026〕{made.round.pk}号", letter_date=timezone.localdate(), leads=[lead],
                title="关于移交第一巡察组发现问题线索的函",
            )
            if batch == "sent":
                services.batch_send(referral=referral, actor=world.users["office"])
            state["referral"] = referral
        return state
    return build


def lead_status(state):
    return Lead.objects.filter(pk=state["lead"].pk).values_list("status", "referral_id").get()


def batch_status(state):
    return Referral.objects.filter(pk=state["referral"].pk).values_list("status", flat=True).get()


def batch_move(verb):
    return lambda client, state: client.post(f"/api/referrals/batches/{state['referral'].pk}/{verb}/", {}, format="json")


OVERSIGHT = ("office", "leading_group")
ACTS = [
    Case("lead", "withdraw", ONSITE, lead_state(Phase.ONSITE),
         lambda client, state: client.post(f"/api/referrals/leads/{state['lead'].pk}/withdraw/",
                                           {"reason": "经核实系重复登记"}, format="json"),
         lead_status, expect({"office"}, c403=("leading_group",))),
    Case("referral", "send", IN_REFERRAL, lead_state(Phase.REFERRAL, "draft"), batch_move("send"),
         batch_status, expect({"office"}, c403=("leading_group",))),
    Case("referral", "sign", IN_REFERRAL, lead_state(Phase.REFERRAL, "sent"), batch_move("sign"),
         batch_status, expect({"discipline"}, c403=OVERSIGHT)),
    Case("referral", "sign", ENDED, lead_state(Phase.COMPLETED, "sent"), batch_move("sign"),
         batch_status, expect({"discipline"}, c403=OVERSIGHT)),
]


@pytest.mark.parametrize("case", params(REGISTER + ACTS))
def test_who_may_act_on_leads_and_referrals(world, db, case):
    check(world, case)

