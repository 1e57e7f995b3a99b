"""Each document rendered through the generated-files framework, then read back with poppler: its text
(pdftotext) carries the records' numbers, and its fonts (pdffonts) are the embedded CJK serif only."""

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.db.models import Count

from dashboard import selectors
from dashboard.selectors import FigureScope
from findings.models import Finding
from inspection.exports.models import GeneratedFile
from inspection.exports.services import generated_file_request
from rectification.models import Feedback, Task
from referrals.models import Lead
from rounds.models import Interview, Petition, TeamUnit

from .factories import build_world

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="需要 poppler-utils")


def pdf_text(path) -> str:
    # -raw keeps the drawing order, so the lines of a wrapped table cell stay together.
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type encoding emb sub uni object ID: the three yes/no columns come before the object number
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def assert_cjk_fonts_only(path):
    fonts = pdf_fonts(path)
    assert fonts, "no fonts in the PDF"
    for font in fonts:
        # Only the Noto Serif CJK faces, embedded and subset: any other face would be a fallback for
        # characters the CJK face lacks, and a missing font would draw boxes.
        assert "Noto-Serif-CJK-SC" in font["name"], fonts
        assert font["emb"] == "yes" and font["sub"] == "yes", fonts
    # Regular body and bold title: two faces at most (each subset costs ~1.75 s, STACK.md).
    assert len({re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in fonts}) <= 2, fonts


def generate(kind, record, user, django_capture_on_commit_callbacks) -> Path:
    with django_capture_on_commit_callbacks(execute=True):
        generated = generated_file_request(kind=kind, record=record, user=user)
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE, generated.error
    assert generated.content_type == "application/pdf" and generated.filename.endswith(".pdf")
    return Path(generated.file.path)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def world(jurisdiction):
    return build_world(jurisdiction, seed=21, units=8)


def test_inspection_report(world, office_user, django_capture_on_commit_callbacks):
    team_unit = (
        TeamUnit.objects.filter(round__jurisdiction=world.jurisdiction)
        .annotate(n=Count("unit__findings")).filter(n__gt=1).select_related("unit", "round", "team").first()
    )
    path = generate("dashboard.inspection_report", team_unit, office_user, django_capture_on_commit_callbacks)
    text = flat(pdf_text(path))
    unit, round_ = team_unit.unit, team_unit.round
    findings = Finding.objects.filter(round=round_, unit=unit).exclude(status__in=["draft", "withdrawn"])
    petitions = Petition.objects.filter(round=round_, unit=unit).count()
    interviews = Interview.objects.filter(round=round_, unit=unit).count()
    leads = Lead.objects.filter(round=round_, unit=unit).exclude(status="withdrawn")
    assert world.jurisdiction.office_name in text
    assert f"关于对{unit.party_org_name}巡察情况的报告" in text
    assert f"受理信访件{petitions}件" in text and f"开展个别谈话{interviews}人次" in text
    assert f"巡察共发现问题{findings.count()}个" in text
    for finding in findings:
        assert finding.title in text
    assert f"共形成问题线索{leads.count()}件" in text
    for lead in leads:  # counts only: no name of a person reported
        assert lead.subject_name not in text
    assert "—1—" in text  # page number
    assert_cjk_fonts_only(path)


def test_feedback_letter_and_rectification_ledger(world, office_user, django_capture_on_commit_callbacks):
    feedback = (
        Feedback.objects.filter(jurisdiction=world.jurisdiction)
        .annotate(n=Count("plan__tasks")).filter(n__gt=0).select_related("unit").first()
    )
    letter = generate("dashboard.feedback_letter", feedback, office_user, django_capture_on_commit_callbacks)
    text = flat(pdf_text(letter))
    items = list(feedback.problem_items.select_related("finding"))
    assert feedback.letter_number in text
    assert f"关于巡察{feedback.unit.party_org_name}的反馈意见" in text
    assert f"巡察共反馈问题{len(items)}个" in text
    for item in items:
        assert item.finding.title in text
    assert f"{feedback.plan_due_on.year}年{feedback.plan_due_on.month}月{feedback.plan_due_on.day}日前将整改方案" in text
    # The date of issue in Arabic numerals (GB/T 9704-2012 7.3.5.1), never 二〇二六年.
    held = feedback.held_on
    assert f"{held.year}年{held.month}月{held.day}日" in text and "〇" not in text
    assert_cjk_fonts_only(letter)

    ledger = generate("dashboard.rectification_ledger", feedback, office_user, django_capture_on_commit_callbacks)
    text = flat(pdf_text(ledger))
    tasks = Task.objects.filter(plan__feedback=feedback)
    closed = tasks.filter(status="closed").count()
    assert f"{feedback.unit.name}巡察整改台账" in text
    assert f"制定整改任务{tasks.count()}项" in text and f"已销号{closed}项" in text
    for task in tasks:
        assert task.get_status_display() in text and f"{task.deadline:%Y-%m-%d}" in text
    assert_cjk_fonts_only(ledger)


