"""Ledgers as XLSX workbooks (Excel), the one way every service exports a table.

    @router.get("/exports/census.xlsx", responses=xlsx_openapi("党员名册"))
    async def census(...) -> Response:
        return xlsx_response("党员名册", ["姓名", "所在企业"], rows, "census.xlsx")

Headers are the column titles as staff read them (Chinese); rows are sequences of plain values
(str, int, float, bool, date, datetime, None). Several sheets: `xlsx_sheets_response([Sheet(...)])`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses sheet titles longer than 31 characters or containing any of these.
_FORBIDDEN_IN_TITLE = set("[]:*?/\\")
_MAX_COLUMN_WIDTH = 60


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def _title(raw: str, taken: set[str]) -> str:
    title = "".join("_" if c in _FORBIDDEN_IN_TITLE else c for c in raw).strip()[:31] or "Sheet"
    candidate, n = title, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = title[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        # Free text may hold control characters that the XLSX format refuses; they carry nothing.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None or isinstance(value, (int, float, bool, date, datetime)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value if value is not None else "")
    # CJK characters take about two columns.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx file with one sheet per `Sheet`: bold frozen header row, dates as dates, sized columns."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_title(sheet.title, taken))
        headers = list(sheet.headers)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        widths = [_width(h) for h in headers]
        for row in sheet.rows:
            values = [_cell(v) for v in row]
            if len(values) != len(headers):
                raise ValueError(f"sheet {sheet.title!r}: a row has {len(values)} cells for {len(headers)} headers")
            ws.append(values)
            widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=True)]
            for cell, value in zip(ws[ws.max_row], values, strict=True):
                if isinstance(value, str):
                    # Text stays text: openpyxl would store "=..." as a formula, which Excel runs
                    # when staff open the ledger (a booking purpose typed as =HYPERLINK(...)).
                    cell.data_type = "s"
                elif isinstance(value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(w + 2, _MAX_COLUMN_WIDTH)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact (possibly Chinese) name per RFC 6266/5987."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_sheets_response(sheets: Sequence[Sheet], filename: str) -> Response:
    return Response(content=workbook_bytes(sheets), media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": content_disposition(filename)})


def xlsx_response(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """A one-sheet workbook as a download."""
    return xlsx_sheets_response([Sheet(sheet_title, headers, rows)], filename)


def xlsx_openapi(description: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` of an export route: documents the workbook download in OpenAPI."""
    return {200: {
        "description": description,
        "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {"Content-Disposition": {
            "description": "attachment; the file name", "schema": {"type": "string"}}},
    }}
