"""Issue 13 item 1: a team's authority over rectification has a time.

The team of the feedback's round reads and closes (销号) that feedback's tasks until the round is completed; a
look-back team does so for the units it revisits while the look-back round runs, with an active place and the
assignment in force. A member of an earlier round of the same unit, a member taken off the team and a team whose
assignment was withdrawn see nothing and do nothing: pages, the API and the services answer alike.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from inspection.core import access
from inspection.core.exceptions import DomainError
from rectification import services
from rectification.models import Evidence, LookbackCheck, PlanStatus, Task, TaskStatus
from rounds import services as round_services
from rounds.models import Membership, Phase, RoundKind, TeamUnit
from tests.factories import CadreFactory

from .factories import RoundFactory, TaskFactory, TeamUnitFactory, make_feedback

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CLOSE = {"verb": "close", "reason": "经核查整改到位，同意销号。"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def place(user, team_unit, position=Membership.Position.MEMBER):
    """An active place for `user` on the team of `team_unit`."""
    return Membership.objects.create(
        team=team_unit.team, cadre=CadreFactory(jurisdiction=user.jurisdiction, user=user), position=position,
        start_date=team_unit.round.start_date, end_date=team_unit.round.end_date,
    )


def set_phase(round, phase):
    round.phase = phase
    round.save(update_fields=["phase"])


def submitted_task(plan, finding, liaison):
    """A task the unit has reported on with one evidence file and asked to close."""
    task = TaskFactory(plan=plan, finding=finding)
    services.progress_report(
        task=task, actor=liaison, reported_on=TODAY, description="已完成清退",
        files=[SimpleUploadedFile("整改佐证材料.pdf", PDF, content_type="application/pdf")],
    )
    services.task_transition(task=task, actor=liaison, verb="submit")
    task.refresh_from_db()
    return task


@pytest.fixture
def same_unit(jurisdiction, make_user, settings, tmp_path):
    """One unit inspected in 2023 (round completed) and again in 2026 (round in rectification), each round's team
    with its own member; the 2026 feedback has two submitted tasks with evidence."""
    settings.MEDIA_ROOT = tmp_path
    liaison = make_user(Role.UNIT_LIAISON)
    unit = liaison.unit
    earlier = RoundFactory(jurisdiction=jurisdiction, phase=Phase.COMPLETED,
                           start_date=TODAY - timedelta(days=1100), end_date=TODAY - timedelta(days=1070))
    old_feedback, old_plan, old_findings = make_feedback(
        jurisdiction=jurisdiction, unit=unit, round=earlier, findings=1, held_days_ago=1000,
        plan_status=PlanStatus.ACCEPTED,
    )
    old_task = TaskFactory(plan=old_plan, finding=old_findings[0], status=TaskStatus.CLOSED, closed_at=timezone.now())
    later = RoundFactory(jurisdiction=jurisdiction, phase=Phase.RECTIFICATION)
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=unit, round=later, findings=2, plan_status=PlanStatus.ACCEPTED
    )
    tasks = [submitted_task(plan, finding, liaison) for finding in findings]
    earlier_member, member = make_user(Role.TEAM_MEMBER), make_user(Role.TEAM_MEMBER)
    place(earlier_member, TeamUnit.objects.get(round=earlier, unit=unit))
    member_place = place(member, TeamUnit.objects.get(round=later, unit=unit))
    return {
        "earlier_member": earlier_member, "member": member, "member_place": member_place, "later": later,
        "tasks": tasks, "old_task": old_task, "evidence": Evidence.objects.filter(progress__task=tasks[0]).get(),
    }


def visible_task_ids(user):
    return set(access.visible(user, Task).values_list("pk", flat=True))


def test_a_member_of_an_earlier_round_of_the_unit_reads_and_closes_nothing_of_the_later_one(client, same_unit):
    user, task = same_unit["earlier_member"], same_unit["tasks"][0]
    # The earlier round is completed: its own tasks are closed to the team too (it reads nothing new).
    assert visible_task_ids(user) == set()
    client.force_login(user)
    assert client.get(reverse("rectification:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("rectification:evidence_download", args=[same_unit["evidence"].pk])).status_code == 404
    assert client.post(reverse("rectification:task_transition", args=[task.pk]), CLOSE).status_code == 404
    assert api(user).get(f"/api/rectification/tasks/{task.pk}/").status_code == 404
    assert api(user).post(f"/api/rectification/tasks/{task.pk}/close/", {"reason": "x"}, format="json").status_code == 404
    with pytest.raises(DomainError, match="只有反馈该问题的巡察组"):
        services.task_transition(task=task, actor=user, verb="close", reason="同意销号")
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED and not task.status_changes.filter(to_status=TaskStatus.CLOSED).exists()


def test_the_team_of_the_feedbacks_round_reads_and_closes_until_the_round_is_completed(client, same_unit):
    user, (first, second) = same_unit["member"], same_unit["tasks"]
    assert visible_task_ids(user) == {first.pk, second.pk}
    client.force_login(user)
    download = client.get(reverse("rectification:evidence_download", args=[same_unit["evidence"].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.post(reverse("rectification:task_transition", args=[first.pk]), CLOSE).status_code == 302
    first.refresh_from_db()
    assert first.status == TaskStatus.CLOSED and first.status_changes.get(to_status=TaskStatus.CLOSED).actor == user
    # The round ends: the same member reads nothing new and closes nothing.
    set_phase(same_unit["later"], Phase.COMPLETED)
    assert visible_task_ids(user) == set()
    assert client.get(reverse("rectification:task_detail", args=[second.pk])).status_code == 404
    assert client.get(reverse("rectification:evidence_download", args=[same_unit["evidence"].pk])).status_code == 404
    assert client.post(reverse("rectification:task_transition", args=[second.pk]), CLOSE).status_code == 404
    assert api(user).post(f"/api/rectification/tasks/{second.pk}/close/", {"reason": "x"}, format="json").status_code == 404
    second.refresh_from_db()
    assert second.status == TaskStatus.SUBMITTED


def test_the_api_close_is_the_same_rule(same_unit):
    user, task = same_unit["member"], same_unit["tasks"][1]
    response = api(user).post(f"/api/rectification/tasks/{task.pk}/close/", {"reason": "同意销号"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == TaskStatus.CLOSED


def test_a_member_taken_off_the_team_reads_and_closes_nothing(client, same_unit, office_user):
    user, task = same_unit["member"], same_unit["tasks"][0]
    # Taken off while on site (the only time a team changes), the round has since moved on to rectification.
    set_phase(same_unit["later"], Phase.ONSITE)
    round_services.membership_remove(membership=same_unit["member_place"], actor=office_user, reason="本人申请回避")
    set_phase(same_unit["later"], Phase.RECTIFICATION)
    assert visible_task_ids(user) == set()
    client.force_login(user)
    assert client.post(reverse("rectification:task_transition", args=[task.pk]), CLOSE).status_code == 404
    assert api(user).post(f"/api/rectification/tasks/{task.pk}/close/", {"reason": "x"}, format="json").status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


# --- Look-back (回头看) ------------------------------------------------------------------------------------


@pytest.fixture
def lookback(jurisdiction, make_user, office_user):
    """A look-back of a completed round: its team revisits two units fed back then; one of them is moved to another
    team of the look-back before going on site. Each unit's earlier feedback has one closed task."""
    original = RoundFactory(jurisdiction=jurisdiction, phase=Phase.COMPLETED)
    kept, kept_plan, kept_findings = make_feedback(jurisdiction=jurisdiction, round=original, findings=1,
                                                   plan_status=PlanStatus.ACCEPTED)
    dropped, dropped_plan, dropped_findings = make_feedback(jurisdiction=jurisdiction, round=original, findings=1,
                                                            plan_status=PlanStatus.ACCEPTED)
    closed = {"status": TaskStatus.CLOSED, "closed_at": timezone.now()}
    kept_task = TaskFactory(plan=kept_plan, finding=kept_findings[0], **closed)
    dropped_task = TaskFactory(plan=dropped_plan, finding=dropped_findings[0], **closed)
    round_ = RoundFactory(jurisdiction=jurisdiction, kind=RoundKind.LOOKBACK, phase=Phase.PREPARATION)
    round_.lookback_of.add(original)
    kept_assignment = TeamUnitFactory(team__round=round_, unit=kept.unit)
    dropped_assignment = TeamUnitFactory(team=kept_assignment.team, unit=dropped.unit)
    leader, member = make_user(Role.TEAM_LEADER), make_user(Role.TEAM_MEMBER)
    place(leader, kept_assignment, Membership.Position.LEADER)
    member_place = place(member, kept_assignment)
    other_team = TeamUnitFactory(team__round=round_).team
    round_services.team_unit_withdraw(team_unit=dropped_assignment, actor=office_user, reason="改由第二组巡察",
                                      to_team=other_team)
    set_phase(round_, Phase.ONSITE)
    return {"round": round_, "leader": leader, "member": member, "member_place": member_place,
            "kept_task": kept_task, "dropped_task": dropped_task}


