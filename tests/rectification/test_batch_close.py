"""Issue 16 item 3: every close carries its verification opinion (核验意见), one task or a ticked set; a batch close
goes through the single close per task, lists each refusal with its Chinese reason and closes the rest; who may
close keeps its time (a member taken off the team closes nothing, in a batch either). A batch racing a single close
of the same task closes it once."""

import pytest
from django.urls import reverse

from rectification import services
from rectification.models import PlanStatus, Task, TaskStatus, TaskStatusChange
from rounds import services as round_services
from rounds.models import Phase
from tests.rounds.concurrency import Race, api_as, two_transactions

from .factories import TaskFactory, make_feedback
from .test_team_scope import same_unit, set_phase, submitted_task  # noqa: F401, F811 - the fixture of the team's time

OPINION = "经实地核查，查阅整改台账和退款凭证，整改到位，同意销号。"
NEEDS_OPINION = services.CLOSE_NEEDS_OPINION


@pytest.fixture
def tasks(jurisdiction, make_user, settings, tmp_path):
    """Two tasks asking to be closed, one still being worked on, one of another county (not visible)."""
    settings.MEDIA_ROOT = tmp_path
    liaison = make_user("unit_liaison")
    feedback, plan, findings = make_feedback(
        jurisdiction=jurisdiction, unit=liaison.unit, findings=3, plan_status=PlanStatus.ACCEPTED
    )
    ready = [submitted_task(plan, finding, liaison) for finding in findings[:2]]
    working = TaskFactory(plan=plan, finding=findings[2], status=TaskStatus.IN_PROGRESS)
    return {"ready": ready, "working": working, "liaison": liaison}


@pytest.fixture
def elsewhere(other_jurisdiction):
    _, plan, findings = make_feedback(jurisdiction=other_jurisdiction, findings=1, plan_status=PlanStatus.ACCEPTED)
    return TaskFactory(plan=plan, finding=findings[0], status=TaskStatus.SUBMITTED)


