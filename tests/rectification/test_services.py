from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError, InvalidTransition
from rectification import services
from rectification.models import (
    Evaluation,
    Grade,
    PlanStatus,
    Task,
    TaskKind,
    TaskStatus,
)
from rounds.models import Membership, RoundKind
from tests.factories import CadreFactory

from .factories import FindingFactory, RoundFactory, TaskFactory, TeamUnitFactory, make_feedback

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def liaison(make_user):
    return make_user(Role.UNIT_LIAISON)


@pytest.fixture
def fed_back(jurisdiction, liaison):
    return make_feedback(jurisdiction=jurisdiction, unit=liaison.unit)


def _task(plan, finding, **fields):
    fields.setdefault("deadline", timezone.localdate() + timedelta(days=30))
    return TaskFactory(plan=plan, finding=finding, **fields)


# --- Feedback -------------------------------------------------------------------------------------------


def test_feedback_takes_the_approved_findings_and_starts_the_clock(jurisdiction, office_user):
    team_unit = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    approved = [FindingFactory(team=team_unit.team, unit=team_unit.unit) for _ in range(2)]
    FindingFactory(team=team_unit.team, unit=team_unit.unit, status="withdrawn", approved_at=None,
                   withdrawn_at=timezone.now(), withdrawn_reason="经核实不构成问题")
    held_on = timezone.localdate() - timedelta(days=3)
    feedback = services.feedback_record(
        actor=office_user, round=team_unit.round, unit=team_unit.unit, held_on=held_on,
        place="会议室", attendees="班子成员", letter_number="清巡反〔2026〕3号",
    )
    assert [item.finding for item in feedback.problem_items.all()] == approved
    assert feedback.plan_due_on == held_on + timedelta(days=jurisdiction.plan_due_days)
    assert feedback.report_due_on == held_on + timedelta(days=jurisdiction.report_due_days)
    assert feedback.plan.status == PlanStatus.DRAFT
    with pytest.raises(DomainError, match="已登记"):
        services.feedback_record(
            actor=office_user, round=team_unit.round, unit=team_unit.unit, held_on=held_on,
            place="会议室", attendees="班子成员", letter_number="x",
        )


def test_feedback_refuses_a_future_date_and_a_unit_without_approved_findings(jurisdiction, office_user):
    team_unit = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    kwargs = {"actor": office_user, "round": team_unit.round, "unit": team_unit.unit, "place": "p",
              "attendees": "a", "letter_number": "n"}
    with pytest.raises(DomainError) as error:
        services.feedback_record(held_on=timezone.localdate() - timedelta(days=1), **kwargs)
    assert error.value.field == "unit"
    FindingFactory(team=team_unit.team, unit=team_unit.unit)
    with pytest.raises(DomainError) as error:
        services.feedback_record(held_on=timezone.localdate() + timedelta(days=1), **kwargs)
    assert error.value.field == "held_on"


# --- Plan acceptance ------------------------------------------------------------------------------------


def test_a_finding_without_a_task_keeps_the_plan_from_being_submitted(fed_back, liaison):
    feedback, plan, findings = fed_back
    _task(plan, findings[0])
    with pytest.raises(DomainError, match="1 个问题未制定整改任务") as error:
        services.plan_transition(plan=plan, actor=liaison, verb="submit")
    assert error.value.field == "tasks"
    _task(plan, findings[1])
    plan = services.plan_transition(plan=plan, actor=liaison, verb="submit")
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.status_changes.get().to_status == PlanStatus.SUBMITTED


def test_office_accepts_or_returns_with_a_reason(fed_back, liaison, office_user):
    feedback, plan, findings = fed_back
    for finding in findings:
        _task(plan, finding)
    services.plan_transition(plan=plan, actor=liaison, verb="submit")
    with pytest.raises(InvalidTransition):
        services.plan_transition(plan=plan, actor=liaison, verb="accept")
    with pytest.raises(DomainError, match="退回原因"):
        services.plan_transition(plan=plan, actor=office_user, verb="return")
    plan = services.plan_transition(plan=plan, actor=office_user, verb="return", reason="措施不具体")
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "措施不具体"
    services.plan_transition(plan=plan, actor=liaison, verb="submit")
    plan = services.plan_transition(plan=plan, actor=office_user, verb="accept")
    assert plan.status == PlanStatus.ACCEPTED and plan.accepted_at is not None


