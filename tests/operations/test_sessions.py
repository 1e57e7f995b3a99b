"""Idle sessions lapse after SESSION_COOKIE_AGE; activity keeps them alive, refreshed at most once a minute so
that reading a page does not write the session row."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspection.accounts import middleware


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand."""
    now = {"t": int(time.time())}
    monkeypatch.setattr(middleware, "_now", lambda: now["t"])
    return now


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _session_writes(queries):
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_reading_pages_within_a_minute_does_not_write_the_session(office_client, clock):
    home = reverse("home")
    with CaptureQueriesContext(connection) as ctx:  # login stamped the session: even the first page writes nothing
        clock["t"] += 30
        assert office_client.get(home).status_code == 200
        clock["t"] += 20
        assert office_client.get(home).status_code == 200
    assert _session_writes(ctx.captured_queries) == []


def test_activity_after_a_minute_pushes_the_expiry_forward(office_client, clock, settings):
    home = reverse("home")
    office_client.get(home)
    before = _expiry(office_client)
    Session.objects.filter(session_key=office_client.session.session_key).update(
        expire_date=before - timedelta(minutes=10)
    )
    clock["t"] += settings.SESSION_REFRESH_SECONDS
    office_client.get(home)
    after = _expiry(office_client)
    assert after > before - timedelta(minutes=10)
    assert after >= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_an_idle_session_has_lapsed(office_client, clock):
    home = reverse("home")
    assert office_client.get(home).status_code == 200
    key = office_client.session.session_key
    # Thirty-one idle minutes later: the stored expiry has passed (and the cache entry, which lives as long, is gone).
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(minutes=1))
    cache.delete(f"django.contrib.sessions.cached_db{key}")
    response = office_client.get(home)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_logging_out_does_not_keep_a_session_alive(office_client, clock):
    office_client.get(reverse("home"))
    key = office_client.session.session_key
    office_client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert office_client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("cookie", ["0\x00\x80\x80\x80\x80\x80\x80\x80", "abc'; drop--", "A" * 32, "x" * 200])
def test_a_forged_session_cookie_is_anonymous_not_a_server_error(db, client, cookie):
    """Only keys Django could have made reach the database: a NUL byte fails inside PostgreSQL (a 500 found by
    the API fuzzer), other forgeries are simply unknown sessions."""
    client.cookies["sessionid"] = cookie
    api = client.post("/api/rectification/reports/", {"content": "0", "feedback": 0}, content_type="application/json")
    assert api.status_code == 401
    page = client.get(reverse("home"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:login"))
