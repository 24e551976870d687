"""The demo park's branch life: rules on the wall, inspections, and 三会一课 over the last months.

Deterministic (seeded) and uneven on purpose, so the ledgers and the quarterly scorecards show a
park where most branches keep their records, one failed an inspection, and a few skip meetings.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from ..domain.rulebook import BRANCH_RULES, GENERAL, GENERAL_RULES

Call = Callable[..., Awaitable[Any]]
TOPICS = ("学习党章", "学习党的创新理论", "重温入党誓词", "学习园区精神：融合、创新、笃行、责任", "党史学习")


async def load_branch_life(call: Call, gather: Callable[[Sequence[Awaitable[Any]]], Awaitable[Any]],
                           branch_members: Mapping[str, Sequence[str]], today: date, rng: random.Random,
                           general_committee: Sequence[str] = ()) -> None:
    """`branch_members`: each branch's members (ids) on its roster since well before three months ago;
    `general_committee`: the general branch's committee, which meets monthly (总支委员会)."""
    defined = (today - timedelta(days=150)).isoformat()
    calls = [call("PUT", f"/rulebook/{GENERAL}/{key}", {"text": f"{title}（园区党总支）", "effective_on": defined})
             for key, title in GENERAL_RULES.items()]
    branches = sorted(branch_members)
    for n, bid in enumerate(branches):
        keys = list(BRANCH_RULES) if n % 4 else list(BRANCH_RULES)[:5]  # every fourth branch is still writing two
        calls += [call("PUT", f"/rulebook/{bid}/{key}",
                       {"text": f"{BRANCH_RULES[key]}（支部）", "effective_on": defined})
                  for key in keys]
    await gather(calls)
    posted = (today - timedelta(days=140)).isoformat()
    calls = [call("POST", f"/rulebook/{GENERAL}/{key}/posting", {"effective_on": posted}) for key in GENERAL_RULES]
    for n, bid in enumerate(branches):
        keys = list(BRANCH_RULES) if n % 4 else list(BRANCH_RULES)[:5]
        calls += [call("POST", f"/rulebook/{bid}/{key}/posting", {"effective_on": posted})
                  for key in keys[: len(keys) - (n % 3 == 1)]]  # one in three has a rule not yet on the wall
    await gather(calls)

    # one inspection per branch in the last half-year; the third branch failed and is rectifying
    calls = []
    for n, bid in enumerate(branches):
        failed = n == 2
        calls.append(call("POST", "/inspections", {
            "branch_id": bid, "inspected_on": (today - timedelta(days=40 + n)).isoformat(), "passed": not failed,
            "findings": "三会一课记录不全，制度未全部上墙" if failed else "制度健全，记录规范",
            "inspection_id": f"demo-insp-{bid}"}))
    await gather(calls)

    # the last three months: committee and group meetings and theme days monthly, a member meeting and a
    # party lesson each quarter; one branch in five skips its theme days, one in seven its party lesson
    calls = []
    for n, bid in enumerate(branches):
        members = list(branch_members[bid])
        if not members:
            continue
        for back in range(3):
            held = today - timedelta(days=5 + 30 * back + n % 7)
            kinds = ["committee_meeting", "group_meeting"] + ([] if n % 5 == 4 else ["theme_day"])
            if back == 0:
                kinds += ["member_meeting"] + ([] if n % 7 == 6 else ["party_lesson"])
            for kind in kinds:
                present = [m for m in members if rng.random() < 0.85] or members[:1]
                calls.append(call("POST", f"/branches/{bid}/meetings", {
                    "kind": kind, "held_on": held.isoformat(), "topic": rng.choice(TOPICS),
                    "attendee_ids": present, "minutes": "书记主持，传达学习上级精神，讨论本支部工作。",
                    "meeting_id": f"demo-mt-{bid}-{kind}-{back}"}))
    await gather(calls)

    # the general branch's own committee (总支委员会), monthly over the same three months
    if general_committee:
        await gather([call("POST", f"/branches/{GENERAL}/meetings", {
            "kind": "committee_meeting", "held_on": (today - timedelta(days=6 + 30 * back)).isoformat(),
            "topic": "总支委员会：研究园区党建工作", "attendee_ids": list(general_committee),
            "minutes": "总支书记主持，部署各支部季度党建工作。", "meeting_id": f"demo-mt-general-{back}"})
            for back in range(3)])
