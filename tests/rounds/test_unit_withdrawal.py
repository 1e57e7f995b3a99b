"""Taking a unit off its team before on-site work: withdrawn out of the round, or moved to another team of it.

The workflow: the office prepares a round, finds a late recusal conflict (or a unit merged or abolished), and
moves the unit to another team, or out of the round, with a written reason. Nothing is deleted.
"""

import pytest

from inspection.accounts.models import Role
from inspection.core import access
from inspection.core.exceptions import DomainError
from inspection.core.team_scope import team_scope
from inspection.units.models import RecusalFactor, Unit
from rounds import selectors, services
from rounds.models import InfoRequest, Membership, Phase, RecusalCheck, TeamUnit
from rounds.workflow import PHASE_TABLE, UNIT_ASSIGNMENT_CHANGE_PHASES, unit_withdrawal_refusal
from tests.factories import RecusalFactorFactory

from .conftest import REASON
from .factories import PetitionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db


# --- The rule, in one place -----------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [p for p, _ in Phase.choices])
def test_assignments_change_only_in_preparation(phase):
    refusal = unit_withdrawal_refusal(phase)
    if phase in UNIT_ASSIGNMENT_CHANGE_PHASES:
        assert refusal is None
    else:
        assert f"本轮已进入“{Phase(phase).label}”阶段" in refusal and "不能再将单位调整出组" in refusal
    assert UNIT_ASSIGNMENT_CHANGE_PHASES == (Phase.PREPARATION,)
    assert PHASE_TABLE.check(Phase.PREPARATION, Phase.ONSITE, Role.OFFICE)  # the move that closes the window


# --- Service --------------------------------------------------------------------------------------------


def test_withdraw_out_of_the_round_keeps_who_when_why(prep, office_user):
    withdrawn = services.team_unit_withdraw(
        team_unit=prep["finance_tu"], actor=office_user, reason="县财政局与县税务局合并，新单位列入下一轮巡察"
    )
    row = TeamUnit.all_objects.get(pk=withdrawn.pk)
    assert row.is_withdrawn and row.withdrawn_by == office_user and row.withdrawn_at is not None
    assert row.withdrawal_reason == "县财政局与县税务局合并，新单位列入下一轮巡察"
    assert not TeamUnit.objects.filter(pk=row.pk).exists()  # no longer an assignment in force
    assert list(prep["first"].team_units.values_list("unit__name", flat=True)) == ["清河县教育局"]
    last = row.history.latest()
    assert last.history_user is None or last.history_user == office_user
    assert last.withdrawn_at is not None and last.history_change_reason.startswith("撤出本轮巡察：")


def test_reason_is_required(prep, office_user):
    with pytest.raises(DomainError) as info:
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason="   ")
    assert info.value.field == "reason" and "须填写理由" in info.value.message
    assert TeamUnit.objects.filter(pk=prep["finance_tu"].pk).exists()


@pytest.mark.parametrize("phase", [Phase.ONSITE, Phase.REPORT, Phase.COMPLETED])
def test_refused_once_onsite_work_has_started(prep, office_user, phase):
    round = prep["round"]
    round.phase = phase
    round.save()
    with pytest.raises(DomainError, match="不能再将单位调整出组"):
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON)
    with pytest.raises(DomainError, match="不能再将单位调整出组"):
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"])
    assert TeamUnit.objects.get(round=round, unit=prep["finance"]).team == prep["first"]


def test_refused_in_preparation_when_the_team_already_worked_on_the_unit(prep, office_user):
    """A round sent back from on-site work to preparation: the petitions about the unit must not be orphaned."""
    PetitionFactory(team=prep["first"], unit=prep["finance"], created_by=office_user)
    with pytest.raises(DomainError, match="已登记清河县财政局的信访件1件，已开展巡察工作，不能调整出组"):
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON)
    assert services.team_unit_work_records(prep["finance_tu"]) == [("信访件", 1)]
    assert services.team_unit_work_records(TeamUnit.objects.get(unit=prep["education"])) == []


