"""Demo data: a realistic park, created through the service's own HTTP API.

    await load("http://127.0.0.1:8000", token)            # a park_admin token
    await load("http://org", token, transport=httpx.ASGITransport(app=app))   # in tests

Deterministic (seeded), concurrent within a bounded semaphore, and loaded once: if the marker
enterprise is already in the park, `load` returns without writing. Ids are fixed (`demo-…`), so a
second run that raced the first is refused by the streams, never duplicated.
"""

from __future__ import annotations

import os
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from redpark_platform.calendar import PARK_TZ, park_date
from redpark_platform.clock import utcnow
from redpark_platform.demo_client import DemoApi
from redpark_platform.settings import DEFAULT_TIMEZONE

from .branch_life import load_branch_life
from .governance import load_venues

SEED = 20240701
CONCURRENCY = 16
MARKER = "demo-e001"
GENERAL_BRANCH_ID = "demo-gb"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
            "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "海燕", "文博", "子涵", "浩然", "思远", "雨桐",
         "嘉怡", "俊杰", "宇航", "欣怡", "振国", "立新", "红梅", "建军", "国庆", "春燕", "晨曦", "一鸣", "梓萱")
TECH_WORDS = ("智能", "芯片", "云数", "量子", "生物医药", "新材料", "光电", "信息", "软件", "机器人", "新能源", "物联",
              "数据", "精密仪器", "航天", "基因", "微电子", "网络安全", "算力", "医疗器械")
TRADE_WORDS = ("商贸", "餐饮", "物业", "文化传媒", "会计", "律师", "人力资源", "广告", "物流", "咨询", "装饰", "教育",
               "旅行", "印务", "酒店管理")
BRANDS = ("红星", "华信", "中科", "天启", "博远", "鼎新", "凯瑞", "汇通", "星河", "瑞丰", "远航", "启明", "恒昌",
          "金桥", "新峰", "同创", "卓越", "东方", "长城", "昆仑", "九州", "海纳", "鸿图", "明德", "润泽", "思源",
          "朗科", "立讯",
          "云帆", "睿智", "领航", "先锋", "创新", "晨光", "飞扬", "海川", "嘉禾", "锦程", "宏达", "万象")
ELSEWHERE = ("北京大学党委", "清华大学党委", "海淀区人才服务中心党委", "朝阳区委组织部", "原单位党支部",
             "某街道社区党委", "上海交通大学党委", "武汉市人才交流中心党委")


@dataclass
class Person:
    member_id: str
    name: str
    enterprise_id: str | None
    status: str
    relationship: str
    joined_party_on: date
    phone: str
    id_number: str
    held_by: str = ""


@dataclass
class Enterprise:
    enterprise_id: str
    name: str
    building_id: str
    floor: int
    headcount: int
    tech: bool
    legal_representative: str
    kind: str  # big (own branch), small (joint branch), none (no members)
    members: list[Person] = field(default_factory=list)


