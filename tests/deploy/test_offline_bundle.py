"""The offline installation bundle (issue 14 item 4), installed with no network at all, then run as production.

`./dev bundle` is built once per run (or taken from XUNCHA_BUNDLE, a tar.gz already built in this run) and
unpacked in a temporary folder. Its install.sh then runs inside a new network namespace (`unshare -n`): no
interface but a loopback of its own, so no registry, mirror or DNS can be reached; the same namespace first
proves it by failing a `pip download` and an `apt-get download`. pip and the machine's pip settings are kept
out of the install (`--no-index`, PIP_CONFIG_FILE=/dev/null), so the machine's local wheel folders cannot
stand in for a wheel the bundle lacks.

The production smoke test (tests/deploy/test_production_smoke.py, its tests imported here) then runs against
the installed copy: its source, its venv, its env file as install.sh wrote it. That part runs in the normal
namespace, because PostgreSQL and Redis listen on the machine's 127.0.0.1, which a fresh namespace does not
share; a veth bridge into the namespace would open exactly the network the test means to cut, so the cut
covers what must work offline (verifying, dpkg, pip, the env file) and the running needs only loopback.

The Debian packages are installed on this machine already. install.sh skips each one installed at the same
or a newer version, and is run with `--debs check`, so the ones the mirror has newer are checked with
`dpkg --no-act -i` (dependencies and conflicts, as a real install) instead of upgrading the machine under the
other tests; a server runs the default `--debs install`.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

from offline.build import add_hash, lock_blocks, runtime_lock

from . import test_production_smoke as smoke

pytestmark = [pytest.mark.postgres, pytest.mark.worker]

ROOT = smoke.ROOT
RUNTIME_DEBS = re.search(r"^RUNTIME_DEBS=\(([^)]*)\)", (ROOT / "dev").read_text(), re.M).group(1).split()


def clean_env() -> dict[str, str]:
    """The environment without the machine's pip settings (local wheel folders, extra indexes)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": "/dev/null"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The bundle, unpacked: its folder."""
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("apt-get"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI 中必须测试离线安装：需要 root、unshare 与 apt-get")
        pytest.skip("需要 root、unshare 与 apt-get")
    smoke.require_services()
    work = tmp_path_factory.mktemp("bundle")
    sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    archive = os.environ.get("XUNCHA_BUNDLE")
    if not archive:
        result = subprocess.run([str(ROOT / "dev"), "bundle", "--output", str(work / "dist")], cwd=ROOT,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        (archive,) = (work / "dist").glob("xuncha-*.tar.gz")
    assert Path(archive).name == f"xuncha-{version}-{sha.strip()}.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(work / "unpacked", filter="tar")
    (folder,) = (work / "unpacked").iterdir()
    return folder


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory):
    """install.sh run in a namespace with no network, after two downloads that must fail there."""
    prefix = tmp_path_factory.mktemp("installed")
    probe = prefix / "probe"
    probe.mkdir()
    script = f"""
        {sys.executable} -m pip download --no-deps --no-cache-dir --retries 1 --timeout 5 -d {probe} six
        echo "pip download: $?"
        (cd {probe} && apt-get -q -o APT::Sandbox::User=root download fonts-wqy-microhei)
        echo "apt-get download: $?"
        exec ./install.sh --prefix {prefix} --env-file {prefix}/xuncha.env --debs check
    """
    result = subprocess.run(["unshare", "-n", "--", "bash", "-c", script], cwd=bundle, env=clean_env(),
                            capture_output=True, text=True, timeout=900)
    return {"prefix": prefix, "probe": probe, "result": result, "output": result.stdout + result.stderr}


def test_the_namespace_has_no_network(installed):
    output = installed["output"]
    assert "pip download: 1" in output
    assert "Failed to establish a new connection" in output
    assert "No matching distribution found for six" in output
    assert "apt-get download: 100" in output
    assert "Temporary failure resolving" in output
    assert list(installed["probe"].iterdir()) == []


def test_install_sh_verifies_and_installs_everything_from_the_bundle_alone(bundle, installed):
    output, prefix = installed["output"], installed["prefix"]
    assert installed["result"].returncode == 0, output[-5000:]
    files = len((bundle / "SHA256SUMS").read_text().splitlines())
    assert f"校验通过：{files} 个文件" in output

    # Every .deb is either found installed (same or newer version) or checked by dpkg as installable.
    debs = {path.name.split("_")[0] for path in (bundle / "debs").glob("*.deb")}
    assert {*RUNTIME_DEBS, "python3.11", "python3.11-venv"} <= debs
    seen = set(re.findall(r"^    (?:已安装|待安装) (\S+) ", output, re.M))
    assert seen == debs
    assert "Debian 软件包就绪" in output or "Debian 软件包均已安装" in output

    release = prefix / "releases" / bundle.name
    assert (prefix / "current").resolve() == release
    assert (release / "app" / "manage.py").is_file()
    assert (release / "app" / "static" / "vendor" / "bootstrap-icons" / "fonts" / "bootstrap-icons.woff").is_file()
    python = release / "venv" / "bin" / "python"
    assert python.resolve() == Path("/usr/bin/python3.11")  # Debian's Python, as a server has it

    # Exactly the bundle's runtime lock, and no test tooling on a server.
    frozen = subprocess.run([python, "-m", "pip", "freeze"], env=clean_env(), capture_output=True, text=True)
    installed_names = {re.split("==", line)[0].lower().replace("_", "-") for line in frozen.stdout.split()}
    assert installed_names == set(lock_blocks((bundle / "requirements.lock").read_text()))
    assert not {"pytest", "playwright", "ruff", "schemathesis"} & installed_names

    env_file = prefix / "xuncha.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", env_file.read_text(), re.M))
    assert values["DJANGO_SETTINGS_MODULE"] == "inspection.settings.production"
    assert len(values["SECRET_KEY"]) >= 50
    assert re.fullmatch(r"[0-9a-f]{64}", values["XUNCHA_FIELD_KEY"])
    assert values["ALLOWED_HOSTS"] == values["DATABASE_URL"] == values["REDIS_URL"] == ""


