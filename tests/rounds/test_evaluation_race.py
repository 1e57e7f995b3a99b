"""Issue 13 item 8: two people evaluating one cadre (考评) at once make one evaluation; the second is told what the
first saved (API 400 naming 修改理由), never an IntegrityError 500 on the one-to-one."""

import pytest

from inspection.accounts.models import Role
from rounds import services
from rounds.models import CadreEvaluation, Phase

from .concurrency import Race, api_as, two_transactions

API = "/api/cadre-evaluations/"


@pytest.fixture
def evaluating(scene, make_user, office_user):
    """The scene's round after on-site work, its team member to evaluate and two office users (王 and 刘)."""
    scene["round"].phase = Phase.FEEDBACK
    scene["round"].save()
    office_user.display_name = "王科长"
    office_user.save()
    member = scene["team_a"].memberships.get(position="member")
    return member, office_user, make_user(Role.OFFICE, username="office2", display_name="刘科员")


def _refusal(member):
    return f"{member.cadre.name}已有考评（王科长评定：85分，称职），修改已有考评须说明理由"


@pytest.mark.django_db
def test_a_second_first_evaluation_is_a_400_naming_the_one_saved(evaluating):
    member, wang, liu = evaluating
    assert api_as(wang).post(API, {"membership": member.pk, "score": 85}, format="json").status_code == 201

    response = api_as(liu).post(API, {"membership": member.pk, "score": 70, "comment": "一般"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"reason": [_refusal(member)]}
    assert list(CadreEvaluation.objects.values_list("membership_id", "score", "evaluated_by__username")) == [
        (member.pk, 85, "office")
    ]


@pytest.mark.django_db
def test_the_page_shows_the_same_refusal_as_a_form_error(evaluating, client):
    member, wang, liu = evaluating
    services.cadre_evaluate(membership=member, score=85, actor=wang)
    client.force_login(liu)

    response = client.post(f"/rounds/teams/{member.team_id}/evaluations/", {"membership": member.pk, "score": 70})

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": [_refusal(member)]}
    assert CadreEvaluation.objects.get().score == 85


@two_transactions
def test_two_first_evaluations_at_once_make_one(monkeypatch, evaluating):
    member, wang, liu = evaluating
    race = Race()
    monkeypatch.setattr(
        services, "_lock_membership_for_evaluation", race.hold(services._lock_membership_for_evaluation)
    )

    first, second = race.run(
        lambda: api_as(wang).post(API, {"membership": member.pk, "score": 85}, format="json"),
        lambda: api_as(liu).post(API, {"membership": member.pk, "score": 70}, format="json"),
    )

    assert race.second_was == "blocked"  # the second waited on the membership row until the first committed
    assert first.error is None and first.result.status_code == 201 and first.result.json()["grade"] == "competent"
    assert second.error is None and second.result.status_code == 400
    assert second.result.json() == {"reason": [_refusal(member)]}
    assert list(CadreEvaluation.objects.values_list("membership_id", "score", "evaluated_by__username")) == [
        (member.pk, 85, "office")
    ]