def _id_number(rng: random.Random) -> str:
    area = rng.choice(("110105", "110108", "310104", "420106", "440305", "510107"))
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
    body = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set[str]()

    def __call__(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.used or len(self.used) > 2000:
                self.used.add(name)
                return name


@dataclass
class Plan:
    buildings: list[dict[str, Any]]
    enterprises: list[Enterprise]
    weak_buildings: list[str]
    development: list[tuple[str, str, str | None, list[str], str]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)


def plan(seed: int = SEED) -> Plan:
    """The whole park, decided before any request is sent (pure, deterministic)."""
    rng = random.Random(seed)
    name = _Names(rng)
    buildings = []
    for zone, count in (("A", 6), ("B", 6)):
        for seq in range(1, count + 1):
            buildings.append({"building_id": f"demo-{zone.lower()}{seq}", "zone_id": f"demo-{zone}",
                              "name": f"{zone}区{seq}号楼", "floors": rng.choice((8, 12, 16, 20, 24)),
                              "sequence_in_zone": seq})
    floors = {b["building_id"]: b["floors"] for b in buildings}
    strong = ["demo-a1", "demo-a2", "demo-a4", "demo-b1", "demo-b3", "demo-b5"]
    weak = [b["building_id"] for b in buildings if b["building_id"] not in strong]
    # 16 enterprises with their own branch, 3 small ones per weak building (joint branches), 30 with no member
    slots = ([("big", strong[i % len(strong)]) for i in range(16)] + [("small", w) for w in weak for _ in range(3)]
             + [("none", buildings[i % len(buildings)]["building_id"]) for i in range(30)])
    brands = list(BRANDS)
    rng.shuffle(brands)
    enterprises: list[Enterprise] = []
    for n, (kind, building_id) in enumerate(slots, start=1):
        tech = rng.random() < (0.8 if kind == "big" else 0.5)
        brand = brands[n % len(brands)] + ("" if n <= len(brands) else rng.choice("新天华瑞"))
        trade = rng.choice(TECH_WORDS if tech else TRADE_WORDS)
        suffix = "科技有限公司" if tech else rng.choice(("有限公司", "服务有限公司", "股份有限公司"))
        headcount = rng.randint(60, 400) if kind == "big" else rng.randint(8, 80)
        enterprises.append(Enterprise(
            enterprise_id=f"demo-e{n:03d}", name=f"{brand}{trade}{suffix}", building_id=building_id,
            floor=rng.randint(1, floors[building_id]), headcount=headcount, tech=tech, legal_representative=name(),
            kind=kind))
    mid = 0

    def person(enterprise_id: str, *, must_be_full: bool) -> Person:
        nonlocal mid
        mid += 1
        roll = rng.random()
        relationship = "elsewhere" if not must_be_full and roll < 0.15 else "in_park"
        status = "probationary" if not must_be_full and 0.15 <= roll < 0.3 else "full"
        joined = (date(2025, 1, 1) - timedelta(days=rng.randrange(300))) if status == "probationary" else \
            date(1985, 7, 1) + timedelta(days=rng.randrange(365 * 35))
        return Person(member_id=f"demo-m{mid:03d}", name=name(), enterprise_id=enterprise_id, status=status,
                      relationship=relationship, joined_party_on=joined,
                      phone=f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}",
                      id_number=_id_number(rng), held_by=rng.choice(ELSEWHERE) if relationship == "elsewhere" else "")

    for e in enterprises:
        if e.kind == "big":
            e.members = [person(e.enterprise_id, must_be_full=i < 3) for i in range(rng.randint(8, 16))]
        elif e.kind == "small":
            e.members = [person(e.enterprise_id, must_be_full=i == 0) for i in range(rng.randint(1, 2))]
    stages = ["applicant"] * 5 + ["activist"] * 5 + ["candidate"] * 4 + ["probationary"] * 3 + ["full"] * 2
    techs = [e for e in enterprises if e.tech]
    dev = []
    for n, stage in enumerate(stages, start=1):
        ent = rng.choice(techs)
        groups = rng.sample(["legal_representative", "tech_talent", "technical_backbone"], rng.randint(0, 2))
        dev.append((f"demo-p{n:02d}", name(), ent.enterprise_id, groups, stage))
    contacts = _contacts(enterprises, rng, name)
    return Plan(buildings=buildings, enterprises=enterprises, weak_buildings=weak, development=dev,
                contacts=contacts)


PARTIES = ("民盟盟员", "九三学社社员", "民进会员", "致公党党员", "民建会员", "农工党党员")
NATIONALITIES = ("德国", "新加坡", "美国", "日本", "韩国")


