"""A dump restored into an empty instance gives back every table's rows and every file, byte for byte."""

import hashlib

import pytest
from django.apps import apps
from django.core import management
from django.core.files.base import ContentFile
from django.core.management.base import CommandError

from inspection.core.backup import EXCLUDED
from inspection.exports.models import GeneratedFile
from tests.factories import CadreFactory, RecusalFactorFactory, UnitFactory, UserFactory


def snapshot():
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED or label in EXCLUDED:
            continue
        rows[label] = list(model._base_manager.order_by("pk").values())
    return rows


def file_hashes(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_backup_then_restore_into_an_empty_instance(transactional_db, django_db_serialized_rollback, media, tmp_path):
    office = UserFactory(username="office", display_name="李巡察")
    parent = UnitFactory(jurisdiction=office.jurisdiction, name="城关镇")
    UnitFactory(jurisdiction=office.jurisdiction, name="城关镇东街社区", parent=parent)
    RecusalFactorFactory(cadre=CadreFactory(jurisdiction=office.jurisdiction, name="赵六"), unit=parent)
    generated = GeneratedFile(
        kind="test", title="巡察报告", object_type="units.unit", object_id=str(parent.pk), version=1,
        created_by=office, status="running",
    )
    generated.file.save("巡察报告.pdf", ContentFile("%PDF-1.7 报告".encode()), save=True)
    parent.head_name = "王主任"
    parent.save()  # a history row too
    before_rows, before_files = snapshot(), file_hashes(media)

    management.call_command("backup", str(tmp_path / "dump"))
    management.call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert snapshot()["units.unit"] == []

    management.call_command("restore", str(tmp_path / "dump"))
    assert snapshot() == before_rows
    assert file_hashes(media) == before_files and before_files


def test_restore_refuses_an_instance_that_holds_data(transactional_db, django_db_serialized_rollback, media, tmp_path):
    UserFactory()
    management.call_command("backup", str(tmp_path / "dump"))
    with pytest.raises(CommandError, match="只能恢复到空实例"):
        management.call_command("restore", str(tmp_path / "dump"))
