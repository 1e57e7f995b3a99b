"""Restore drill for point-in-time recovery (issue 14 item 6; docs/deploy.md 备份与恢复): the procedure the
documentation gives, run on a PostgreSQL cluster of its own. WAL archiving on, a base backup, work after it,
then an accident (a table emptied); recovery from the base backup plus the archived WAL, to the moment before
the accident, brings back every row committed up to then and none of the accident.

Run as the `postgres` OS user (initdb refuses root). Its own cluster and ports, so the machine's PostgreSQL is
untouched. Runs in CI; skipped where the PostgreSQL server binaries are missing."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not (BIN / "initdb").exists(), reason="需要 PostgreSQL 服务端程序（initdb、pg_ctl）"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*argv, check=True):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # cwd "/": the postgres user may not enter the checkout (a CI clone in a private temporary directory).
    return subprocess.run([*prefix, *map(str, argv)], check=check, capture_output=True, text=True, timeout=300,
                          cwd="/")


def sql(port, statement, dbname="drill"):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(statement)
        rows = cursor.fetchall() if cursor.description else None
    conn.close()
    return rows


def start(data, port, log):
    as_postgres(BIN / "pg_ctl", "-D", data, "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {data}",
                "-l", log, "-w", "-t", "120", "start")


@pytest.fixture
def drill_dir():
    """A directory of its own under /tmp, not inside pytest's: the postgres user must reach it, and any other
    pytest run on the machine sets pytest's root (/tmp/pytest-of-root) back to 0700 when it starts."""
    root = Path(tempfile.mkdtemp(prefix="xuncha-pitr-"))
    if os.geteuid() == 0:
        root.chmod(0o755)
        shutil.chown(root, "postgres")
    yield root
    for data in ("primary", "restored"):
        if (root / data / "postmaster.pid").exists():
            as_postgres(BIN / "pg_ctl", "-D", root / data, "-m", "immediate", "stop", check=False)
    shutil.rmtree(root, ignore_errors=True)


def test_point_in_time_recovery_brings_back_the_rows_before_the_accident(drill_dir):
    primary, archive, base, restored = (drill_dir / n for n in ("primary", "archive", "base", "restored"))
    as_postgres("mkdir", "-p", archive)
    as_postgres(BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    # What docs/deploy.md asks of the production cluster.
    with open(primary / "postgresql.auto.conf", "a") as conf:
        conf.write(f"wal_level = replica\narchive_mode = on\n"
                   f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n")
    port = free_port()
    start(primary, port, drill_dir / "primary.log")
    sql(port, "CREATE DATABASE drill", dbname="postgres")
    sql(port, "CREATE TABLE finding (id int PRIMARY KEY, title text)")
    sql(port, "INSERT INTO finding VALUES (1, '“三重一大”决策制度执行不到位')")

    as_postgres(BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-D", base,
                "-X", "none", "-c", "fast")

    sql(port, "INSERT INTO finding VALUES (2, '公务用车管理不规范')")
    (target,) = sql(port, "SELECT now()::text")[0]
    time.sleep(1.2)
    sql(port, "DELETE FROM finding")  # the accident
    sql(port, "SELECT pg_switch_wal()")
    deadline = time.monotonic() + 60
    while sql(port, "SELECT last_failed_wal, archived_count FROM pg_stat_archiver", dbname="postgres")[0][1] < 2:
        assert time.monotonic() < deadline, (drill_dir / "primary.log").read_text()[-2000:]
        time.sleep(0.5)
    assert sql(port, "SELECT count(*) FROM finding") == [(0,)]
    as_postgres(BIN / "pg_ctl", "-D", primary, "-m", "fast", "stop")

    # The recovery of docs/deploy.md: the base backup, restore_command over the archive, a target time.
    as_postgres("cp", "-a", base, restored)
    with open(restored / "postgresql.auto.conf", "a") as conf:
        conf.write(f"restore_command = 'cp {archive}/%f %p'\nrecovery_target_time = '{target}'\n"
                   "recovery_target_action = 'promote'\narchive_mode = off\n")
    as_postgres("touch", restored / "recovery.signal")
    port = free_port()
    start(restored, port, drill_dir / "restored.log")
    deadline = time.monotonic() + 60
    while sql(port, "SELECT pg_is_in_recovery()", dbname="postgres") != [(False,)]:
        assert time.monotonic() < deadline, (drill_dir / "restored.log").read_text()[-2000:]
        time.sleep(0.5)
    assert sql(port, "SELECT id, title FROM finding ORDER BY id") == [
        (1, "“三重一大”决策制度执行不到位"), (2, "公务用车管理不规范")]
    assert "recovery stopping before commit" in (drill_dir / "restored.log").read_text()
