"""The production build, run as production runs it (issue 14 "must exist" 1).

From one environment file with the production settings: a new PostgreSQL database migrated and seeded with the
demo, `collectstatic` with the manifest storage, `check --deploy`, then gunicorn, a Celery worker and Celery beat.
Over HTTP, as the TLS-terminating proxy would send it (X-Forwarded-Proto: https on loopback), every demo role
logs in through the login page and its second factor, opens its home page and its first list; the office has a
PDF rendered by the worker and downloads it; a missing page is the Chinese 404, a refused one the Chinese 403.
"""

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings
from django.db import connection
from django_otp.oath import TOTP

pytestmark = [pytest.mark.postgres, pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Xuncha@2026"
# Demo logins, and whether the role needs the second factor (OTP_REQUIRED_ROLES). The superuser "admin" may not
# log in under the production settings: the three administrators (三员) do its work.
LOGINS = {
    "office": True, "leader": True, "jiwei": True, "zuzhibu": True, "shiban": True,
    "xitong": True, "anquan": True, "shenji": True,
    "zuzhang": False, "zuyuan": False, "liaison": False,
}
SMOKE_DB = f"xuncha_production_smoke_{os.getpid()}"
SMOKE_REDIS_DB = 13
WEB_WORKERS = 2
# The connection budget of this deployment (gunicorn.conf.py, docs/deploy.md): one per web worker, one per
# Celery process (the worker's parent and its one child), one for beat.
CONNECTION_BUDGET = WEB_WORKERS + 2 + 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_last_step: dict[str, int] = {}


def demo_totp(username: str) -> str:
    """The demo's authenticator (key as in inspection/accounts/demo_otp.py), as a phone computes the code. A code
    once accepted is refused again (replay protection), so a second login in the same 30 s waits for the next."""
    key = bytes.fromhex(hashlib.sha1(f"xuncha-demo-{username}".encode()).hexdigest())
    while int(time.time()) // 30 <= _last_step.get(username, -1):
        time.sleep(1)
    _last_step[username] = int(time.time()) // 30
    return f"{TOTP(key, step=30, t0=0, digits=6, drift=0).token():06d}"


def admin_dsn(dbname: str) -> dict:
    db = connection.settings_dict
    return {"dbname": dbname, "user": db.get("USER") or "postgres", "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432, "password": db.get("PASSWORD") or None}


def run_sql(sql: str) -> None:
    conn = psycopg2.connect(**admin_dsn("postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def require_services() -> None:
    if not (settings.IS_POSTGRES and settings.REDIS_URL):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI 中必须运行生产构建冒烟测试：需要 PostgreSQL 与 Redis")
        pytest.skip("需要 PostgreSQL 与 Redis")


def production_settings(work: Path) -> dict[str, str]:
    """What this deployment's environment file says, besides DJANGO_SETTINGS_MODULE, SECRET_KEY and
    XUNCHA_FIELD_KEY."""
    dsn = admin_dsn(SMOKE_DB)
    auth = dsn["user"] + (f":{dsn['password']}" if dsn["password"] else "")
    redis_url = re.sub(r"/\d+$", "", settings.REDIS_URL.rstrip("/")) + f"/{SMOKE_REDIS_DB}"
    return {
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{auth}@{dsn['host']}:{dsn['port']}/{SMOKE_DB}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def serve(work: Path, env_file: Path, root: Path = ROOT, python: str = sys.executable):
    """The deployment of the project at `root`, run by `python` (a checkout or an installed copy, see
    tests/deploy/test_offline_bundle.py) from `env_file`: a new database migrated and seeded, collectstatic,
    check --deploy, then gunicorn, a worker and beat. A generator for a module fixture: yields what the tests
    use, then stops everything and drops the database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env["XUNCHA_ENV_FILE"] = str(env_file)
    env["GUNICORN_WORKERS"] = str(WEB_WORKERS)

    def manage(*args, timeout=900):
        result = subprocess.run([python, "manage.py", *args], cwd=root, env=env, capture_output=True,
                                text=True, timeout=timeout)
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result.stdout

    run_sql(f'DROP DATABASE IF EXISTS "{SMOKE_DB}"')
    run_sql(f'CREATE DATABASE "{SMOKE_DB}"')
    processes, logs = [], []
    try:
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo")
        manage("collectstatic", "--noinput", "-v0")
        assert "no issues" in manage("check", "--deploy", "--fail-level", "WARNING")

        port = free_port()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        commands = {
            "web": [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "inspection.wsgi"],
            "worker": [python, "-m", "celery", "-A", "inspection", "worker", "--pool=prefork",
                       "--concurrency=1", "--without-gossip", "--without-mingle", "-n", f"smoke-{os.getpid()}@%h"],
            "beat": [python, "-m", "celery", "-A", "inspection", "beat", "-s", str(work / "beat-schedule")],
        }
        for name, argv in commands.items():
            log = open(work / f"{name}.log", "w")  # noqa: SIM115
            logs.append(log)
            processes.append((name, subprocess.Popen(argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/accounts/login/", headers=PROXY, timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            for name, process in processes:
                assert process.poll() is None, f"{name} exited:\n{(work / f'{name}.log').read_text()[-3000:]}"
            assert time.monotonic() < deadline, (work / "web.log").read_text()[-3000:]
            time.sleep(0.5)
        yield {"base": base, "work": work, "processes": processes}
        for name, process in processes:
            assert process.poll() is None, f"{name} died during the test:\n{(work / f'{name}.log').read_text()[-3000:]}"
    finally:
        for _, process in processes:
            process.terminate()
        for _, process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        run_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{SMOKE_DB}'")
        run_sql(f'DROP DATABASE IF EXISTS "{SMOKE_DB}"')


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The checkout, run by the test's own Python."""
    require_services()
    work = tmp_path_factory.mktemp("production")
    env_file = work / "xuncha.env"
    lines = ["DJANGO_SETTINGS_MODULE=inspection.settings.production",
             "SECRET_KEY=smoke-" + hashlib.sha256(str(work).encode()).hexdigest(),
             "XUNCHA_FIELD_KEY=" + hashlib.sha256(b"field key " + str(work).encode()).hexdigest()]
    env_file.write_text("\n".join(lines + [f"{k}={v}" for k, v in production_settings(work).items()]) + "\n")
    yield from serve(work, env_file)


# What the TLS-terminating proxy adds (SECURE_PROXY_SSL_HEADER): the request reached it over HTTPS.
PROXY = {"X-Forwarded-Proto": "https"}


class Browser:
    """A person at a browser behind the proxy: cookies (Secure, since the site is HTTPS to them), the CSRF token,
    the same-origin Referer that Django demands of HTTPS posts."""

    def __init__(self, base):
        self.base, self.origin = base, base.replace("http://", "https://")
        self.session = requests.Session()

    def _unsecure_cookies(self):
        for cookie in self.session.cookies:
            cookie.secure = False  # the hop from the proxy to gunicorn is plain HTTP on loopback

    def get(self, path, **kw):
        response = self.session.get(self.base + path, headers=PROXY, allow_redirects=False, timeout=60, **kw)
        self._unsecure_cookies()
        return response

    def post(self, path, data, referer=None):
        headers = {**PROXY, "Referer": self.origin + (referer or path), "Origin": self.origin,
                   "X-CSRFToken": self.session.cookies.get("csrftoken", "")}
        response = self.session.post(self.base + path, data=data, headers=headers, allow_redirects=False, timeout=60)
        self._unsecure_cookies()
        return response

    def csrf_from(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def login(self, username, needs_otp):
        page = self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": self.csrf_from(page.text)})
        assert response.status_code == 302, response.text[:2000]
        home = self.get("/")
        if needs_otp:
            # The second-factor middleware sends the half-logged-in user to the verify page first.
            assert (home.status_code, home.headers.get("Location", "").split("?")[0]) == (302, "/accounts/2fa/verify/")
            verify = self.get(home.headers["Location"])
            response = self.post("/accounts/2fa/verify/", {"token": demo_totp(username),
                                                            "csrfmiddlewaretoken": self.csrf_from(verify.text)})
            assert response.status_code == 302, response.text[:2000]
        home = self.get("/")
        assert home.status_code == 200
        return home.text


def test_plain_http_without_the_proxy_is_sent_to_https(production):
    response = requests.get(production["base"] + "/accounts/login/", allow_redirects=False, timeout=30)
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://127.0.0.1")


@pytest.mark.parametrize("username", LOGINS)
def test_each_role_logs_in_with_its_second_factor_and_opens_its_home_and_first_list(production, username):
    browser = Browser(production["base"])
    home = browser.login(username, LOGINS[username])
    assert 'id="current-user"' in home
    nav = re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="(/[^"]+/)">', home)
    assert nav, home[:2000]
    listing = browser.get(nav[0])
    if listing.status_code == 302:  # the liaison's entry leads to its own unit's page
        listing = browser.get(listing.headers["Location"])
    assert listing.status_code == 200
    assert "巡察管理系统" in listing.text
    static = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', home)
    assert static, "the page links the hashed (manifest) name of the stylesheet"
    css = browser.get(static.group(1))
    assert (css.status_code, css.headers["Cache-Control"]) == (200, "max-age=315360000, public, immutable")


def test_the_superuser_is_refused_in_production(production):
    browser = Browser(production["base"])
    page = browser.get("/accounts/login/")
    response = browser.post("/accounts/login/", {"username": "admin", "password": PASSWORD,
                                                 "csrfmiddlewaretoken": browser.csrf_from(page.text)})
    assert response.status_code == 200
    assert "生产环境不允许超级用户登录，请使用系统管理员、安全管理员或安全审计员账号" in response.text
    assert browser.get("/").status_code == 302


def test_the_office_has_a_pdf_rendered_by_the_worker_and_downloads_it(production):
    browser = Browser(production["base"])
    browser.login("office", True)
    documents = browser.get("/dashboard/documents/")
    assert documents.status_code == 200
    request_url = re.search(r'hx-post="(/files/dashboard\.term_statistics/\d+/request/)"', documents.text).group(1)
    panel_url = request_url.removesuffix("request/")
    assert browser.post(request_url, {}, referer="/dashboard/documents/").status_code == 200
    deadline = time.monotonic() + 180
    while True:
        panel = browser.get(panel_url).text
        link = re.search(r'class="download-link" href="(/files/download/\d+/)"', panel)
        if link:
            break
        assert "生成失败" not in panel, (production["work"] / "worker.log").read_text()[-3000:]
        assert time.monotonic() < deadline, (production["work"] / "worker.log").read_text()[-3000:]
        time.sleep(1)
    pdf = browser.get(link.group(1))
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_errors_are_the_chinese_pages(production):
    browser = Browser(production["base"])
    browser.login("liaison", False)
    missing = browser.get("/no-such-page/")
    assert missing.status_code == 404
    assert "<title>未找到该页面或记录 · 巡察管理系统</title>" in missing.text
    refused = browser.get("/referrals/leads/")
    assert refused.status_code == 403
    assert "<title>无权操作 · 巡察管理系统</title>" in refused.text
    api = browser.get("/api/no-such-resource/")
    assert (api.status_code, api.json()) == (404, {"detail": "未找到该记录，或您无权查看"})
    # The 404 is logged as a JSON line carrying the id the response told the user's browser.
    lines = [json.loads(line) for line in (production["work"] / "web.log").read_text().splitlines()
             if line.startswith("{")]
    logged = [line for line in lines if line.get("message") == "Not Found: /no-such-page/"]
    assert logged and logged[-1]["request_id"] == missing.headers["X-Request-ID"]
    assert logged[-1]["level"] == "WARNING" and logged[-1]["logger"] == "django.request"


def test_the_load_balancer_sees_a_healthy_node_and_the_monitoring_its_metrics(production):
    # Plain HTTP, no proxy header: the load balancer polls the node directly. Beat's first heartbeat entry is
    # due at start, so the worker check passes within a minute or so.
    deadline = time.monotonic() + 120
    while True:
        response = requests.get(production["base"] + "/healthz", allow_redirects=False, timeout=30)
        if response.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert {name: check["ok"] for name, check in checks.items()} == {
        "database": True, "redis": True, "worker": True, "disk": True}
    metrics = requests.get(production["base"] + "/metrics", allow_redirects=False, timeout=30)
    assert metrics.status_code == 200
    assert "django_http_requests_total_by_view_transport_method_total" in metrics.text


def test_beat_runs_with_the_production_settings(production):
    log = (production["work"] / "beat.log").read_text()
    assert "celery beat v" in log and "is starting" in log
    assert "django_celery_beat.schedulers.DatabaseScheduler" in log
    assert "Traceback" not in log


def test_the_deployment_stays_within_its_connection_budget(production):
    # After every role's logins and lists, the PDF, and the error pages (tests above, same deployment).
    for _ in range(3):
        for username in ("zuzhang", "liaison"):
            Browser(production["base"]).login(username, False)
    conn = psycopg2.connect(**admin_dsn("postgres"))
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [SMOKE_DB])
        (open_connections,) = cursor.fetchone()
    conn.close()
    assert 1 <= open_connections <= CONNECTION_BUDGET
