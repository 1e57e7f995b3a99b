"""The one settings choice of every process: web (wsgi), Celery worker and beat, and management commands.

Each entry point calls `choose_settings()` before Django starts. It reads the environment file (`.env` beside
the project, or the file named by `XUNCHA_ENV_FILE`, e.g. `/etc/xuncha/xuncha.env` shared with the systemd
units) into the process environment without overriding what is already set, then takes
`DJANGO_SETTINGS_MODULE` from there. With neither, every process runs the demo settings (`local`): the web
server no longer silently differs from its workers (issue 14: workers ran `local` beside a production web).
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS = "inspection.settings.local"


def env_file() -> Path:
    return Path(os.environ.get("XUNCHA_ENV_FILE") or BASE_DIR / ".env")


def read_env_file() -> None:
    path = env_file()
    if path.is_file():
        environ.Env.read_env(path, overwrite=False)


def choose_settings() -> str:
    read_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    return os.environ["DJANGO_SETTINGS_MODULE"]
