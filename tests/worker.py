"""A real Celery worker for tests that must prove behaviour across processes (e.g. two job runs at once).

Import the fixture in an app's conftest.py: `from tests.worker import celery_worker_process  # noqa: F401`.
Tests using it also need `transactional_db` (the worker reads committed rows from the test database).
Skipped unless the settings use PostgreSQL and Redis; in CI (CI=true) a missing service FAILS the test.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from inspection.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60


def _unavailable_reason() -> str | None:
    if not settings.IS_POSTGRES:
        return "需要 PostgreSQL（设置 DATABASE_URL）"
    if not settings.REDIS_URL:
        return "需要 Redis（设置 REDIS_URL）"
    return None


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    # connection.settings_dict["NAME"] is the TEST database's name once pytest-django has set it up.
    # Tagged so that teardown ends exactly the worker's own sessions.
    return f"postgres://{auth}{host}{port}/{db['NAME']}?application_name={WORKER_APPLICATION_NAME}"


WORKER_APPLICATION_NAME = "xuncha-test-worker"


@pytest.fixture
def celery_worker_process(transactional_db, django_db_serialized_rollback, settings):
    reason = _unavailable_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI 中必须运行真实 Celery worker 测试：{reason}")
        pytest.skip(reason)

    # The test process sends tasks to the broker instead of running them in-process. Read the eager flag
    # before touching the settings: an unfinalized Celery app would read the overridden value back.
    previous_eager = celery_app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False

    env = {
        **os.environ,
        # local settings (test settings force eager mode); the database and broker come from the environment.
        "DJANGO_SETTINGS_MODULE": "inspection.settings.local",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DEBUG": "false",
    }
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    hostname = f"test-{os.getpid()}@%h"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "inspection", "worker",
            "--pool=prefork", "--concurrency=2", "--loglevel=INFO", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-n", hostname,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        expected = hostname.replace("%h", os.uname().nodename)
        while True:
            if process.poll() is not None:
                pytest.fail(f"Celery worker 启动失败：\n{Path(log.name).read_text(errors='replace')[-3000:]}")
            replies = celery_app.control.ping(destination=[expected], timeout=1.0)
            if replies:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"Celery worker 未在 {START_TIMEOUT} 秒内响应：\n{Path(log.name).read_text(errors='replace')[-3000:]}")
        yield process
    finally:
        celery_app.conf.task_always_eager = previous_eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        # Prefork children may leave connections behind; the test database cannot be dropped while they live.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                [WORKER_APPLICATION_NAME],
            )
        log.close()
        Path(log.name).unlink(missing_ok=True)
