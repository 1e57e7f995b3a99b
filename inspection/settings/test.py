"""Test settings. In CI (CI=true) the suite must run on the real PostgreSQL and Redis: no silent SQLite."""

import os

from django.core.exceptions import ImproperlyConfigured

from inspection.core.crypto import DEVELOPMENT_FIELD_KEY

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, FIELD_KEY, REDIS_URL

if os.environ.get("CI", "").lower() == "true":
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("CI=true 时测试必须使用 PostgreSQL：请设置 DATABASE_URL")
    if not REDIS_URL:
        raise ImproperlyConfigured("CI=true 时测试必须使用 Redis：请设置 REDIS_URL")

# Persistent connections would outlive a test's threads (live server, workers) and keep the test database busy
# when it is dropped.
for _db in DATABASES.values():
    _db["CONN_MAX_AGE"] = 0
if "replica" in DATABASES:
    # pytest-django creates the test database on the primary only; the replica alias reads that same database
    # (a real streaming replica in tests is started by tests/deploy/replica.py and pointed at it).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
# Tests log in with force_login; the two-factor tests switch enforcement on themselves.
OTP_ENFORCED = False
# Tasks run in-process in tests unless a test starts a real worker (the `celery_worker_process` fixture).
CELERY_TASK_ALWAYS_EAGER = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/min", "anon": "100000/min"}}  # noqa: F405

# !!! The demo and the tests encrypt personal data under the fixed, published development key when
# XUNCHA_FIELD_KEY is not set: anyone with the source code decrypts such a database. Never for real data. !!!
FIELD_KEY = FIELD_KEY or DEVELOPMENT_FIELD_KEY