def test_a_withdrawn_assignment_cannot_be_withdrawn_again(prep, office_user):
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON)
    with pytest.raises(DomainError, match="已于.*调整出第一巡察组"):
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON)


def test_a_withdrawn_unit_can_be_assigned_again(prep, office_user):
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason="单位机构改革，暂缓巡察")
    again = services.team_add_unit(team=prep["first"], unit=prep["finance"], actor=office_user)
    assert again.pk != prep["finance_tu"].pk and not again.is_withdrawn
    assert TeamUnit.all_objects.filter(round=prep["round"], unit=prep["finance"]).count() == 2
    with pytest.raises(DomainError, match="已由本轮第一巡察组巡察"):
        services.team_add_unit(team=prep["second"], unit=prep["finance"], actor=office_user)


def test_move_to_another_team_is_one_action_and_rechecks_the_receiving_team(prep, office_user):
    withdrawn = services.team_unit_withdraw(
        team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"]
    )
    moved = TeamUnit.objects.get(round=prep["round"], unit=prep["finance"])
    assert moved.team == prep["second"] and moved.moved_from_id == withdrawn.pk
    assert TeamUnit.all_objects.get(pk=withdrawn.pk).moved_to == moved
    check = RecusalCheck.objects.filter(team=prep["second"], unit=prep["finance"]).get()
    assert (check.trigger, check.result, check.cadre) == ("unit", "passed", prep["second_member"].cadre)


def test_a_move_refused_by_a_recusal_conflict_leaves_the_unit_and_records_the_check(prep, office_user):
    RecusalFactorFactory(cadre=prep["second_member"].cadre, unit=prep["finance"], kind=RecusalFactor.Kind.WORKED_THERE)
    with pytest.raises(services.RecusalConflict) as info:
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"])
    assert info.value.field == "to_team"
    assert "回避冲突：清河县财政局调整至第二巡察组后，该组李红梅" in info.value.message
    assert [c.result for c in info.value.checks] == [RecusalCheck.Result.CONFLICT]
    assert RecusalCheck.objects.filter(pk=info.value.checks[0].pk).exists()  # on record although refused
    assert TeamUnit.objects.get(unit=prep["finance"]).team == prep["first"]  # nothing moved
    # Overriding the recorded check does not move the unit behind the office's back: it says how to.
    with pytest.raises(DomainError, match="请在第一巡察组页面将其“调整至第二巡察组”"):
        services.recusal_check_override(check=info.value.checks[0], actor=office_user, reason="短期借调，可不回避")


def test_a_move_with_a_written_reason_overrides_the_conflict_as_assigning_does(prep, office_user, make_user):
    RecusalFactorFactory(cadre=prep["second_member"].cadre, unit=prep["finance"])
    with pytest.raises(DomainError, match="只有巡察办"):
        services.team_unit_withdraw(
            team_unit=prep["finance_tu"], actor=make_user(Role.LEADING_GROUP), reason=REASON, to_team=prep["second"],
            override_reason="同意",
        )
    services.team_unit_withdraw(
        team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"],
        override_reason="李红梅仅曾在该局短期借调，经巡察办研究可不回避",
    )
    check = RecusalCheck.objects.get(team=prep["second"], unit=prep["finance"])
    assert check.result == RecusalCheck.Result.OVERRIDDEN and check.overridden_by == office_user
    assert TeamUnit.objects.get(unit=prep["finance"]).team == prep["second"]


def test_a_move_stays_in_the_round(prep, office_user, jurisdiction):
    elsewhere = TeamFactory(round=RoundFactory(plan=prep["round"].plan), name="第一巡察组")
    with pytest.raises(DomainError, match="只能调整至本轮的其他巡察组") as info:
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=elsewhere)
    assert info.value.field == "to_team"
    with pytest.raises(DomainError, match="请选择其他巡察组"):
        services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["first"])