def test_a_tampered_or_padded_bundle_is_refused_before_anything_is_installed(bundle, tmp_path):
    copy = tmp_path / bundle.name
    shutil.copytree(bundle, copy, copy_function=os.link)  # hard links: the files are replaced, never written
    wheel = sorted((copy / "wheels").glob("django-*.whl"))[0]
    content = wheel.read_bytes()
    wheel.unlink()
    wheel.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))
    prefix = tmp_path / "prefix"
    result = subprocess.run(["unshare", "-n", "--", str(copy / "install.sh"), "--prefix", str(prefix),
                             "--env-file", str(prefix / "xuncha.env")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "校验失败，安装包可能损坏或被篡改，已停止安装（本机未作任何改动）" in result.stderr
    assert f"wheels/{wheel.name}: FAILED" in result.stderr
    assert not prefix.exists()

    wheel.unlink()
    os.link(bundle / "wheels" / wheel.name, wheel)
    (copy / "wheels" / "extra-1.0-py3-none-any.whl").write_bytes(b"PK")
    result = subprocess.run(["unshare", "-n", "--", str(copy / "install.sh"), "--prefix", str(prefix)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "安装包中有 SHA256SUMS 未列出的文件" in result.stderr
    assert "wheels/extra-1.0-py3-none-any.whl" in result.stderr
    assert not prefix.exists()


@pytest.fixture(scope="module")
def production(installed, tmp_path_factory):
    """The installed copy as production: its app, its venv, the env file install.sh wrote, filled in."""
    assert installed["result"].returncode == 0, installed["output"][-5000:]
    prefix = installed["prefix"]
    work = tmp_path_factory.mktemp("production-installed")
    env_file = prefix / "xuncha.env"
    text = env_file.read_text()
    for key, value in smoke.production_settings(work).items():
        text, found = re.subn(rf"^#? ?{key}=.*$", f"{key}={value}", text, flags=re.M)
        if not found:
            text += f"{key}={value}\n"
    env_file.write_text(text)
    current = prefix / "current"
    yield from smoke.serve(work, env_file, root=current / "app", python=str(current / "venv" / "bin" / "python"))


# --- The lock cut to the runtime (offline/build.py) ----------------------------------------------------------

LOCK = """# header
celery==5.4.0 \\
    --hash=sha256:aa
    # via xuncha (pyproject.toml)
kombu==5.4.2 \\
    --hash=sha256:bb
    # via celery
redis==5.2.1 \\
    --hash=sha256:cc
    # via
    #   kombu
    #   xuncha (pyproject.toml)
pytest==8.3.4 \\
    --hash=sha256:dd
    # via xuncha (pyproject.toml)
pluggy==1.5.0 \\
    --hash=sha256:ee
    # via pytest
"""


def test_the_runtime_lock_keeps_the_dependencies_and_what_they_need_and_nothing_else():
    cut = runtime_lock(LOCK, ["celery[redis]>=5.4"])
    assert set(lock_blocks(cut)) == {"celery", "kombu", "redis"}
    assert "redis==5.2.1 \\\n    --hash=sha256:cc\n" in cut


def test_a_wheel_built_from_an_sdist_gets_its_hash_on_its_line():
    cut = add_hash(runtime_lock(LOCK, ["celery"]), "Kombu", "ff")
    assert lock_blocks(cut)["kombu"][:3] == ["kombu==5.4.2 \\", "    --hash=sha256:ff \\", "    --hash=sha256:bb"]


# The production smoke tests, run here against the installed copy, in their module's order (beat's log is read
# after the others have given it time to write; the connection budget is counted after all of them).
test_plain_http_without_the_proxy_is_sent_to_https = smoke.test_plain_http_without_the_proxy_is_sent_to_https
test_each_role_logs_in_with_its_second_factor_and_opens_its_home_and_first_list = (
    smoke.test_each_role_logs_in_with_its_second_factor_and_opens_its_home_and_first_list)
test_the_office_has_a_pdf_rendered_by_the_worker_and_downloads_it = (
    smoke.test_the_office_has_a_pdf_rendered_by_the_worker_and_downloads_it)
test_errors_are_the_chinese_pages = smoke.test_errors_are_the_chinese_pages
test_beat_runs_with_the_production_settings = smoke.test_beat_runs_with_the_production_settings
test_the_deployment_stays_within_its_connection_budget = smoke.test_the_deployment_stays_within_its_connection_budget