def test_a_task_added_after_a_finding_loses_its_task_blocks_acceptance(fed_back, liaison, office_user):
    """The rule is checked again at acceptance, not only at submission."""
    feedback, plan, findings = fed_back
    for finding in findings:
        _task(plan, finding)
    services.plan_transition(plan=plan, actor=liaison, verb="submit")
    Task.objects.filter(plan=plan, finding=findings[1]).update(finding=findings[0])
    with pytest.raises(DomainError, match="未制定整改任务"):
        services.plan_transition(plan=plan, actor=office_user, verb="accept")


# --- Tasks ----------------------------------------------------------------------------------------------


def test_immediate_task_deadline_within_immediate_fix_days(fed_back, liaison, jurisdiction):
    feedback, plan, findings = fed_back
    fields = {"plan": plan, "actor": liaison, "finding": findings[0], "measures": "立即清退",
              "responsible_leader": "李书记", "responsible_department": "财务股", "kind": TaskKind.IMMEDIATE}
    too_late = feedback.held_on + timedelta(days=jurisdiction.immediate_fix_days + 1)
    with pytest.raises(DomainError, match="立行立改") as error:
        services.task_create(deadline=too_late, **fields)
    assert error.value.field == "deadline"
    task = services.task_create(deadline=feedback.held_on + timedelta(days=jurisdiction.immediate_fix_days), **fields)
    assert task.status == TaskStatus.PENDING


def test_task_must_be_for_a_finding_on_the_problem_list(fed_back, liaison):
    feedback, plan, findings = fed_back
    stranger = FindingFactory()
    with pytest.raises(DomainError, match="问题清单") as error:
        services.task_create(
            plan=plan, actor=liaison, finding=stranger, measures="m", responsible_leader="l",
            responsible_department="d", deadline=timezone.localdate() + timedelta(days=5), kind=TaskKind.TIME_LIMITED,
        )
    assert error.value.field == "finding"


@pytest.fixture
def accepted(jurisdiction, liaison):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED)
    task = _task(plan, findings[0])
    for finding in findings[1:]:
        _task(plan, finding)
    return feedback, plan, task