def test_the_move_settles_the_recusal_application_it_answers(prep, office_user):
    """The late conflict: the member applies for recusal (stage 3), which blocks going on site; the unit moves."""
    check = services.recusal_application_file(
        membership=prep["member"], unit=prep["finance"], kind=RecusalFactor.Kind.RELATIVE, actor=office_user,
        description="配偶在该局任财务股股长",
    )
    assert check.result == RecusalCheck.Result.CONFLICT
    assert "王建国的回避申请尚未处理" in "".join(services._onsite_readiness_errors(prep["round"]))
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"])
    check.refresh_from_db()
    assert check.result == RecusalCheck.Result.WITHDRAWN
    assert Membership.objects.get(pk=prep["member"].pk).is_active  # the member stays on the team
    assert not any("回避申请" in e for e in services._onsite_readiness_errors(prep["round"]))


# --- Team scope: what each team sees follows the unit ---------------------------------------------------


def test_old_team_no_longer_sees_the_units_records_the_new_team_does(prep, office_user):
    info = InfoRequest.objects.create(
        round=prep["round"], unit=prep["finance"], recipient=InfoRequest.Recipient.AUDIT, sent_on="2026-02-01",
        due_date="2026-02-10", created_by=office_user,
    )
    member, newcomer = prep["users"]["member"], prep["users"]["second_member"]
    assert access.visible(member, Unit).filter(pk=prep["finance"].pk).exists()
    assert access.visible(member, InfoRequest).filter(pk=info.pk).exists()
    assert not access.visible(newcomer, InfoRequest).filter(pk=info.pk).exists()
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason=REASON, to_team=prep["second"])
    assert prep["finance"].pk not in set(team_scope(member).unit_ids())
    assert not access.visible(member, Unit).filter(pk=prep["finance"].pk).exists()
    assert not access.visible(member, InfoRequest).filter(pk=info.pk).exists()
    assert access.visible(member, Unit).filter(pk=prep["education"].pk).exists()  # the rest of its work stays
    assert prep["finance"].pk in set(team_scope(newcomer).unit_ids())
    assert access.visible(newcomer, InfoRequest).filter(pk=info.pk).exists()
    assert access.visible(newcomer, Unit).filter(pk=prep["finance"].pk).exists()


def test_records_for_a_withdrawn_unit_are_refused(prep, office_user):
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason="单位撤销")
    with pytest.raises(DomainError, match="不是本轮的被巡察单位"):
        services.material_list_apply_default(round=prep["round"], unit=prep["finance"], actor=office_user)


# --- Coverage and lists count assignments in force only --------------------------------------------------


def test_coverage_counts_a_withdrawn_unit_as_not_inspected(prep, office_user):
    plan = prep["round"].plan
    plan.units.set([prep["finance"], prep["education"]])
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason="单位撤销")
    round = prep["round"]
    round.phase = Phase.REPORT
    round.save()
    rows = {u.name: u.inspected for u in selectors.plan_unit_rows(plan)}
    assert rows == {"清河县财政局": False, "清河县教育局": True}
    assert selectors.plan_coverage(plan)["inspected"] == 1
    assert [tu.unit.name for tu in selectors.withdrawn_team_units(prep["first"])] == ["清河县财政局"]
    team = selectors.team_detail_queryset().get(pk=prep["first"].pk)
    assert [row.unit.name for row in team.unit_rows] == ["清河县教育局"]


def test_liaison_of_a_withdrawn_unit_does_not_see_the_round(prep, office_user, make_user):
    liaison = make_user(Role.UNIT_LIAISON, username="liaison", unit=prep["finance"])
    services.team_unit_withdraw(team_unit=prep["finance_tu"], actor=office_user, reason="单位撤销")
    round = prep["round"]
    round.phase = Phase.FEEDBACK
    round.save()
    assert not access.visible(liaison, type(round)).filter(pk=round.pk).exists()
    other = make_user(Role.UNIT_LIAISON, username="liaison2", unit=prep["education"])
    assert access.visible(other, type(round)).filter(pk=round.pk).exists()
