"""The database router against a real PostgreSQL streaming replica (issue 14 item 5; tests/replica.py starts it).

Replay on the standby can be paused (`pg_wal_replay_pause()`): a write made on the primary meanwhile is not on the
replica, so a figure that leaves it out was read on the replica and one that counts it was read on the primary.
"""

import logging

import pytest
from django.db import connections, transaction
from django.db.utils import InternalError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import rollup
from dashboard.models import OfficeFigures
from dashboard.views import _figures_context
from findings.models import Finding, FindingStatus
from inspection.accounts.models import Jurisdiction
from inspection.core import db_router
from inspection.core.db_router import PIN_COOKIE, PrimaryAfterWriteMiddleware, on_replica
from tests.dashboard.factories import build_world
from tests.replica import streaming_replica  # noqa: F401

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
]


@pytest.fixture
def replica(streaming_replica, monkeypatch):  # noqa: F811
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)
    yield streaming_replica
    streaming_replica.resume_replay()


def counted_findings(jurisdiction) -> int:
    return Finding.objects.filter(jurisdiction=jurisdiction).exclude(
        status__in=(FindingStatus.DRAFT, FindingStatus.WITHDRAWN)).count()


def withdraw_one(jurisdiction) -> None:
    finding = Finding.objects.filter(jurisdiction=jurisdiction, status=FindingStatus.APPROVED).first()
    Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.WITHDRAWN, withdrawn_at=timezone.now())


def queries_on(captured, table: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


@pytest.fixture
def county(jurisdiction, office_user, replica):
    build_world(jurisdiction, seed=5, units=4, per_round=2)
    replica.replayed()
    return jurisdiction


def test_the_replica_is_a_hot_standby_that_replays_the_primarys_writes(replica):
    assert replica.query("SELECT pg_is_in_recovery()") is True
    Jurisdiction.objects.create(name="柳林县", office_name="中共柳林县委巡察工作领导小组办公室")
    replica.replayed()
    assert Jurisdiction.objects.using("replica").filter(name="柳林县").exists()
    with connections["replica"].cursor() as cursor, pytest.raises(InternalError, match="read-only transaction"):
        cursor.execute("UPDATE accounts_jurisdiction SET name = '改名' WHERE name = '柳林县'")


def test_dashboard_figures_are_read_on_the_replica(county, office_client, replica):
    total = counted_findings(county)
    office_client.get("/")  # the session's first refresh after login writes; not what is measured
    with CaptureQueriesContext(connections["replica"]) as on_replica_side, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        page = office_client.get("/dashboard/")
    assert page.context["figures"].findings["total"] == total
    assert queries_on(on_replica_side, "findings_finding")
    assert not queries_on(on_primary, "findings_finding")

    # Replay paused: the primary has one counted finding fewer, the replica (what the page reads) has not yet.
    replica.pause_replay()
    withdraw_one(county)
    assert office_client.get("/dashboard/").context["figures"].findings["total"] == total
    api = office_client.get("/api/dashboard/figures/").json()
    assert {f["key"]: f["value"] for f in api["figures"]}["findings"] == total
    replica.resume_replay()
    replica.replayed()
    assert office_client.get("/dashboard/").context["figures"].findings["total"] == total - 1


def test_a_request_that_wrote_reads_the_primary(county, office_user, office_client, replica, settings):
    total = counted_findings(county)
    replica.pause_replay()

    def withdraw_then_show_figures(request):
        withdraw_one(county)
        figures = _figures_context(request)["figures"]
        return type("Answer", (), {"figures": figures, "set_cookie": lambda *a, **k: None})()

    request = RequestFactory().get("/dashboard/")
    request.user = office_user
    with CaptureQueriesContext(connections["replica"]) as on_replica_side:
        answer = PrimaryAfterWriteMiddleware(withdraw_then_show_figures)(request)
    assert answer.figures.findings["total"] == total - 1
    assert not on_replica_side.captured_queries

    # A POST that wrote pins the browser to the primary for a moment: the page it goes to next shows the write.
    office_client.get("/")
    withdraw_one(county)
    marked = office_client.post("/accounts/notifications/read/")
    assert marked.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    with CaptureQueriesContext(connections["replica"]) as on_replica_side:
        assert office_client.get("/dashboard/").context["figures"].findings["total"] == total - 2
    assert not on_replica_side.captured_queries
    # Once the pin has lapsed (the browser drops the cookie), the figures come from the replica again.
    del office_client.cookies[PIN_COOKIE]
    assert office_client.get("/dashboard/").context["figures"].findings["total"] == total


def test_reads_inside_a_transaction_on_the_primary_stay_there(county, replica):
    replica.pause_replay()
    withdraw_one(county)
    token = db_router.begin()  # a new request: it has written nothing itself
    try:
        with on_replica() as alias:
            assert alias == "replica"
            stale = counted_findings(county)
            with transaction.atomic():
                fresh = counted_findings(county)
            assert counted_findings(county) == stale
    finally:
        db_router.end(token)
    assert fresh == stale - 1


def test_the_roll_up_reads_a_caught_up_replica_or_the_primary(county, replica, settings, caplog):
    total = counted_findings(county)
    with CaptureQueriesContext(connections["replica"]) as on_replica_side:
        assert rollup.refresh([county.pk]) > 0
    assert queries_on(on_replica_side, "findings_finding")
    assert OfficeFigures.objects.get(jurisdiction=county, year__isnull=True).findings == total

    # The replica does not catch up within the wait: the counts come from the primary, never stale ones.
    settings.DATABASE_REPLICA_CATCH_UP_SECONDS = 0.3
    replica.pause_replay()
    withdraw_one(county)
    with caplog.at_level(logging.WARNING, logger="inspection.core.db_router"), \
            CaptureQueriesContext(connections["replica"]) as on_replica_side:
        rollup.refresh([county.pk])
    assert OfficeFigures.objects.get(jurisdiction=county, year__isnull=True).findings == total - 1
    assert not queries_on(on_replica_side, "findings_finding")
    assert "只读副本落后于主库超过 0.3 秒，本次改从主库读取" in caplog.text


def test_a_replica_that_is_down_leaves_the_reads_on_the_primary(county, office_client, replica, caplog):
    total = counted_findings(county)
    office_client.get("/")
    # In service each request starts by checking its kept connections (CONN_HEALTH_CHECKS); the test client
    # skips that, so the test drops the one it holds.
    connections["replica"].close()
    replica.ctl("stop", "-m", "fast")
    try:
        with caplog.at_level(logging.WARNING, logger="inspection.core.db_router"):
            assert office_client.get("/dashboard/").context["figures"].findings["total"] == total
            assert office_client.get("/dashboard/").context["figures"].findings["total"] == total
        warnings = [r.getMessage() for r in caplog.records if "只读副本不可用" in r.getMessage()]
        assert len(warnings) == 1, "the replica is not tried again within DATABASE_REPLICA_RETRY_SECONDS"
        assert warnings[0].endswith("30 秒内改从主库读取")
    finally:
        replica.ctl("start")
    db_router._replica_down_until = 0.0
    replica.replayed()
    with CaptureQueriesContext(connections["replica"]) as on_replica_side:
        assert office_client.get("/dashboard/").context["figures"].findings["total"] == total
    assert queries_on(on_replica_side, "findings_finding")
