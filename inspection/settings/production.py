"""Production: everything secret comes from the environment; `check --deploy` passes with no warning."""

from django.core.exceptions import ImproperlyConfigured

from inspection.core.crypto import DEVELOPMENT_FIELD_KEY, parse_key

from .base import *  # noqa: F403
from .base import DATABASES, FIELD_KEY, FIELD_KEY_OLD, MEDIA_BACKEND, REDIS_URL, env


def _required(name: str, why: str) -> str:
    """Production refuses to start (web, worker, beat, commands alike) when a secret or service is missing,
    instead of falling back to the demo's key, SQLite or in-process tasks."""
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {name}：{why}")
    return value


DEBUG = False
# 三员分立: the system, security and audit administrators (manage.py bootstrap_admins) do what a superuser did.
SUPERUSER_LOGIN_ALLOWED = False
SECRET_KEY = _required("SECRET_KEY", "会话与签名所用的密钥，至少 50 个随机字符")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("生产环境的 SECRET_KEY 至少 50 个随机字符，且不得使用演示密钥")
ALLOWED_HOSTS = _required("ALLOWED_HOSTS", "本系统对外的域名或地址，逗号分隔").split(",")
_required("DATABASE_URL", "PostgreSQL 连接串，如 postgres://xuncha@db.example:5432/xuncha")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("生产环境的 DATABASE_URL 必须指向 PostgreSQL（SQLite 仅供演示）")
if not REDIS_URL:
    _required("REDIS_URL", "Redis 连接串：Celery 任务队列与缓存，如 redis://redis.example:6379/0")

if not FIELD_KEY:
    raise ImproperlyConfigured(
        "生产环境必须设置环境变量 XUNCHA_FIELD_KEY（或 XUNCHA_FIELD_KEY_FILE 指向密钥文件）：个人信息字段加密（SM4）的主密钥，"
        "32 字节随机数的十六进制，如 openssl rand -hex 32 生成"
    )
for _key in (FIELD_KEY, FIELD_KEY_OLD):
    if _key:
        parse_key(_key)
if parse_key(FIELD_KEY) == parse_key(DEVELOPMENT_FIELD_KEY):
    raise ImproperlyConfigured("生产环境不得使用演示用的字段加密密钥")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer and the monitoring host poll each app node directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")  # noqa: F405
# JSON lines for the log collector unless the operator asks for text.
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")  # noqa: F405
