"""Evidence uploads: type by content, size limit, permission-checked download with the Chinese name."""

import io
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from findings import services
from findings.attachments import check_upload, content_disposition
from findings.models import Attachment
from inspection.core.exceptions import DomainError

from .test_services import draft

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode." + b"\x00" * 200


def xlsx_bytes():
    book = openpyxl.Workbook()
    book.active["A1"] = "凭证号"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_renamed_exe_is_refused():
    with pytest.raises(DomainError) as excinfo:
        check_upload(SimpleUploadedFile("会议纪要.pdf", EXE, content_type="application/pdf"))
    assert excinfo.value.field == "file"
    assert "按文件内容识别" in excinfo.value.message


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_an_oversize_file_is_refused_with_a_clear_message():
    big = PDF + b"0" * 4096
    with pytest.raises(DomainError) as excinfo:
        check_upload(SimpleUploadedFile("凭证扫描件.pdf", big))
    assert excinfo.value.message == "文件“凭证扫描件.pdf”大小为 4 KB，超过 1 KB 的上限，请压缩或拆分后上传"


def test_office_files_and_images_are_recognised_by_content():
    checked = check_upload(SimpleUploadedFile("台账", xlsx_bytes()))
    assert (checked.extension, checked.original_name) == (".xlsx", "台账")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    assert check_upload(SimpleUploadedFile("现场照片.jpg", png)).content_type == "image/png"


def test_content_disposition_keeps_the_chinese_name():
    header = content_disposition("问题底稿（食堂）.pdf")
    assert f"filename*=UTF-8''{quote('问题底稿（食堂）.pdf', safe='')}" in header
    assert header.startswith('attachment; filename="attachment.pdf"; ')


@pytest.fixture
def attachment(team_unit, member):
    finding = draft(member, team_unit)
    return services.attachment_add(
        finding=finding, actor=member, uploaded=SimpleUploadedFile("就餐登记表.pdf", PDF), description="食堂登记表"
    )


def test_upload_stores_outside_the_web_root_under_a_random_name(attachment, settings):
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "就餐" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_download_by_team_member_keeps_name(client, attachment, leader):
    client.force_login(leader)
    response = client.get(reverse("findings:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert quote("就餐登记表.pdf", safe="") in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url_name", ["page", "api"])
def test_user_of_another_team_cannot_download(client, attachment, outsider, url_name):
    client.force_login(outsider)
    url = (
        reverse("findings:attachment_download", args=[attachment.pk])
        if url_name == "page"
        else f"/api/finding-attachments/{attachment.pk}/download/"
    )
    assert client.get(url).status_code in (403, 404)


def test_unit_liaison_cannot_download(client, attachment, make_user, team_unit):
    from inspection.accounts.models import Role

    client.force_login(make_user(Role.UNIT_LIAISON, unit=team_unit.unit))
    assert client.get(reverse("findings:attachment_download", args=[attachment.pk])).status_code == 404


def test_page_upload_refuses_exe_with_message(client, team_unit, member):
    finding = draft(member, team_unit)
    client.force_login(member)
    response = client.post(
        reverse("findings:attachment_upload", args=[finding.pk]),
        {"file": SimpleUploadedFile("报告.docx", EXE)}, follow=True,
    )
    assert response.status_code == 200
    assert "类型不受支持" in response.content.decode()
    assert not Attachment.objects.filter(finding=finding).exists()


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_api_upload_oversize_is_400_with_field_message(client, team_unit, member):
    finding = draft(member, team_unit)
    client.force_login(member)
    response = client.post(
        f"/api/findings/{finding.pk}/attachments/", {"file": SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)}
    )
    assert response.status_code == 400
    assert "超过 1 KB 的上限" in response.json()["file"][0]


def test_api_upload_and_download(client, team_unit, member):
    finding = draft(member, team_unit)
    client.force_login(member)
    response = client.post(f"/api/findings/{finding.pk}/attachments/", {"file": SimpleUploadedFile("台账.xlsx", xlsx_bytes())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"].endswith("spreadsheetml.sheet")
    download = client.get(f"/api/finding-attachments/{body['id']}/download/")
    assert download.status_code == 200
    assert quote("台账.xlsx", safe="") in download["Content-Disposition"]
