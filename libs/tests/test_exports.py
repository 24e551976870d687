"""XLSX exports: a workbook with Chinese headers, rows, dates, several sheets, as a download."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import quote

import httpx
import openpyxl
import pytest
from fastapi import FastAPI, Response

from redpark_platform.exports import (
    XLSX_MEDIA_TYPE,
    Sheet,
    content_disposition,
    workbook_bytes,
    xlsx_openapi,
    xlsx_response,
)


def test_a_workbook_has_bold_chinese_headers_and_typed_cells() -> None:
    data = workbook_bytes([Sheet("党员名册", ["姓名", "入党日期", "人数"], [["张三", date(2010, 7, 1), 3],
                                                                        ["李四", None, 0]])])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["党员名册"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "入党日期", "人数")
    assert rows[1][0] == "张三" and rows[1][1].date() == date(2010, 7, 1) and rows[1][2] == 3
    assert rows[2] == ("李四", None, 0)
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"


def test_several_sheets_with_titles_excel_accepts() -> None:
    data = workbook_bytes([Sheet("按园区/分区", ["a"], [[1]]), Sheet("按园区/分区", ["b"], []),
                           Sheet("x" * 40, ["c"], [])])
    titles = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert titles == ["按园区_分区", "按园区_分区 (2)", "x" * 31]


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError):
        workbook_bytes([Sheet("s", ["a", "b"], [[1]])])
    with pytest.raises(ValueError):
        workbook_bytes([])


def test_the_file_name_is_given_in_ascii_and_in_utf8() -> None:
    header = content_disposition("党员名册.xlsx")
    assert header.startswith('attachment; filename="')
    assert f"filename*=UTF-8''{quote('党员名册.xlsx')}" in header
    assert content_disposition("census.xlsx").startswith('attachment; filename="census.xlsx"')


async def test_a_route_downloads_the_workbook_and_openapi_documents_it() -> None:
    app = FastAPI()

    @app.get("/exports/t.xlsx", response_class=Response, responses=xlsx_openapi("表"))
    async def export() -> Response:
        return xlsx_response("表", ["名称"], [["甲"], ["乙"]], "t.xlsx")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/exports/t.xlsx")
        doc = (await c.get("/openapi.json")).json()
    assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA_TYPE
    assert 'filename="t.xlsx"' in r.headers["content-disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws["A"]] == ["名称", "甲", "乙"]
    content = doc["paths"]["/exports/t.xlsx"]["get"]["responses"]["200"]["content"]
    assert set(content) == {XLSX_MEDIA_TYPE}


def test_control_characters_in_free_text_are_dropped_not_a_crash() -> None:
    """XLSX refuses most control characters; staff-typed text may carry them."""
    import io

    from openpyxl import load_workbook

    from redpark_platform.exports import Sheet, workbook_bytes

    data = workbook_bytes([Sheet("记录", ["说明"], [["第一行\x07\x1b结束"]])])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "第一行结束"


@pytest.mark.parametrize("text", [
    "=HYPERLINK(\"http://127.0.0.1/x\",\"点此\")", "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0",
])
def test_text_that_looks_like_a_formula_is_written_as_text(text: str) -> None:
    """Staff open these ledgers in Excel: a string a person typed must never become a formula."""
    data = workbook_bytes([Sheet("场地预约", ["用途"], [[text]])])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A2"].data_type != "f"
    assert ws["A2"].value == text.replace("\r", "\n")  # XML reads a bare CR back as a line feed
