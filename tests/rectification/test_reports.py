"""整改情况报告: the unit drafts, submits once its plan is accepted, the office or the leading group accepts or
returns it with a reason; every move leaves a status-change row; the figures are counted, not typed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError, InvalidTransition
from rectification import services
from rectification.models import (
    PlanStatus,
    RectificationReport,
    ReportAttachment,
    ReportStatus,
    TaskStatus,
)

from .factories import TaskFactory, TeamUnitFactory, make_feedback

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def liaison(make_user):
    return make_user(Role.UNIT_LIAISON)


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE)


@pytest.fixture
def accepted(jurisdiction, liaison):
    """The liaison's unit, fed back 20 days ago, plan accepted, one task closed with results, one open."""
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED, held_days_ago=20
    )
    closed = TaskFactory(plan=plan, finding=findings[0])
    TaskFactory(plan=plan, finding=findings[1])
    services.progress_report(task=closed, actor=liaison, reported_on=TODAY, description="已退赔",
                             money_recovered=Decimal("3600"), rules_established_count=1,
                             rules_established_names="公务接待管理办法", people_held_accountable=2)
    type(closed).objects.filter(pk=closed.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    return feedback


def _draft(feedback, liaison, content="一、整改工作开展情况……"):
    return services.report_create(feedback=feedback, actor=liaison, content=content)


# --- Services -------------------------------------------------------------------------------------------


def test_report_walks_draft_submitted_returned_submitted_accepted(accepted, liaison, office, make_user):
    report = _draft(accepted, liaison)
    assert report.status == ReportStatus.DRAFT
    # Counted from the tasks and progress, never typed in.
    assert (report.findings_total, report.findings_rectified, report.tasks_total, report.tasks_closed) == (2, 1, 2, 1)
    assert (report.money_recovered, report.rules_established, report.people_held_accountable) == (Decimal("3600.00"), 1, 2)

    report = services.report_transition(report=report, actor=liaison, verb="submit")
    assert report.status == ReportStatus.SUBMITTED and report.submission_count == 1 and not report.is_late
    first = report.first_submitted_at

    with pytest.raises(DomainError, match="请填写退回原因"):
        services.report_transition(report=report, actor=office, verb="return", reason="  ")
    report = services.report_transition(report=report, actor=office, verb="return", reason="追责问责情况未写明")
    assert report.status == ReportStatus.RETURNED and report.return_reason == "追责问责情况未写明"

    report = services.report_update(report=report, actor=liaison, content="一、……二、追责问责2人……")
    report = services.report_transition(report=report, actor=liaison, verb="submit")
    assert report.submission_count == 2 and report.first_submitted_at == first

    leader = make_user(Role.LEADING_GROUP)
    report = services.report_transition(report=report, actor=leader, verb="accept")
    assert report.status == ReportStatus.ACCEPTED and report.accepted_at is not None
    moves = list(report.status_changes.values_list("from_status", "to_status", "reason"))
    assert moves == [
        ("draft", "submitted", ""), ("submitted", "returned", "追责问责情况未写明"),
        ("returned", "submitted", ""), ("submitted", "accepted", ""),
    ]
    # Every version is kept (resubmissions included): the first text is still in the history.
    assert report.history.filter(content="一、整改工作开展情况……").exists()


def test_bad_moves_are_refused_in_chinese(accepted, liaison, office):
    report = _draft(accepted, liaison)
    with pytest.raises(DomainError, match="不能执行该操作"):
        services.report_transition(report=report, actor=office, verb="accept")
    with pytest.raises(InvalidTransition, match="您的角色无权"):
        services.report_transition(report=report, actor=office, verb="submit")
    report = services.report_transition(report=report, actor=liaison, verb="submit")
    with pytest.raises(InvalidTransition, match="您的角色无权"):
        services.report_transition(report=report, actor=liaison, verb="accept")
    with pytest.raises(DomainError, match="不能修改"):
        services.report_update(report=report, actor=liaison, content="改")
    services.report_transition(report=report, actor=office, verb="accept")
    with pytest.raises(DomainError, match="不能执行该操作"):
        services.report_transition(report=report, actor=liaison, verb="submit")


def test_one_report_per_feedback(accepted, liaison):
    _draft(accepted, liaison)
    with pytest.raises(DomainError, match="已起草") as error:
        _draft(accepted, liaison)
    assert error.value.field == "feedback"


@pytest.mark.parametrize("plan_status", [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED])
def test_submitted_only_once_the_plan_is_accepted(jurisdiction, liaison, plan_status):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, plan_status=plan_status)
    report = _draft(feedback, liaison)
    with pytest.raises(DomainError, match="整改方案审核通过后才能报送整改情况报告"):
        services.report_transition(report=report, actor=liaison, verb="submit")
    assert RectificationReport.objects.get().status == ReportStatus.DRAFT


