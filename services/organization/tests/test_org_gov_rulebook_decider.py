"""The rulebook: which rules a holder keeps, defining, amending, posting (上墙) and unposting."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from redpark_contracts.organization_governance import RuleDefined, RulePosted, RuleUnposted
from redpark_organization.domain import rulebook
from redpark_organization.domain.rulebook import DefineRule, PostRule, UnpostRule
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

spec = DeciderSpec(rulebook.decider)
NOW = datetime(2025, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEFINED = RuleDefined(holder_id="br1", rule_key="meetings", title="会议制度", text="每月召开支委会。",
                      defined_on=date(2025, 6, 1))


def define(**overrides: object) -> DefineRule:
    fields: dict[str, object] = {"holder_id": "br1", "rule_key": "meetings", "text": "每月召开支委会。",
                                 "holder_exists": True, "now": NOW, "effective_on": date(2025, 6, 1)}
    fields.update(overrides)
    return DefineRule(**fields)  # type: ignore[arg-type]


def test_the_general_branch_keeps_ten_rules_and_a_branch_seven_with_the_plans_names() -> None:
    assert len(rulebook.catalog("general")) == 10 and len(rulebook.catalog("br1")) == 7
    assert set(rulebook.catalog("br1").values()) == {"会议制度", "党课制度", "党支部主题党日制度", "民主生活制度",
                                                     "民主评议党员制度", "党员汇报制度", "报告工作制度"}
    assert set(rulebook.catalog("general").values()) - set(rulebook.catalog("br1").values()) == {
        "党员学习管理制度", "员工文明管理制度", "党支部考核制度"}


def test_a_rule_is_defined_with_the_plans_title_when_none_is_given() -> None:
    spec.given([]).when(define()).then([DEFINED])


def test_a_branch_cannot_define_one_of_the_general_branchs_own_rules() -> None:
    spec.given([]).when(define(rule_key="staff_conduct")).then_raises(InvalidCommand, code="rule.unknown_key",
                                                                       field="rule_key")
    spec.given([]).when(define(holder_id="general", rule_key="staff_conduct")).then([RuleDefined(
        holder_id="general", rule_key="staff_conduct", title="员工文明管理制度", text="每月召开支委会。",
        defined_on=date(2025, 6, 1))])


def test_a_rule_needs_its_text_and_a_holder_that_exists() -> None:
    spec.given([]).when(define(text="  ")).then_raises(InvalidCommand, code="rule.text_missing", field="text")
    spec.given([]).when(define(holder_exists=False)).then_raises(NotFound, code="rule.holder_unknown",
                                                                 field="holder_id")


def test_amending_the_text_defines_it_again_and_the_same_text_changes_nothing() -> None:
    spec.given([DEFINED]).when(define(text="每月第一周召开支委会。")).then([RuleDefined(
        holder_id="br1", rule_key="meetings", title="会议制度", text="每月第一周召开支委会。",
        defined_on=date(2025, 6, 1))])
    spec.given([DEFINED]).when(define()).then([])


def test_a_rule_is_posted_once_after_it_was_defined() -> None:
    post = PostRule(holder_id="br1", rule_key="meetings", now=NOW, effective_on=date(2025, 6, 2))
    spec.given([]).when(post).then_raises(NotFound, code="rule.not_defined", field="rule_key")
    spec.given([DEFINED]).when(post).then([RulePosted(holder_id="br1", rule_key="meetings",
                                                      posted_on=date(2025, 6, 2))])
    posted = RulePosted(holder_id="br1", rule_key="meetings", posted_on=date(2025, 6, 2))
    spec.given([DEFINED, posted]).when(post).then_raises(DomainError, code="rule.already_posted")
    early = PostRule(holder_id="br1", rule_key="meetings", now=NOW, effective_on=date(2025, 5, 1))
    spec.given([DEFINED]).when(early).then_raises(InvalidCommand, code="rule.posted_before_defined",
                                                  field="effective_on")
    future = PostRule(holder_id="br1", rule_key="meetings", now=NOW, effective_on=date(2025, 7, 1))
    spec.given([DEFINED]).when(future).then_raises(InvalidCommand, code="date.in_future", field="effective_on")


def test_a_posted_rule_comes_off_the_wall_and_may_be_posted_again() -> None:
    posted = RulePosted(holder_id="br1", rule_key="meetings", posted_on=date(2025, 6, 2))
    unpost = UnpostRule(holder_id="br1", rule_key="meetings", now=NOW, effective_on=date(2025, 6, 5))
    spec.given([DEFINED]).when(unpost).then_raises(DomainError, code="rule.not_posted")
    spec.given([DEFINED, posted]).when(unpost).then([RuleUnposted(holder_id="br1", rule_key="meetings",
                                                                  unposted_on=date(2025, 6, 5))])
    off = RuleUnposted(holder_id="br1", rule_key="meetings", unposted_on=date(2025, 6, 5))
    spec.given([DEFINED, posted, off]).when(PostRule(holder_id="br1", rule_key="meetings", now=NOW)).then_state(
        posted_on=date(2025, 6, 10))
