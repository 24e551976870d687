"""Errors: a rule raises by code and kind; the HTTP edge alone turns the kind into a status."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from fastapi import APIRouter

import redpark_platform
from redpark_platform.decider import DomainError as DomainErrorFromDecider
from redpark_platform.decider import NotFound as NotFoundFromDecider
from redpark_platform.errors import DomainError, ErrorCatalogue, InvalidCommand, NotFound
from redpark_platform.web.problems import STATUS_OF_KIND, http_status

sys.path.insert(0, str(Path(__file__).parent))
from web_support import client, make_app  # noqa: E402

ERRORS = ErrorCatalogue({
    "dues.already_paid": ("conflict", "dues for {month} are already paid", "{month} 的党费已缴纳"),
    "member.not_found": ("not_found", "no member {member_id}", "未找到党员 {member_id}"),
    "month.malformed": ("invalid", "month must be written YYYY-MM", "月份格式应为 YYYY-MM"),
    "writer.closed": ("unavailable", "the writer is closed", "写入已关闭，请稍后重试"),
})


def test_a_catalogue_error_carries_its_code_both_languages_and_kind_and_no_status_of_its_own() -> None:
    err = ERRORS.error("dues.already_paid", field="month", month="2025-03")
    assert (err.code, err.kind, err.field) == ("dues.already_paid", "conflict", "month")
    assert err.detail == "dues for 2025-03 are already paid"
    assert err.detail_zh == "2025-03 的党费已缴纳"
    assert err._status is None  # the rule never says HTTP: the status is the kind's
    assert err.status == 409


def test_kinds_keep_the_classes_callers_catch() -> None:
    assert isinstance(ERRORS.error("member.not_found", member_id="m1"), NotFound)
    assert isinstance(ERRORS.error("month.malformed"), InvalidCommand)
    with pytest.raises(NotFoundFromDecider):  # the old import path catches the new errors
        raise ERRORS.error("member.not_found", member_id="m1")
    assert DomainErrorFromDecider is DomainError


def test_a_catalogue_refuses_unknown_kinds_missing_chinese_unknown_codes_and_clashing_merges() -> None:
    with pytest.raises(ValueError, match="kind"):
        ErrorCatalogue({"x.y": ("teapot", "a", "甲")})
    with pytest.raises(ValueError, match="Chinese"):
        ErrorCatalogue({"x.y": ("conflict", "a", "")})
    with pytest.raises(KeyError, match="x.unknown"):
        ERRORS.error("x.unknown")
    with pytest.raises(ValueError, match="dues.already_paid"):
        ERRORS.merged(ErrorCatalogue({"dues.already_paid": ("conflict", "a", "甲")}))
    both = ERRORS.merged(ErrorCatalogue({"x.y": ("forbidden", "a", "甲")}))
    assert len(both) == 5 and "x.y" in both and "member.not_found" in both


def test_the_edge_maps_kinds_to_statuses_and_an_explicit_status_still_wins() -> None:
    assert http_status(ERRORS.error("member.not_found", member_id="m")) == 404
    assert http_status(ERRORS.error("month.malformed")) == 422
    assert http_status(ERRORS.error("writer.closed")) == 503
    assert http_status(DomainError("a.b", "c")) == 409
    assert http_status(DomainError("a.b", "c", status=418)) == 418

    class Closed(DomainError):
        status = 503  # written before kinds: still honoured

    assert http_status(Closed("a.b", "c")) == 503
    assert http_status(Closed("a.b", "c", status=418)) == 418
    # Pages of the services read `.status` and compare it: it stays an int for every error.
    assert NotFound("a.b", "c").status == 404 and InvalidCommand("a.b", "c").status == 422
    assert set(STATUS_OF_KIND) == set(redpark_platform.errors.KINDS)


async def test_a_catalogue_error_raised_in_a_route_is_a_problem_with_the_kinds_status() -> None:
    router = APIRouter()

    @router.get("/members/{member_id}")
    async def read(member_id: str) -> None:
        raise ERRORS.error("member.not_found", field="member_id", member_id=member_id)

    async with client(make_app(router)) as c:
        r = await c.get("/members/m9")
    assert r.status_code == 404
    body = r.json()
    assert body["code"] == "member.not_found" and body["detail_zh"] == "未找到党员 m9"
    assert body["errors"][0]["field"] == "member_id"


def _imports(module: str) -> set[str]:
    path = Path(redpark_platform.__file__).parent / f"{module}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add(node.module or "")
    return found


def test_the_decider_and_the_store_do_not_import_each_other() -> None:
    assert "store" not in _imports("decider")
    assert "decider" not in _imports("store")
