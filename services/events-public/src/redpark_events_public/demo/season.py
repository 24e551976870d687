"""The demo season, as request bodies of the service's own API: what `loader.load` sends.

What a person finds: the science carnival week (科技嘉年华周) starting a few days from today,
its six parts with sessions on each of its seven days, registration open now; youth science
courses (青少年科普培训) and a family tech tour (科技亲子游) with its route; volunteer and
tech-poverty-relief activities of branches of the organization demo (`demo-br-…`); open-base
group visits, some confirmed, one declined; and some registrations, so counts are not zero and
one small session has a waiting list.

Dates follow the `now` they are given (park time), so the carnival is always ahead. Deterministic
otherwise (seeded). Ids are fixed (`demo-…`), so a second run that raced the first is refused by
the streams, never duplicated.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from redpark_platform.calendar import PARK_TZ, park_date

SEED = 20260701
CARNIVAL = "demo-carnival"
CARNIVAL_STARTS_IN_DAYS = 4
CARNIVAL_DAYS = 7

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "霞", "平", "刚", "建华", "志强", "晓东", "海燕", "文博", "振国", "立新", "红梅", "建军", "春燕")


@dataclass(frozen=True)
class Part:
    """One part of the carnival week and its daily sessions: (start, minutes, capacity)."""

    activity_id: str
    kind: str
    title: str
    summary: str
    place: str
    daily: Sequence[tuple[time, int, int]]
    min_age: int | None = None
    max_age: int | None = None


PARTS = (
    Part("demo-carnival-garden", "tech_garden_tour", "科技游园", "跟随讲解员游览园区科技长廊与创新企业展厅。",
         "园区中心花园", [(time(9, 30), 90, 40), (time(14, 30), 90, 40)]),
    Part("demo-carnival-exhibition", "achievement_exhibition", "科技成果展示",
         "园区企业最新科技成果集中展示：芯片、机器人、生物医药、新材料。", "A1 展览中心",
         [(time(9, 0), 480, 300)]),
    Part("demo-carnival-experience", "science_experience", "科普知识体验",
         "VR 太空行走、机器人编程、趣味化学实验，家长陪同。", "B2 科普体验馆",
         [(time(10, 0), 60, 24), (time(15, 0), 60, 24)], min_age=6, max_age=14),
    Part("demo-carnival-contest", "knowledge_contest", "科技知识竞赛", "家庭组队答题，设一二三等奖。",
         "A3 报告厅", [(time(19, 0), 90, 60)]),
    Part("demo-carnival-performance", "performance", "文艺表演", "园区职工与社区居民联合演出。",
         "中心广场舞台", [(time(19, 30), 120, 200)]),
    Part("demo-carnival-tasting", "food_tasting", "美食品尝", "园区餐饮企业特色美食，凭票品尝。",
         "美食街", [(time(11, 30), 120, 80), (time(17, 30), 120, 80)]),
)

ROUTE = [
    {"name": "科技长廊", "place": "园区中心花园", "minutes": 20},
    {"name": "智能机器人展厅", "place": "A2 一层", "minutes": 30},
    {"name": "芯片实验室（参观通道）", "place": "B1 三层", "minutes": 30},
    {"name": "党建红色展厅", "place": "A1 二层", "minutes": 25},
]


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=PARK_TZ)


def _session(session_id: str, activity_id: str, starts: datetime, minutes: int, place: str, capacity: int,
             opens: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "session_id": session_id, "activity_id": activity_id,
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(minutes=minutes)).isoformat(),
        "place": place, "capacity": capacity,
        "registration_opens_at": opens.isoformat(),
        # Registration closes an hour before the start, so the door list is final.
        "registration_closes_at": (starts - timedelta(hours=1)).isoformat(),
        **extra,
    }


def catalogue_plan(now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The activities and sessions, from the current time (pure)."""
    today = park_date(now, PARK_TZ)
    opens = now - timedelta(hours=1)  # open now
    first = today + timedelta(days=CARNIVAL_STARTS_IN_DAYS)
    activities: list[dict[str, Any]] = [{
        "activity_id": CARNIVAL, "kind": "science_carnival", "title": f"{first.year} 科技嘉年华周",
        "summary": f"{first:%m月%d日}起一周，六大板块：科技游园、成果展示、科普体验、知识竞赛、文艺表演、美食品尝。",
        "place": "红色园区", "organizer": "园区党委 · 园区管委会", "daily_limit_per_phone": 3,
    }]
    sessions: list[dict[str, Any]] = []
    for part in PARTS:
        activities.append({"activity_id": part.activity_id, "kind": part.kind, "title": part.title,
                           "summary": part.summary, "place": part.place, "organizer": "园区党委",
                           "carnival_id": CARNIVAL})
        ages = {"min_age": part.min_age, "max_age": part.max_age} if part.max_age else {}
        for d in range(CARNIVAL_DAYS):
            day = first + timedelta(days=d)
            for n, (clock, minutes, capacity) in enumerate(part.daily, start=1):
                sessions.append(_session(f"{part.activity_id}-d{d + 1}-{n}", part.activity_id, _at(day, clock),
                                         minutes, part.place, capacity, opens, **ages))
    courses = (
        ("demo-course-robots", "青少年机器人编程", "从积木编程到传感器，每周一课，共四讲。", "A3 创客教室", 8, 14, 20),
        ("demo-course-stars", "青少年天文观测", "认识星座，动手使用望远镜（夜间课）。", "B5 楼顶观测台", 10, 16, 15),
    )
    next_saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    for activity_id, title, summary, place, min_age, max_age, capacity in courses:
        activities.append({"activity_id": activity_id, "kind": "youth_science_course", "title": title,
                           "summary": summary, "place": place, "organizer": "园区团委"})
        clock = time(9, 30) if activity_id.endswith("robots") else time(19, 0)
        for week in range(4):
            sessions.append(_session(f"{activity_id}-w{week + 1}", activity_id,
                                     _at(next_saturday + timedelta(weeks=week), clock), 90, place, capacity, opens,
                                     min_age=min_age, max_age=max_age, max_party_size=3))
    activities.append({"activity_id": "demo-tour-family", "kind": "family_tech_tour", "title": "科技亲子游",
                       "summary": "家长带孩子走进园区科技企业，沿路线参观四个站点。", "place": "园区东门集合",
                       "organizer": "园区工会", "route": ROUTE})
    for week in range(3):
        # A small bus: four seats in the first tour so the demo shows a waiting list.
        sessions.append(_session(f"demo-tour-family-w{week + 1}", "demo-tour-family",
                                 _at(next_saturday + timedelta(weeks=week, days=1), time(9, 0)), 150,
                                 "园区东门集合", 4 if week == 0 else 30, opens, min_age=5, max_age=15))
    return activities, sessions


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name in names:
            continue
        names.add(name)
        out.append((name, f"139{rng.randrange(10**8):08d}"))
    return out