def _contacts(enterprises: list[Enterprise], rng: random.Random, name: Callable[[], str]) -> list[dict[str, Any]]:
    """Census baselines (3) and (4): non-member legal representatives (of the enterprises with no
    member, every other one), non-member tech talent, democratic-party members, foreign nationals."""
    out: list[dict[str, Any]] = []

    def add(enterprise: Enterprise, person: str, categories: list[str], **personal: str) -> None:
        out.append({"person_id": f"demo-c{len(out) + 1:03d}", "name": person, "enterprise_id": enterprise.enterprise_id,
                    "categories": categories, "phone": f"13{rng.randrange(10)}{rng.randrange(10**8):08d}",
                    **personal})

    for n, e in enumerate(e for e in enterprises if e.kind == "none"):
        if n % 2 == 0:
            add(e, e.legal_representative,
                ["non_member_legal_representative", *(["tech_talent"] if e.tech else [])])
    techs = [e for e in enterprises if e.tech]
    for _ in range(10):
        add(rng.choice(techs), name(), ["tech_talent"])
    for party in PARTIES:
        add(rng.choice(enterprises), name(), ["democratic_party_member"], political_status=party)
    for nationality in NATIONALITIES[:4]:
        add(rng.choice(techs), name(), ["foreign_national"], nationality=nationality)
    return out


class _Api(DemoApi):
    def __init__(self, client: httpx.AsyncClient) -> None:
        super().__init__(client, CONCURRENCY)

    async def caught_up(self, path: str = "/members") -> None:
        await self.call("GET", path, params={"after": self.position})


def _next_month(today: date) -> str:
    return f"{today.year + today.month // 12:04d}-{today.month % 12 + 1:02d}"


def _months_back(today: date, n: int) -> list[str]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(f"{y:04d}-{m:02d}")
    return sorted(out)


def _park_today() -> date:
    """Today in the park, on the zone the services are started with: the machine's own date could be
    a day ahead of the park's, and the service refuses dates in its future."""
    return park_date(utcnow(), os.environ.get("REDPARK_TIMEZONE") or DEFAULT_TIMEZONE)


async def _has_marker(api: _Api) -> bool:
    """Whether the marker enterprise exists, moved out or not, reading every page of the list."""
    offset: int | None = 0
    while offset is not None:
        page = await api.call("GET", "/enterprises",
                              params={"include_moved_out": "true", "limit": 500, "offset": offset})
        if any(e["enterprise_id"] == MARKER for e in page["items"]):
            return True
        offset = page["next_offset"]
    return False


async def load(base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None,
               seed: int = SEED, today: date | None = None) -> bool:
    """Create the demo park; False when it was there already (the marker enterprise exists)."""
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        api = _Api(client)
        if await _has_marker(api):
            return False
        await _load(api, plan(seed), today or _park_today(), random.Random(seed + 1))
        return True


