"""Settings shared by every environment. The environment is read here and only here."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from inspection.environment import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
read_env_file()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])


def _field_key(name: str) -> str:
    """The field-encryption master key from the environment, or from the file `<name>_FILE` names (a file only
    root and the service account read, e.g. /etc/xuncha/field.key): never from a settings file."""
    value = env(name, default="")
    path = env(f"{name}_FILE", default="")
    if not value and path:
        value = Path(path).read_text().strip()
    return value


# Personal data encrypted at rest (inspection/core/crypto.py). The provider is a class path so that a certified
# hardware cryptographic machine (密码机) can replace the software SM4 provider.
FIELD_CRYPTO_PROVIDER = env("FIELD_CRYPTO_PROVIDER", default="inspection.core.crypto.SoftwareSM4Provider")
FIELD_KEY = _field_key("XUNCHA_FIELD_KEY")
# The previous key, set only while `manage.py rotate_field_key` re-encrypts under FIELD_KEY.
FIELD_KEY_OLD = _field_key("XUNCHA_FIELD_KEY_OLD")

INSTALLED_APPS = [
    "inspection.core.admin_site.XunchaAdminConfig",  # django.contrib.admin with Chinese app names
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "django_prometheus",
    # Triggers that make the audit append-only in PostgreSQL (inspection.audit).
    "pgtrigger",
    # foundation
    "inspection.core",
    "inspection.accounts",
    "inspection.units",
    "inspection.audit",
    "inspection.exports",
    # domain apps, lowest first
    "rounds",
    "findings",
    "referrals",
    "rectification",
    # cross-app pages on top
    "dashboard",
]

MIDDLEWARE = [
    "inspection.core.request_id.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # First, so that every database access of the request (sessions included) is in its routing scope.
    "inspection.core.db_router.PrimaryAfterWriteMiddleware",
    # Outermost but security: request.id for every row of the audit, and the audit of every file sent.
    "inspection.audit.middleware.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inspection.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "inspection.accounts.middleware.TwoFactorRequiredMiddleware",
    # After the second factor: a stolen password alone must not be enough to set a new one.
    "inspection.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "inspection.core.middleware.SecurityHeadersMiddleware",
    "inspection.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "inspection.urls"
WSGI_APPLICATION = "inspection.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inspection.core.context_processors.navigation",
                "inspection.accounts.context_processors.password_expiry",
            ],
            "builtins": ["inspection.core.templatetags.xuncha"],
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
# With no DATABASE_URL the system runs on an embedded SQLite file, so a newcomer needs nothing else.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'xuncha.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# "pgbouncer" when DATABASE_URL (and DATABASE_REPLICA_URL) name a PgBouncer in transaction mode
# (deploy/pgbouncer/pgbouncer.ini): each transaction may run on another server connection.
DATABASE_POOLER = env("DATABASE_POOLER", default="").lower()
# A PostgreSQL streaming replica for the read-only heavy work (dashboard figures, roll-up counts, Excel
# ledgers, documents); `inspection.core.db_router` sends there only what runs inside `on_replica()`.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
# After a request that wrote (POST, PUT...), the same browser reads from the primary for this many seconds,
# so that the page it is redirected to shows what it just saved even if the replica lags.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
# How long `on_replica(caught_up=True)` (documents, roll-up) waits for the replica to replay what the primary
# had committed, before it reads from the primary instead.
DATABASE_REPLICA_CATCH_UP_SECONDS = env.float("DATABASE_REPLICA_CATCH_UP_SECONDS", default=3.0)
# A replica that refused a connection is not tried again for this long (each try would wait connect_timeout).
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", default=30)


def _postgres_settings(db: dict) -> None:
    # A connection per worker kept for a minute: opening one costs more than most of our queries. Behind
    # PgBouncer the kept connection is to PgBouncer, which lends a server connection per transaction.
    db.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    db["CONN_HEALTH_CHECKS"] = True
    options = db.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
    if DATABASE_POOLER == "pgbouncer":
        # Transaction pooling: a server-side cursor (`.iterator()`: the streamed Excel ledgers) would be declared
        # in one transaction and fetched in another, on a server connection that does not know it.
        db["DISABLE_SERVER_SIDE_CURSORS"] = True
        # PgBouncer refuses the `options` startup parameter: its connect_query sets jit and random_page_cost on
        # each server connection instead (deploy/pgbouncer/pgbouncer.ini).
        return
    # JIT compilation costs 30+ ms on each dashboard aggregate whose estimate passes jit_above_cost and never
    # pays back on queries of this size; with the working set in memory (or on SSD) an index page costs about
    # what a sequential one does, and the default random_page_cost of 4 made the planner scan whole tables
    # (bench/RESULTS.md).
    options["options"] = env("DB_SESSION_OPTIONS", default="-c jit=off -c random_page_cost=1.1")


if IS_POSTGRES:
    _postgres_settings(DATABASES["default"])
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
        DATABASES["replica"]["ATOMIC_REQUESTS"] = False
        _postgres_settings(DATABASES["replica"])
# Always installed, inert unless DATABASES has "replica": everything then reads and writes the one database.
DATABASE_ROUTERS = ["inspection.core.db_router.ReplicaRouter"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "inspection.accounts.backends.AccountBackend",
]
# 三员分立: the three administrators replace the superuser; production turns superuser logins off.
SUPERUSER_LOGIN_ALLOWED = True
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The security administrator's policy (accounts.SecurityPolicy) drives the first four; Django's list of common
# passwords stays beside them.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "inspection.accounts.validators.MinimumLengthValidator"},
    {"NAME": "inspection.accounts.validators.CharacterClassesValidator"},
    {"NAME": "inspection.accounts.validators.UsernameValidator"},
    {"NAME": "inspection.accounts.validators.PasswordHistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle sessions expire: activity pushes the expiry forward (at most once a minute, by
# `IdleSessionMiddleware`, so a GET does not write and commit the session), silence lets it lapse.
# Sessions are read from the cache and written through to the database. SESSION_COOKIE_AGE is the longest idle
# time the store keeps a session; the security policy's idle timeout (at most this) and its absolute lifetime
# are checked on each request (accounts.security.session_end_reason).
SESSION_ENGINE = "inspection.core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "inspection.core.errors.csrf_failure"

AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request when the folder is missing
# Uploaded evidence lives outside the web root and is only served through permission-checked views.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Where uploaded and generated files live, shared by every app node and worker (docs/deploy.md 八): a directory
# all of them mount (MEDIA_ROOT, the default) or an S3-compatible object store in the machine room (MinIO, a
# vendor's 对象存储), through django-storages. Never public: files are read by the server and answered only by
# permission-checked views, so the bucket needs no public access and no signed URL leaves the server.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL"),
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "access_key": env("MEDIA_S3_ACCESS_KEY"),
            "secret_key": env("MEDIA_S3_SECRET_KEY"),
            "region_name": env("MEDIA_S3_REGION", default="us-east-1"),
            "addressing_style": "path",  # a bucket name need not resolve as a host name on the internal network
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
elif MEDIA_STORAGE == "filesystem":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE 只能是 filesystem 或 s3，而不是“{MEDIA_STORAGE}”")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no Redis the tasks run in-process, so the demo needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queues by kind, so that a long PDF never delays a reminder and the hourly roll-up never delays either
# (docs/deploy.md, 多机部署). A worker started without -Q consumes every queue listed here (the demo's
# `./dev worker`, the tests' workers); in service each kind has its own workers: `-Q documents` and so on.
# Mail is sent by the reminder tasks themselves, so it travels in "reminders".
XUNCHA_TASK_QUEUES = ("default", "documents", "reminders", "rollup")
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in XUNCHA_TASK_QUEUES]
CELERY_TASK_ROUTES = {
    "exports.render": {"queue": "documents"},
    "referrals.render_letter": {"queue": "documents"},
    "rectification.send_reminders": {"queue": "reminders"},
    "referrals.remind_unsigned": {"queue": "reminders"},
    "referrals.remind_overdue": {"queue": "reminders"},
    "dashboard.refresh_rollup": {"queue": "rollup"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="巡察管理系统 <xuncha@localhost>")

# A select with no class is a Bootstrap form-select (inspection.core.form_renderer).
FORM_RENDERER = "inspection.core.form_renderer.FormRenderer"
# Filters say 全部 for "any" (inspection.core.filtersets).
FILTERS_EMPTY_CHOICE_LABEL = "全部"

REST_FRAMEWORK = {
    # The token first: DRF takes the first class's WWW-Authenticate, so a refused or missing credential is a 401
    # (a refused token is "log in again", not "forbidden"); a request without the header falls to the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "inspection.accounts.authentication.ApiTokenAuthentication",
        "inspection.core.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "inspection.core.pagination.KeysetOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "inspection.core.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "inspection.core.schema.ChineseAutoSchema",
    "EXCEPTION_HANDLER": "inspection.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_USER_RATE", default="2000/min"), "anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "巡察管理系统 API",
    "DESCRIPTION": (
        "计划、轮次、巡察组、被巡察单位、问题、线索移交与整改跟踪。程序调用请使用 API 令牌（请求头 "
        "`Authorization: Token 令牌`）：登录并完成二次验证后，在页面右上角“API 令牌”中签发，令牌只显示一次。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's online validator (the badge): nothing leaves the network.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "docExpansion": "none", "filter": True},
    "COMPONENT_SPLIT_REQUEST": True,
    # A curl example per operation (inspection/core/schema.py), shown by ReDoc.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "inspection.core.schema.add_code_samples"],
    # One name per choice set that several fields share (status, from_status, to_status...).
    "ENUM_NAME_OVERRIDES": {
        "RoundPhaseEnum": "rounds.models.Phase",
        "FindingStatusEnum": "findings.models.FindingStatus",
        "RoleEnum": "inspection.accounts.models.Role",
        "UnitKindEnum": "inspection.units.models.UnitKind",
        "RoundKindEnum": "rounds.models.RoundKind",
        "PetitionConclusionEnum": "rounds.models.Petition.Conclusion",
        "DispositionKindEnum": "referrals.models.DispositionKind",
        "ResultKindEnum": "referrals.models.ResultKind",
        "TaskKindEnum": "rectification.models.TaskKind",
        "TaskStatusEnum": "rectification.models.TaskStatus",
        # The rectification plan and the rectification report share one review cycle (draft → submitted → ...).
        "ReviewStatusEnum": "rectification.models.PlanStatus",
    },
}

# 剩余信息保护: a generated document or ledger file is removed from storage this many days after it was made
# (the daily task exports.purge_expired); its record stays, marked expired, and the document can be generated again.
GENERATED_FILE_RETENTION_DAYS = env.int("GENERATED_FILE_RETENTION_DAYS", default=7)

# Office deadlines: defaults for a new jurisdiction; each office edits its own in accounts.Jurisdiction.
XUNCHA_DEFAULT_DEADLINES = {
    "plan_due_days": 30,
    "report_due_days": 60,
    "immediate_fix_days": 15,
    "disposition_due_days": 90,
    "remind_before_days": 7,
    "escalate_after_days": 30,
}

# Logs on stderr, one line each, stamped with the request id (inspection/core/request_id.py); LOG_FORMAT=json
# (the production default) writes JSON lines for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "inspection.core.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Operations (docs/deploy.md "监控"): /healthz for the load balancer, /metrics for the monitoring host.
HEALTH_HEARTBEAT_MAX_AGE = env.int("HEALTH_HEARTBEAT_MAX_AGE", default=180)
HEALTH_MIN_FREE_MB = env.int("HEALTH_MIN_FREE_MB", default=1024)
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# 安全审计 (inspection.audit). The proxies whose X-Forwarded-For names the client: the same list gunicorn trusts
# for X-Forwarded-Proto (gunicorn.conf.py), so one setting says who the proxy is.
AUDIT_TRUSTED_PROXIES = frozenset(env.list("GUNICORN_FORWARDED_ALLOW_IPS", default=["127.0.0.1"]))
# Where rows past the 180-day retention go (JSON lines + .sha256 + .sm3), by the daily task "audit.archive".
AUDIT_ARCHIVE_DIR = Path(env("AUDIT_ARCHIVE_DIR", default=str(BASE_DIR / "var" / "audit-archive")))
# Forward every committed audit row to syslog as well: "host:port" (UDP), or a socket path such as /dev/log.
# Off by default.
AUDIT_SYSLOG_ADDRESS = env("AUDIT_SYSLOG_ADDRESS", default="")
if AUDIT_SYSLOG_ADDRESS:
    _host, _, _port = AUDIT_SYSLOG_ADDRESS.rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port)) if _host and _port.isdigit() else AUDIT_SYSLOG_ADDRESS,
        "facility": "auth",
        "formatter": "audit",
    }
    LOGGING.setdefault("formatters", {})["audit"] = {"format": "xuncha-audit: %(message)s"}
    LOGGING["loggers"] = {"xuncha.audit": {"handlers": ["audit_syslog"], "level": "INFO", "propagate": False}}

# Two-factor login (TOTP, django-otp) for the roles that see secret records.
OTP_REQUIRED_ROLES = frozenset({
    "office", "leading_group", "discipline", "organization",
    # The three administrators: accounts, grants and the audit of everyone are worth a stolen password.
    "system_admin", "security_admin", "audit_admin",
})
OTP_ENFORCED = env.bool("OTP_ENFORCED", default=True)
OTP_TOTP_ISSUER = "巡察管理系统"

# API tokens (inspection/accounts/tokens.py): issued after the second factor, for this many days by default;
# the owner may choose up to the maximum.
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=30)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=90)