def registrations_plan(sessions: list[dict[str, Any]], seed: int = SEED) -> list[tuple[str, dict[str, Any]]]:
    """(session_id, body) for some registrations: one phone at most once per carnival day."""
    rng = random.Random(seed)
    people = _people(rng, 36)
    by_id = {s["session_id"]: s for s in sessions}
    wanted = (
        ["demo-tour-family-w1"] * 6  # 4 seats: two confirmed families, the rest waiting
        + [f"demo-carnival-garden-d1-{n}" for n in (1, 2)] * 3
        + ["demo-carnival-experience-d1-1"] * 4 + ["demo-carnival-exhibition-d2-1"] * 4
        + ["demo-carnival-contest-d3-1"] * 3 + ["demo-carnival-tasting-d4-1"] * 3
        + ["demo-course-robots-w1"] * 5 + ["demo-course-stars-w1"] * 5
    )
    out = []
    for (name, phone), session_id in zip(people, wanted, strict=False):
        session = by_id[session_id]
        if session.get("max_age") is not None:
            low, high = session["min_age"], min(session["max_age"], 17)
            children = [rng.randint(low, high)] + ([rng.randint(low, high)] if rng.random() < 0.3 else [])
        else:
            children = [rng.randint(4, 12)] if rng.random() < 0.5 else []
        out.append((session_id, {"name": name, "phone": phone, "adults": 1, "children_ages": children,
                                 "consent": True}))
    return out


def open_base_plan(now: datetime) -> list[tuple[dict[str, Any], str]]:
    """Group visits and what staff then do with each: confirm, decline or leave requested."""
    today = park_date(now, PARK_TZ)
    visits = [
        ("某区机关第三党支部", "王芳", "13800138001", 30, 6, "confirm"),
        ("某大学计算机学院学生党支部", "李强", "13800138002", 45, 6, "confirm"),
        ("某街道社区党委", "赵敏", "13800138003", 25, 9, "requested"),
        ("某国企研发中心党总支", "陈立新", "13800138004", 60, 13, "decline"),
        ("某中学教师党支部", "周静", "13800138005", 20, 13, "requested"),
    ]
    return [({"day": (today + timedelta(days=days)).isoformat(), "organization": org, "contact_name": name,
              "contact_phone": phone, "group_size": size}, then)
            for org, name, phone, size, days, then in visits]


def volunteer_plan(now: datetime) -> list[tuple[dict[str, Any], list[str]]]:
    today = park_date(now, PARK_TZ)
    return [
        ({"activity_id": "demo-vol-community", "kind": "volunteer_service", "title": "社区科普志愿服务",
          "organizer_branch_id": "demo-br-e001", "place": "某街道社区活动中心",
          "starts_at": _at(today + timedelta(days=10), time(9, 0)).isoformat(),
          "ends_at": _at(today + timedelta(days=10), time(12, 0)).isoformat(), "volunteer_slots": 12},
         ["demo-m001", "demo-m002", "demo-m003", "demo-m004"]),
        ({"activity_id": "demo-vol-carnival", "kind": "volunteer_service", "title": "科技嘉年华周现场志愿者",
          "organizer_branch_id": "demo-br-a3", "place": "园区中心花园",
          "starts_at": _at(today + timedelta(days=CARNIVAL_STARTS_IN_DAYS), time(8, 30)).isoformat(),
          "ends_at": _at(today + timedelta(days=CARNIVAL_STARTS_IN_DAYS), time(17, 30)).isoformat(),
          "volunteer_slots": 30},
         ["demo-m010", "demo-m011", "demo-m012", "demo-m013", "demo-m014", "demo-m015"]),
        ({"activity_id": "demo-vol-village", "kind": "tech_poverty_relief", "title": "科技助农：智慧大棚技术指导",
          "organizer_branch_id": "demo-br-e002", "place": "对口帮扶村",
          "starts_at": _at(today + timedelta(days=17), time(8, 0)).isoformat(),
          "ends_at": _at(today + timedelta(days=17), time(18, 0)).isoformat(), "volunteer_slots": 8},
         ["demo-m020", "demo-m021", "demo-m022"]),
    ]