async def _load(api: _Api, p: Plan, today: date, rng: random.Random) -> None:
    call: Callable[..., Awaitable[Any]] = api.call
    await api.all([call("POST", "/zones", {"zone_id": "demo-A", "name": "A区 一期", "phase": 1}),
                   call("POST", "/zones", {"zone_id": "demo-B", "name": "B区 二期", "phase": 2})])
    await api.all([call("POST", "/buildings", b) for b in p.buildings])
    moved_in = today - timedelta(days=400)
    await api.all([call("POST", "/enterprises", {
        "enterprise_id": e.enterprise_id, "name": e.name, "building_id": e.building_id, "floor": e.floor,
        "headcount": e.headcount, "is_tech_enterprise": e.tech, "legal_representative": e.legal_representative,
        "effective_on": (moved_in + timedelta(days=rng.randrange(200))).isoformat()}) for e in p.enterprises])
    await api.all([call("POST", "/contacts", c) for c in p.contacts])
    people = [m for e in p.enterprises for m in e.members]
    await api.all([call("POST", "/members", {
        "member_id": m.member_id, "name": m.name, "enterprise_id": m.enterprise_id, "status": m.status,
        "joined_party_on": m.joined_party_on.isoformat(), "relationship": m.relationship,
        "relationship_held_by": m.held_by, "phone": m.phone, "id_number": m.id_number}) for m in people])
    await api.caught_up()

    # branches: one per enterprise with 3+ full members, one joint branch per building with few members
    founded = today - timedelta(days=200)
    branch_of: dict[str, str] = {}
    branch_members: dict[str, list[Person]] = {}
    calls = []
    for e in p.enterprises:
        if e.kind == "big":
            bid = f"demo-br-{e.enterprise_id[5:]}"
            calls.append(call("POST", "/branches", {"branch_id": bid, "name": f"{e.name}党支部", "kind": "enterprise",
                                                    "enterprise_ids": [e.enterprise_id],
                                                    "effective_on": founded.isoformat()}))
            branch_of[e.enterprise_id] = bid
    building_names = {b["building_id"]: b["name"] for b in p.buildings}
    for w in p.weak_buildings:
        bid = f"demo-br-{w[5:]}"
        ids = [e.enterprise_id for e in p.enterprises if e.kind == "small" and e.building_id == w]
        calls.append(call("POST", "/branches", {"branch_id": bid, "name": f"{building_names[w]}联合党支部",
                                                "kind": "joint", "enterprise_ids": ids,
                                                "effective_on": founded.isoformat()}))
        for eid in ids:
            branch_of[eid] = bid
    await api.all(calls)
    # members whose relationship the park holds are placed in their enterprise's branch
    placed = [m for m in people if m.relationship == "in_park" and m.enterprise_id in branch_of]
    for m in placed:
        branch_members.setdefault(branch_of[m.enterprise_id or ""], []).append(m)
    await api.all([call("PUT", f"/members/{m.member_id}/branch",
                        {"branch_id": branch_of[m.enterprise_id or ""], "effective_on": founded.isoformat()})
                   for m in placed])
    # buildings: each strong building answers to its first enterprise branch, each weak one to its joint branch
    building_branch: dict[str, str] = {w: f"demo-br-{w[5:]}" for w in p.weak_buildings}
    for e in p.enterprises:
        if e.kind == "big":
            building_branch.setdefault(e.building_id, branch_of[e.enterprise_id])
    await api.all([call("PUT", f"/buildings/{b}/branch", {"branch_id": br, "effective_on": founded.isoformat()})
                   for b, br in sorted(building_branch.items())])
    await api.caught_up()
    await api.caught_up("/enterprises")

    # committees (7+ full members) or a secretary; building instructors for about two buildings in three
    elected = (founded + timedelta(days=7)).isoformat()
    calls = []
    for bid, ms in sorted(branch_members.items()):
        full = [m.member_id for m in ms if m.status == "full"]
        if len(full) >= 7:
            committee = full[:5]
            calls.append(call("POST", f"/branches/{bid}/elections", {
                "secretary_id": committee[0], "deputy_secretary_id": committee[1],
                "committee_member_ids": committee, "effective_on": elected}))
        elif full:
            calls.append(call("POST", f"/branches/{bid}/elections", {"secretary_id": full[0], "effective_on": elected}))
    for n, (b, br) in enumerate(sorted(building_branch.items())):
        full = [m.member_id for m in branch_members.get(br, []) if m.status == "full"]
        if n % 3 != 2 and full:
            calls.append(call("PUT", f"/buildings/{b}/instructor", {"member_id": full[-1], "effective_on": elected}))
    # the general branch (党总支) over all branches; its committee: one full member from each of the
    # first five branches, the first of them secretary, the second deputy
    await api.all([call("POST", "/general-branch", {"general_branch_id": GENERAL_BRANCH_ID, "name": "红色园区党总支",
                                                    "effective_on": (founded - timedelta(days=30)).isoformat()})])
    general_committee = [full[0] for full in ([m.member_id for m in ms if m.status == "full"]
                                              for _, ms in sorted(branch_members.items())) if full][:5]
    calls.append(call("POST", "/general-branch/elections", {
        "secretary_id": general_committee[0], "deputy_secretary_id": general_committee[1],
        "committee_member_ids": general_committee, "effective_on": elected}))
    # liaison instructors for enterprises with no members: about two in three, one in three of them
    # (and any in a building without a branch) sent by the general branch, the others by the building's branch
    for n, e in enumerate(e for e in p.enterprises if e.kind == "none"):
        if n % 3 == 2:
            continue  # left uncovered: the ledger shows what remains to be done
        sender = building_branch.get(e.building_id)
        full = [m.member_id for m in branch_members.get(sender or "", []) if m.status == "full"]
        if sender and full and n % 3 == 0:
            calls.append(call("PUT", f"/enterprises/{e.enterprise_id}/liaison-instructor", {
                "member_id": full[n % len(full)], "sent_by_branch_id": sender, "effective_on": elected}))
        else:
            calls.append(call("PUT", f"/enterprises/{e.enterprise_id}/liaison-instructor", {
                "member_id": general_committee[n % len(general_committee)], "effective_on": elected}))
    await api.all(calls)

    # dues by the standard (核定党费) from six months back: most are salaried, by their income after tax; a few
    # students, unemployed and retirees; one amount set by its branch with the reason. Most pay every month,
    # some are behind; the first placed member paid only the first two months (four months in arrears
    # through last month, flagged), and every tenth paid this month and the next in advance.
    months = _months_back(today, 6)
    standards = [_dues_standard(rng, n) for n in range(len(placed))]
    rate = {m.member_id: st.pop("amount") for m, st in zip(placed, standards, strict=True)}
    await api.all([call("PUT", f"/members/{m.member_id}/dues-standard", {**st, "effective_from": months[0]})
                   for m, st in zip(placed, standards, strict=True)])
    payments = []
    for n, m in enumerate(placed):
        paid_months = (2 if n == 0 else len(months) if rng.random() < 0.75
                       else rng.randrange(0, len(months) - 1))
        ahead = ([f"{today.year:04d}-{today.month:02d}", _next_month(today)]
                 if n % 10 == 5 and paid_months == len(months) else [])
        payments.append(_pay(api, m.member_id, rate[m.member_id], [*months[:paid_months], *ahead], today))
    await api.all(payments)

    # development: people at every stage; the probationary and full ones are registered members too
    year = today.year
    await call("PUT", f"/development/quotas/{year}", {"quota": 8})
    base = today - timedelta(days=800)
    order = ["applicant", "activist", "candidate", "probationary", "full"]
    dates = {"applicant": base, "activist": base + timedelta(days=10), "candidate": base + timedelta(days=380),
             "probationary": base + timedelta(days=400), "full": base + timedelta(days=770)}
    await api.all([_develop(api, pid, nm, eid, groups, stage, order, dates, rng.random())
                   for pid, nm, eid, groups, stage in p.development])

    # branch life: rules on the wall, inspections, 三会一课 — what the quarterly scorecards read
    await api.caught_up()
    await load_branch_life(api.call, api.all, {bid: [m.member_id for m in ms] for bid, ms in branch_members.items()},
                           today, rng, general_committee=general_committee)

    # letters of transfer: one out whose return slip is overdue, one out returned, one in still open
    elsewhere = [m for m in people if m.relationship == "elsewhere"]
    letters = [("demo-tr-late", placed[-1].member_id, "out", "园党转〔{y}〕第011号", "某区机关工委", 75, 45, None),
               ("demo-tr-back", placed[-2].member_id, "out", "园党转〔{y}〕第012号", "某市科技局机关党委", 40, -20, 25),
               ("demo-tr-in", elsewhere[0].member_id, "in", "县党转〔{y}〕第045号",
                elsewhere[0].held_by or "某县委组织部", 10, -50, None)]
    for tid, mid, direction, number, organization, issued_ago, expired_ago, returned_ago in letters:
        await call("POST", "/transfer-letters", {
            "transfer_id": tid, "member_id": mid, "direction": direction, "letter_no": number.format(y=today.year),
            "organization": organization, "effective_on": (today - timedelta(days=issued_ago)).isoformat(),
            "valid_until": (today - timedelta(days=expired_ago)).isoformat()})
        if returned_ago is not None:
            await call("POST", f"/transfer-letters/{tid}/return-slip",
                       {"effective_on": (today - timedelta(days=returned_ago)).isoformat()})

    # venues (阵地), next week's bookings, and the year's party-building fund with what it has paid for
    await load_venues(api.c)
    zone = PARK_TZ
    week = today + timedelta(days=7)
    for n, (venue, purpose) in enumerate((("venue-institute", "季度大党课"), ("venue-activity-room", "支部主题党日"),
                                          ("venue-reading-room", "党员读书会"))):
        start = datetime(week.year, week.month, week.day, 14 + n, tzinfo=zone)
        await call("POST", f"/venues/{venue}/bookings", {
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
            "purpose": purpose, "booking_id": f"demo-bk-{n + 1}"})
    await call("PUT", f"/funds/{today.year}/budget", {"amount_fen": 50_000_000})
    for n, (target, kind, amount, note) in enumerate((
            ("venue-institute", "venue", 12_000_000, "讲习所多媒体设备更新"),
            ("venue-history-corridor", "venue", 4_800_000, "党史教育长廊灯箱制作"),
            ("carnival", "activity", 3_500_000, "科技嘉年华周党员志愿服务物资"))):
        await call("POST", f"/funds/{today.year}/spending", {
            "amount_fen": amount, "note": note, "spent_for": kind, "target_id": target,
            "spending_id": f"demo-sp-{n + 1}"})


