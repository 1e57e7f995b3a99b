"""Settings shared by every environment. The environment is read here and only here."""

from datetime import timedelta
from pathlib import Path

import environ

from inspection.environment import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
read_env_file()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
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
    "django.middleware.security.SecurityMiddleware",
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
    "axes.middleware.AxesMiddleware",
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
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
# With no DATABASE_URL the system runs on an embedded SQLite file, so a newcomer needs nothing else.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'xuncha.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # A connection per worker kept for a minute: opening one costs more than most of our queries.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compilation costs 30+ ms on each dashboard aggregate whose estimate passes jit_above_cost and never
    # pays back on queries of this size; with the working set in memory (or on SSD) an index page costs about
    # what a sequential one does, and the default random_page_cost of 4 made the planner scan whole tables
    # (bench/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "DB_SESSION_OPTIONS", default="-c jit=off -c random_page_cost=1.1"
    )

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="巡察管理系统 <xuncha@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "inspection.core.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "inspection.core.pagination.KeysetOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "inspection.core.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "inspection.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_USER_RATE", default="2000/min"), "anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "巡察管理系统 API",
    "DESCRIPTION": "计划、轮次、巡察组、被巡察单位、问题、线索移交与整改跟踪。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's online validator (the badge): nothing leaves the network.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "docExpansion": "none", "filter": True},
    "COMPONENT_SPLIT_REQUEST": True,
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
        # The rectification plan and the rectification report share one review cycle (draft → submitted → ...).
        "ReviewStatusEnum": "rectification.models.PlanStatus",
    },
}

# Office deadlines: defaults for a new jurisdiction; each office edits its own in accounts.Jurisdiction.
XUNCHA_DEFAULT_DEADLINES = {
    "plan_due_days": 30,
    "report_due_days": 60,
    "immediate_fix_days": 15,
    "disposition_due_days": 90,
    "remind_before_days": 7,
    "escalate_after_days": 30,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Two-factor login (TOTP, django-otp) for the roles that see secret records.
OTP_REQUIRED_ROLES = frozenset({"office", "leading_group", "discipline", "organization"})
OTP_ENFORCED = env.bool("OTP_ENFORCED", default=True)
OTP_TOTP_ISSUER = "巡察管理系统"
