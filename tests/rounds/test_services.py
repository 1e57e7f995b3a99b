import datetime

import pytest

from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError, InvalidTransition
from inspection.units.models import RecusalFactor, Specialty
from rounds import selectors, services
from rounds.models import Membership, Phase, PhaseChange, RecusalCheck, TeamUnit
from tests.factories import RecusalFactorFactory, UnitFactory

from .factories import PlanFactory, RoundFactory, TeamFactory, TeamUnitFactory, leader_cadre, talent_cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(jurisdiction):
    return TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)), name="第一巡察组")


@pytest.fixture
def ready_team(team, jurisdiction, office_user):
    TeamUnitFactory(team=team)
    services.team_add_member(team=team, cadre=leader_cadre(jurisdiction), position="leader", actor=office_user)
    return team


# --- Rounds and phases ----------------------------------------------------------------------------------


def test_rounds_are_numbered_per_plan(jurisdiction, office_user):
    plan, other = PlanFactory(jurisdiction=jurisdiction), PlanFactory(jurisdiction=jurisdiction)
    dates = {"start_date": datetime.date(2026, 3, 1), "end_date": datetime.date(2026, 4, 1)}
    first = services.round_create(plan=plan, kind="regular", actor=office_user, **dates)
    second = services.round_create(plan=plan, kind="special", topic="乡村振兴资金", actor=office_user, **dates)
    elsewhere = services.round_create(plan=other, kind="regular", actor=office_user, **dates)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert second.title == "第2轮专项巡察（乡村振兴资金）"


def test_round_dates_must_be_ordered(jurisdiction, office_user):
    with pytest.raises(DomainError) as info:
        services.round_create(
            plan=PlanFactory(jurisdiction=jurisdiction), kind="regular", actor=office_user,
            start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 2, 1),
        )
    assert info.value.field == "end_date"


def test_change_phase_writes_a_phase_change_row(ready_team, office_user):
    round = services.round_change_phase(round=ready_team.round, to_phase=Phase.ONSITE, actor=office_user, reason="")
    assert round.phase == Phase.ONSITE and round.phase_changed_at is not None
    change = PhaseChange.objects.get(round=round)
    assert (change.from_phase, change.to_phase, change.actor) == (Phase.PREPARATION, Phase.ONSITE, office_user)


def test_leading_group_approves_feedback_office_cannot(ready_team, office_user, leading_user):
    round = ready_team.round
    round.phase = Phase.REPORT
    round.save()
    with pytest.raises(InvalidTransition, match="您的角色无权"):
        services.round_change_phase(round=round, to_phase=Phase.FEEDBACK, actor=office_user, reason="")
    services.round_change_phase(round=round, to_phase=Phase.FEEDBACK, actor=leading_user, reason="领导小组会议审定")
    round.refresh_from_db()
    assert round.phase == Phase.FEEDBACK
    assert PhaseChange.objects.filter(round=round).count() == 1


def test_skipping_a_phase_is_refused_in_chinese(ready_team, office_user):
    with pytest.raises(InvalidTransition, match="不能从“准备”变更为“报告”"):
        services.round_change_phase(round=ready_team.round, to_phase=Phase.REPORT, actor=office_user, reason="")
    assert not PhaseChange.objects.exists()


def test_going_back_needs_a_reason(ready_team, office_user):
    round = services.round_change_phase(round=ready_team.round, to_phase=Phase.ONSITE, actor=office_user)
    with pytest.raises(DomainError) as info:
        services.round_change_phase(round=round, to_phase=Phase.PREPARATION, actor=office_user, reason=" ")
    assert info.value.field == "reason"
    services.round_change_phase(round=round, to_phase=Phase.PREPARATION, actor=office_user, reason="组长调整")
    assert PhaseChange.objects.filter(round=round).count() == 2


def test_onsite_refused_without_teams(jurisdiction, office_user):
    round = RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction))
    with pytest.raises(DomainError, match="本轮尚未组建巡察组"):
        services.round_change_phase(round=round, to_phase=Phase.ONSITE, actor=office_user)


