"""Demo data: a year of education, created through the service's own HTTP API.

    await load("http://127.0.0.1:8000", token)            # a park_admin or education_officer token
    await load("http://edu", token, transport=httpx.ASGITransport(app=app))   # in tests

Deterministic (seeded) and loaded once (the marker lecturer stops a second run). Realistic gaps:
one quarter of the last four has no park lesson, one month has no topic, and members on the roster
(from the organization demo, when loaded) attend about four lessons in five and file about five
self-study records in six, some late.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx

from redpark_platform.calendar import park_date
from redpark_platform.clock import utcnow

SEED = 20250701
MARKER = "demo-l01"
LECTURERS = [("veteran_member", "省老干部局", ["党史", "初心使命"]), ("model_figure", "市劳动模范协会", ["工匠精神"]),
             ("expert", "大学马克思主义学院", ["党的创新理论", "社会主义核心价值观"]),
             ("tech_leader", "园区龙头企业", ["创新发展", "五大发展理念"])]
THEMES = ["不忘初心、牢记使命", "党史与两个一百年", "社会主义核心价值观", "五大发展理念", "园区精神"]


def _months_back(today: date, n: int) -> list[str]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


async def load(base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None,
               seed: int = SEED, today: date | None = None) -> bool:
    """Create a year of education; False when it was there already."""
    rng = random.Random(seed)
    today = today or park_date(utcnow())  # the park's today, whatever the machine's zone
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        corps = (await c.get("/lecturers", params={"limit": 500})).json()
        if any(lc["lecturer_id"] == MARKER for lc in corps.get("lecturers", {}).get("items", [])):
            return False

        async def call(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
            r = await c.request(method, path, json=body)
            r.raise_for_status()
            return dict(r.json()) if r.content else {}

        await call("PUT", f"/plans/{today.year}", {"lecturer_corps_minimum": 12, "park_lessons_minimum": 4,
                                                    "weekly_study_minutes": 30})
        for i in range(10):  # fewer than the plan's 12: the corps is still being built
            category, affiliation, topics = LECTURERS[i % len(LECTURERS)]
            await call("POST", "/lecturers", {"lecturer_id": f"demo-l{i + 1:02d}", "name": f"讲师{i + 1:02d}",
                                              "category": category, "affiliation": affiliation, "topics": topics})
        for n, title in enumerate(THEMES, start=1):
            await call("POST", f"/themes/{today.year}", {"theme_id": f"demo-t{n}", "title": title})
        months = _months_back(today, 12)
        skipped_month = months[rng.randrange(1, 11)]
        for month in months:
            if month != skipped_month:
                await call("POST", "/topics", {"month": month, "title": f"{month} 专题学习",
                                               "material": "学习材料与辅导提纲"})
                if month.startswith(str(today.year)):
                    await call("POST", f"/themes/{today.year}/demo-t{rng.randrange(1, 6)}/links",
                               {"kind": "topic", "ref": month})
        view = (await c.get("/compliance", params={"period": months[-1], "limit": 500})).json()
        roster = [m["member_id"] for m in view["members"]["items"]]
        skipped_quarter = rng.randrange(0, 3)
        for q in range(4):
            if q == skipped_quarter:
                continue
            held_on = today - timedelta(days=90 * (3 - q) + rng.randrange(5, 40))
            lesson_id = f"demo-L{q + 1}"
            await call("POST", "/lessons", {"lesson_id": lesson_id, "title": "园区大党课", "topic": THEMES[q],
                                            "lecturer_id": f"demo-l{q + 1:02d}", "venue": "一号楼三楼多功能厅",
                                            "scheduled_on": held_on.isoformat()})
            await call("POST", f"/lessons/{lesson_id}/held", {"held_on": held_on.isoformat()})
            present = [m for m in roster if rng.random() < 0.8]
            if present:
                r = await c.post(f"/lessons/{lesson_id}/attendance", json={"member_ids": present})
                if r.status_code == 409:  # someone joined after this lesson: take who was there
                    continue
        for member_id in roster:
            for month in months[-3:]:
                if month == skipped_month or rng.random() > 0.83:
                    continue
                first = date(int(month[:4]), int(month[5:]), 1)
                await c.post("/self-studies", json={"member_id": member_id, "month": month,
                                                    "studied_on": min(first + timedelta(days=9), today).isoformat(),
                                                    "content": "学习本月专题材料",
                                                    "reflection": "深受教育，结合岗位抓落实"})
        # weekly branch study after the enterprise's weekly meeting, for the last ten weeks; one branch
        # in four missed a week, so the guarantees show who is behind
        by_branch: dict[str, list[str]] = {}
        for m in view["members"]["items"]:
            if m.get("branch_id"):
                by_branch.setdefault(m["branch_id"], []).append(m["member_id"])
        monday = today - timedelta(days=today.weekday())
        for n, (branch_id, members) in enumerate(sorted(by_branch.items())):
            missed = rng.randrange(1, 10) if n % 4 == 3 else -1
            for back in range(10):
                held_on = monday - timedelta(weeks=back) + timedelta(days=1)
                if back == missed or held_on > today:
                    continue
                present = [m for m in members if rng.random() < 0.9] or members[:1]
                await c.post("/weekly-studies", json={"branch_id": branch_id, "held_on": held_on.isoformat(),
                                                      "minutes": 30, "topic": "周例会后集中学习",
                                                      "attendee_member_ids": present})
        await call("POST", "/forums", {"session_id": "demo-f1", "forum": "joint_conference",
                                       "title": "园区非公党建联席会",
                                       "held_on": (today - timedelta(days=30)).isoformat(),
                                       "participants": ["党总支书记", "企业经理代表", "科技英才代表"],
                                       "outcomes": ["形成党建与发展融合工作机制"]})
        return True