def test_empty_content_is_not_submitted(accepted, liaison):
    report = _draft(accepted, liaison, content=" ")
    with pytest.raises(DomainError, match="请填写整改情况") as error:
        services.report_transition(report=report, actor=liaison, verb="submit")
    assert error.value.field == "content"


def test_late_is_decided_by_the_first_submission(jurisdiction, liaison, office):
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, plan_status=PlanStatus.ACCEPTED, held_days_ago=90
    )
    assert feedback.report_due_on < TODAY
    report = services.report_transition(report=_draft(feedback, liaison), actor=liaison, verb="submit")
    assert report.is_late
    on_time, _, _ = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, held_days_ago=5)
    other_liaison = type(liaison).objects.create_user("l2", password="x", role=Role.UNIT_LIAISON,
                                                      jurisdiction=jurisdiction, unit=on_time.unit)
    report = services.report_transition(report=_draft(on_time, other_liaison), actor=other_liaison, verb="submit")
    assert not report.is_late


def test_attachments_use_the_evidence_checks(accepted, liaison, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile("整改情况报告（盖章）.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as error:
        services.report_create(feedback=accepted, actor=liaison, content="正文", files=[good, bad])
    assert error.value.field == "files" and not ReportAttachment.objects.exists()
    good.seek(0)
    report = services.report_create(feedback=accepted, actor=liaison, content="正文", files=[good])
    assert report.attachments.get().original_name == "整改情况报告（盖章）.pdf"


# --- Permissions ----------------------------------------------------------------------------------------


def test_who_may_read_write_and_review(accepted, liaison, office, make_user, client, other_jurisdiction):
    report = services.report_transition(report=_draft(accepted, liaison), actor=liaison, verb="submit")
    from inspection.core import access

    readers = [make_user(role) for role in (Role.LEADING_GROUP, Role.DISCIPLINE, Role.ORGANIZATION)]
    for user in [liaison, office, *readers]:
        assert access.can(user, "view", report), user.role
    assert access.can(office, "transition", report) and access.can(readers[0], "transition", report)
    assert not access.can(readers[1], "transition", report) and not access.can(readers[2], "transition", report)
    assert not access.can(office, "change", report)

    other_liaison = make_user(Role.UNIT_LIAISON)
    foreign_office = make_user(Role.OFFICE, jurisdiction=other_jurisdiction)
    for outsider in (other_liaison, foreign_office):
        assert not access.can(outsider, "view", report)
        client.force_login(outsider)
        assert client.get(reverse("rectification:report_detail", args=[report.pk])).status_code == 404
        assert client.post(reverse("rectification:report_transition", args=[report.pk]),
                           {"verb": "accept"}).status_code == 404
        assert client.get(reverse("rectification:report_edit", args=[accepted.pk])).status_code == 404


def test_team_members_of_the_round_read(accepted, liaison, make_user):
    from inspection.core import access
    from rounds.models import Membership
    from tests.factories import CadreFactory

    report = _draft(accepted, liaison)
    member = make_user(Role.TEAM_MEMBER)
    stranger = make_user(Role.TEAM_MEMBER)
    team_unit = TeamUnitFactory._meta.model.objects.get(round=accepted.round, unit=accepted.unit)
    Membership.objects.create(team=team_unit.team, cadre=CadreFactory(user=member, jurisdiction=member.jurisdiction),
                              position=Membership.Position.MEMBER, start_date=accepted.round.start_date,
                              end_date=accepted.round.end_date)
    assert access.can(member, "view", report) and not access.can(member, "change", report)
    assert not access.can(stranger, "view", report)


def test_liaison_writes_only_after_feedback(jurisdiction, liaison, client):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, held_days_ago=-3)
    client.force_login(liaison)
    assert client.get(reverse("rectification:report_edit", args=[feedback.pk])).status_code == 404
    with pytest.raises(DomainError, match="反馈会召开后"):
        services.report_create(feedback=feedback, actor=liaison, content="x")


# --- Figures --------------------------------------------------------------------------------------------


def test_reports_are_counted_in_the_figures(jurisdiction, accepted, liaison):
    from rectification.selectors import rectification_figures

    late, _, _ = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED, held_days_ago=90)
    figures = rectification_figures(jurisdiction)
    assert (figures["reports_due"], figures["reports_submitted"], figures["reports_missing"]) == (1, 0, 1)
    services.report_transition(report=_draft(accepted, liaison), actor=liaison, verb="submit")
    figures = rectification_figures(jurisdiction)
    assert (figures["reports_submitted"], figures["reports_late"], figures["reports_missing"]) == (1, 0, 1)
    assert late.report_due_on < TODAY - timedelta(days=1)
