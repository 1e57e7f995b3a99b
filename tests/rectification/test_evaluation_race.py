"""Issue 13 item 8: the effect evaluation (整改效果评价) of one feedback is one row. Two offices saving the first one
at once: the second waits for the first and is refused with what the first saved (API 400), never an
IntegrityError 500; a page opened before someone else saved does not silently replace their evaluation."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Role
from rectification import services
from rectification.models import Evaluation
from tests.rounds.concurrency import Race, api_as, two_transactions

from .factories import make_feedback

API = "/api/rectification/evaluations/"
# With the default weights (20/30/20/30): 87.50, 良好.
FIRST = {"self_score": "90", "public_score": "80", "supervision_score": "85", "onsite_score": "95"}
SECOND = {"self_score": "60", "public_score": "60", "supervision_score": "60", "onsite_score": "60"}


@pytest.fixture
def evaluating(jurisdiction, make_user):
    feedback, _, _ = make_feedback(jurisdiction=jurisdiction)
    return (feedback, make_user(Role.OFFICE, username="wang", display_name="王科长"),
            make_user(Role.OFFICE, username="liu", display_name="刘科员"))


def _stale_message(evaluation) -> str:
    return (f"已被他人修改，请刷新后重试：王科长于{timezone.localtime(evaluation.evaluated_at):%Y-%m-%d %H:%M}"
            "保存的评价为综合得分 87.50（良好）")


def _saved():
    return list(Evaluation.objects.values_list("feedback_id", "total", "grade", "evaluated_by__username"))


@pytest.mark.django_db
def test_a_page_opened_before_another_save_does_not_replace_it(client, evaluating):
    feedback, wang, liu = evaluating
    url = reverse("rectification:evaluation_edit", args=[feedback.pk])
    client.force_login(liu)
    shown = client.get(url).context["form"]["seen_evaluated_at"].value()
    assert shown == ""  # 刘 opens the page: no evaluation yet
    first = services.evaluation_save(feedback=feedback, actor=wang, **FIRST)  # 王 saves meanwhile

    response = client.post(url, {**SECOND, "notes": "", "seen_evaluated_at": shown})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [_stale_message(first)]
    assert _saved() == [(feedback.pk, Decimal("87.50"), "good", "wang")]
    # 刘's input is kept and the page now stands on 王's evaluation: saving again is a deliberate choice.
    assert form["self_score"].value() == "60" and form["seen_evaluated_at"].value() == first.evaluated_at.isoformat()
    response = client.post(url, {**SECOND, "notes": "复核后调整", "seen_evaluated_at": first.evaluated_at.isoformat()})
    assert response.status_code == 302
    assert _saved() == [(feedback.pk, Decimal("60.00"), "fair", "liu")]


@pytest.mark.django_db
def test_a_forged_marker_is_a_form_error(client, evaluating):
    feedback, wang, liu = evaluating
    client.force_login(liu)
    url = reverse("rectification:evaluation_edit", args=[feedback.pk])

    response = client.post(url, {**SECOND, "notes": "", "seen_evaluated_at": "昨天"})

    assert response.context["form"].errors == {"seen_evaluated_at": ["页面已过期，请刷新后重试"]}
    assert not Evaluation.objects.exists()


@two_transactions
def test_two_first_evaluations_at_once_make_one(monkeypatch, evaluating):
    feedback, wang, liu = evaluating
    race = Race()
    monkeypatch.setattr(services, "_lock_feedback_for_evaluation", race.hold(services._lock_feedback_for_evaluation))

    first, second = race.run(
        lambda: api_as(wang).post(API, {"feedback": feedback.pk, **FIRST, "notes": ""}, format="json"),
        lambda: api_as(liu).post(API, {"feedback": feedback.pk, **SECOND, "notes": ""}, format="json"),
    )

    assert race.second_was == "blocked"  # the second waited on the feedback row until the first committed
    assert first.error is None and first.result.status_code == 201 and first.result.json()["total"] == "87.50"
    assert second.error is None and second.result.status_code == 400
    assert second.result.json() == {"non_field_errors": [_stale_message(Evaluation.objects.get())]}
    assert _saved() == [(feedback.pk, Decimal("87.50"), "good", "wang")]
