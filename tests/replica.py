"""A real PostgreSQL primary and streaming replica pair, for the router's tests (inspection.core.db_router).

`streaming_replica` (module-scoped, CI=true only): pytest-django has created and migrated the test database on
the machine's server (127.0.0.1:5432). The fixture initdb's a primary of its own on another port, copies the test
database into it (pg_dump | psql: schema and the migrations' rows), takes `pg_basebackup -R` of it — physical
replication copies the whole cluster, the test database with it — and starts the copy with `pg_ctl` as a hot
standby streaming from that primary. For the module, "default" points at the new primary and a "replica" alias
at the test database on the standby, a test mirror of "default" (no flush, no serialisation of its own: it
receives the primary's by replication). At the end both clusters are stopped, their directory removed and
"default" points back at the machine's server.

Why not a standby of the machine's server itself: a hot standby accepts connections only once it has a snapshot
of the primary's running transactions, and on a shared server a transaction of another test run left idle with
more than 64 savepoints (pytest-django's per-test transaction) held the standby back for 15 minutes; a cluster
of our own also needs no replication rule in the machine's pg_hba.conf, and copies 40 MB instead of the
machine's whole cluster. About 15 s in all on a loaded machine.

Import it in a test module: `from tests.replica import streaming_replica  # noqa: F401`.
"""

import copy
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connections

START_TIMEOUT = 60


def as_postgres(*command: str, stdin=None) -> str:
    """PostgreSQL's programs refuse to run a cluster as root; CI runs as root, so they run as `postgres`."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=300, stdin=stdin, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} 失败：\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    port: int
    data: Path
    bindir: Path

    def ctl(self, *args: str) -> None:
        as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", f"{self.data}.log",
                    "-w", "-t", str(START_TIMEOUT), *args)

    def query(self, sql: str, params=None, dbname: str = "postgres"):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0] if cursor.description else None
        finally:
            conn.close()

    def configure(self, extra: list[str]) -> None:
        lines = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.data.parent}'",
            "shared_buffers = 32MB",
            "max_connections = 50",
            "fsync = off",  # throwaway clusters
            "full_page_writes = off",
            *extra,
        ]
        (self.data / "postgresql.conf").write_text("\n".join(lines) + "\n")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n")
        for name in ("postgresql.conf", "pg_hba.conf"):
            shutil.chown(self.data / name, "postgres", "postgres")


@dataclass
class Replica(Cluster):
    primary: Cluster | None = None

    def pause_replay(self) -> None:
        self.query("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.query("SELECT pg_wal_replay_resume()")

    def wait_for(self, lsn: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
            if time.monotonic() > deadline:
                raise AssertionError(f"只读副本 {timeout} 秒内未回放到 {lsn}")
            time.sleep(0.05)

    def replayed(self) -> None:
        """Wait until the standby has replayed everything its primary has committed so far."""
        self.wait_for(self.primary.query("SELECT pg_current_wal_flush_lsn()::text"))


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker):
    if os.environ.get("CI", "").lower() != "true" or not settings.IS_POSTGRES:
        pytest.skip("真实的流复制只读副本仅在 CI（CI=true，PostgreSQL）中启动")
    default = connections["default"].settings_dict
    machine = {key: default[key] for key in ("HOST", "PORT")}
    test_db = default["NAME"]  # the test database's name by now
    with django_db_blocker.unblock():
        with connections["default"].cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            major = int(cursor.fetchone()[0]) // 10000
        connections["default"].close()
    bindir = Path(f"/usr/lib/postgresql/{major}/bin")
    root = Path(tempfile.mkdtemp(prefix="xuncha-replica-"))
    shutil.chown(root, "postgres", "postgres")
    primary = Cluster(port=_free_port(), data=root / "primary", bindir=bindir)
    replica = Replica(port=_free_port(), data=root / "replica", bindir=bindir, primary=primary)
    running = []
    started_at = time.monotonic()
    try:
        as_postgres(str(bindir / "initdb"), "-D", str(primary.data), "-U", "postgres", "-A", "trust", "--no-sync",
                    "-E", "UTF8", "--locale=C.UTF-8")
        primary.configure(["wal_level = replica", "max_wal_senders = 4"])
        primary.ctl("start")
        running.append(primary)
        primary.query(f'CREATE DATABASE "{test_db}"')
        dump = subprocess.run(
            [str(bindir / "pg_dump"), "-h", str(machine["HOST"] or "127.0.0.1"), "-p", str(machine["PORT"] or 5432),
             "-U", "postgres", "--no-owner", test_db], capture_output=True, check=True)
        subprocess.run([str(bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                        str(primary.port), "-U", "postgres", "-d", test_db], input=dump.stdout, check=True,
                       capture_output=True)
        as_postgres(str(bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                    "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast", "--no-sync")
        # A long ledger export on the replica is not cancelled by the primary's vacuum (docs/deploy.md).
        replica.configure(["hot_standby = on", "hot_standby_feedback = on"])
        replica.ctl("start")
        running.append(replica)
        assert replica.query("SELECT pg_is_in_recovery()") is True
        replica.replayed()
        print(f"\nstreaming replica ready in {time.monotonic() - started_at:.1f} s")

        default.update({"HOST": "127.0.0.1", "PORT": str(primary.port)})
        alias = copy.deepcopy(default)
        alias.update({"PORT": str(replica.port), "CONN_MAX_AGE": 0})
        alias["TEST"] = {**alias["TEST"], "MIRROR": "default"}
        settings.DATABASES["replica"] = alias
        connections.settings["replica"] = alias  # the same dict as settings.DATABASES, unless a test replaced it
        yield replica
    finally:
        with django_db_blocker.unblock():
            for alias_name in ("default", "replica"):
                if alias_name in connections.settings:
                    connections[alias_name].close()
            if "replica" in connections.settings:
                try:
                    del connections["replica"]
                except AttributeError:
                    pass
                connections.settings.pop("replica", None)
                settings.DATABASES.pop("replica", None)
            default.update(machine)
        for cluster in reversed(running):
            cluster.ctl("stop", "-m", "immediate")
        shutil.rmtree(root, ignore_errors=True)
