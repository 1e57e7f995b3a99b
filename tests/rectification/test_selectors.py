"""Figures computed from the records, and who sees what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inspection.accounts.models import Role
from inspection.core import access
from rectification.models import Feedback, PlanStatus, Progress, Task, TaskStatus
from rectification.selectors import rectification_figures

from .factories import RoundFactory, TaskFactory, TeamUnitFactory, make_feedback

TODAY = timezone.localdate()


def _progress(task, money, rules, people):
    return Progress.objects.create(task=task, reported_on=TODAY, description="进展", money_recovered=Decimal(money),
                                   rules_established_count=rules, people_held_accountable=people,
                                   created_by=task.plan.feedback.created_by)


def test_figures_against_the_records(jurisdiction, other_jurisdiction):
    round_one = RoundFactory(jurisdiction=jurisdiction)
    f1, plan1, findings1 = make_feedback(jurisdiction=jurisdiction, round=round_one, findings=3,
                                         plan_status=PlanStatus.ACCEPTED)
    f2, plan2, findings2 = make_feedback(jurisdiction=jurisdiction, findings=2, plan_status=PlanStatus.ACCEPTED)
    closed = dict(status=TaskStatus.CLOSED, closed_at=timezone.now())
    t1 = TaskFactory(plan=plan1, finding=findings1[0], **closed)
    TaskFactory(plan=plan1, finding=findings1[1], **closed)
    TaskFactory(plan=plan1, finding=findings1[1], deadline=TODAY - timedelta(days=4))  # overdue, finding 2 open
    # findings1[2] has no task: not rectified
    t4 = TaskFactory(plan=plan2, finding=findings2[0], **closed)
    TaskFactory(plan=plan2, finding=findings2[1], status=TaskStatus.IN_PROGRESS)
    _progress(t1, "1000.50", 2, 1)
    _progress(t1, "200.00", 0, 0)
    _progress(t4, "50.25", 1, 3)
    # Another jurisdiction's records never count.
    f3, plan3, findings3 = make_feedback(jurisdiction=other_jurisdiction, findings=1)
    _progress(TaskFactory(plan=plan3, finding=findings3[0]), "99999", 9, 9)

    figures = rectification_figures(jurisdiction)
    assert figures == {
        "units": 2,
        "findings": 5,
        "findings_rectified": 2,
        "tasks": 5,
        "closed": 3,
        "completion_rate": Decimal("60.00"),
        "overdue": 1,
        "money_recovered": Decimal("1250.75"),
        "rules_established": 3,
        "people_held_accountable": 4,
        # No report is due yet (fed back within report_due_days), none sent.
        "reports_due": 0,
        "reports_submitted": 0,
        "reports_accepted": 0,
        "reports_late": 0,
        "reports_missing": 0,
    }
    by_round = rectification_figures(jurisdiction, round=round_one)
    assert (by_round["tasks"], by_round["closed"], by_round["findings"], by_round["money_recovered"]) == (
        3, 2, 3, Decimal("1200.50"))
    assert by_round["completion_rate"] == Decimal("66.67")
    by_term_plan = rectification_figures(jurisdiction, plan=round_one.plan)
    assert by_term_plan["units"] == 1
    assert rectification_figures(jurisdiction, unit=f2.unit)["tasks"] == 2


def test_empty_figures_are_zero(jurisdiction):
    figures = rectification_figures(jurisdiction)
    assert figures["tasks"] == 0 and figures["completion_rate"] == Decimal("0.00")
    assert figures["money_recovered"] == Decimal("0")


@pytest.fixture
def two_units(jurisdiction, make_user):
    liaison = make_user(Role.UNIT_LIAISON)
    own = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit)
    other = make_feedback(jurisdiction=jurisdiction)
    return liaison, own, other


def test_liaison_sees_only_own_unit(two_units):
    liaison, own, other = two_units
    assert list(access.visible(liaison, Feedback)) == [own[0]]
    TaskFactory(plan=own[1], finding=own[2][0])
    TaskFactory(plan=other[1], finding=other[2][0])
    assert {t.plan_id for t in access.visible(liaison, Task)} == {own[1].pk}


def test_liaison_sees_nothing_before_the_feedback_is_held(jurisdiction, make_user):
    liaison = make_user(Role.UNIT_LIAISON)
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit)
    Feedback.objects.filter(pk=feedback.pk).update(held_on=TODAY + timedelta(days=2))
    assert not access.visible(liaison, Feedback).exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION])
def test_oversight_roles_see_their_jurisdiction_only(role, two_units, make_user, other_jurisdiction):
    make_feedback(jurisdiction=other_jurisdiction)
    user = make_user(role)
    assert access.visible(user, Feedback).count() == 2
    is_office = role == Role.OFFICE
    assert access.can(user, "add", Feedback) is is_office
    assert not access.can(user, "report_progress", Task)


def test_team_sees_the_units_its_team_fed_back_in_that_round(jurisdiction, make_user, two_units):
    from rounds.models import Membership, TeamUnit
    from tests.factories import CadreFactory

    liaison, own, other = two_units
    member, later_member = make_user(Role.TEAM_MEMBER), make_user(Role.TEAM_MEMBER)
    team_unit = TeamUnit.objects.get(round=other[0].round, unit=other[0].unit)
    Membership.objects.create(team=team_unit.team, cadre=CadreFactory(jurisdiction=jurisdiction, user=member),
                              position="member", start_date=TODAY, end_date=TODAY)
    assert list(access.visible(member, Feedback)) == [other[0]]
    # A team of another round that inspected the same unit sees nothing of this round's rectification (this test
    # used to give it the feedback: "any team that ever inspected the unit", the defect of issue 13 item 1).
    later = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction), unit=other[0].unit)
    Membership.objects.create(team=later.team, cadre=CadreFactory(jurisdiction=jurisdiction, user=later_member),
                              position="member", start_date=TODAY, end_date=TODAY)
    assert list(access.visible(later_member, Feedback)) == []
