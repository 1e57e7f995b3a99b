"""The database router without a replica (the demo, every other test) and the settings that configure one.
Its behaviour against a real streaming replica: tests/deploy/test_replica.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import router

from inspection.accounts.models import Notification
from inspection.core.db_router import PIN_COOKIE, on_replica, reading_alias

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_replica_the_router_is_inert(office_client, office_user, settings):
    assert "replica" not in settings.DATABASES
    with on_replica() as alias, on_replica(caught_up=True) as caught_up_alias:
        assert (alias, caught_up_alias, reading_alias()) == ("default", "default", "default")
        assert router.db_for_read(Notification) == "default"
    assert router.db_for_write(Notification) == "default"
    marked = office_client.post("/accounts/notifications/read/")
    assert marked.status_code == 302
    assert PIN_COOKIE not in marked.cookies
    assert office_client.get("/dashboard/").status_code == 200


def databases_under(**env) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "DB_"))}
    code = ("import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps({'databases': settings.DATABASES, 'routers': settings.DATABASE_ROUTERS}, default=str))")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
        env={**keep, "DJANGO_SETTINGS_MODULE": "inspection.settings.production", "SECRET_KEY": "x" * 60,
             "ALLOWED_HOSTS": "xuncha.example.gov.cn", "REDIS_URL": "redis://127.0.0.1:6379/9", "XUNCHA_FIELD_KEY": "ab" * 32,
             "XUNCHA_ENV_FILE": "/nonexistent", **env},
    )
    return json.loads(result.stdout)


def test_a_replica_url_adds_the_replica_alias_with_the_primarys_connection_policy():
    loaded = databases_under(DATABASE_URL="postgres://xuncha:pw@db1.example:5432/xuncha",
                             DATABASE_REPLICA_URL="postgres://xuncha:pw@db2.example:5432/xuncha")
    primary, replica = loaded["databases"]["default"], loaded["databases"]["replica"]
    assert (primary["HOST"], replica["HOST"], replica["NAME"]) == ("db1.example", "db2.example", "xuncha")
    for db in (primary, replica):
        assert db["CONN_MAX_AGE"] == 60
        assert db["CONN_HEALTH_CHECKS"] is True
        assert db["OPTIONS"] == {"connect_timeout": 5, "options": "-c jit=off -c random_page_cost=1.1"}
        assert "DISABLE_SERVER_SIDE_CURSORS" not in db
    assert loaded["routers"] == ["inspection.core.db_router.ReplicaRouter"]

    alone = databases_under(DATABASE_URL="postgres://xuncha:pw@db1.example:5432/xuncha")
    assert list(alone["databases"]) == ["default"]


def test_behind_pgbouncer_no_server_side_cursor_and_no_startup_options():
    loaded = databases_under(DATABASE_URL="postgres://xuncha:pw@127.0.0.1:6432/xuncha",
                             DATABASE_REPLICA_URL="postgres://xuncha:pw@127.0.0.1:6432/xuncha_replica",
                             DATABASE_POOLER="pgbouncer")
    for db in loaded["databases"].values():
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert db["OPTIONS"] == {"connect_timeout": 5}  # jit and random_page_cost: PgBouncer's connect_query
        assert db["CONN_MAX_AGE"] == 60