def test_progress_with_evidence_then_close(accepted, liaison, office_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    feedback, plan, task = accepted
    with pytest.raises(DomainError, match="先报送整改进展"):
        services.task_transition(task=task, actor=liaison, verb="submit")
    upload = SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")
    progress = services.progress_report(
        task=task, actor=liaison, reported_on=timezone.localdate(), description="已清退超标准费用",
        money_recovered=Decimal("12800.50"), rules_established_count=2,
        rules_established_names="公务接待管理办法\n财务报销审批制度", people_held_accountable=1, files=[upload],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    evidence = progress.evidence.get()
    assert evidence.original_name == "整改报告.pdf" and evidence.content_type == "application/pdf"
    assert evidence.file.path.startswith(str(tmp_path))
    services.task_transition(task=task, actor=liaison, verb="submit")
    with pytest.raises(InvalidTransition):
        services.task_transition(task=task, actor=liaison, verb="close")
    with pytest.raises(DomainError) as refused:  # issue 16: every close carries its verification opinion
        services.task_transition(task=task, actor=office_user, verb="close")
    assert refused.value.field == "verification_opinion" and refused.value.message.startswith("请填写核验意见")
    task = services.task_close(task=task, actor=office_user, opinion="经实地核查，整改到位，同意销号。")
    assert task.status == TaskStatus.CLOSED and task.closed_at is not None
    assert task.verification_opinion == "经实地核查，整改到位，同意销号。"
    assert [c.to_status for c in task.status_changes.all()] == [
        TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.CLOSED,
    ]


def test_evidence_is_checked_by_content_not_by_name(accepted, liaison, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    feedback, plan, task = accepted
    fake = SimpleUploadedFile("看起来是PDF.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(DomainError, match="类型不受支持") as error:
        services.progress_report(task=task, actor=liaison, reported_on=timezone.localdate(), description="d", files=[fake])
    assert error.value.field == "files"
    assert not task.progress_reports.exists()


def test_rule_names_must_match_the_count(accepted, liaison):
    feedback, plan, task = accepted
    with pytest.raises(DomainError) as error:
        services.progress_report(task=task, actor=liaison, reported_on=timezone.localdate(), description="d",
                                 rules_established_count=2, rules_established_names="只有一项")
    assert error.value.field == "rules_established_names"


def test_returned_task_needs_reason_and_goes_back(accepted, liaison, office_user):
    feedback, plan, task = accepted
    services.progress_report(task=task, actor=liaison, reported_on=timezone.localdate(), description="d")
    services.task_transition(task=task, actor=liaison, verb="submit")
    with pytest.raises(DomainError, match="原因"):
        services.task_transition(task=task, actor=office_user, verb="return")
    task = services.task_transition(task=task, actor=office_user, verb="return", reason="佐证材料不足")
    assert task.status == TaskStatus.RETURNED and task.return_reason == "佐证材料不足"
    assert task.status_changes.last().reason == "佐证材料不足"


def test_tasks_do_not_move_before_the_plan_is_accepted(fed_back, liaison):
    feedback, plan, findings = fed_back
    task = _task(plan, findings[0])
    with pytest.raises(DomainError, match="审核通过后"):
        services.task_transition(task=task, actor=liaison, verb="start")


@pytest.mark.django_db
def test_closed_at_is_set_exactly_when_closed(accepted):
    feedback, plan, task = accepted
    with pytest.raises(IntegrityError):
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.CLOSED)


# --- Evaluation -----------------------------------------------------------------------------------------


def test_weights_must_sum_to_100(jurisdiction, office_user):
    with pytest.raises(DomainError, match="之和应为 100"):
        services.weights_save(jurisdiction=jurisdiction, actor=office_user,
                              self_weight=20, public_weight=30, supervision_weight=20, onsite_weight=20)
    weights = services.weights_save(jurisdiction=jurisdiction, actor=office_user,
                                    self_weight=10, public_weight=40, supervision_weight=20, onsite_weight=30)
    assert weights.public_weight == 40


@pytest.mark.parametrize(
    ("scores", "total", "grade"),
    [
        ((100, 90, 90, 90), Decimal("91.00"), Grade.EXCELLENT),
        ((90, 80, 80, 80), Decimal("81.00"), Grade.GOOD),
        ((60, 60, 60, 60), Decimal("60.00"), Grade.FAIR),
        ((70, 50, 60, 55), Decimal("56.50"), Grade.POOR),
    ],
)
def test_evaluation_total_and_grade(fed_back, office_user, jurisdiction, scores, total, grade):
    feedback, plan, findings = fed_back
    services.weights_save(jurisdiction=jurisdiction, actor=office_user,
                          self_weight=10, public_weight=30, supervision_weight=30, onsite_weight=30)
    evaluation = services.evaluation_save(
        feedback=feedback, actor=office_user,
        **dict(zip(("self_score", "public_score", "supervision_score", "onsite_score"), scores, strict=True)),
    )
    assert (evaluation.total, evaluation.grade) == (total, grade)
    assert Evaluation.objects.get().weights["self_weight"] == 10


# --- Look-back ------------------------------------------------------------------------------------------


def test_lookback_reopens_a_closed_task_that_is_not_fixed(accepted, jurisdiction, make_user):
    feedback, plan, task = accepted
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    lookback = RoundFactory(jurisdiction=jurisdiction, kind=RoundKind.LOOKBACK)
    lookback.lookback_of.add(feedback.round)
    team_unit = TeamUnitFactory(team__round=lookback, unit=feedback.unit)
    leader = make_user(Role.TEAM_LEADER)
    Membership.objects.create(team=team_unit.team, cadre=CadreFactory(jurisdiction=jurisdiction, user=leader),
                              position=Membership.Position.LEADER, start_date=lookback.start_date,
                              end_date=lookback.end_date)
    new_deadline = timezone.localdate() + timedelta(days=45)
    check = services.lookback_check_record(lookback_round=lookback, task=task, actor=leader, is_fixed=False,
                                           notes="超标准接待问题仍然存在", new_deadline=new_deadline)
    task.refresh_from_db()
    assert not check.is_fixed
    assert task.status == TaskStatus.REOPENED and task.closed_at is None and task.deadline == new_deadline
    assert check.reopening.deadline == new_deadline and check.reopening.reason == "回头看核查未整改到位：超标准接待问题仍然存在"
    with pytest.raises(DomainError, match="已核查"):
        services.lookback_check_record(lookback_round=lookback, task=task, actor=leader, is_fixed=True, notes="x")


def test_lookback_only_for_units_it_revisits(accepted, jurisdiction, make_user):
    feedback, plan, task = accepted
    lookback = RoundFactory(jurisdiction=jurisdiction, kind=RoundKind.LOOKBACK)
    lookback.lookback_of.add(feedback.round)
    with pytest.raises(DomainError, match="巡察对象"):
        services.lookback_check_record(lookback_round=lookback, task=task, actor=make_user(Role.OFFICE),
                                       is_fixed=True, notes="已整改")


def test_a_bare_reopen_move_is_refused_it_needs_a_new_time_limit(accepted, office_user):
    feedback, plan, task = accepted
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    with pytest.raises(DomainError, match="重新整改须设定新的整改时限"):
        services.task_transition(task=task, actor=office_user, verb="reopen", reason="复查发现问题")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CLOSED
