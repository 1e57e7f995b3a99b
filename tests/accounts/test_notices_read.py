"""Issue 16: a user marks their own notices read, one or all, on the page and in the API."""

import pytest
from django.urls import reverse

from inspection.accounts.models import Notification, Role
from inspection.accounts.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(make_user):
    owner, other = make_user(Role.OFFICE), make_user(Role.OFFICE)
    mine = notify(users=[owner], title="待巡察办审核：问题#1", url="/findings/1/")
    mine += notify(users=[owner], title="整改方案已报送", url="/rectification/feedback/1/")
    theirs = notify(users=[other], title="别人的通知")
    return owner, other, mine, theirs


def test_page_marks_one_then_all(client, notices):
    owner, other, mine, theirs = notices
    client.force_login(owner)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "待巡察办审核：问题#1" in page and "别人的通知" not in page and "标为已读" in page
    response = client.post(reverse("accounts:notification_read", args=[mine[0].pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/findings/1/"
    assert set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == {mine[0].pk}
    assert client.post(reverse("accounts:notification_read", args=[theirs[0].pk])).status_code == 404
    client.post(reverse("accounts:notifications_read"))
    assert set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True)) == {n.pk for n in mine}


def test_api_lists_and_marks_own_notices(client, notices):
    owner, other, mine, theirs = notices
    client.force_login(owner)
    data = client.get("/api/notifications/").json()
    assert [row["id"] for row in data["results"]] == [mine[1].pk, mine[0].pk]
    assert data["results"][0]["is_read"] is False
    row = client.post(f"/api/notifications/{mine[0].pk}/read/").json()
    assert row["is_read"] is True
    assert [r["id"] for r in client.get("/api/notifications/", {"unread": "true"}).json()["results"]] == [mine[1].pk]
    assert client.post(f"/api/notifications/{theirs[0].pk}/read/").status_code == 404
    assert client.post("/api/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(user=owner, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None


def test_notice_mail_only_to_those_with_an_address(make_user, django_capture_on_commit_callbacks, mailoutbox):
    with_mail, without = make_user(Role.OFFICE, email="a@example.cn"), make_user(Role.OFFICE, email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[with_mail, without, with_mail], title="整改任务#3申请销号，请核验", body="请核验。", url="/rectification/tasks/3/")
    assert Notification.objects.filter(title__startswith="整改任务#3").count() == 2
    assert [m.to for m in mailoutbox] == [["a@example.cn"]]
    assert "/rectification/tasks/3/" in mailoutbox[0].body


def test_an_impossible_id_is_not_there(client, notices):
    client.force_login(notices[0])
    assert client.post("/api/notifications/99999999999999999999999/read/").status_code == 404
    assert client.post("/api/notifications/abc/read/").status_code == 404
    assert client.post("/accounts/notifications/99999999999999999999999/read/").status_code == 404