def test_onsite_refused_when_a_team_has_no_leader(team, office_user):
    TeamUnitFactory(team=team)
    with pytest.raises(DomainError, match="第一巡察组尚未确定组长"):
        services.round_change_phase(round=team.round, to_phase=Phase.ONSITE, actor=office_user)
    team.round.refresh_from_db()
    assert team.round.phase == Phase.PREPARATION


def test_onsite_refused_when_a_team_has_no_units(team, jurisdiction, office_user):
    services.team_add_member(team=team, cadre=leader_cadre(jurisdiction), position="leader", actor=office_user)
    with pytest.raises(DomainError, match="第一巡察组尚未确定被巡察单位"):
        services.round_change_phase(round=team.round, to_phase=Phase.ONSITE, actor=office_user)


# --- Recusal: the three stages --------------------------------------------------------------------------


def test_stage_one_leader_conflict_blocks_and_is_recorded(team, jurisdiction, office_user):
    team_unit = TeamUnitFactory(team=team)
    cadre = leader_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=team_unit.unit, kind=RecusalFactor.Kind.WORKED_THERE)
    with pytest.raises(services.RecusalConflict, match="回避冲突") as info:
        services.team_add_member(team=team, cadre=cadre, position="leader", actor=office_user)
    check = info.value.checks[0]
    check.refresh_from_db()  # committed even though the assignment was refused
    assert (check.stage, check.result, check.position) == (1, RecusalCheck.Result.CONFLICT, "leader")
    assert not Membership.objects.filter(team=team, cadre=cadre).exists()


def test_stage_two_member_conflict_through_a_child_unit(team, jurisdiction, office_user):
    """The team inspects a township; the cadre's relative works in one of its villages."""
    township = TeamUnitFactory(team=team).unit
    village = UnitFactory(jurisdiction=jurisdiction, parent=township, kind="village")
    cadre = talent_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=village, kind=RecusalFactor.Kind.RELATIVE)
    with pytest.raises(services.RecusalConflict) as info:
        services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    assert info.value.checks[0].stage == RecusalCheck.Stage.MEMBERS
    assert village.name in info.value.checks[0].detail


def test_conflict_through_the_parent_unit(team, jurisdiction, office_user):
    township = UnitFactory(jurisdiction=jurisdiction, kind="township")
    village = UnitFactory(jurisdiction=jurisdiction, parent=township, kind="village")
    TeamUnitFactory(team=team, unit=village)
    cadre = talent_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=township)
    with pytest.raises(services.RecusalConflict):
        services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)


def test_unrelated_or_inactive_factor_passes_and_is_recorded(team, jurisdiction, office_user):
    TeamUnitFactory(team=team)
    cadre = talent_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=UnitFactory(jurisdiction=jurisdiction))
    RecusalFactorFactory(cadre=cadre, unit=team.team_units.get().unit, is_active=False)
    membership = services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    check = RecusalCheck.objects.get(cadre=cadre)
    assert check.result == RecusalCheck.Result.PASSED and check.membership == membership


def test_sibling_units_do_not_conflict(team, jurisdiction, office_user):
    township = UnitFactory(jurisdiction=jurisdiction, kind="township")
    village_a = UnitFactory(jurisdiction=jurisdiction, parent=township, kind="village")
    village_b = UnitFactory(jurisdiction=jurisdiction, parent=township, kind="village")
    TeamUnitFactory(team=team, unit=village_a)
    cadre = talent_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=village_b)
    services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)


def test_office_overrides_in_the_same_call(team, jurisdiction, office_user):
    unit = TeamUnitFactory(team=team).unit
    cadre = talent_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=unit, kind=RecusalFactor.Kind.HOMETOWN)
    membership = services.team_add_member(
        team=team, cadre=cadre, position="member", actor=office_user, override_reason="籍贯关系较远，经研究不影响"
    )
    check = RecusalCheck.objects.get(cadre=cadre)
    assert check.result == RecusalCheck.Result.OVERRIDDEN
    assert (check.overridden_by, check.override_reason, check.membership) == (
        office_user, "籍贯关系较远，经研究不影响", membership
    )


