"""The referral letter: rendered by the Celery task after sending, a CJK font embedded, text searchable."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from inspection.audit.models import ReadLog
from inspection.documents import render_html_to_pdf, render_pdf
from referrals import services
from rounds.models import Petition

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"), reason="需要 poppler-utils"),
]


def _text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _fonts(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_sending_a_batch_renders_the_letter(
    client, office_user, discipline_user, make_lead, discipline_body, django_capture_on_commit_callbacks, tmp_path
):
    leads = [make_lead(subject_name="陈某某", subject_post="县水利局局长", petition_conclusion=Petition.Conclusion.UNTRUE,
                       petition_conclusion_text="经核实，反映问题不属实"),
             make_lead(subject_name="林某", subject_post="镇党委书记")]
    batch = services.batch_create(
        actor=office_user, receiving_body=discipline_body, letter_number="清巡办移〔2026〕7号",
        letter_date=datetime.date(2026, 6, 18), leads=leads, title="关于移交县委第四轮巡察发现问题线索的函",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_send(referral=batch, actor=office_user)
    batch.refresh_from_db()
    assert batch.letter_pdf and batch.letter_rendered_at
    path = tmp_path / "letter.pdf"
    path.write_bytes(batch.letter_pdf.read())
    assert path.read_bytes().startswith(b"%PDF")

    text = _text(path)
    layout_free = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "清巡办移〔2026〕7号" in text
    assert "关于移交县委第四轮巡察发现问题线索的函" in text
    assert discipline_body.name in layout_free and "陈某某" in layout_free and "不属实" in layout_free
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers
    assert "2026年6月18日" in text
    fonts = _fonts(path)
    assert "NotoSerifCJKSC" in fonts.replace("-", "").replace(" ", "")
    cjk_lines = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk_lines and all(" yes " in line for line in cjk_lines), fonts  # embedded (and subset)

    # Downloaded only through the checked view, and the download is logged.
    client.force_login(discipline_user)
    response = client.get(reverse("referrals:batch_letter", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ReadLog.objects.filter(user=discipline_user, action="download", object_id=str(batch.pk)).exists()
    first_name = batch.letter_pdf.name

    # Re-rendering keeps the old file and points the batch at the new one; the receiver may not re-render.
    assert client.post(reverse("referrals:batch_render", args=[batch.pk])).status_code == 403
    client.force_login(office_user)
    assert client.post(reverse("referrals:batch_render", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.letter_pdf.name != first_name and batch.letter_pdf.storage.exists(first_name)


def test_letter_of_another_body_is_404(client, make_lead, refer, discipline_body, organization_user, no_pdf):
    batch = refer(discipline_body, make_lead())
    services.referral_render_letter(referral=batch)
    client.force_login(organization_user)
    assert client.get(reverse("referrals:batch_letter", args=[batch.pk])).status_code == 404


def test_render_pdf_refuses_external_urls():
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        render_html_to_pdf('<p>附件</p><img src="http://example.invalid/logo.png">')


def test_render_pdf_returns_pdf_bytes():
    content = render_pdf("pdf/base.html", {"issuer": "中共清河县委巡察工作领导小组办公室", "doc_number": "清巡办〔2026〕1号",
                                           "doc_title": "测试标题"})
    assert content.startswith(b"%PDF")
