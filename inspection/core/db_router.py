"""Reads of the read-only heavy work on a PostgreSQL streaming replica; every write and everything else on the
primary (docs/deploy.md, 多机部署).

Opt-in, not guessed per query: only code inside `on_replica()` reads from the replica, and only a few call sites
use it — the dashboard figures and charts (page and API), the Excel ledgers, the roll-up's counts and the
documents' rendering. Everything else (lists, detail pages, services, sessions) reads the primary, so what a
user just saved is what the next page shows.

The rules, decided when a block is entered (`_choose`) and per query (`ReplicaRouter.db_for_read`):
- no "replica" in DATABASES (DATABASE_REPLICA_URL unset: the demo, SQLite): the router is inert;
- a read inside a transaction on the primary stays on the primary (it must see the transaction's own writes,
  and a lock taken there guards what it reads) — checked on every query, so `transaction.atomic()` inside a
  block reads the primary;
- a plain `on_replica()` block reads the primary when this request or task has already written, or when the
  browser wrote a moment ago (a POST that wrote sets a cookie for DATABASE_REPLICA_PIN_SECONDS): a replica
  lags, and a page must not show less than what its user just saved;
- `on_replica(caught_up=True)` first waits until the replica has replayed everything the primary had committed
  when the block began (its WAL flush position), then reads the replica even after this process's own writes:
  for work whose result is stored and must be as fresh as its start (a document, the roll-up's counters, whose
  as-of stamp promises "everything committed by then"). Not caught up within
  DATABASE_REPLICA_CATCH_UP_SECONDS: it reads the primary;
- a replica that cannot be reached when a block begins: the block reads the primary (logged, and the replica is
  not tried again for DATABASE_REPLICA_RETRY_SECONDS). A replica that fails in the middle of a block fails that
  request or task with its database error: the page answers 500, a task is retried; nothing is half-read.

Code inside a block never reads what it writes itself (it writes only logs and progress: read logs of a
ledger, a document's progress), because the choice is made once, when the block is entered.
"""

import contextlib
import contextvars
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
PIN_COOKIE = "xuncha_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

log = logging.getLogger(__name__)


@dataclass
class _Scope:
    """What the router knows of the current request or task."""

    wrote: bool = False  # this request / task has written on the primary
    pinned: bool = False  # the browser wrote a moment ago (PIN_COOKIE)
    reading: str | None = None  # the alias the innermost on_replica() block reads, None outside blocks


_scope: contextvars.ContextVar[_Scope] = contextvars.ContextVar("xuncha_db_scope")
_replica_down_until = 0.0


def _current() -> _Scope:
    scope = _scope.get(None)
    if scope is None:
        scope = _Scope()
        _scope.set(scope)
    return scope


def begin(*, pinned: bool = False) -> contextvars.Token:
    """A new scope (a request, a task): nothing written yet. Hand the token back to `end()`."""
    return _scope.set(_Scope(pinned=pinned))


def end(token: contextvars.Token) -> None:
    _scope.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_alias() -> str:
    """The alias reads go to right now (for tests and logs)."""
    return _current().reading or DEFAULT_DB_ALIAS


def _caught_up(replica, timeout: float) -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_flush_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        with replica.cursor() as cursor:
            # A server not in recovery is the primary itself (a test mirror): nothing to wait for.
            cursor.execute("SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, NOT pg_is_in_recovery())",
                           [target])
            if cursor.fetchone()[0]:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def _choose(scope: _Scope, *, caught_up: bool) -> str | None:
    global _replica_down_until
    if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    if not caught_up and (scope.wrote or scope.pinned):
        return None
    if time.monotonic() < _replica_down_until:
        return None
    replica = connections[REPLICA]
    try:
        replica.ensure_connection()
        if caught_up and not _caught_up(replica, settings.DATABASE_REPLICA_CATCH_UP_SECONDS):
            log.warning("只读副本落后于主库超过 %s 秒，本次改从主库读取", settings.DATABASE_REPLICA_CATCH_UP_SECONDS)
            return None
    except DatabaseError as exc:
        _replica_down_until = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
        replica.close()
        log.warning("只读副本不可用（%s），%s 秒内改从主库读取", exc, settings.DATABASE_REPLICA_RETRY_SECONDS)
        return None
    return REPLICA


class on_replica(contextlib.ContextDecorator):  # noqa: N801 - used like a function: `with on_replica():`
    """Reads inside go to the replica when the rules above allow it; usable as `@on_replica()` too."""

    def __init__(self, *, caught_up: bool = False):
        self.caught_up = caught_up
        self._outer: list[str | None] = []

    def _recreate_cm(self):
        # A decorator's one instance may run in several threads or recursively: a fresh one per call.
        return type(self)(caught_up=self.caught_up)

    def __enter__(self) -> str:
        scope = _current()
        self._outer.append(scope.reading)
        scope.reading = _choose(scope, caught_up=self.caught_up)
        return scope.reading or DEFAULT_DB_ALIAS

    def __exit__(self, *exc_info) -> bool:
        _current().reading = self._outer.pop()
        return False


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        scope = _scope.get(None)
        if scope is None or scope.reading is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Outside a block an object read from the replica reads its relations from the primary too.
            return DEFAULT_DB_ALIAS
        return scope.reading

    def db_for_write(self, model, **hints):
        _current().wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None  # the replica gets the schema by replication


class PrimaryAfterWriteMiddleware:
    """One routing scope per request; a request with a writing method that wrote pins its browser to the
    primary for DATABASE_REPLICA_PIN_SECONDS (the redirect after a save reads what was saved). Inert when no
    replica is configured: no cookie is ever set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = begin(pinned=PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
            if replica_configured() and _current().wrote and request.method not in SAFE_METHODS:
                response.set_cookie(PIN_COOKIE, "1", max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                                    secure=request.is_secure(), httponly=True, samesite="Lax")
        finally:
            end(token)
        return response


_task_tokens: dict[str, contextvars.Token] = {}


def task_started(task_id=None, **kwargs) -> None:
    """Celery task_prerun: each task is a scope of its own (also an eager task inside a request, whose scope
    comes back when it ends)."""
    if task_id is not None:
        _task_tokens[task_id] = begin()


def task_finished(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        end(token)
