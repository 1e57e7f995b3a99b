"""Two real transactions at once, for the tests of a lock or a constraint (PostgreSQL only).

Each side runs in its own thread, so Django gives it its own database connection and its own transaction. Left to
chance, the two would mostly run one after the other and a missing lock would go unnoticed, so `Race` forces the
interleaving that breaks a check-then-write: `hold(step)` wraps a step of the service (the check); the first side
to pass it waits there, its transaction open, until the second side has either passed the same step (no lock kept
it out: both checked before either wrote) or is blocked waiting for a database lock held by the first (a lock is
doing its job). Only then does the first side go on and commit. A second side that passed the step waits for the
first side to finish before it goes on, so it writes on a check the first has made stale: the first always wins,
and the test can name the loser.

Use it with `@pytest.mark.django_db(transaction=True)` (or `@two_transactions`): each side commits for real, so the
data a test sets up must be committed too, and each side sees what the other committed.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection

TIMEOUT = 10


def two_transactions(test):
    """The marks of a race test in a module that also has ordinary tests: PostgreSQL only, real commits, and the rows
    data migrations seeded restored after the flush (serialized_rollback) for the tests that follow."""
    for mark in (
        pytest.mark.postgres,
        pytest.mark.skipif(not settings.IS_POSTGRES, reason="两个并发事务须在 PostgreSQL 上验证"),
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ):
        test = mark(test)
    return test


class Side(threading.Thread):
    """One side of the race: runs `work()` in a thread with its own connection; keeps its result or its exception."""

    def __init__(self, work, on_connect=None, on_done=None):
        super().__init__(daemon=True)
        self.work = work
        self.on_connect = on_connect
        self.on_done = on_done
        self.result = None
        self.error = None

    def run(self):
        try:
            if self.on_connect is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.on_connect(cursor.fetchone()[0])
            self.result = self.work()
        except Exception as exc:  # noqa: BLE001 - the test asserts which exception each side got
            self.error = exc
        finally:
            connection.close()
            if self.on_done is not None:
                self.on_done()


class Race:
    def __init__(self, timeout=TIMEOUT):
        self.timeout = timeout
        self._arrivals = 0
        self._arrivals_lock = threading.Lock()
        self._first_in = threading.Event()
        self._second_in = threading.Event()
        self._first_done = threading.Event()
        self._second_pid = None
        # What the first side saw while it held: "arrived" (the second passed the step too), "blocked" (the second
        # waited for a lock of the first) or "timeout".
        self.second_was = None

    def hold(self, step):
        def held(*args, **kwargs):
            result = step(*args, **kwargs)
            with self._arrivals_lock:
                self._arrivals += 1
                first = self._arrivals == 1
            if first:
                self._first_in.set()
                self.second_was = self._wait_for_second()
            else:
                self._second_in.set()
                self._first_done.wait(self.timeout)
            return result

        return held

    def _wait_for_second(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._second_in.wait(0.02):
                return "arrived"
            if self._second_pid is not None and self._is_waiting_for_a_lock(self._second_pid):
                return "blocked"
        return "timeout"

    @staticmethod
    def _is_waiting_for_a_lock(pid) -> bool:
        # pg_locks is read live (unlike pg_stat_activity, it is not frozen for the rest of the transaction).
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [pid])
            return cursor.fetchone()[0]

    def run(self, first, second) -> tuple[Side, Side]:
        """Starts `first`; once it holds at the step, starts `second`; returns both sides when both have ended."""
        a = Side(first, on_done=self._first_done.set)
        a.start()
        if not self._first_in.wait(self.timeout):
            a.join(self.timeout)
            raise AssertionError(f"the first side never reached the held step: {a.error!r}")
        b = Side(second, on_connect=lambda pid: setattr(self, "_second_pid", pid))
        b.start()
        a.join(self.timeout)
        b.join(self.timeout)
        assert not a.is_alive() and not b.is_alive(), "a side of the race did not finish (deadlock?)"
        return a, b


def api_as(user):
    """An API client authenticated as `user`, one per side (a client is not shared between threads)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
