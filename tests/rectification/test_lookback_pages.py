from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Role
from rectification.models import LookbackCheck, PlanStatus, TaskStatus
from rounds.models import Membership, RoundKind
from tests.factories import CadreFactory

from .factories import RoundFactory, TaskFactory, TeamUnitFactory, make_feedback


@pytest.fixture
def lookback(jurisdiction, make_user):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, findings=2, plan_status=PlanStatus.ACCEPTED)
    closed = TaskFactory(plan=plan, finding=findings[0], status=TaskStatus.CLOSED, closed_at=timezone.now())
    open_task = TaskFactory(plan=plan, finding=findings[1], status=TaskStatus.IN_PROGRESS)
    other_feedback, other_plan, other_findings = make_feedback(jurisdiction=jurisdiction, round=feedback.round)
    unrelated = TaskFactory(plan=other_plan, finding=other_findings[0])
    lookback_round = RoundFactory(jurisdiction=jurisdiction, kind=RoundKind.LOOKBACK)
    lookback_round.lookback_of.add(feedback.round)
    team_unit = TeamUnitFactory(team__round=lookback_round, unit=feedback.unit)
    leader = make_user(Role.TEAM_LEADER)
    cadre = CadreFactory(jurisdiction=jurisdiction, user=leader)
    Membership.objects.create(team=team_unit.team, cadre=cadre, position="leader",
                              start_date=lookback_round.start_date, end_date=lookback_round.end_date)
    return {"round": lookback_round, "closed": closed, "open": open_task, "unrelated": unrelated, "leader": leader}


def test_lookback_team_sees_earlier_tasks_of_its_units_and_reopens_one(client, lookback):
    client.force_login(lookback["leader"])
    assert lookback["round"].title in client.get(reverse("rectification:lookback_list")).content.decode()
    page = client.get(reverse("rectification:lookback_detail", args=[lookback["round"].pk])).content.decode()
    assert lookback["closed"].finding.title in page and lookback["open"].finding.title in page
    assert lookback["unrelated"].finding.title not in page
    assert client.get(reverse("rectification:task_detail", args=[lookback["unrelated"].pk])).status_code == 404

    url = reverse("rectification:lookback_check", args=[lookback["round"].pk, lookback["closed"].pk])
    response = client.post(url, {"is_fixed": "0", "notes": ""})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    response = client.post(url, {"is_fixed": "0", "notes": "超标准接待仍有发生"})
    assert response.status_code == 200
    assert "该任务已销号，核查认定未整改到位的须重新整改：请填写新的整改时限" in response.content.decode()
    assert not LookbackCheck.objects.exists()
    new_deadline = timezone.localdate() + timedelta(days=45)
    response = client.post(url, {"is_fixed": "0", "notes": "超标准接待仍有发生", "new_deadline": new_deadline.isoformat()})
    assert response.status_code == 302
    lookback["closed"].refresh_from_db()
    assert lookback["closed"].status == TaskStatus.REOPENED and lookback["closed"].deadline == new_deadline
    assert LookbackCheck.objects.get().checked_by == lookback["leader"]
    page = client.get(reverse("rectification:lookback_detail", args=[lookback["round"].pk])).content.decode()
    assert f"未整改到位，已重新整改（新时限 {new_deadline:%Y-%m-%d}）" in page


def test_the_check_of_a_task_still_open_asks_for_no_new_time_limit(client, lookback):
    client.force_login(lookback["leader"])
    url = reverse("rectification:lookback_check", args=[lookback["round"].pk, lookback["open"].pk])
    assert 'name="new_deadline"' not in client.get(url).content.decode()
    assert client.post(url, {"is_fixed": "0", "notes": "整改进度滞后"}).status_code == 302
    lookback["open"].refresh_from_db()
    assert lookback["open"].status == TaskStatus.IN_PROGRESS and not lookback["open"].reopenings.exists()
    page = client.get(reverse("rectification:lookback_detail", args=[lookback["round"].pk])).content.decode()
    assert "未整改到位，已重新整改" not in page and "未整改到位" in page


def test_lookback_pages_closed_to_liaisons_and_other_teams(client, lookback, make_user):
    client.force_login(make_user(Role.UNIT_LIAISON))
    assert client.get(reverse("rectification:lookback_detail", args=[lookback["round"].pk])).status_code == 404
    client.force_login(make_user(Role.TEAM_MEMBER))
    assert client.get(reverse("rectification:lookback_detail", args=[lookback["round"].pk])).status_code == 404
