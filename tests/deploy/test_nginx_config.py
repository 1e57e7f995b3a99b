"""deploy/nginx/xuncha.conf is a configuration nginx accepts (`nginx -t`, with a self-signed certificate made
here), and its limits match the project's: the upload size Django accepts, a read timeout beyond gunicorn's."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "xuncha.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", CONF.read_text(), flags=re.MULTILINE)


def size_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def test_nginx_accepts_the_configuration(tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx 未安装（./dev install 会安装）")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=xuncha.example.gov.cn",
         "-keyout", str(tmp_path / "xuncha.key"), "-out", str(tmp_path / "xuncha.crt")],
        check=True, capture_output=True,
    )
    site = CONF.read_text().replace("/etc/xuncha/tls/", f"{tmp_path}/")
    (tmp_path / "xuncha.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/xuncha.conf;\n}}\n"
    )
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_limits_match_the_project():
    body = size_bytes(directive("client_max_body_size")[0])
    assert body == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert body > settings.ATTACHMENT_MAX_BYTES
    gunicorn_timeout = int(re.search(r'GUNICORN_TIMEOUT", (\d+)', (ROOT / "gunicorn.conf.py").read_text()).group(1))
    assert int(directive("proxy_read_timeout")[0].rstrip("s")) > gunicorn_timeout
    assert directive("proxy_set_header").count("X-Forwarded-Proto $scheme") == 1
    assert len(re.findall(r"^\s*server\s+[\d.]+:8000", CONF.read_text(), flags=re.MULTILINE)) >= 2
    assert directive("alias") == ["/srv/xuncha/static/"]
