"""Backup and restore of the database rows and the uploaded files, as one folder.

The folder holds `data.xml.gz` (every row, Django's XML serialization with natural keys, so it loads into any
fresh instance of the same schema; XML because Django's JSON encoder cuts datetimes to milliseconds), `media.tar` (attachments, evidence and generated documents) and `manifest.json`
(row counts per table, SHA-256 of every file, schema migrations). Restore refuses a database that holds data.
"""

import gzip
import hashlib
import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

# Rebuilt by `migrate` itself, or transient: never carried over. celery beat's PeriodicTasks is a single
# "schedule changed at" marker that beat's own signals rewrite whenever a periodic task is loaded.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "accounts.usersession",  # which session keys were signed in: meaningless without the sessions themselves
    "admin.logentry",
    "axes",
    "django_celery_beat.periodictasks",
]


class BackupError(Exception):
    pass


def _file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _row_counts() -> dict[str, int]:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models or not model._meta.managed:
            continue
        counts[label] = model._base_manager.count()
    return counts


def backup(output: Path) -> dict:
    output.mkdir(parents=True, exist_ok=True)
    with gzip.open(output / "data.xml.gz", "wt", encoding="utf-8") as handle:
        management.call_command(
            "dumpdata",
            format="xml",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=False,
            stdout=handle,
            verbosity=0,
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(output / "media.tar", "w") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
        ),
        "rows": _row_counts(),
        "files": _file_hashes(media_root),
    }
    (output / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def restore(source: Path) -> dict:
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{source} 中没有 manifest.json，不是有效的备份目录")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    management.call_command("migrate", interactive=False, verbosity=0)
    applied = {f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")}
    missing = set(manifest["migrations"]) - applied
    if missing:
        raise BackupError("本实例缺少备份所需的数据库迁移：" + "、".join(sorted(missing)[:5]))
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model._base_manager.exists():
        raise BackupError("目标实例已有数据：只能恢复到空实例")
    management.call_command("loaddata", str(source / "data.xml.gz"), verbosity=0)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media"):
                continue
            member.name = member.name[len("media") :].lstrip("/") or "."
            archive.extract(member, media_root, filter="data")
    counts, hashes = _row_counts(), _file_hashes(media_root)
    wrong_rows = {k: (v, counts.get(k)) for k, v in manifest["rows"].items() if counts.get(k) != v}
    wrong_files = [name for name, digest in manifest["files"].items() if hashes.get(name) != digest]
    if wrong_rows or wrong_files:
        raise BackupError(f"恢复后校验不一致：数据表 {wrong_rows}，文件 {wrong_files[:5]}")
    return manifest
