import pytest
from rest_framework.test import APIClient

from inspection.core.exceptions import DomainError
from rounds import services
from rounds.models import CadreEvaluation, Phase

pytestmark = pytest.mark.django_db


def _member(scene):
    return scene["team_a"].memberships.get(position="member")


def test_evaluation_only_after_onsite_and_report(scene, office_user):
    with pytest.raises(DomainError, match="进入反馈阶段"):
        services.cadre_evaluate(membership=_member(scene), score=88, actor=office_user)


@pytest.mark.parametrize("score,grade", [(95, "excellent"), (90, "excellent"), (80, "competent"), (60, "basic"), (59, "incompetent")])
def test_grade_follows_score(scene, office_user, score, grade):
    scene["round"].phase = Phase.FEEDBACK
    scene["round"].save()
    evaluation = services.cadre_evaluate(membership=_member(scene), score=score, comment="工作认真", actor=office_user)
    assert evaluation.grade == grade


def test_changing_an_evaluation_needs_a_reason_and_keeps_history(scene, office_user):
    scene["round"].phase = Phase.COMPLETED
    scene["round"].save()
    membership = _member(scene)
    services.cadre_evaluate(membership=membership, score=85, actor=office_user)
    with pytest.raises(DomainError, match="须说明理由"):
        services.cadre_evaluate(membership=membership, score=92, actor=office_user)
    with pytest.raises(DomainError, match="0至100"):
        services.cadre_evaluate(membership=membership, score=101, actor=office_user, reason="更正")
    evaluation = services.cadre_evaluate(membership=membership, score=92, actor=office_user, reason="补充了线索发现情况")
    assert evaluation.grade == "excellent" and evaluation.history.count() == 2
    assert CadreEvaluation.objects.count() == 1


def test_evaluation_page_and_api(scene, client, office_user):
    scene["round"].phase = Phase.FEEDBACK
    scene["round"].save()
    membership = _member(scene)
    client.force_login(office_user)
    url = f"/rounds/teams/{scene['team_a'].pk}/evaluations/"
    assert client.post(url, {"membership": membership.pk, "score": 150}).status_code == 400
    assert client.post(url, {"membership": membership.pk, "score": 78, "comment": "完成任务较好"}).status_code == 302
    assert "称职" in client.get(url).content.decode()
    api = APIClient()
    api.force_authenticate(office_user)
    rows = api.get("/api/cadre-evaluations/").json()["results"]
    assert [(r["cadre_name"], r["grade"]) for r in rows] == [(membership.cadre.name, "competent")]
    response = api.patch(f"/api/cadre-evaluations/{rows[0]['id']}/", {"score": 93, "reason": "复核后调整"}, format="json")
    assert response.status_code == 200 and response.json()["grade"] == "excellent"
    member_api = APIClient()
    member_api.force_authenticate(scene["users"]["member"])
    assert member_api.get("/api/cadre-evaluations/").status_code == 403
