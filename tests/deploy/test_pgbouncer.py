"""The system through a real PgBouncer in transaction mode (deploy/pgbouncer/pgbouncer.ini's pool mode), with the
settings DATABASE_POOLER=pgbouncer gives: no server-side cursors, no `options` startup parameter. The streamed
Excel ledger (`.iterator()`) and the dashboard answer through it; PgBouncer's own statistics show the traffic."""

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connections
from openpyxl import load_workbook

from dashboard import ledgers
from tests.dashboard.factories import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bouncer_stats(port: int, dbname: str) -> int:
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="pgbouncer")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SHOW STATS")
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    conn.close()
    return next(row["total_xact_count"] for row in rows if row["database"] == dbname)


@pytest.fixture
def through_pgbouncer(transactional_db):
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("PgBouncer 冒烟测试仅在 CI（CI=true）中运行")
    if not Path(PGBOUNCER).exists():
        pytest.fail("CI 中需要 pgbouncer（./dev install 会安装）")
    default = connections["default"].settings_dict
    saved = {key: default.get(key) for key in ("HOST", "PORT", "OPTIONS", "DISABLE_SERVER_SIDE_CURSORS")}
    root = Path(tempfile.mkdtemp(prefix="xuncha-pgbouncer-"))
    shutil.chown(root, "postgres", "postgres")
    port = free_port()
    # The repository's pool settings, pointed at the test database; trust instead of passwords.
    (root / "userlist.txt").write_text('"postgres" ""\n')
    (root / "pgbouncer.ini").write_text(
        f"[databases]\n{default['NAME']} = host={default['HOST'] or '127.0.0.1'} port={default['PORT'] or 5432}"
        f" dbname={default['NAME']} connect_query='SET jit = off; SET random_page_cost = 1.1'\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir = {root}\n"
        f"auth_type = trust\nauth_file = {root}/userlist.txt\nadmin_users = postgres\nstats_users = postgres\n"
        "pool_mode = transaction\ndefault_pool_size = 4\nmax_client_conn = 50\nserver_reset_query = DISCARD ALL\n"
        f"logfile = {root}/pgbouncer.log\npidfile = {root}/pgbouncer.pid\n"
    )
    for name in ("userlist.txt", "pgbouncer.ini"):
        shutil.chown(root / name, "postgres", "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    process = subprocess.Popen([*prefix, PGBOUNCER, str(root / "pgbouncer.ini")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"pgbouncer 未能启动：{(root / 'pgbouncer.log').read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
        connections["default"].close()
        # What DATABASE_POOLER=pgbouncer sets (inspection/settings/base.py; tests/deploy/test_db_router.py).
        default.update({"HOST": "127.0.0.1", "PORT": str(port), "DISABLE_SERVER_SIDE_CURSORS": True,
                        "OPTIONS": {k: v for k, v in default["OPTIONS"].items() if k != "options"}})
        yield port
    finally:
        connections["default"].close()
        default.update(saved)
        if saved["DISABLE_SERVER_SIDE_CURSORS"] is None:
            default.pop("DISABLE_SERVER_SIDE_CURSORS")
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


def test_ledgers_and_figures_through_pgbouncer_in_transaction_mode(through_pgbouncer, office_client, office_user,
                                                                   jurisdiction, monkeypatch):
    monkeypatch.setattr("dashboard.ledgers.CHUNK", 7)  # several chunks of the streamed rows
    build_world(jurisdiction, seed=5, units=4, per_round=3)
    dbname = connections["default"].settings_dict["NAME"]
    before = bouncer_stats(through_pgbouncer, dbname)
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"  # PgBouncer's connect_query, not the startup options
    response = office_client.get("/dashboard/ledgers/findings.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = ledgers.ledger_queryset(ledgers.LEDGERS["findings"], office_user, None, {})
    assert len(ids) > 14  # more than two chunks
    assert ids == list(expected.values_list("pk", flat=True))
    page = office_client.get("/dashboard/")
    assert page.status_code == 200
    assert page.context["figures"].findings["total"] > 0
    assert bouncer_stats(through_pgbouncer, dbname) > before