def test_override_of_a_recorded_conflict_makes_the_assignment(team, jurisdiction, office_user, make_user):
    unit = TeamUnitFactory(team=team).unit
    cadre = leader_cadre(jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=unit)
    with pytest.raises(services.RecusalConflict) as info:
        services.team_add_member(team=team, cadre=cadre, position="deputy", actor=office_user)
    check = info.value.checks[0]
    with pytest.raises(DomainError, match="须书面说明理由"):
        services.recusal_check_override(check=check, actor=office_user, reason="  ")
    with pytest.raises(DomainError, match="只有巡察办"):
        services.recusal_check_override(check=check, actor=make_user(Role.LEADING_GROUP), reason="同意")
    check = services.recusal_check_override(check=check, actor=office_user, reason="离开该单位已满十年")
    assert check.result == RecusalCheck.Result.OVERRIDDEN and check.overridden_at is not None
    assert check.membership.position == "deputy" and check.membership.is_active
    with pytest.raises(DomainError, match="无需说明"):
        services.recusal_check_override(check=check, actor=office_user, reason="再次")


def test_only_the_office_may_override_at_assignment(team, jurisdiction, make_user):
    with pytest.raises(DomainError, match="只有巡察办"):
        services.team_add_member(
            team=team, cadre=talent_cadre(jurisdiction), position="member",
            actor=make_user(Role.LEADING_GROUP), override_reason="理由",
        )


def test_adding_a_unit_rechecks_existing_members(team, jurisdiction, office_user):
    cadre = talent_cadre(jurisdiction)
    services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    unit = UnitFactory(jurisdiction=jurisdiction)
    RecusalFactorFactory(cadre=cadre, unit=unit)
    with pytest.raises(services.RecusalConflict) as info:
        services.team_add_unit(team=team, unit=unit, actor=office_user)
    assert not TeamUnit.objects.filter(team=team, unit=unit).exists()
    check = info.value.checks[0]
    assert (check.trigger, check.unit, check.result) == ("unit", unit, RecusalCheck.Result.CONFLICT)
    services.recusal_check_override(check=check, actor=office_user, reason="仅曾短期借调，经研究可不回避")
    assert TeamUnit.objects.filter(team=team, unit=unit).exists()


def test_adding_a_clear_unit_records_a_passed_check_per_member(team, jurisdiction, office_user):
    services.team_add_member(team=team, cadre=talent_cadre(jurisdiction), position="member", actor=office_user)
    services.team_add_member(team=team, cadre=leader_cadre(jurisdiction), position="leader", actor=office_user)
    services.team_add_unit(team=team, unit=UnitFactory(jurisdiction=jurisdiction), actor=office_user)
    assert RecusalCheck.objects.filter(trigger="unit", result="passed").count() == 2


def test_a_unit_is_inspected_by_one_team_per_round(team, jurisdiction, office_user):
    unit = TeamUnitFactory(team=team).unit
    other = TeamFactory(round=team.round, name="第二巡察组")
    with pytest.raises(DomainError, match="已由本轮第一巡察组巡察"):
        services.team_add_unit(team=other, unit=unit, actor=office_user)


def test_stage_three_application_blocks_onsite_until_handled(ready_team, jurisdiction, office_user, make_user):
    user = make_user(Role.TEAM_MEMBER)
    cadre = talent_cadre(jurisdiction, user=user)
    membership = services.team_add_member(team=ready_team, cadre=cadre, position="member", actor=office_user)
    unit = ready_team.team_units.get().unit
    check = services.recusal_application_file(
        membership=membership, unit=unit, kind=RecusalFactor.Kind.RELATIVE, description="配偶在该单位任会计", actor=user
    )
    assert (check.stage, check.result) == (3, RecusalCheck.Result.CONFLICT)
    assert RecusalFactor.objects.filter(cadre=cadre, unit=unit, is_active=True).exists()
    with pytest.raises(DomainError, match="回避申请尚未处理"):
        services.round_change_phase(round=ready_team.round, to_phase=Phase.ONSITE, actor=office_user)
    services.membership_remove(membership=membership, actor=office_user, reason="本人申请回避，调整出组")
    check.refresh_from_db()
    assert check.result == RecusalCheck.Result.WITHDRAWN
    services.round_change_phase(round=ready_team.round, to_phase=Phase.ONSITE, actor=office_user)