def check_url(lookback, task):
    return reverse("rectification:lookback_check", args=[lookback["round"].pk, task.pk])


def api_check(user, lookback, task):
    return api(user).post("/api/rectification/lookback-checks/", {
        "lookback_round": lookback["round"].pk, "task": task.pk, "is_fixed": True, "notes": "已整改到位",
    }, format="json")


def test_the_lookback_team_sees_the_units_it_has_in_force_only(lookback):
    assert visible_task_ids(lookback["leader"]) == {lookback["kept_task"].pk}
    assert visible_task_ids(lookback["member"]) == {lookback["kept_task"].pk}


def test_no_verdict_on_a_unit_whose_assignment_was_withdrawn(client, lookback):
    leader, task = lookback["leader"], lookback["dropped_task"]
    client.force_login(leader)
    assert client.post(check_url(lookback, task), {"is_fixed": "1", "notes": "已整改到位"}).status_code == 404
    assert api_check(leader, lookback, task).status_code == 404
    with pytest.raises(DomainError, match="不在本次“回头看”负责该单位的巡察组"):
        services.lookback_check_record(lookback_round=lookback["round"], task=task, actor=leader, is_fixed=True,
                                       notes="已整改到位")
    assert not LookbackCheck.objects.exists()


def test_no_verdict_from_a_cadre_taken_off_the_lookback_team(client, lookback, office_user):
    member, task = lookback["member"], lookback["kept_task"]
    assert visible_task_ids(member) == {task.pk}
    round_services.membership_remove(membership=lookback["member_place"], actor=office_user, reason="本人申请回避")
    assert visible_task_ids(member) == set()
    client.force_login(member)
    assert client.get(reverse("rectification:lookback_detail", args=[lookback["round"].pk])).status_code == 404
    assert client.post(check_url(lookback, task), {"is_fixed": "1", "notes": "已整改到位"}).status_code == 404
    assert api_check(member, lookback, task).status_code == 404
    with pytest.raises(DomainError, match="不在本次“回头看”负责该单位的巡察组"):
        services.lookback_check_record(lookback_round=lookback["round"], task=task, actor=member, is_fixed=False,
                                       notes="仍未整改")
    assert not LookbackCheck.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED


def test_the_lookback_team_checks_while_its_round_runs(client, lookback):
    leader, task = lookback["leader"], lookback["kept_task"]
    set_phase(lookback["round"], Phase.COMPLETED)
    assert visible_task_ids(leader) == set()
    client.force_login(leader)
    assert client.get(reverse("rectification:lookback_list")).context["rounds"].count() == 0
    assert client.post(check_url(lookback, task), {"is_fixed": "1", "notes": "已整改到位"}).status_code == 404
    set_phase(lookback["round"], Phase.ONSITE)
    assert client.post(check_url(lookback, task), {"is_fixed": "1", "notes": "已整改到位"}).status_code == 302
    assert LookbackCheck.objects.get().checked_by == leader
