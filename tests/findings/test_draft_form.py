"""The draft form (issue 16): files attached before the first save, the category picked from the checklist tree."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from findings.models import Attachment, Finding

from .factories import PDF, manifestation


def _data(team_unit, **extra):
    return {
        "team_unit": team_unit.pk, "category": manifestation("3.4.2").pk, "title": "脱贫数据统计造假",
        "facts": "2025年上报的脱贫户收入数据与台账不一致的有14户。", "basis": "违反《统计法》第七条",
        "money_involved": "", "persons_involved": "", **extra,
    }


def test_member_attaches_files_on_the_draft_form_before_the_first_save(client, member, team_unit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member)
    url = reverse("findings:finding_create")
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachments"' in page and "multiple" in page
    files = [SimpleUploadedFile("台账比对表.pdf", PDF, content_type="application/pdf"),
             SimpleUploadedFile("走访记录.pdf", PDF, content_type="application/pdf")]
    response = client.post(url, {**_data(team_unit), "attachments": files})
    finding = Finding.objects.get(title="脱贫数据统计造假")
    assert response.status_code == 302
    assert sorted(Attachment.objects.filter(finding=finding).values_list("original_name", flat=True)) == [
        "台账比对表.pdf", "走访记录.pdf"]
    assert all(a.uploaded_by_id == member.pk for a in finding.attachments.all())


def test_a_refused_file_keeps_the_input_and_saves_nothing(client, member, team_unit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member)
    bad = SimpleUploadedFile("脚本.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = client.post(reverse("findings:finding_create"), {**_data(team_unit), "attachments": [bad]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "类型不受支持" in html and "脱贫数据统计造假" in html
    assert not Finding.objects.exists() and not Attachment.objects.exists()


def test_the_category_is_a_tree_grouped_by_area_and_aspect(client, member, team_unit):
    client.force_login(member)
    html = client.get(reverse("findings:finding_create")).content.decode()
    start = html.index('name="category"')
    select = html[html.rindex("<select", 0, start): html.index("</select>", start)]
    assert 'data-category-tree="1"' in select and 'class="form-select"' in select
    leaf = manifestation("3.4.2")
    aspect, area = leaf.parent, leaf.parent.parent
    assert f'<optgroup label="{area.code} {area.name} › {aspect.code} {aspect.name}">' in select
    assert f'data-aspect="{aspect.code} {aspect.name}"' in select
    assert f">{leaf.code} {leaf.name}</option>" in select
    assert "请选择问题分类" in select and "---------" not in select
