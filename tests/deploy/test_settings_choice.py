"""One settings choice for every process (issue 14 item 2): the web entry point, the Celery app (worker and
beat) and manage.py all take DJANGO_SETTINGS_MODULE from the environment or from the one environment file, and
production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspection.core.crypto import DEVELOPMENT_FIELD_KEY

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRETS = {
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c",
    "ALLOWED_HOSTS": "xuncha.example.gov.cn",
    "DATABASE_URL": "postgres://xuncha@127.0.0.1:5432/xuncha_settings_probe",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "XUNCHA_FIELD_KEY": "5f1c0e8a9b7d6c4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e",
}
# What each process kind imports first, and prints the settings it ended up with.
ENTRY_POINTS = {
    "web": "import inspection.wsgi",
    "worker": "from inspection.celery import app; app.loader.import_default_modules()",
    "manage": None,
}
PRINT = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", *PRODUCTION_SECRETS, "DEBUG"}}
    return {**env, **extra}


def settings_of(kind, env):
    if ENTRY_POINTS[kind] is None:
        argv = [sys.executable, "manage.py", "shell", "-c", PRINT]
    else:
        argv = [sys.executable, "-c", f"{ENTRY_POINTS[kind]}; {PRINT}"]
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout.strip().splitlines()[-1:] if result.returncode == 0 else result.stderr


@pytest.mark.parametrize("kind", ENTRY_POINTS)
def test_every_process_takes_production_from_the_one_environment_file(kind, tmp_path):
    env_file = tmp_path / "xuncha.env"
    env_file.write_text(
        "DJANGO_SETTINGS_MODULE=inspection.settings.production\n"
        + "".join(f"{k}={v}\n" for k, v in PRODUCTION_SECRETS.items())
    )
    code, out = settings_of(kind, clean_env(XUNCHA_ENV_FILE=str(env_file)))
    assert (code, out) == (0, ["inspection.settings.production False"])


@pytest.mark.parametrize("kind", ENTRY_POINTS)
def test_with_no_choice_every_process_runs_the_demo_settings_without_the_debug_page(kind, tmp_path):
    code, out = settings_of(kind, clean_env(XUNCHA_ENV_FILE=str(tmp_path / "absent.env")))
    assert (code, out) == (0, ["inspection.settings.local False"])


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "生产环境必须设置环境变量 SECRET_KEY"),
        ("ALLOWED_HOSTS", "生产环境必须设置环境变量 ALLOWED_HOSTS"),
        ("DATABASE_URL", "生产环境必须设置环境变量 DATABASE_URL"),
        ("REDIS_URL", "生产环境必须设置环境变量 REDIS_URL"),
        ("XUNCHA_FIELD_KEY", "生产环境必须设置环境变量 XUNCHA_FIELD_KEY（或 XUNCHA_FIELD_KEY_FILE 指向密钥文件）"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing, message, tmp_path):
    secrets = {k: v for k, v in PRODUCTION_SECRETS.items() if k != missing}
    env = clean_env(
        DJANGO_SETTINGS_MODULE="inspection.settings.production", XUNCHA_ENV_FILE=str(tmp_path / "absent.env"),
        **secrets,
    )
    code, err = settings_of("worker", env)
    assert code == 1
    assert message in err


def test_production_refuses_the_demo_key_and_sqlite(tmp_path):
    base = clean_env(DJANGO_SETTINGS_MODULE="inspection.settings.production", XUNCHA_ENV_FILE=str(tmp_path / "x"))
    code, err = settings_of("web", {**base, **PRODUCTION_SECRETS, "SECRET_KEY": "short"})
    assert code == 1 and "SECRET_KEY 至少 50 个随机字符" in err
    code, err = settings_of("web", {**base, **PRODUCTION_SECRETS, "DATABASE_URL": "sqlite:///tmp/x.sqlite3"})
    assert code == 1 and "DATABASE_URL 必须指向 PostgreSQL" in err


def test_production_takes_the_field_key_from_a_key_file_and_refuses_a_bad_or_demo_key(tmp_path):
    """Issue 15 item 5: the SM4 master key comes from the environment or a key file, never a settings file; the
    published development key and a key that is not 16 or 32 bytes are refused."""
    secrets = {k: v for k, v in PRODUCTION_SECRETS.items() if k != "XUNCHA_FIELD_KEY"}
    base = clean_env(DJANGO_SETTINGS_MODULE="inspection.settings.production", XUNCHA_ENV_FILE=str(tmp_path / "x"),
                     **secrets)
    key_file = tmp_path / "field.key"
    key_file.write_text(PRODUCTION_SECRETS["XUNCHA_FIELD_KEY"] + "\n")
    code, out = settings_of("manage", {**base, "XUNCHA_FIELD_KEY_FILE": str(key_file)})
    assert (code, out) == (0, ["inspection.settings.production False"])
    code, err = settings_of("web", {**base, "XUNCHA_FIELD_KEY": DEVELOPMENT_FIELD_KEY})
    assert code == 1 and "生产环境不得使用演示用的字段加密密钥" in err
    code, err = settings_of("web", {**base, "XUNCHA_FIELD_KEY": "abc123"})
    assert code == 1 and "字段加密主密钥格式不正确" in err