def test_stage_three_someone_elses_application_is_refused(ready_team, jurisdiction, office_user, make_user):
    membership = ready_team.memberships.get()
    with pytest.raises(DomainError, match="只能为本人申请回避"):
        services.recusal_application_file(
            membership=membership, unit=ready_team.team_units.get().unit, kind="other", actor=make_user(Role.TEAM_MEMBER)
        )


# --- Team composition -----------------------------------------------------------------------------------


def test_overlapping_service_on_another_team_is_refused(team, jurisdiction, office_user):
    cadre = talent_cadre(jurisdiction)
    services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    later_round = RoundFactory(
        plan=team.round.plan, start_date=datetime.date(2026, 4, 15), end_date=datetime.date(2026, 6, 1)
    )
    other = TeamFactory(round=later_round)
    with pytest.raises(DomainError, match="时间重叠") as info:
        services.team_add_member(team=other, cadre=cadre, position="member", actor=office_user)
    assert info.value.field == "cadre"
    not_overlapping = TeamFactory(
        round=RoundFactory(plan=team.round.plan, start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 6, 1))
    )
    services.team_add_member(team=not_overlapping, cadre=cadre, position="member", actor=office_user)


def test_a_removed_member_no_longer_overlaps(team, jurisdiction, office_user):
    cadre = talent_cadre(jurisdiction)
    membership = services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    services.membership_remove(membership=membership, actor=office_user, reason="工作调整")
    other = TeamFactory(round=RoundFactory(plan=team.round.plan))
    services.team_add_member(team=other, cadre=cadre, position="member", actor=office_user)


def test_pools_and_single_leader(team, jurisdiction, office_user):
    with pytest.raises(DomainError, match="组长、副组长须从组长库"):
        services.team_add_member(team=team, cadre=talent_cadre(jurisdiction), position="leader", actor=office_user)
    with pytest.raises(DomainError, match="组员须从人才库"):
        services.team_add_member(team=team, cadre=leader_cadre(jurisdiction), position="member", actor=office_user)
    services.team_add_member(team=team, cadre=leader_cadre(jurisdiction), position="leader", actor=office_user)
    with pytest.raises(DomainError, match="本组已有组长"):
        services.team_add_member(team=team, cadre=leader_cadre(jurisdiction), position="leader", actor=office_user)


def test_team_warns_without_finance_specialist(ready_team, jurisdiction, office_user):
    assert any("审计或财务" in w for w in selectors.team_warnings(ready_team))
    auditor = talent_cadre(jurisdiction)
    auditor.specialties.add(Specialty.objects.get_or_create(code="audit-t", defaults={"name": "审计T", "counts_as_finance": True})[0])
    services.team_add_member(team=ready_team, cadre=auditor, position="member", actor=office_user)
    assert selectors.team_warnings(ready_team) == []


def test_lookback_round_needs_an_earlier_rectified_round(jurisdiction, office_user):
    plan = PlanFactory(jurisdiction=jurisdiction)
    earlier = RoundFactory(plan=plan, phase=Phase.COMPLETED)
    running = RoundFactory(plan=plan, phase=Phase.ONSITE)
    dates = {"start_date": datetime.date(2026, 9, 1), "end_date": datetime.date(2026, 9, 30)}
    with pytest.raises(DomainError, match="须选择对应的原轮次"):
        services.round_create(plan=plan, kind="lookback", actor=office_user, **dates)
    with pytest.raises(DomainError, match="已进入整改或已完成"):
        services.round_create(plan=plan, kind="lookback", lookback_of=[running], actor=office_user, **dates)
    with pytest.raises(DomainError, match="只有巡察“回头看”"):
        services.round_create(plan=plan, kind="regular", lookback_of=[earlier], actor=office_user, **dates)
    lookback = services.round_create(plan=plan, kind="lookback", lookback_of=[earlier], actor=office_user, **dates)
    assert list(lookback.lookback_of.all()) == [earlier] and list(earlier.lookbacks.all()) == [lookback]
