"""The health endpoint for the load balancer and the monitoring (GET /healthz): the database, Redis, a worker
heartbeat and the free disk space of the media directory, each answered in Chinese; 200 when all pass, 503
otherwise. It needs no login (a load balancer has none) and tells nothing but pass or fail and why.

The worker check reads a timestamp the `core.heartbeat` task writes every minute (a django-celery-beat entry):
a fresh one proves that beat schedules, the broker carries and a worker runs. Pinging the workers on every
probe (what django-health-check's Celery check does) would put a broker round-trip and a wait on every
load-balancer poll of every node."""

import shutil
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEARTBEAT_KEY = "xuncha:worker-heartbeat"
HEARTBEAT_EVERY = 60  # seconds, the beat entry's interval (core migration 0001)


def _database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "数据库连接正常"


def _redis():
    if not settings.REDIS_URL:
        return None
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    return "Redis 连接正常"


def _worker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # the demo runs tasks in-process: there is no worker to watch
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        raise HealthError("未收到 Celery worker 心跳：请检查 worker 与 beat 是否在运行")
    age = time.time() - beat
    if age > settings.HEALTH_HEARTBEAT_MAX_AGE:
        raise HealthError(f"Celery worker 心跳已中断 {int(age)} 秒：请检查 worker 与 beat 是否在运行")
    return f"Celery worker {int(age)} 秒前有心跳"


def _disk():
    usage = shutil.disk_usage(settings.MEDIA_ROOT if settings.MEDIA_ROOT.exists() else settings.BASE_DIR)
    free_mb = usage.free // (1024 * 1024)
    if free_mb < settings.HEALTH_MIN_FREE_MB:
        raise HealthError(f"附件目录所在磁盘仅剩 {free_mb} MB，低于下限 {settings.HEALTH_MIN_FREE_MB} MB")
    return f"附件目录所在磁盘剩余 {free_mb} MB"


class HealthError(Exception):
    pass


CHECKS = {"database": _database, "redis": _redis, "worker": _worker, "disk": _disk}
LABELS = {"database": "数据库", "redis": "Redis", "worker": "Celery worker", "disk": "磁盘空间"}


def run_checks() -> dict:
    results = {}
    for name, check in CHECKS.items():
        try:
            message = check()
        except HealthError as error:
            results[name] = {"ok": False, "label": LABELS[name], "message": str(error)}
        except Exception as error:  # a broken engine answers with its own exception class; say which check failed
            results[name] = {"ok": False, "label": LABELS[name], "message": f"{LABELS[name]}检查失败：{type(error).__name__}"}
        else:
            if message is not None:
                results[name] = {"ok": True, "label": LABELS[name], "message": message}
    return results


@never_cache
@require_GET
def healthz(request):
    checks = run_checks()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "正常" if healthy else "异常", "ok": healthy, "checks": checks},
                        status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


def beat():
    cache.set(HEARTBEAT_KEY, time.time(), timeout=settings.HEALTH_HEARTBEAT_MAX_AGE * 10)
