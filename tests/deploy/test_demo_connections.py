"""The demo on PostgreSQL holds no database connection after a request ends (issue 14 item 6: runserver's
threads each kept theirs for a minute, an integrating client held 77 of the server's 100 connections and logins
failed with "too many clients already")."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from inspection.accounts.models import Role
from tests.factories import issue_api_token
from tests.worker import _database_url

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
TAG = "xuncha-demo-connections"


def test_many_api_calls_to_the_demo_leave_no_connection_open(
    transactional_db, django_db_serialized_rollback, make_user, settings
):
    if not settings.IS_POSTGRES:
        pytest.skip("需要 PostgreSQL")
    token = issue_api_token(make_user(Role.OFFICE))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DB_CONN_MAX_AGE", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "inspection.settings.local",
                "DATABASE_URL": _database_url().replace("xuncha-test-worker", TAG)})
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(base + "/accounts/login/", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.5)

        def call(_):
            # A new TCP connection each time: runserver gives each its own thread, as for a client's calls.
            return requests.get(base + "/api/units/", headers={"Authorization": f"Token {token}"}, timeout=60).status_code

        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(call, range(30)))
        assert codes == [200] * 30
        time.sleep(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [TAG])
            (open_connections,) = cursor.fetchone()
        assert open_connections == 0
    finally:
        server.terminate()
        server.wait(timeout=20)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [TAG])
