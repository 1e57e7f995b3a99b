"""User text that a spreadsheet would run as a formula is written as text in every Excel file (issue 15)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspection.core.excel import FORMULA_PREFIXES
from rounds.models import Petition

from ..dashboard.factories import build_world
from ..factories import UnitFactory

HYPERLINK = '=HYPERLINK("http://evil.example/","点此")'


def _cells(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows()]


def test_a_petition_summary_formula_arrives_in_the_petitions_ledger_as_text(office_client, jurisdiction):
    build_world(jurisdiction, seed=3, units=4)
    petition = Petition.objects.filter(round__jurisdiction=jurisdiction).order_by("pk").first()
    Petition.objects.filter(pk=petition.pk).update(summary=HYPERLINK, petitioner_name="@SUM(A1:A9)")
    response = office_client.get("/dashboard/ledgers/petitions.xlsx")
    assert response.status_code == 200
    rows = _cells(response)
    header = [c.value for c in rows[0]]
    row = next(r for r in rows[1:] if r[0].value == petition.pk)
    summary = row[header.index("反映内容摘要")]
    name = row[header.index("信访人")]
    assert (summary.value, summary.data_type) == (HYPERLINK, "s")
    assert summary.quotePrefix is True
    # The petitioner's name is masked in the ledger (issue 15 item 5) and still written as text.
    assert (name.value, name.data_type) == ("@**********", "s")
    # Ordinary text and numbers keep their type: only the dangerous leading characters are guarded.
    assert row[0].data_type == "n"
    assert row[header.index("轮次")].quotePrefix is False


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_unit_export_writes_every_dangerous_prefix_as_text(office_client, jurisdiction, prefix):
    text = prefix + "1+1 单位"
    UnitFactory(jurisdiction=jurisdiction, name=text)
    rows = _cells(office_client.get(reverse("units:unit_export")))
    # An XML reader reads a carriage return back as a line feed: the cell is found by the rest of its text.
    cell = next(c for r in rows[1:] for c in r if isinstance(c.value, str) and c.value.endswith("1+1 单位"))
    assert cell.data_type == "s" and cell.quotePrefix is True


def test_import_templates_hold_text_headers_only(office_client):
    for name in ("units:units_import_template", "units:cadres_import_template"):
        rows = _cells(office_client.get(reverse(name)))
        assert len(rows) == 1 and {c.data_type for c in rows[0]} == {"s"}


def test_finding_and_lead_ledgers_write_formula_text_as_text_and_keep_numbers(office_client, jurisdiction):
    from findings.models import Finding
    from referrals.models import Lead

    build_world(jurisdiction, seed=5, units=4)
    finding = Finding.objects.filter(jurisdiction=jurisdiction).order_by("pk").first()
    # A refund booked as a negative amount: a number, not text, so it stays a number in the ledger.
    Finding.objects.filter(pk=finding.pk).update(
        title="-2+3 虚列支出", facts="+cmd|' /C calc'!A0", money_involved=Decimal("-1200.50")
    )
    lead = Lead.objects.filter(jurisdiction=jurisdiction).order_by("pk").first()
    Lead.objects.filter(pk=lead.pk).update(summary=HYPERLINK)

    rows = _cells(office_client.get("/dashboard/ledgers/findings.xlsx"))
    header = [c.value for c in rows[0]]
    row = next(r for r in rows[1:] if r[0].value == finding.pk)
    for column, text in (("问题标题", "-2+3 虚列支出"), ("问题事实", "+cmd|' /C calc'!A0")):
        cell = row[header.index(column)]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    money = row[header.index("涉及金额（元）")]
    assert (money.value, money.data_type, money.quotePrefix) == (-1200.5, "n", False)

    rows = _cells(office_client.get("/dashboard/ledgers/leads.xlsx"))
    header = [c.value for c in rows[0]]
    summary = next(r for r in rows[1:] if r[0].value == lead.pk)[header.index("问题线索摘要")]
    assert (summary.value, summary.data_type, summary.quotePrefix) == (HYPERLINK, "s", True)


def test_a_negative_number_stays_a_number():
    from openpyxl import Workbook

    from inspection.core.excel import safe_row

    sheet = Workbook(write_only=True).create_sheet()
    number, text = safe_row(sheet, [-1200, "-1200"])
    assert number == -1200
    assert (text.value, text.data_type, text.quotePrefix) == ("-1200", "s", True)
