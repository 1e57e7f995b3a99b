"""`./dev bundle`: the offline installation bundle (issue 14 item 4; docs/deploy.md, 离线安装).

Run on a connected machine of the same kind as the servers (Debian 12, x86_64, Python 3.11), it writes
dist/xuncha-<version>-<git short sha>.tar.gz holding everything an air-gapped server needs:

    source.tar.gz       the committed project (`git archive HEAD`; static/vendor is part of it)
    requirements.lock   the runtime part of the repository's lock, with its hashes
    wheels/             one wheel per line of that lock (sdists built into wheels here, their hashes added)
    debs/               the Debian packages `./dev` installs for the runtime, with every dependency resolved
                        as on an empty system (install.sh installs only those missing or older)
    install.sh          verifies SHA256SUMS, installs the .debs, the venv, the source and the env file template
    xuncha.env.example  the production environment file to fill in
    SHA256SUMS          over every other file

The lock is cut to the runtime closure so that a server carries no test tooling (Playwright alone is half the
wheels): the roots are pyproject's [project.dependencies], and a locked package is kept when a kept package
needs it (the lock's `# via` lines).
"""

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python for the venv on the server: Debian's, with its venv module (ensurepip).
PYTHON_DEBS = ["python3.11", "python3.11-venv"]


def say(message: str) -> None:
    print(f"\033[1;31m==>\033[0m {message}", flush=True)


