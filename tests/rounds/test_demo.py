import pytest

from inspection.core.team_scope import team_scope
from inspection.units import demo as units_demo
from rounds import demo, selectors
from rounds.models import CadreEvaluation, Inquiry, Membership, Petition, Phase, RecusalCheck, Team, TeamUnit

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_a_believable_term():
    context = units_demo.seed({})
    demo.seed(context)
    plan = context["plan"]
    assert plan.name == "清河县委十四届巡察规划（2022—2026年）" and plan.units.count() == 105
    coverage = selectors.plan_coverage(plan)
    assert 70 <= coverage["inspected"] < coverage["planned"] == 105
    phases = [r.phase for r in context["rounds"]]
    assert phases.count(Phase.COMPLETED) >= 3
    assert {Phase.RECTIFICATION, Phase.REFERRAL, Phase.ONSITE, Phase.PREPARATION} <= set(phases)
    assert context["liaison_unit"] in [tu.unit for tu in context["rectification_round"].team_units.all()]
    current = context["current_round"]
    first_team = current.teams.order_by("id").first()
    assert first_team.memberships.get(position=Membership.Position.LEADER).cadre == context["leader_cadre"]
    assert first_team.memberships.filter(cadre=context["member_cadre"], position="member", is_active=True).exists()
    overridden = RecusalCheck.objects.filter(result=RecusalCheck.Result.OVERRIDDEN)
    assert overridden.count() == 1 and overridden.get().override_reason
    assert RecusalCheck.objects.filter(result=RecusalCheck.Result.PASSED).count() > 50
    petitions = Petition.objects.all()
    assert petitions.filter(is_anonymous=True).exists() and petitions.filter(conclusion="untrue").exists()
    assert len(context["petitions"]) == petitions.count()
    edited = petitions.get(version=2)
    assert edited.round == context["current_round"] and edited.conclusion == Petition.Conclusion.PENDING
    assert edited.handling == "已约谈信访人核实有关情况，正在调取该单位相关账目和会议记录。"
    assert edited.history.first().history_change_reason == "补充办理情况"
    assert set(petitions.exclude(pk=edited.pk).values_list("version", flat=True)) == {1}
    assert set(Inquiry.objects.values_list("version", flat=True)) == {1} and Inquiry.objects.count() == 7
    assert context["teams"] and context["team_units"]
    zuzhang = context["users"]["zuzhang"]
    assert list(Team.objects.filter(pk__in=team_scope(zuzhang).team_ids())) == [first_team]
    assert CadreEvaluation.objects.filter(membership__team__round=context["rectification_round"]).exists()
    assert not CadreEvaluation.objects.filter(membership__team__round=current).exists()


def test_demo_moves_one_unit_after_a_late_recusal_application():
    context = units_demo.seed({})
    demo.seed(context)
    withdrawn = TeamUnit.all_objects.filter(withdrawn_at__isnull=False).select_related("round", "team")
    assert withdrawn.count() == 1
    row = withdrawn.get()
    assert row.round.phase == Phase.PREPARATION and row.withdrawn_by == context["users"]["office"]
    assert "申请回避" in row.withdrawal_reason and "改由第二巡察组巡察" in row.withdrawal_reason
    assert row.moved_to.team.name == "第二巡察组" and row.team.name == "第一巡察组"
    application = RecusalCheck.objects.get(trigger=RecusalCheck.Trigger.APPLICATION, unit__isnull=True, team=row.team)
    assert application.result == RecusalCheck.Result.WITHDRAWN
    assert row.pk not in {tu.pk for tu in context["team_units"]} and row.moved_to in context["team_units"]
    assert demo._move_one_unit_after_late_recusal(row.round, context["users"]["office"]) == row  # a rerun adds nothing
