"""Issue 13 item 4: interviews (个别谈话) are secret like petitions: every read of one (list row, detail, API,
edit form) is logged with who and which record; whoever may not see one is told it does not exist (404)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.audit.models import ReadLog
from rounds.models import Interview

from .factories import TeamUnitFactory

pytestmark = pytest.mark.django_db


def _interview(scene, team="team_a", unit="unit_a", name="诸葛丽华", **fields):
    return Interview.objects.create(round=scene["round"], team=scene[team], unit=scene[unit], interviewee_name=name,
                                    held_on=datetime.date(2026, 3, 6), interviewers="组长", notes="反映某局长收受礼金",
                                    created_by=scene["users"]["leader"], **fields)


def _logged(action="view"):
    return sorted(ReadLog.objects.filter(object_type="rounds.interview", action=action).values_list("user_id", "object_id"))


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_logs_one_row_per_interview_shown(client, scene):
    mine = [_interview(scene, name=f"对象{i}") for i in range(3)]
    _interview(scene, team="team_b", unit="unit_b", name="他组对象")
    leader = scene["users"]["leader"]
    client.force_login(leader)
    html = client.get(reverse("rounds:interview_list", args=[scene["round"].pk])).content.decode()
    assert "对象0" in html and "他组对象" not in html
    assert _logged("list") == sorted((leader.pk, str(i.pk)) for i in mine)


def test_the_detail_page_shows_the_notes_and_logs_the_read(client, scene):
    interview = _interview(scene)
    for role in ("leader", "member", "leading", "office"):
        user = scene["users"][role]
        client.force_login(user)
        response = client.get(reverse("rounds:interview_detail", args=[interview.pk]))
        assert response.status_code == 200 and "反映某局长收受礼金" in response.content.decode(), role
        assert f"个别谈话{interview.pk}（2026-03-06）" in response.content.decode()
    expected = sorted((scene["users"][r].pk, str(interview.pk)) for r in ("leader", "member", "leading", "office"))
    assert _logged() == expected


def test_whoever_may_not_see_an_interview_gets_404_and_nothing_is_logged(client, scene):
    interview = _interview(scene)
    for role in ("other_member", "liaison", "discipline"):
        client.force_login(scene["users"][role])
        assert client.get(reverse("rounds:interview_detail", args=[interview.pk])).status_code == 404, role
        assert client.get(reverse("rounds:record_edit", args=["interview", interview.pk])).status_code == 404, role
        assert _api(scene["users"][role]).get(f"/api/interviews/{interview.pk}/").status_code == 404, role
    for role in ("liaison", "discipline"):
        client.force_login(scene["users"][role])
        assert client.get(reverse("rounds:interview_list", args=[scene["round"].pk])).status_code == 404, role
    assert not ReadLog.objects.exists()


def test_the_api_logs_list_rows_retrieve_and_update(scene):
    interview, other = _interview(scene), _interview(scene, team="team_b", unit="unit_b")
    leader = scene["users"]["leader"]
    api = _api(leader)
    body = api.get("/api/interviews/").json()
    assert [row["id"] for row in body["results"]] == [interview.pk]
    assert _logged("list") == [(leader.pk, str(interview.pk))]
    assert api.get(f"/api/interviews/{interview.pk}/").json()["notes"] == "反映某局长收受礼金"
    assert api.patch(f"/api/interviews/{interview.pk}/", {"interviewers": "组长、副组长"}, format="json").status_code == 200
    assert _logged() == [(leader.pk, str(interview.pk))] * 2
    assert api.get(f"/api/interviews/{other.pk}/").status_code == 404


def test_the_counts_stay_open_and_log_nothing(scene):
    _interview(scene)
    rows = _api(scene["users"]["leader"]).get("/api/interviews/counts/", {"round": scene["round"].pk}).json()
    assert rows == [{"unit_id": scene["unit_a"].pk, "unit_name": scene["unit_a"].name, "count": 1}]
    assert not ReadLog.objects.exists()


def test_the_read_log_does_not_name_the_interviewee(client, scene):
    interview = _interview(scene)
    client.force_login(scene["users"]["leader"])
    client.get(reverse("rounds:interview_detail", args=[interview.pk]))
    client.get(reverse("rounds:interview_list", args=[scene["round"].pk]))
    reprs = set(ReadLog.objects.values_list("object_repr", flat=True))
    assert reprs == {f"个别谈话{interview.pk}（2026-03-06）"}


@pytest.mark.parametrize("n", [1, 25])
def test_the_list_page_runs_a_constant_number_of_queries(client, scene, django_assert_max_num_queries, n):
    for i in range(n):
        unit = TeamUnitFactory(team=scene["team_a"]).unit
        Interview.objects.create(round=scene["round"], team=scene["team_a"], unit=unit, interviewee_name=f"对象{i}",
                                 held_on=datetime.date(2026, 3, 6), interviewers="组长", created_by=scene["users"]["leader"])
    client.force_login(scene["users"]["office"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("rounds:interview_list", args=[scene["round"].pk])).status_code == 200
    assert ReadLog.objects.filter(action="list").count() == n
