"""Every (from, to) pair of the task and plan tables, for every role: allowed exactly when listed."""

import itertools

import pytest

from inspection.accounts.models import Role
from inspection.core.exceptions import InvalidTransition
from rectification.models import PlanStatus, ReportStatus, TaskStatus
from rectification.workflow import PLAN_TABLE, REPORT_TABLE, TASK_TABLE

VERIFY = {Role.OFFICE, Role.TEAM_LEADER, Role.TEAM_MEMBER}
LIAISON = {Role.UNIT_LIAISON}

EXPECTED_TASK_MOVES = {
    (TaskStatus.PENDING, TaskStatus.IN_PROGRESS): LIAISON,
    (TaskStatus.PENDING, TaskStatus.SUBMITTED): LIAISON,
    (TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED): LIAISON,
    (TaskStatus.SUBMITTED, TaskStatus.CLOSED): VERIFY,
    (TaskStatus.SUBMITTED, TaskStatus.RETURNED): VERIFY,
    (TaskStatus.RETURNED, TaskStatus.IN_PROGRESS): LIAISON,
    (TaskStatus.RETURNED, TaskStatus.SUBMITTED): LIAISON,
    (TaskStatus.CLOSED, TaskStatus.REOPENED): VERIFY,
    (TaskStatus.REOPENED, TaskStatus.IN_PROGRESS): LIAISON,
    (TaskStatus.REOPENED, TaskStatus.SUBMITTED): LIAISON,
}
EXPECTED_PLAN_MOVES = {
    (PlanStatus.DRAFT, PlanStatus.SUBMITTED): LIAISON,
    (PlanStatus.RETURNED, PlanStatus.SUBMITTED): LIAISON,
    (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED): {Role.OFFICE},
    (PlanStatus.SUBMITTED, PlanStatus.RETURNED): {Role.OFFICE},
}


def _cases(statuses, expected):
    for source, target in itertools.product(statuses, statuses):
        for role in Role.values:
            yield pytest.param(source, target, role, role in expected.get((source, target), set()),
                               id=f"{source}->{target}:{role}")


@pytest.mark.parametrize(("source", "target", "role", "allowed"), list(_cases(TaskStatus.values, EXPECTED_TASK_MOVES)))
def test_task_transition_table(source, target, role, allowed):
    if allowed:
        assert TASK_TABLE.check(source, target, role).target == target
    else:
        with pytest.raises(InvalidTransition):
            TASK_TABLE.check(source, target, role)


@pytest.mark.parametrize(("source", "target", "role", "allowed"), list(_cases(PlanStatus.values, EXPECTED_PLAN_MOVES)))
def test_plan_transition_table(source, target, role, allowed):
    if allowed:
        assert PLAN_TABLE.check(source, target, role).target == target
    else:
        with pytest.raises(InvalidTransition):
            PLAN_TABLE.check(source, target, role)


def test_returns_and_reopening_need_a_reason():
    assert TASK_TABLE.get(TaskStatus.SUBMITTED, TaskStatus.RETURNED).needs_reason
    assert TASK_TABLE.get(TaskStatus.CLOSED, TaskStatus.REOPENED).needs_reason
    assert PLAN_TABLE.get(PlanStatus.SUBMITTED, PlanStatus.RETURNED).needs_reason
    assert not TASK_TABLE.get(TaskStatus.SUBMITTED, TaskStatus.CLOSED).needs_reason


REVIEW = {Role.OFFICE, Role.LEADING_GROUP}
EXPECTED_REPORT_MOVES = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED): LIAISON,
    (ReportStatus.RETURNED, ReportStatus.SUBMITTED): LIAISON,
    (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED): REVIEW,
    (ReportStatus.SUBMITTED, ReportStatus.RETURNED): REVIEW,
}


@pytest.mark.parametrize(("source", "target", "role", "allowed"), list(_cases(ReportStatus.values, EXPECTED_REPORT_MOVES)))
def test_report_transition_table(source, target, role, allowed):
    if allowed:
        assert REPORT_TABLE.check(source, target, role).target == target
    else:
        with pytest.raises(InvalidTransition):
            REPORT_TABLE.check(source, target, role)


def test_a_report_is_returned_only_with_a_reason():
    assert REPORT_TABLE.get(ReportStatus.SUBMITTED, ReportStatus.RETURNED).needs_reason
    assert not REPORT_TABLE.get(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED).needs_reason
