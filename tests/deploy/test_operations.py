"""Operations (issue 14 item 6): the health endpoint a load balancer polls, the metrics endpoint of the
monitoring host, and the request id that follows one user action through logs and Celery tasks."""

import json
import logging
import time
from types import SimpleNamespace

import pytest
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.test import RequestFactory
from django_celery_beat.models import PeriodicTask

from inspection.core import health
from inspection.core.request_id import (
    HEADER,
    TASK_HEADER,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_worker(settings):
    """Settings of a deployment with a broker: the worker check applies. The cache is local to the test."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = ""  # Redis itself is checked in its own test
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "health"}}
    from django.core.cache import cache

    cache.delete(health.HEARTBEAT_KEY)
    return settings


def test_the_demo_is_healthy_without_a_worker_to_watch(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "正常" and body["ok"] is True
    assert set(body["checks"]) == {"database", "disk"}
    assert body["checks"]["database"] == {"ok": True, "label": "数据库", "message": "数据库连接正常"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_no_heartbeat_means_the_node_is_unhealthy(client, with_worker):
    response = client.get("/healthz")
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker == {"ok": False, "label": "Celery worker",
                      "message": "未收到 Celery worker 心跳：请检查 worker 与 beat 是否在运行"}


def test_a_fresh_heartbeat_passes_and_a_stale_one_fails(client, with_worker):
    from django.core.cache import cache

    health.beat()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["checks"]["worker"]["ok"] is True

    cache.set(health.HEARTBEAT_KEY, time.time() - with_worker.HEALTH_HEARTBEAT_MAX_AGE - 5)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["message"].startswith("Celery worker 心跳已中断 1")


def test_the_heartbeat_task_is_scheduled_every_minute():
    entry = PeriodicTask.objects.get(task="core.heartbeat")
    assert entry.enabled and entry.interval.every == 60 and entry.interval.period == "seconds"
    assert health.HEARTBEAT_EVERY == 60


def test_a_full_disk_and_an_unreachable_redis_are_named(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.HEALTH_MIN_FREE_MB = 10**12
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"] == {"ok": False, "label": "Redis", "message": "Redis检查失败：ConnectionError"}
    assert checks["disk"]["ok"] is False and "低于下限 1000000000000 MB" in checks["disk"]["message"]
    assert checks["database"]["ok"] is True


def test_metrics_answer_the_monitoring_host_only(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.8.0.0/24"]
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_view_transport_method_total" in response.content
    assert client.get("/metrics", REMOTE_ADDR="10.8.0.7").status_code == 200
    refused = client.get("/metrics", REMOTE_ADDR="192.168.1.20")
    assert refused.status_code == 404 and "未找到该页面或记录" in refused.content.decode()


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first[HEADER]) == 32 and first[HEADER] != second[HEADER]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-5f2a9c01")[HEADER] == "nginx-5f2a9c01"
    # Text a client could use to forge log lines is replaced, not echoed.
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nlevel=ERROR forged")[HEADER]
    assert len(forged) == 32 and "forged" not in forged


def test_the_request_id_is_set_while_the_request_runs_and_reaches_the_logs():
    seen = {}

    def view(request):
        seen["context"] = current_request_id.get()
        record = logging.LogRecord("xuncha", logging.INFO, __file__, 1, "已导出台账", None, None)
        RequestIdFilter().filter(record)
        seen["record"] = record
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="abcdef0123456789")
    response = RequestIdMiddleware(view)(request)
    assert request.id == seen["context"] == seen["record"].request_id == response[HEADER] == "abcdef0123456789"
    # Django's own 4xx/5xx log line comes after the middleware: the id stays until the request has finished.
    assert current_request_id.get() == "abcdef0123456789"
    request_finished.send(sender=None)
    assert current_request_id.get() == ""


def test_json_log_lines_carry_the_request_id_in_readable_chinese(settings):
    from pythonjsonlogger.json import JsonFormatter

    spec = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(spec["format"], rename_fields=spec["rename_fields"], json_ensure_ascii=False)
    record = logging.LogRecord("xuncha.exports", logging.WARNING, __file__, 1, "导出失败：%s", ("磁盘已满",), None)
    token = current_request_id.set("abcdef0123456789")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    line = formatter.format(record)
    assert "导出失败：磁盘已满" in line
    data = json.loads(line)
    assert data["message"] == "导出失败：磁盘已满" and data["request_id"] == "abcdef0123456789"
    assert data["level"] == "WARNING" and data["logger"] == "xuncha.exports"


def test_the_request_id_travels_with_the_task_it_queued():
    import inspection.celery  # noqa: F401  connects the signals

    headers = {}
    token = current_request_id.set("abcdef0123456789")
    try:
        before_task_publish.send(sender="exports.render", headers=headers, body=None)
    finally:
        current_request_id.reset(token)
    assert headers[TASK_HEADER] == "abcdef0123456789"

    # In the worker: the header arrives as an attribute of the task request.
    task = SimpleNamespace(request=SimpleNamespace(**{TASK_HEADER: "abcdef0123456789"}, headers=None))
    task_prerun.send(sender=None, task_id="t-1", task=task)
    assert current_request_id.get() == "abcdef0123456789"
    task_postrun.send(sender=None, task_id="t-1", task=task)
    assert current_request_id.get() == ""

    # A task nobody's request queued (beat) gets an id of its own.
    task_prerun.send(sender=None, task_id="t-2", task=SimpleNamespace(request=SimpleNamespace(headers=None)))
    assert current_request_id.get() == "task-t-2"
    task_postrun.send(sender=None, task_id="t-2", task=None)
