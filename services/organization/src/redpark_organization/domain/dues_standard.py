"""The dues standard (党费交纳标准): the monthly amount from a member's category and declared income.

Source: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(2008):
- 第三条 (members with a salary): monthly income after tax (税后工资收入) up to 3,000 yuan (included) 0.5%;
  3,000–5,000 (included) 1%; 5,000–10,000 (included) 1.5%; above 10,000 2%;
- 第四条 (离退休, retirees): their monthly pension up to 5,000 yuan (included) 0.5%, above it 1%;
- 第六条 (学生党员, 下岗失业的党员, and those living on relief or the minimum allowance): 0.2 yuan a month;
- 第九条 (特殊情况): the branch may set another amount; the reason is recorded with it.
Pure: amounts in fen, the rate in basis points (1% = 100), rounded half up to the fen.
"""

from __future__ import annotations

from typing import Literal, cast, get_args

import msgspec

from .errors import ERRORS

DuesCategory = Literal["salaried", "retiree", "student", "unemployed", "branch_set"]
CATEGORIES: tuple[str, ...] = get_args(DuesCategory)
CATEGORY_ZH = {"salaried": "在职（按税后工资收入）", "retiree": "离退休（按离退休费）", "student": "学生党员",
               "unemployed": "下岗失业党员", "branch_set": "党支部确定（特殊情况）"}

YUAN = 100  # fen
# (upper bound of the bracket in fen, included; rate in basis points), lowest first; None: no upper bound
SALARIED_BRACKETS: tuple[tuple[int | None, int], ...] = (
    (3_000 * YUAN, 50), (5_000 * YUAN, 100), (10_000 * YUAN, 150), (None, 200))
RETIREE_BRACKETS: tuple[tuple[int | None, int], ...] = ((5_000 * YUAN, 50), (None, 100))
FLAT_FEN = 20  # 0.2 yuan: students, the unemployed (第六条)
MAX_INCOME_FEN = 100_000_000 * YUAN  # a declared income beyond this is a typing error, not an income


class DuesStandard(msgspec.Struct, frozen=True, kw_only=True):
    category: DuesCategory
    basis_points: int | None  # None: a flat or branch-set amount
    monthly_amount_fen: int
    rule: str  # the regulation's article, for the ledger


def _bracket(income_fen: int, brackets: tuple[tuple[int | None, int], ...]) -> int:
    for upper, basis_points in brackets:
        if upper is None or income_fen <= upper:
            return basis_points
    raise AssertionError("the last bracket has no upper bound")


def _percent(income_fen: int, basis_points: int) -> int:
    # half up to the fen, in integers (no float rounding)
    return (income_fen * basis_points + 5_000) // 10_000


def standard(category: str, *, income_fen: int | None = None, amount_fen: int | None = None,
             reason: str = "") -> DuesStandard:
    """The monthly dues of a member of `category`: salaried and retirees from `income_fen` (monthly, after
    tax), students and the unemployed a flat 0.2 yuan, `branch_set` the `amount_fen` the branch decided,
    with its `reason`. Refusals name the field."""
    if category not in CATEGORIES:
        raise ERRORS.error("dues.category_unknown", field="category", value=", ".join(CATEGORIES))
    if category in ("salaried", "retiree"):
        if income_fen is None:
            raise ERRORS.error("dues.income_missing", field="monthly_income_fen")
        if not 0 <= income_fen <= MAX_INCOME_FEN:
            raise ERRORS.error("dues.income_out_of_range", field="monthly_income_fen")
        brackets = SALARIED_BRACKETS if category == "salaried" else RETIREE_BRACKETS
        bp = _bracket(income_fen, brackets)
        rule = "《党费规定》第三条" if category == "salaried" else "《党费规定》第四条"
        return DuesStandard(category=cast(DuesCategory, category), basis_points=bp,
                            monthly_amount_fen=_percent(income_fen, bp), rule=rule)
    if category in ("student", "unemployed"):
        return DuesStandard(category=cast(DuesCategory, category), basis_points=None, monthly_amount_fen=FLAT_FEN,
                            rule="《党费规定》第六条")
    if amount_fen is None or amount_fen < 0:
        raise ERRORS.error("dues.amount_missing", field="monthly_amount_fen")
    if not reason.strip():
        raise ERRORS.error("dues.reason_missing", field="reason")
    return DuesStandard(category="branch_set", basis_points=None, monthly_amount_fen=amount_fen,
                        rule="《党费规定》第九条（党支部确定）")