# The dues standard's brackets, as the service computes them (the demo needs each amount to pay it).
_INCOMES_YUAN = (2_800, 4_500, 6_500, 8_000, 12_000, 18_000)


def _dues_standard(rng: random.Random, n: int) -> dict[str, Any]:
    """A member's 核定党费 body and, under "amount", the monthly amount in fen it comes to."""
    if n % 25 == 7:
        return {"category": "student", "amount": 20}
    if n % 25 == 13:
        return {"category": "unemployed", "amount": 20}
    if n % 25 == 19:
        return {"category": "retiree", "monthly_income_fen": 4_200_00, "amount": 2_100}
    if n == 3:
        return {"category": "branch_set", "monthly_amount_fen": 500, "reason": "家庭困难，经支部委员会研究减交",
                "amount": 500}
    income = rng.choice(_INCOMES_YUAN) * 100
    basis_points = 50 if income <= 300_000 else 100 if income <= 500_000 else 150 if income <= 1_000_000 else 200
    return {"category": "salaried", "monthly_income_fen": income, "amount": income * basis_points // 10_000}


async def _pay(api: _Api, member_id: str, amount_fen: int, months: list[str], today: date) -> None:
    # the months owed at once, as a member pays at the branch (one call: they share the member's dues stream)
    if months:
        await api.call("POST", f"/members/{member_id}/dues-payments/months",
                       {"months": months, "amount_fen": amount_fen * len(months), "effective_on": today.isoformat()})


async def _develop(api: _Api, pid: str, name: str, enterprise_id: str | None, groups: list[str], stage: str,
                   order: list[str], dates: dict[str, date], jitter: float) -> None:
    shift = timedelta(days=int(jitter * 20))
    await api.call("POST", "/development", {"person_id": pid, "name": name, "enterprise_id": enterprise_id,
                                            "priority_groups": groups,
                                            "effective_on": (dates["applicant"] + shift).isoformat()})
    for s in order[1:order.index(stage) + 1]:
        if s == "full":
            await api.call("POST", "/members", {
                "member_id": pid, "name": name, "enterprise_id": enterprise_id, "status": "probationary",
                "joined_party_on": (dates["probationary"] + shift).isoformat(), "relationship": "in_park",
                "phone": f"139{int(jitter * 10**8):08d}", "id_number": "110105199001011234"})
        await api.call("POST", f"/development/{pid}/stages", {"to_stage": s,
                                                              "effective_on": (dates[s] + shift).isoformat()})
    if stage == "probationary":
        await api.call("POST", "/members", {
            "member_id": pid, "name": name, "enterprise_id": enterprise_id, "status": "probationary",
            "joined_party_on": (dates["probationary"] + shift).isoformat(), "relationship": "in_park",
            "phone": f"139{int(jitter * 10**8):08d}", "id_number": "110105199001011234"})
