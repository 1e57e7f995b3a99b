"""The production static build: collectstatic with the manifest storage production uses.

Every url() in a vendored stylesheet and every source map a vendored file names must exist, or the manifest
storage stops the build (it did: bootstrap-icons' .woff and bootstrap's .map files were not vendored).
"""

import json

from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_production_manifest_storage(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "vendor/bootstrap/bootstrap.bundle.min.js.map",
        "vendor/bootstrap/bootstrap.min.css.map",
    ):
        assert name in manifest
        assert (tmp_path / manifest[name]).is_file()
    hashed_css = (tmp_path / manifest["vendor/bootstrap-icons/bootstrap-icons.min.css"]).read_text()
    assert manifest["vendor/bootstrap-icons/fonts/bootstrap-icons.woff"].rsplit("/", 1)[1] in hashed_css