def closed_ids():
    return set(Task.objects.filter(status=TaskStatus.CLOSED).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_close_without_opinion_is_a_chinese_field_error_page_and_api(client, office_user, tasks):
    task = tasks["ready"][0]
    response = api_as(office_user).post(f"/api/rectification/tasks/{task.pk}/close/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"verification_opinion": [NEEDS_OPINION]}
    client.force_login(office_user)
    page = client.post(reverse("rectification:task_close", args=[task.pk]), {"verification_opinion": "  "})
    assert page.status_code == 200 and page.context["form"].errors == {"verification_opinion": [NEEDS_OPINION]}
    # The old move form without an opinion is refused too (a message, the task unchanged).
    client.post(reverse("rectification:task_transition", args=[task.pk]), {"verb": "close", "reason": ""})
    assert closed_ids() == set()

    response = api_as(office_user).post(
        f"/api/rectification/tasks/{task.pk}/close/", {"verification_opinion": OPINION}, format="json"
    )
    assert response.status_code == 200 and response.json()["verification_opinion"] == OPINION
    change = TaskStatusChange.objects.get(task=task, to_status=TaskStatus.CLOSED)
    assert change.reason == OPINION and change.actor == office_user
    detail = client.get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    assert "核验意见" in detail and OPINION in detail


@pytest.mark.django_db
def test_the_close_page_saves_the_opinion(client, office_user, tasks):
    task = tasks["ready"][0]
    client.force_login(office_user)
    detail = client.get(reverse("rectification:task_detail", args=[task.pk]))
    assert detail.context["can_close"] and "核验销号" in detail.content.decode()
    response = client.post(reverse("rectification:task_close", args=[task.pk]), {"verification_opinion": OPINION})
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).verification_opinion == OPINION


@pytest.mark.django_db
def test_batch_close_closes_exactly_the_closable_with_reasons_for_the_rest(office_user, tasks, elsewhere):
    ready, working = tasks["ready"], tasks["working"]
    ids = [ready[0].pk, working.pk, elsewhere.pk, ready[1].pk]

    response = api_as(office_user).post(
        "/api/rectification/tasks/batch-close/", {"ids": ids, "verification_opinion": OPINION}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert [i["id"] for i in body["succeeded"]] == [ready[0].pk, ready[1].pk]
    assert {i["status"] for i in body["succeeded"]} == {"已销号"}
    assert {i["id"]: i["message"] for i in body["failed"]} == {
        working.pk: "整改任务当前为“整改中”，不能执行该操作",
        elsewhere.pk: "不存在或无权查看",
    }
    assert closed_ids() == {ready[0].pk, ready[1].pk}
    # Each close is its own status change, with the opinion, and its own history row.
    for task in Task.objects.filter(pk__in=[ready[0].pk, ready[1].pk]):
        assert task.verification_opinion == OPINION
        assert list(task.status_changes.filter(to_status=TaskStatus.CLOSED).values_list("reason", "actor")) == [
            (OPINION, office_user.pk)
        ]
        assert task.history.filter(status=TaskStatus.CLOSED).count() == 1
    assert Task.objects.get(pk=working.pk).status == TaskStatus.IN_PROGRESS


@pytest.mark.django_db
def test_batch_close_without_opinion_closes_nothing(office_user, tasks):
    response = api_as(office_user).post(
        "/api/rectification/tasks/batch-close/", {"ids": [t.pk for t in tasks["ready"]], "verification_opinion": ""},
        format="json",
    )
    assert response.status_code == 400 and response.json() == {"verification_opinion": [NEEDS_OPINION]}
    assert closed_ids() == set()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["unit_liaison", "leading_group", "discipline"])
def test_who_does_not_verify_cannot_batch_close(make_user, tasks, role):
    user = tasks["liaison"] if role == "unit_liaison" else make_user(role)
    response = api_as(user).post(
        "/api/rectification/tasks/batch-close/", {"ids": [tasks["ready"][0].pk], "verification_opinion": OPINION},
        format="json",
    )
    assert response.status_code == 403
    assert closed_ids() == set()


@pytest.mark.django_db
def test_the_team_batch_closes_during_its_round_but_not_once_taken_off(client, same_unit, office_user):  # noqa: F811
    member, (first, second) = same_unit["member"], same_unit["tasks"]
    body = api_as(member).post(
        "/api/rectification/tasks/batch-close/", {"ids": [first.pk], "verification_opinion": OPINION}, format="json"
    ).json()
    assert [i["id"] for i in body["succeeded"]] == [first.pk]

    # Taken off while on site (the only time a team changes); the round has since moved on to rectification.
    set_phase(same_unit["later"], Phase.ONSITE)
    round_services.membership_remove(membership=same_unit["member_place"], actor=office_user, reason="本人申请回避")
    set_phase(same_unit["later"], Phase.RECTIFICATION)
    body = api_as(member).post(
        "/api/rectification/tasks/batch-close/", {"ids": [second.pk], "verification_opinion": OPINION}, format="json"
    ).json()
    assert body["succeeded"] == [] and body["failed"] == [{"id": second.pk, "label": "", "message": "不存在或无权查看"}]
    client.force_login(member)
    page = client.post(reverse("rectification:tasks_batch_close"), {"ids": [second.pk], "verification_opinion": OPINION})
    assert page.status_code == 200 and page.context["result"].failed_ids == [second.pk]
    assert Task.objects.get(pk=second.pk).status == TaskStatus.SUBMITTED


@pytest.mark.django_db
def test_the_task_list_offers_batch_close_and_the_result_page_lists_each(client, office_user, tasks):
    ready, working = tasks["ready"], tasks["working"]
    client.force_login(office_user)
    page = client.get(reverse("rectification:task_list"))
    assert page.context["can_batch_close"] and 'form="batch-close-form"' in page.content.decode()

    response = client.post(
        reverse("rectification:tasks_batch_close"), {"ids": [ready[0].pk, working.pk], "verification_opinion": OPINION}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "已办理 1 项" in text and "未能办理 1 项" in text
    assert "整改任务当前为“整改中”，不能执行该操作" in text and f"核验意见：{OPINION}" in text

    # Without an opinion: the form again, the choice kept, nothing closed.
    response = client.post(reverse("rectification:tasks_batch_close"), {"ids": [ready[1].pk]})
    assert response.context["form"].errors == {"verification_opinion": [NEEDS_OPINION]}
    assert [t.pk for t in response.context["chosen"]] == [ready[1].pk]
    assert closed_ids() == {ready[0].pk}


@pytest.mark.django_db
def test_the_liaison_sees_no_batch_form(client, tasks):
    client.force_login(tasks["liaison"])
    page = client.get(reverse("rectification:task_list"))
    assert not page.context["can_batch_close"] and "batch-close-form" not in page.content.decode()
    assert client.post(reverse("rectification:tasks_batch_close"), {"ids": [1]}).status_code == 403


@two_transactions
def test_a_batch_close_racing_a_single_close_closes_the_task_once(monkeypatch, jurisdiction, make_user, settings,
                                                                  tmp_path):
    settings.MEDIA_ROOT = tmp_path
    liaison = make_user("unit_liaison")
    office_a, office_b = make_user("office", username="wang"), make_user("office", username="liu")
    _, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=2,
                                      plan_status=PlanStatus.ACCEPTED)
    contested, other = (submitted_task(plan, finding, liaison) for finding in findings)
    race = Race()
    # Held after the row is locked and checked: the other side must wait for the lock, then find it closed.
    apply, held = services._apply_task_move, race.hold(services._apply_task_move)
    monkeypatch.setattr(
        services, "_apply_task_move", lambda task, **kw: (held if task.pk == contested.pk else apply)(task, **kw)
    )

    first, second = race.run(
        lambda: api_as(office_a).post(
            "/api/rectification/tasks/batch-close/", {"ids": [contested.pk, other.pk], "verification_opinion": OPINION},
            format="json",
        ),
        lambda: api_as(office_b).post(
            f"/api/rectification/tasks/{contested.pk}/close/", {"verification_opinion": "单独核验：整改到位"},
            format="json",
        ),
    )

    assert race.second_was == "blocked"
    assert first.error is None and first.result.status_code == 200
    assert [i["id"] for i in first.result.json()["succeeded"]] == [contested.pk, other.pk]
    assert second.error is None and second.result.status_code == 400
    assert second.result.json() == {"non_field_errors": ["整改任务当前为“已销号”，不能执行该操作"]}
    assert TaskStatusChange.objects.filter(task=contested, to_status=TaskStatus.CLOSED).count() == 1
    assert Task.objects.get(pk=contested.pk).verification_opinion == OPINION