def test_term_statistics_report(world, office_user, django_capture_on_commit_callbacks):
    plan = world.plans[1]
    path = generate("dashboard.term_statistics", plan, office_user, django_capture_on_commit_callbacks)
    text = flat(pdf_text(path))
    figs = selectors.figures(FigureScope(jurisdiction_id=world.jurisdiction.pk, plan=plan), include_leads=True)
    assert f"{plan.name}巡察工作统计报告" in text
    assert f"规划覆盖单位{figs.coverage['planned']}个，已覆盖{figs.coverage['covered']}个" in text
    assert f"共发现问题{figs.findings['total']}个，其中立行立改{figs.findings['fixed_on_site']}个" in text
    assert f"移交问题线索{figs.leads['referred']}件，已处置{figs.leads['disposed']}件" in text
    assert f"整改完成率{figs.rectification['rate']}%" in text
    assert f"回收资金、挽回经济损失{figs.money_recovered:,.2f}元" in text
    for area in figs.by_area:
        assert area["name"] in text
    assert_cjk_fonts_only(path)


def test_term_statistics_count_only_the_units_still_assigned(world, office_user):
    from django.utils import timezone

    from dashboard.documents import term_statistics_context

    plan = world.plans[1]
    before = {r.pk: r.unit_count for r in term_statistics_context(plan)["rounds"]}
    withdrawn = TeamUnit.objects.filter(round__plan=plan).first()
    TeamUnit.all_objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=office_user, withdrawal_reason="本轮回避，调整出组"
    )
    after = {r.pk: r.unit_count for r in term_statistics_context(plan)["rounds"]}
    assert after[withdrawn.round_id] == before[withdrawn.round_id] - 1


def test_a_document_of_another_county_cannot_be_requested(client, make_user, world, other_jurisdiction):
    client.force_login(make_user("office", jurisdiction=other_jurisdiction))
    plan = world.plans[1]
    assert client.post(f"/files/dashboard.term_statistics/{plan.pk}/request/").status_code == 404
    assert not GeneratedFile.objects.exists()


def test_documents_page_lists_units_with_their_panels(office_client, world):
    round_ = world.rounds[1]
    response = office_client.get("/dashboard/documents/", {"round": round_.pk})
    assert response.status_code == 200
    html = response.content.decode()
    team_units = TeamUnit.objects.filter(round=round_)
    for tu in team_units:
        assert f"/files/dashboard.inspection_report/{tu.pk}/request/" in html
    for feedback in Feedback.objects.filter(round=round_):
        assert f"/files/dashboard.rectification_ledger/{feedback.pk}/request/" in html
    assert f"/files/dashboard.term_statistics/{world.plans[1].pk}/request/" in html


@pytest.mark.worker
def test_a_real_worker_renders_the_statistics_report(celery_worker_process, jurisdiction, office_user, client):
    world = build_world(jurisdiction, seed=4, units=6)
    client.force_login(office_user)
    response = client.post(f"/files/dashboard.term_statistics/{world.plans[1].pk}/request/")
    assert response.status_code == 200
    generated = GeneratedFile.objects.get(kind="dashboard.term_statistics")
    deadline = time.monotonic() + 90
    seen = set()
    while time.monotonic() < deadline:
        generated.refresh_from_db()
        seen.add(generated.status)
        if generated.is_finished:
            break
        time.sleep(0.2)
    assert generated.status == GeneratedFile.Status.DONE, generated.error
    text = flat(pdf_text(generated.file.path))
    figs = selectors.figures(FigureScope(jurisdiction_id=jurisdiction.pk, plan=world.plans[1]), include_leads=True)
    assert f"共发现问题{figs.findings['total']}个" in text
    assert_cjk_fonts_only(generated.file.path)
    panel = client.get(f"/files/dashboard.term_statistics/{world.plans[1].pk}/").content.decode()
    assert f"/files/download/{generated.pk}/" in panel


def test_sample_documents_command_writes_first_pages_as_png(world, tmp_path):
    from django.core.management import call_command

    if shutil.which("pdftoppm") is None:
        pytest.skip("需要 pdftoppm")
    call_command("render_sample_documents", jurisdiction=world.jurisdiction.name, output=str(tmp_path), resolution=20)
    for name in ("inspection_report", "feedback_letter", "rectification_ledger", "term_statistics"):
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_documents_page_query_count_is_constant(office_client, office_user, world, django_assert_max_num_queries,
                                                 django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = world.rounds[1]
    office_client.get("/")  # the session's first refresh after login is not the page's cost
    with CaptureQueriesContext(connection) as before:
        office_client.get("/dashboard/documents/", {"round": round_.pk})
    for tu in TeamUnit.objects.filter(round=round_):
        GeneratedFile.objects.create(kind="dashboard.inspection_report", title="巡察报告", object_type="rounds.teamunit",
                                     object_id=str(tu.pk), version=1, created_by=office_user)
    for unit in world.units[:4]:  # more units on the round: more rows, same number of queries
        if not TeamUnit.objects.filter(round=round_, unit=unit).exists():
            TeamUnit.objects.create(team=round_.teams.first(), round=round_, unit=unit)
    with CaptureQueriesContext(connection) as after:
        response = office_client.get("/dashboard/documents/", {"round": round_.pk})
    assert response.content.decode().count("第1版") >= 4
    assert len(before) == len(after)
