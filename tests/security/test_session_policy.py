"""身份鉴别 and 访问控制 of sessions and accounts (issue 15 item 4): the idle timeout and the absolute lifetime
of the security policy, the limit on concurrent sessions (the oldest ended server-side), dormant accounts
disabled by the daily beat task."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from inspection.accounts import middleware, security, tasks
from inspection.accounts.models import Role, User, UserSession
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The session middleware's clock, moved by hand."""
    now = {"t": int(time.time())}
    monkeypatch.setattr(middleware, "_now", lambda: now["t"])
    return now


@pytest.fixture
def user(make_user):
    return make_user(Role.OFFICE, username="liuxh")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- Idle and absolute limits ----------------------------------------------------------------------------------


def test_a_session_active_all_along_ends_at_its_absolute_lifetime(user, clock):
    client = _signed_in(user)
    key = client.session.session_key
    for _ in range(24):  # a page every twenty minutes for eight hours: never idle
        clock["t"] += 20 * 60
        assert client.get("/").status_code == 200
    clock["t"] += 20 * 60  # eight hours and twenty minutes after the login
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"
    assert not Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.get(session_key=key).end_reason == UserSession.EndReason.ABSOLUTE
    notice = client.get(response["Location"]).content.decode()
    assert "登录已超过 8 小时，会话已结束，请重新登录" in notice
    assert client.get("/api/units/").status_code == 401  # anonymous now (the token scheme answers 401)


def test_the_idle_timeout_is_the_policys(user, clock):
    security.policy_update(actor=None, values={"idle_minutes": 10})
    client = _signed_in(user)
    clock["t"] += 9 * 60
    assert client.get("/").status_code == 200
    clock["t"] += 10 * 60 + 1
    response = client.get("/")
    assert response["Location"] == "/accounts/login/?next=/"
    assert UserSession.objects.get(user=user).end_reason == UserSession.EndReason.IDLE
    assert "超过 10 分钟未操作，会话已结束，请重新登录" in client.get(response["Location"]).content.decode()


# --- Concurrent sessions ---------------------------------------------------------------------------------------


def test_a_login_beyond_the_limit_ends_the_oldest_session(user, make_user):
    first, second = _signed_in(user), _signed_in(user)
    other_user = _signed_in(make_user(Role.OFFICE))  # another person's session is not counted
    first_key = first.session.session_key
    third = _signed_in(user)
    assert first.get("/")["Location"] == "/accounts/login/?next=/"
    assert second.get("/").status_code == 200 and third.get("/").status_code == 200
    assert other_user.get("/").status_code == 200
    assert not Session.objects.filter(session_key=first_key).exists()
    ended = UserSession.objects.filter(user=user, ended_at__isnull=False)
    assert {(s.session_key, s.end_reason) for s in ended} == {(first_key, UserSession.EndReason.CONCURRENT)}
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 2


def test_with_a_limit_of_one_the_new_login_ends_the_other(user):
    security.policy_update(actor=None, values={"max_sessions": 1})
    first = _signed_in(user)
    second = _signed_in(user)
    assert first.get("/").status_code == 302
    assert second.get("/").status_code == 200


def test_a_lapsed_session_does_not_count_against_the_limit(user):
    security.policy_update(actor=None, values={"max_sessions": 1})
    first = _signed_in(user)
    first_key = first.session.session_key
    Session.objects.filter(session_key=first_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    second = _signed_in(user)
    reasons = dict(UserSession.objects.filter(user=user).values_list("session_key", "end_reason"))
    assert reasons == {first_key: UserSession.EndReason.EXPIRED, second.session.session_key: ""}


def test_logging_out_ends_the_recorded_session(user):
    client = _signed_in(user)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert UserSession.objects.get(session_key=key).end_reason == UserSession.EndReason.LOGOUT


# --- Dormant accounts ------------------------------------------------------------------------------------------


def test_the_daily_task_disables_accounts_dormant_for_ninety_days(make_user):
    now = timezone.now()
    recent = make_user(Role.OFFICE, username="recent", last_login=now - timedelta(days=89))
    dormant = make_user(Role.TEAM_MEMBER, username="dormant", last_login=now - timedelta(days=91))
    never = make_user(Role.OFFICE, username="never", last_login=None, date_joined=now - timedelta(days=91))
    new = make_user(Role.OFFICE, username="new", last_login=None, date_joined=now - timedelta(days=10))
    already = make_user(Role.OFFICE, username="already", last_login=now - timedelta(days=200), is_active=False)

    result = tasks.disable_dormant_accounts.delay().get()

    assert result == {"disabled": sorted([dormant.pk, never.pk])}
    active = dict(User.objects.filter(pk__in=[recent.pk, dormant.pk, never.pk, new.pk, already.pk])
                  .values_list("username", "is_active"))
    assert active == {"recent": True, "dormant": False, "never": False, "new": True, "already": False}
    # Run again: nothing more to do.
    assert tasks.disable_dormant_accounts.delay().get() == {"disabled": []}


def test_the_dormancy_period_is_the_policys(make_user):
    security.policy_update(actor=None, values={"dormant_days": 30})
    idle = make_user(Role.OFFICE, username="idle31", last_login=timezone.now() - timedelta(days=31))
    assert security.dormant_accounts_disable() == [idle.pk]


def test_a_disabled_account_cannot_log_in(client, make_user):
    make_user(Role.OFFICE, username="dormant", last_login=timezone.now() - timedelta(days=91))
    security.dormant_accounts_disable()
    response = client.post("/accounts/login/", {"username": "dormant", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": ["用户名或密码错误。连续失败多次后账号将被暂时锁定。"]}


def test_the_beat_schedule_runs_the_dormancy_check_daily():
    entry = PeriodicTask.objects.get(task="accounts.disable_dormant_accounts")
    assert (entry.name, entry.enabled) == ("停用长期未登录账号（每日）", True)
    assert (entry.crontab.hour, entry.crontab.minute, str(entry.crontab.timezone)) == ("2", "30", "Asia/Shanghai")
