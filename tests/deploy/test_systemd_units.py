"""deploy/systemd/ units pass `systemd-analyze verify` (no unknown key, no bad value, executables that exist) once
their install paths are pointed at this checkout, and all read the one environment file."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def test_every_unit_reads_the_one_environment_file():
    for unit in UNITS.glob("*.service"):
        text = unit.read_text()
        assert "Environment=XUNCHA_ENV_FILE=/etc/xuncha/xuncha.env" in text, unit.name
        assert "WorkingDirectory=/opt/xuncha/current/app" in text, unit.name
    assert sorted(u.name for u in UNITS.glob("*.service")) == [
        "xuncha-beat.service", "xuncha-web.service", "xuncha-worker@.service"]


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze 不可用")
    venv = Path(sys.executable).parent.parent
    for unit in UNITS.glob("*.service"):
        text = (unit.read_text().replace("/opt/xuncha/current/venv", str(venv))
                .replace("/opt/xuncha/current/app", str(ROOT))
                .replace("User=xuncha", "User=root").replace("Group=xuncha", "Group=root"))
        (tmp_path / unit.name).write_text(text)
    # A template is verified through an instance: the queue name fills %i.
    shutil.copy(tmp_path / "xuncha-worker@.service", tmp_path / "xuncha-worker@documents.service")
    names = ["xuncha-web.service", "xuncha-worker@documents.service", "xuncha-beat.service"]
    result = subprocess.run([analyze, "verify", *names], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    ours = [line for line in (result.stdout + result.stderr).splitlines() if "xuncha" in line]
    assert result.returncode == 0 and not ours, result.stdout + result.stderr


def test_the_units_run_what_the_offline_bundle_installs():
    """install.sh puts each release in <prefix>/releases/<版本>/{app,venv} and points <prefix>/current at it: the
    units start exactly that code with exactly that virtualenv, never a path the installer does not create."""
    install = (ROOT / "offline" / "install.sh").read_text()
    prefix = re.search(r"^PREFIX=(\S+)$", install, re.M).group(1)
    assert 'ln -sfn "$RELEASE" "$PREFIX/current"' in install and 'mkdir -p "$RELEASE/app/var"' in install
    for unit in UNITS.glob("*.service"):
        text = unit.read_text()
        paths = set(re.findall(r"(/(?:opt|srv)/xuncha[\w/.@%-]*)", text))
        code = {p for p in paths if p.startswith("/opt/")}
        assert code and all(p.startswith(f"{prefix}/current/app") or p.startswith(f"{prefix}/current/venv/bin/")
                            for p in code), (unit.name, code)
        assert re.search(rf"^WorkingDirectory={prefix}/current/app$", text, re.M), unit.name
        assert re.search(rf"^ExecStart=.*{prefix}/current/venv/bin/(gunicorn|celery) ", text, re.M), unit.name
