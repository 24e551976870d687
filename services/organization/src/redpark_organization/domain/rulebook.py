"""The rulebook (制度建设): the general branch's ten rules and every branch's seven, and which are posted.

The plan names the rules (section 三(三)): both the general branch and each branch keep the seven of
a branch's life; the general branch keeps three more for the park as a whole. A rule is defined with
its text (defined again to amend it) and then posted on the wall (上墙); posting is what assessments
count, so a rule cannot be posted before it has a text. One stream per holder and rule: two rules
never contend, and a rule's history reads on its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, assert_never

import msgspec

from redpark_contracts.organization_governance import RuleDefined, RulePosted, RuleUnposted
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS

GENERAL = "general"  # the holder id of the general branch's rules

# key → title, in the plan's order. Both holders keep these seven.
BRANCH_RULES: dict[str, str] = {
    "meetings": "会议制度",
    "party_lessons": "党课制度",
    "theme_day": "党支部主题党日制度",
    "democratic_life": "民主生活制度",
    "democratic_appraisal": "民主评议党员制度",
    "member_reporting": "党员汇报制度",
    "work_reporting": "报告工作制度",
}
# The general branch's ten: the seven and three of its own.
GENERAL_RULES: dict[str, str] = {
    **BRANCH_RULES,
    "member_study": "党员学习管理制度",
    "staff_conduct": "员工文明管理制度",
    "branch_assessment": "党支部考核制度",
}

HolderKind = Literal["general", "branch"]


def holder_kind(holder_id: str) -> HolderKind:
    return "general" if holder_id == GENERAL else "branch"


def catalog(holder_id: str) -> dict[str, str]:
    """The rules `holder_id` must keep, key → title."""
    return GENERAL_RULES if holder_kind(holder_id) == "general" else BRANCH_RULES


def stream_id(holder_id: str, rule_key: str) -> str:
    return f"rule-{holder_id}-{rule_key}"


class DefineRule(msgspec.Struct, frozen=True, kw_only=True):
    holder_id: str
    rule_key: str
    text: str
    title: str = ""  # the plan's title when empty
    holder_exists: bool  # the general branch is established / the branch is active (from its stream)
    now: datetime
    effective_on: date | None = None


class PostRule(msgspec.Struct, frozen=True, kw_only=True):
    holder_id: str
    rule_key: str
    now: datetime
    effective_on: date | None = None


class UnpostRule(msgspec.Struct, frozen=True, kw_only=True):
    holder_id: str
    rule_key: str
    now: datetime
    effective_on: date | None = None


RuleCommand = DefineRule | PostRule | UnpostRule
RuleEvent = RuleDefined | RulePosted | RuleUnposted


class NoRule(msgspec.Struct, frozen=True, tag=True):
    pass


class Rule(msgspec.Struct, frozen=True, tag=True):
    holder_id: str
    rule_key: str
    title: str
    text: str
    defined_on: date | None
    posted_on: date | None = None


RuleState = NoRule | Rule


def _define(command: DefineRule, state: RuleState) -> list[RuleEvent]:
    rules = catalog(command.holder_id)
    if command.rule_key not in rules:
        raise ERRORS.error("rule.unknown_key", field="rule_key", rule_key=command.rule_key,
                           value=holder_kind(command.holder_id), value2=', '.join(rules))
    if not command.holder_exists:
        raise ERRORS.error("rule.holder_unknown", field="holder_id", holder_id=command.holder_id)
    text = command.text.strip()
    if not text:
        raise ERRORS.error("rule.text_missing", field="text")
    on = effective_date(command.effective_on, command.now)
    title = command.title.strip() or rules[command.rule_key]
    if isinstance(state, Rule) and (state.title, state.text) == (title, text):
        return []  # the same text again changes nothing: a retried request stays one definition
    return [RuleDefined(holder_id=command.holder_id, rule_key=command.rule_key, title=title, text=text,
                        defined_on=on)]


def _defined(state: RuleState, holder_id: str, rule_key: str) -> Rule:
    if not isinstance(state, Rule):
        raise ERRORS.error("rule.not_defined", field="rule_key", rule_key=rule_key, holder_id=holder_id)
    return state


def _post(command: PostRule, state: RuleState) -> list[RuleEvent]:
    rule = _defined(state, command.holder_id, command.rule_key)
    on = effective_date(command.effective_on, command.now)
    if rule.posted_on is not None:
        raise ERRORS.error("rule.already_posted", field="rule_key", rule_key=rule.rule_key, posted_on=rule.posted_on)
    if rule.defined_on is not None and on < rule.defined_on:
        raise ERRORS.error("rule.posted_before_defined", field="effective_on")
    return [RulePosted(holder_id=rule.holder_id, rule_key=rule.rule_key, posted_on=on)]


def _unpost(command: UnpostRule, state: RuleState) -> list[RuleEvent]:
    rule = _defined(state, command.holder_id, command.rule_key)
    on = effective_date(command.effective_on, command.now)
    if rule.posted_on is None:
        raise ERRORS.error("rule.not_posted", field="rule_key", rule_key=rule.rule_key)
    if on < rule.posted_on:
        raise ERRORS.error("rule.unposted_before_posted", field="effective_on")
    return [RuleUnposted(holder_id=rule.holder_id, rule_key=rule.rule_key, unposted_on=on)]


def decide(command: RuleCommand, state: RuleState) -> list[RuleEvent]:
    match command:
        case DefineRule():
            return _define(command, state)
        case PostRule():
            return _post(command, state)
        case UnpostRule():
            return _unpost(command, state)
        case _:
            assert_never(command)


def evolve(state: RuleState, event: RuleEvent) -> RuleState:
    match event:
        case RuleDefined():
            posted = state.posted_on if isinstance(state, Rule) else None
            return Rule(holder_id=event.holder_id, rule_key=event.rule_key, title=event.title, text=event.text,
                        defined_on=event.defined_on, posted_on=posted)
        case RulePosted():
            if not isinstance(state, Rule):
                raise ValueError("rule posted before it was defined")
            return msgspec.structs.replace(state, posted_on=event.posted_on)
        case RuleUnposted():
            if not isinstance(state, Rule):
                raise ValueError("rule unposted before it was defined")
            return msgspec.structs.replace(state, posted_on=None)
        case _:
            assert_never(event)


decider: Decider[RuleCommand, RuleState, RuleEvent] = Decider(initial=NoRule(), decide=decide, evolve=evolve)