def die(message: str) -> None:
    print(f"\033[1;31mERROR:\033[0m {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def run(*argv, cwd=None, capture=False) -> str:
    result = subprocess.run(argv, cwd=cwd, text=True, capture_output=True)
    if result.returncode != 0:
        die(f"命令失败：{' '.join(map(str, argv))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout if capture else ""


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- The lock ------------------------------------------------------------------------------------------------

def lock_blocks(text: str) -> dict[str, list[str]]:
    """The lock's requirement blocks by normalized name: the `name==version \\` line, its hash lines and its
    `# via` comments, verbatim."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        head = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==", line)
        if head:
            current = normalize(head.group(1))
            blocks[current] = [line]
        elif current and line.startswith((" ", "\t")):
            blocks[current].append(line)
        else:
            current = None
    return blocks


def needed_by(block: list[str]) -> set[str]:
    """Who needs this package, from uv's `# via` annotations (one name, or one per `#   name` line)."""
    names, in_via = set(), False
    for line in block[1:]:
        text = line.strip()
        if not text.startswith("#"):
            continue
        text = text.lstrip("#").strip()
        if text.startswith("via"):
            in_via = True
            text = text[3:].strip()
        if in_via and text:
            names.add(normalize(text.split()[0]))
    return names


def runtime_lock(text: str, roots: list[str]) -> str:
    """The part of the lock that production installs: the roots (pyproject's dependencies) and, repeatedly,
    every locked package that a kept one needs. A superset of the true closure (an extra's packages come along
    with their parent), never a subset: pip --require-hashes refuses an unpinned dependency, and the bundle
    test installs from exactly this."""
    blocks = lock_blocks(text)
    keep = {normalize(re.match(r"[A-Za-z0-9._-]+", root).group(0)) for root in roots}
    missing = keep - blocks.keys()
    if missing:
        die(f"requirements.lock 中没有 pyproject.toml 的依赖：{', '.join(sorted(missing))}（请重新生成锁文件）")
    while True:
        more = {name for name, block in blocks.items() if name not in keep and needed_by(block) & keep}
        if not more:
            break
        keep |= more
    header = ("# The runtime part of the repository's requirements.lock (offline bundle, ./dev bundle):\n"
              "# pyproject's [project.dependencies] and what they need, with the lock's hashes.\n")
    return header + "\n".join("\n".join(blocks[name]) for name in sorted(keep)) + "\n"


def add_hash(lock: str, name: str, digest: str) -> str:
    """Adds the hash of a wheel built here from an sdist to its line, so that --require-hashes accepts it."""
    lines, out, inside = lock.splitlines(), [], False
    for line in lines:
        head = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==", line)
        if head:
            inside = normalize(head.group(1)) == normalize(name)
            if inside:
                out.append(line)
                out.append(f"    --hash=sha256:{digest} \\")
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def wheels(lock_path: Path, target: Path) -> None:
    """Every file of the lock, then the sdists built into wheels (their hashes added to the bundle's lock)."""
    downloads = target.parent / "downloads"
    downloads.mkdir()
    say("下载 Python 依赖（按 requirements.lock 校验哈希）")
    run(sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--require-hashes",
        "--no-deps", "-r", lock_path, "-d", downloads)
    target.mkdir()
    lock = lock_path.read_text()
    for path in sorted(downloads.iterdir()):
        if path.suffix == ".whl":
            shutil.move(path, target / path.name)
            continue
        say(f"{path.name} 没有 wheel，构建为 wheel")
        before = set(target.iterdir())
        run(sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps", "-w", target,
            path)
        (built,) = set(target.iterdir()) - before
        lock = add_hash(lock, built.name.split("-")[0], sha256(built))
    lock_path.write_text(lock)
    shutil.rmtree(downloads)


# --- Debian packages -----------------------------------------------------------------------------------------

def apt(*args, capture=True) -> str:
    return run("apt-get", "-q", "-o", "APT::Sandbox::User=root", *args, capture=capture)


def deb_closure(packages: list[str]) -> list[tuple[str, str]]:
    """The packages and every dependency (no recommends), resolved as apt would on a system with nothing
    installed, so that the bundle does not depend on what the build machine happens to have."""
    simulated = apt("-s", "-o", "Dir::State::status=/dev/null", "install", "--no-install-recommends", *packages)
    return re.findall(r"^Inst (\S+) \((\S+) ", simulated, flags=re.M)


def download_debs(packages: list[str], target: Path) -> None:
    say(f"解析并下载 Debian 软件包：{' '.join(packages)}（含依赖）")
    target.mkdir()
    closure = deb_closure(packages)
    if not closure:
        say("软件包索引为空或过旧，先更新（apt-get update）")
        apt("update", "-qq")
        closure = deb_closure(packages)
    missing = set(packages) - {name for name, _ in closure}
    if missing:
        die(f"无法解析 Debian 软件包：{' '.join(sorted(missing))}")
    wanted = [f"{name}={version}" for name, version in closure]
    result = subprocess.run(["apt-get", "-q", "-o", "APT::Sandbox::User=root", "download", *wanted], cwd=target,
                            text=True, capture_output=True)
    if result.returncode != 0:
        say("下载失败，更新软件包索引（apt-get update）后重试")
        apt("update", "-qq")
        wanted = [f"{name}={version}" for name, version in deb_closure(packages)]
        run("apt-get", "-q", "-o", "APT::Sandbox::User=root", "download", *wanted, cwd=target)
    if len(list(target.glob("*.deb"))) != len(wanted):
        die(f"Debian 软件包数目不符：应有 {len(wanted)} 个")


# --- The archive ---------------------------------------------------------------------------------------------

def write_sums(stage: Path) -> None:
    files = sorted(p for p in stage.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{sha256(p)}  {p.relative_to(stage).as_posix()}" for p in files]
    (stage / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def build(output: Path, deb_packages: list[str]) -> Path:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    sha = run("git", "rev-parse", "--short", "HEAD", cwd=ROOT, capture=True).strip()
    name = f"xuncha-{project['version']}-{sha}"
    if run("git", "status", "--porcelain", "--untracked-files=no", cwd=ROOT, capture=True).strip():
        say("注意：工作区有未提交的修改；安装包只包含已提交的内容（HEAD）")
    output.mkdir(parents=True, exist_ok=True)
    work = output / f".build-{name}"
    shutil.rmtree(work, ignore_errors=True)
    stage = work / name
    stage.mkdir(parents=True)
    try:
        say(f"源代码（git archive {sha}）")
        with open(stage / "source.tar.gz", "wb") as f:
            subprocess.run(["git", "archive", "--format=tar.gz", "HEAD"], cwd=ROOT, stdout=f, check=True)
        (stage / "requirements.lock").write_text(
            runtime_lock((ROOT / "requirements.lock").read_text(), project["dependencies"]))
        wheels(stage / "requirements.lock", stage / "wheels")
        download_debs(deb_packages, stage / "debs")
        # From the commit, like the source: a working-tree edit never ships under the commit's name.
        for name_in_bundle in ("install.sh", "xuncha.env.example"):
            (stage / name_in_bundle).write_text(
                run("git", "show", f"HEAD:offline/{name_in_bundle}", cwd=ROOT, capture=True))
        (stage / "install.sh").chmod(0o755)
        (stage / "VERSION").write_text(
            f"{name}\ncommit {run('git', 'rev-parse', 'HEAD', cwd=ROOT, capture=True).strip()}\n"
            f"built {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}\n"
            f"debian {Path('/etc/debian_version').read_text().strip()}  python 3.11  {run('dpkg', '--print-architecture', capture=True).strip()}\n")
        write_sums(stage)
        archive = output / f"{name}.tar.gz"
        say(f"打包 {archive}")
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(stage, arcname=name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = archive.stat().st_size / 1024 / 1024
    say(f"离线安装包：{archive}（{size:.0f} MB）")
    return archive


def main() -> None:
    parser = argparse.ArgumentParser(description="写出离线安装包（docs/deploy.md：离线安装）")
    parser.add_argument("--output", type=Path, default=ROOT / "dist", help="输出目录（默认 dist/）")
    parser.add_argument("--debs", nargs="+", required=True, help="运行所需的 Debian 软件包（./dev 传入）")
    args = parser.parse_args()
    build(args.output.resolve(), list(dict.fromkeys([*args.debs, *PYTHON_DEBS])))


if __name__ == "__main__":
    main()
