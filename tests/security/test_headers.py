"""Hardening: security headers, no inline scripts, API rate limits, deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.throttling import UserRateThrottle

from inspection.accounts.models import Role

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_strict_content_security_policy(office_client):
    response = office_client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/units/"])
def test_pages_have_no_inline_scripts_and_no_external_assets(office_client, path):
    html = office_client.get(path).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, f"inline script on {path}: {tag}"
    assert not re.search(r"""(src|href)=["']https?://""", html), f"external asset on {path}"
    assert not re.search(r"\son(click|load|change|submit)=", html)


def test_templates_load_nothing_from_outside():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"""(src|href)=["']https?://""", text) or re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_api_is_rate_limited(client, make_user, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    cache.clear()
    client.force_login(make_user(Role.OFFICE))
    codes = [client.get("/api/units/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()


def test_production_settings_pass_the_deployment_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inspection.settings.production",
        "SECRET_KEY": "a-production-secret-that-is-long-and-random-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c",
        "ALLOWED_HOSTS": "xuncha.example.gov.cn",
        "DATABASE_URL": "postgres://xuncha@127.0.0.1:5432/xuncha",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "XUNCHA_FIELD_KEY": "5f1c0e8a9b7d6c4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
