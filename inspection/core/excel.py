"""Excel ledgers: streamed export in bounded memory, and all-or-nothing import with a per-row report."""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.http import FileResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell of user text beginning with one of these is what Excel (or WPS) may run as a formula or a DDE command
# (`=HYPERLINK(...)` in a petition summary, `@SUM(...)`, `+cmd|...`): such text is written as text, never as a
# formula (OWASP "CSV injection"). openpyxl itself turns only a leading "=" into a formula; the quote prefix
# keeps the others text when someone edits the cell in Excel.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(sheet, row: Iterable) -> list:
    """One row for `sheet.append`: values as they are, except text that a spreadsheet would read as a formula."""
    return [_text_cell(sheet, v) if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v for v in row]


def export_response(*, filename: str, title: str, headers: list[str], rows: Iterable[Iterable]) -> FileResponse:
    """Write rows to a write-only workbook on disk (memory stays flat however many rows) and stream it.
    Every Excel file the system writes (ledgers, import templates) goes through here, so no user text becomes a
    formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(safe_row(sheet, row))
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    # Every export is audited (导出) by inspection.audit's middleware, which reads this marker.
    response.audit_kind = "export"
    return response


@dataclass
class ImportReport:
    created: int = 0
    errors: list = field(default_factory=list)  # [(row number, message)]

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    pass


def read_rows(uploaded_file, expected_headers: list[str], optional: tuple[str, ...] = ()) -> list[tuple[int, dict]]:
    """Rows as (Excel row number, {header: value}). Refuses a file that is not a workbook or lacks a column; a
    column named in `optional` (one a later template added) may be missing and then reads as empty, so a file
    made from an older template still imports."""
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ImportFileError("文件无法读取：请上传 .xlsx 格式的 Excel 文件") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(v).strip() if v is not None else "" for v in next(rows)]
    except StopIteration as exc:
        raise ImportFileError("文件为空") from exc
    missing = [h for h in expected_headers
               if h not in optional and h.rstrip("*") not in [x.rstrip("*") for x in header]]
    if missing:
        raise ImportFileError("缺少列：" + "、".join(missing))
    index = {h.rstrip("*"): i for i, h in enumerate(header)}
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        record = {}
        for name in expected_headers:
            key = name.rstrip("*")
            position = index.get(key, len(values))
            value = values[position] if position < len(values) else None
            record[key] = str(value).strip() if value is not None else ""
        result.append((number, record))
    workbook.close()
    return result


def import_rows(rows: list[tuple[int, dict]], validate: Callable, save: Callable) -> ImportReport:
    """Check every row first; if any is bad, store nothing and report each bad row with its number."""
    report = ImportReport()
    cleaned = []
    for number, record in rows:
        try:
            cleaned.append(validate(record))
        except RowError as exc:
            report.errors.append((number, str(exc)))
    if not rows:
        report.errors.append((0, "文件中没有数据行"))
    if report.errors:
        return report
    with transaction.atomic():
        for item in cleaned:
            save(item)
            report.created += 1
    return report


class RowError(Exception):
    pass
