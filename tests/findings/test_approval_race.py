"""Issue 13 item 8: two leading-group members approving (审定) one finding at once make exactly one approval; the
second, held on the finding's row lock until the first commits, is told who approved it and when (API 400, page
message), never a second approval."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from findings import services
from findings.models import FindingStatus, StatusChange
from inspection.accounts.models import Role
from tests.rounds.concurrency import Race, api_as, two_transactions

from .factories import FindingFactory


@pytest.fixture
def reviewed(team_unit, make_user):
    finding = FindingFactory(team_unit=team_unit, status=FindingStatus.OFFICE_REVIEWED, title="公务接待超标准")
    return (finding, make_user(Role.LEADING_GROUP, username="li", display_name="李书记"),
            make_user(Role.LEADING_GROUP, username="zhao", display_name="赵副书记"))


def _when(change) -> str:
    return f"{timezone.localtime(change.at):%Y-%m-%d %H:%M}"


def _moves(finding):
    return list(StatusChange.objects.filter(finding=finding).values_list("from_status", "to_status", "actor__username"))


@pytest.mark.django_db
def test_approving_an_approved_finding_names_who_approved_it(client, reviewed):
    finding, li, zhao = reviewed
    services.finding_approve(finding=finding, actor=li)
    change = StatusChange.objects.get(finding=finding)
    client.force_login(zhao)

    response = client.post(reverse("findings:finding_transition", args=[finding.pk]), {"verb": "approve"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"该问题已由李书记于{_when(change)}领导小组审定，请勿重复操作"
    ]
    assert _moves(finding) == [("office_reviewed", "approved", "li")]


@pytest.mark.django_db
def test_approving_a_finding_another_member_returned_says_so(reviewed):
    finding, li, zhao = reviewed
    services.finding_return(finding=finding, actor=li, reason="事实不清，补充证据")
    change = StatusChange.objects.get(finding=finding)

    response = api_as(zhao).post(f"/api/findings/{finding.pk}/approve/")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [f"该问题已由李书记于{_when(change)}退回修改，现为“已退回”状态，不能再领导小组审定，请刷新页面"]
    }


@two_transactions
def test_two_leaders_approving_at_once_make_one_approval(monkeypatch, reviewed):
    finding, li, zhao = reviewed
    race = Race()
    monkeypatch.setattr(services, "_lock", race.hold(services._lock))

    first, second = race.run(
        lambda: api_as(li).post(f"/api/findings/{finding.pk}/approve/"),
        lambda: api_as(zhao).post(f"/api/findings/{finding.pk}/approve/"),
    )

    assert race.second_was == "blocked"  # the second waited on the finding's row until the first committed
    assert first.error is None and first.result.status_code == 200 and first.result.json()["status"] == "approved"
    assert second.error is None and second.result.status_code == 400
    change = StatusChange.objects.get(finding=finding)
    assert second.result.json() == {"non_field_errors": [f"该问题已由李书记于{_when(change)}领导小组审定，请勿重复操作"]}
    assert _moves(finding) == [("office_reviewed", "approved", "li")]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.APPROVED and finding.approved_at is not None
    assert finding.history.filter(status=FindingStatus.APPROVED).count() == 1
