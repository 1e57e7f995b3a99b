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


def export_response(*, filename: str, title: str, headers: list[str], rows: Iterable[Iterable]) -> FileResponse:
    """Write rows to a write-only workbook on disk (memory stays flat however many rows) and stream it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(list(row))
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@dataclass
class ImportReport:
    created: int = 0
    errors: list = field(default_factory=list)  # [(row number, message)]

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    pass


def read_rows(uploaded_file, expected_headers: list[str]) -> list[tuple[int, dict]]:
    """Rows as (Excel row number, {header: value}). Refuses a file that is not a workbook or lacks a column."""
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
    missing = [h for h in expected_headers if h.rstrip("*") not in [x.rstrip("*") for x in header]]
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
            value = values[index[key]] if index[key] < len(values) else None
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
