"""Issue 13 item 8: the hourly roll-up never commits older counters over a fresher "立即刷新". Each computation is
stamped (database clock) before it reads; an office's rows are only replaced by rows computed later than theirs,
checked under the office's row lock."""

import threading
import time
from datetime import timedelta

import pytest
from django.db.models import F

from dashboard import rollup, tasks
from dashboard.models import OfficeFigures
from tests.rectification.factories import FindingFactory, make_feedback
from tests.rounds.concurrency import TIMEOUT, Race, Side, two_transactions


def _counted(jurisdiction):
    """(year, findings, computed_at) of the office's rows, the whole-term row (year None) first."""
    return list(OfficeFigures.objects.filter(jurisdiction=jurisdiction).order_by(F("year").asc(nulls_first=True)).values_list(
        "year", "findings", "computed_at"))


@pytest.mark.django_db
def test_rows_are_not_replaced_by_rows_computed_earlier(jurisdiction):
    make_feedback(jurisdiction=jurisdiction)
    rollup.refresh([jurisdiction.pk])
    (_, findings, computed_at), *_ = _counted(jurisdiction)
    stale = [OfficeFigures(jurisdiction=jurisdiction, year=None, computed_at=computed_at, findings=99)]

    assert rollup._replace(jurisdiction.pk, stale, computed_at - timedelta(seconds=1)) is False
    assert rollup._replace(jurisdiction.pk, stale, computed_at) is False  # the same instant: the rows in place stay

    assert [row[:2] for row in _counted(jurisdiction)][0] == (None, findings)
    fresh = [OfficeFigures(jurisdiction=jurisdiction, year=None, computed_at=computed_at + timedelta(seconds=1))]
    assert rollup._replace(jurisdiction.pk, fresh, computed_at + timedelta(seconds=1)) is True
    assert [row[:2] for row in _counted(jurisdiction)] == [(None, 0)]


def _scene(jurisdiction):
    """An office with two approved findings and its rows; returns a function adding a third finding."""
    _, _, findings = make_feedback(jurisdiction=jurisdiction)
    rollup.refresh([jurisdiction.pk])
    assert {row[1] for row in _counted(jurisdiction)} == {2}
    return lambda: FindingFactory(team=findings[0].team, unit=findings[0].unit)


@two_transactions
def test_the_hourly_run_writing_last_keeps_the_manual_refresh(monkeypatch, jurisdiction):
    add_finding = _scene(jurisdiction)
    computed, manual_done = threading.Event(), threading.Event()
    real_replace = rollup._replace

    def replace(*args):
        if threading.current_thread() is hourly:  # the hourly run has read its counts; it writes after the refresh
            computed.set()
            manual_done.wait(TIMEOUT)
        return real_replace(*args)

    monkeypatch.setattr(rollup, "_replace", replace)
    hourly = Side(lambda: tasks.refresh_rollup([jurisdiction.pk]))
    hourly.start()
    assert computed.wait(TIMEOUT), hourly.error
    add_finding()  # committed after the hourly run counted, before the office's "立即刷新"
    manual = Side(lambda: tasks.refresh_rollup([jurisdiction.pk]), on_done=manual_done.set)
    manual.start()
    manual.join(TIMEOUT)
    hourly.join(TIMEOUT)

    assert (hourly.error, manual.error) == (None, None)
    rows = _counted(jurisdiction)
    assert manual.result == len(rows) and hourly.result == 0  # the hourly run wrote nothing for this office
    assert {row[1] for row in rows} == {3}  # the fresher counters stand
    assert len({row[2] for row in rows}) == 1


@two_transactions
def test_the_hourly_run_waiting_on_the_refresh_lock_keeps_the_manual_refresh(monkeypatch, jurisdiction):
    add_finding = _scene(jurisdiction)
    computed, release, locked = threading.Event(), threading.Event(), threading.Event()
    hourly_pid, seen = [], {}
    real_replace, real_lock = rollup._replace, rollup._lock_office

    def replace(*args):
        if threading.current_thread() is hourly:  # counted; goes for the lock only once the refresh holds it
            computed.set()
            release.wait(TIMEOUT)
        return real_replace(*args)

    def lock_office(jurisdiction_id):
        real_lock(jurisdiction_id)
        if threading.current_thread() is manual:  # the refresh holds the office, its rows not yet committed
            locked.set()
            seen["hourly"] = _wait_until_blocked(hourly_pid[0])

    def _wait_until_blocked(pid):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if Race._is_waiting_for_a_lock(pid):
                return "blocked"
            time.sleep(0.02)
        return "timeout"

    monkeypatch.setattr(rollup, "_replace", replace)
    monkeypatch.setattr(rollup, "_lock_office", lock_office)
    hourly = Side(lambda: tasks.refresh_rollup([jurisdiction.pk]), on_connect=hourly_pid.append)
    hourly.start()
    assert computed.wait(TIMEOUT), hourly.error
    add_finding()
    manual = Side(lambda: tasks.refresh_rollup([jurisdiction.pk]))
    manual.start()
    assert locked.wait(TIMEOUT), manual.error
    release.set()
    manual.join(2 * TIMEOUT)
    hourly.join(TIMEOUT)

    assert not manual.is_alive() and not hourly.is_alive()
    assert seen == {"hourly": "blocked"}  # the hourly run waited for the refresh's lock, then found fresher rows
    assert (hourly.error, manual.error) == (None, None)
    rows = _counted(jurisdiction)
    assert manual.result == len(rows) and hourly.result == 0
    assert {row[1] for row in rows} == {3}
