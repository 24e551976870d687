"""Demo data: a year of enterprise support, created through the service's own HTTP API.

    await load("http://127.0.0.1:8000", token)            # a park_admin or support_officer token
    await load("http://sup", token, transport=httpx.ASGITransport(app=app))   # in tests

It works on the enterprises this service knows from the organization's events, so the
organization's demo park must be in first: with no enterprise in the park yet, `load` raises
(the local stack then tries again on its next start). Deterministic (seeded) for a given set of
enterprises and day, concurrent within a bounded semaphore, and loaded once: if the marker policy
exists, `load` returns False without writing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx

from redpark_platform.calendar import compact_quarter, park_date, parse_quarter, quarter_bounds, quarter_of
from redpark_platform.clock import utcnow
from redpark_platform.demo_client import DemoApi

SEED = 20250301
CONCURRENCY = 12
MARKER = "demo-policy-01"

COMMITTEE = [("demo-cm-1", "任国栋"), ("demo-cm-2", "李红梅"), ("demo-cm-3", "张建军"), ("demo-cm-4", "王海燕"),
             ("demo-cm-5", "刘志强"), ("demo-cm-6", "陈晓东")]
POLICIES = [
    ("demo-policy-01", "园区入驻企业房租减免", "入驻首年房租减免30%", "园区管委会", ["any_enterprise"]),
    ("demo-policy-02", "高新技术企业认定奖励", "首次认定奖励20万元", "市科技局", ["tech_enterprise"]),
    ("demo-policy-03", "研发费用加计扣除", "研发费用按100%加计扣除", "税务局", ["tech_enterprise"]),
    ("demo-policy-04", "小微企业普惠性减税", "小规模纳税人增值税减免", "税务局", ["small_enterprise"]),
    ("demo-policy-05", "大众创业扶持资金", "初创企业一次性创业补贴", "市人社局", ["small_enterprise",
                                                           "tech_enterprise"]),
    ("demo-policy-06", "现代服务业发展专项", "服务业企业贷款贴息", "市发改委", ["non_tech_enterprise"]),
]
SERVICES = [
    ("demo-s01", "technical", "云计算公共技术服务平台", "上海浦东软件园", "partner_company"),
    ("demo-s02", "technical", "基于运动控制的智能装备平台", "深圳固高科技", "partner_company"),
    ("demo-s03", "technical", "机器视觉联合实验室", "中科院自动化所", "research_institute"),
    ("demo-s04", "technical", "创业导师团技术攻关", "园区创业导师团", "mentor"),
    ("demo-s05", "technical", "知识产权与法务顾问", "园区顾问团", "advisor"),
    ("demo-s06", "talent", "大学生实训基地对接", "河南科技大学", "university"),
    ("demo-s07", "talent", "高层次人才引进服务", "×理工大学", "university"),
    ("demo-s08", "finance", "科技创业种子资金", "园区", "park"),
    ("demo-s09", "finance", "小额担保贷款申报辅导", "市就业服务中心", "government"),
    ("demo-s10", "resource_sharing", "上下游企业专题对接", "园区", "park"),
    ("demo-s11", "resource_sharing", "投融资对接", "某创投基金", "partner_company"),
]
FINDINGS = ("研发用房紧张，希望扩租", "招聘嵌入式工程师困难", "产品进入试产阶段，需要检测认证支持", "流动资金偏紧",
            "希望对接高校开展联合研发", "对高企认定政策不熟悉", "经营平稳，员工队伍稳定", "计划申报专精特新")
NEEDS = (("talent", "急需算法工程师3名"), ("funding", "需要过桥资金200万元"), ("premises", "需要增加200平米实验场地"),
         ("technology", "产品检测认证渠道"), ("policy", "高企认定材料辅导"), ("market", "对接下游整机厂"),
         ("other", "员工子女入学咨询"))
ACTIVITIES = (("talent_fair", "园区优秀人才博览会"), ("matchmaking", "智能制造上下游专题对接会"),
              ("summit", "国家级科技精英高峰论坛"), ("roadshow", "“直通硅谷”创新创业项目路演"),
              ("founder_salon", "创业者主题沙龙"), ("angel_meeting", "天使面对面"))
QUARTERLIES = (("enterprise_symposium", "企业座谈会"), ("project_negotiation", "项目洽谈会"),
               ("team_building", "园区团建活动"), ("tech_exchange_forum", "科技成果交流和科技创新论坛会"))


class _Api(DemoApi):
    def __init__(self, client: httpx.AsyncClient) -> None:
        super().__init__(client, CONCURRENCY)

    async def caught_up(self, path: str) -> list[Any]:
        return await self.listed(path, {"after": self.position})


async def load(base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None,
               seed: int = SEED, today: date | None = None) -> bool:
    """Load a year of support work; False when it was there already (the marker policy exists)."""
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        api = _Api(client)
        if any(p["policy_id"] == MARKER for p in await api.listed("/policies")):
            return False
        enterprises = await api.listed("/enterprises")
        if not enterprises:
            raise RuntimeError("no enterprise in the park yet: load the organization's demo park first")
        await _load(api, enterprises, today or park_date(utcnow()), random.Random(seed))
        return True


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


async def _load(api: _Api, enterprises: list[dict[str, Any]], today: date, rng: random.Random) -> None:
    call = api.call
    year_ago = today - timedelta(days=365)
    ids = [e["enterprise_id"] for e in enterprises]

    # 老任说: the policies, a year back; every enterprise in the park is owed its briefings
    await api.all([call("POST", "/policies", {"policy_id": pid, "title": t, "summary": s, "issuer": i,
                                              "applies_to": cats, "effective_on": year_ago.isoformat()})
                   for pid, t, s, i, cats in POLICIES])
    # contact points: about nine in ten enterprises, the rest left for the list of those without
    await api.all([call("PUT", f"/enterprises/{eid}/contact-point", {
        "contact_kind": "committee_member", "contact_id": COMMITTEE[n % len(COMMITTEE)][0],
        "contact_name": COMMITTEE[n % len(COMMITTEE)][1]}) for n, eid in enumerate(ids) if n % 10 != 9])
    # the four platforms' catalogue
    await api.all([call("POST", "/services", {"service_id": sid, "platform": p, "name": n, "provider_name": pr,
                                              "provider_kind": pk, "effective_on": year_ago.isoformat()})
                   for sid, p, n, pr, pk in SERVICES])

    # visits over the year: one to three per enterprise; about one in eight not yet this calendar year
    jan1 = date(today.year, 1, 1)
    by_id = {e["enterprise_id"]: e for e in enterprises}
    visits = []
    for n, eid in enumerate(ids):
        skip_this_year = n % 8 == 7
        for k in range(rng.randint(1, 3)):
            if skip_this_year:
                first, last = year_ago, min(jan1 - timedelta(days=1), today)
            elif k == 0:
                first, last = max(jan1, year_ago), today
            else:
                first, last = year_ago, today
            if last < first:
                first, last = year_ago, today
            first = max(first, date.fromisoformat(by_id[eid]["moved_in_on"]))  # never before it moved in
            if last < first:
                continue
            visits.append(call("POST", "/visits", {
                "visit_id": f"demo-v{n:03d}-{k}", "enterprise_id": eid, "visited_on": _day(rng, first,
                                                                                           last).isoformat(),
                "visitors": [COMMITTEE[(n + k) % len(COMMITTEE)][1]], "findings": rng.choice(FINDINGS)}))
    await api.all(visits)
    visited = {v["enterprise_id"] for v in await api.caught_up("/visits")}
    plans = []
    for eid in sorted(visited):
        cats = by_id[eid]["categories"]
        category = "startup" if "small_enterprise" in cats else ("leading" if "tech_enterprise" in cats else "growing")
        measures = {"startup": ["对接科技创业种子资金", "安排创业导师结对"], "growing": ["对接上下游企业",
                                                                       "协助申报扶持资金"],
                    "leading": ["共建公共技术服务平台", "推荐参加高峰论坛"]}[category]
        plans.append(call("PUT", f"/enterprises/{eid}/help-plan", {"category": category, "measures": measures}))
    await api.all(plans)

    # needs across the year: most resolved, some closed, some still open (a few overdue)
    needs = []
    for n in range(max(12, len(ids) // 2)):
        raised = _day(rng, year_ago, today)
        needs.append(_need(api, n, rng.choice(ids), raised, today, rng))
    await api.all(needs)

    # requests for the platforms' services, with their life cycle
    await api.all([_request(api, n, rng.choice(ids), rng.choice(SERVICES)[0], _day(rng, year_ago, today), today, rng)
                   for n in range(max(10, len(ids) // 3))])
    # finance: seed fund, government funding, guaranteed loans
    await api.all([_application(api, kind, eid, str(today.year), today, rng)
                   for kind, eid in [("seed_fund", e) for e in ids[:8]] + [("government_fund", e) for e in ids[8:12]]
                   + [("guaranteed_loan", e) for e in ids[12:15]]])
    # talent: internship bases
    await api.all([call("POST", "/internship-bases", {
        "base_id": f"demo-base-{n}", "university": u, "places": p, "host_enterprise_id": ids[n % len(ids)],
        "effective_on": (year_ago + timedelta(days=30 * n)).isoformat()})
        for n, (u, p) in enumerate((("河南科技大学", 20), ("×理工大学", 15), ("洛阳师范学院", 10)))])
    # talent fairs and resource-sharing meetings, every month or so; held when their day has come
    acts = []
    for n in range(12):
        kind, title = ACTIVITIES[n % len(ACTIVITIES)]
        on = year_ago + timedelta(days=30 * n + 10)
        acts.append(_activity(api, f"demo-act-{n:02d}", kind, title, on, today, rng.sample(ids, min(6, len(ids)))))
    await api.all(acts)
    # the four quarterlies of the last four quarters and this one; one missed in the past, this one in progress
    holds = []
    q = quarter_of(year_ago)
    while q <= quarter_of(today):
        first, last = quarter_bounds(q)
        label = compact_quarter(q)  # the API spells a quarter as its contract does: `2025Q3`
        for m, (kind, title) in enumerate(QUARTERLIES):
            if (q == quarter_of(today) and m >= 2) or (q == quarter_of(year_ago) and m == 3):
                continue
            held_on = min(max(first, year_ago) + timedelta(days=10 + 15 * m), last, today)
            if held_on < first:
                continue
            holds.append(call("PUT", f"/quarterlies/{label}/{kind}/held", {
                "title": f"{label} {title}", "held_on": held_on.isoformat(), "outcomes": "收集意见建议，形成台账",
                "participant_enterprise_ids": rng.sample(ids, min(8, len(ids)))}))
        y, n = parse_quarter(q)
        q = f"{y + 1}-Q1" if n == 4 else f"{y}-Q{n + 1}"
    await api.all(holds)

    # briefings: about three in four delivered, by the contact point's visit or the park's channels
    owed = await api.caught_up("/briefings")
    await api.all([call("POST", f"/policies/{b['policy_id']}/briefings/{b['enterprise_id']}", {
        "channel": ("visit", "meeting", "wechat", "document")[n % 4]})
        for n, b in enumerate(owed) if n % 4 != 3])


async def _need(api: _Api, n: int, enterprise_id: str, raised: date, today: date, rng: random.Random) -> None:
    category, description = rng.choice(NEEDS)
    urgency = rng.choice(("urgent", "high", "normal", "normal"))
    nid = f"demo-n{n:03d}"
    await api.call("POST", "/needs", {"need_id": nid, "enterprise_id": enterprise_id, "category": category,
                                      "urgency": urgency, "description": description,
                                      "raised_by_name": "企业联络人",
                                      "raised_by_phone": f"139{rng.randrange(10**8):08d}",
                                      "effective_on": raised.isoformat()})
    # Every state shows up: one in ten closed, one in ten not yet accepted, two in ten still worked on.
    fate = n % 10
    if fate == 0:
        await api.call("POST", f"/needs/{nid}/closure", {"reason": "企业已自行解决", "effective_on": min(
            raised + timedelta(days=5), today).isoformat()})
        return
    if fate == 1:
        return
    accepted = min(raised + timedelta(days=rng.randint(0, 2)), today)
    await api.call("POST", f"/needs/{nid}/acceptance", {"assignee": rng.choice(COMMITTEE)[1],
                                                         "effective_on": accepted.isoformat()})
    worked = min(accepted + timedelta(days=rng.randint(1, 5)), today)
    await api.call("POST", f"/needs/{nid}/work", {"note": "已与相关单位对接", "effective_on": worked.isoformat()})
    resolved = worked + timedelta(days=rng.randint(1, 25))
    if resolved <= today and fate > 3:
        await api.call("POST", f"/needs/{nid}/resolution", {"resolution": "已协调解决，企业满意",
                                                            "effective_on": resolved.isoformat()})


async def _request(api: _Api, n: int, enterprise_id: str, service_id: str, submitted: date, today: date,
                   rng: random.Random) -> None:
    rid = f"demo-r{n:03d}"
    sent = await api.call("POST", "/service-requests", {
        "request_id": rid, "service_id": service_id, "enterprise_id": enterprise_id, "description": "申请平台服务",
        "effective_on": submitted.isoformat()}, ok=(201, 409))
    if "position" not in sent:
        return  # the same enterprise already has this service open: the demo, like staff, moves on
    fate = rng.random()
    if fate < 0.15:
        await api.call("POST", f"/service-requests/{rid}/decline", {"reason": "超出平台服务范围"})
        return
    accepted = min(submitted + timedelta(days=2), today)
    await api.call("POST", f"/service-requests/{rid}/acceptance", {"effective_on": accepted.isoformat()})
    done = accepted + timedelta(days=rng.randint(5, 40))
    if done <= today and fate < 0.8:
        await api.call("POST", f"/service-requests/{rid}/completion", {"outcome": "服务完成，企业反馈良好",
                                                                      "effective_on": done.isoformat()})


async def _application(api: _Api, kind: str, enterprise_id: str, round_: str, today: date,
                       rng: random.Random) -> None:
    submitted = date(today.year, 1, 15) if today >= date(today.year, 3, 1) else today
    requested = rng.choice((20, 30, 50, 100)) * 1_000_000  # fen: 20万 to 100万元
    body = await api.call("POST", "/applications", {"kind": kind, "enterprise_id": enterprise_id, "round": round_,
                                                    "amount_requested_fen": requested, "purpose": "研发与市场拓展",
                                                    "effective_on": submitted.isoformat()})
    if rng.random() < 0.25:
        return  # still with the reviewers
    reviewed = min(submitted + timedelta(days=20), today)
    recommended = rng.random() < 0.75
    await api.call("POST", f"/applications/{body['id']}/review", {
        "reviewer": "种子资金评审委员会" if kind == "seed_fund" else "园区金融服务平台", "opinion": "材料齐全",
        "recommended": recommended, "effective_on": reviewed.isoformat()})
    granted = requested * rng.choice((5, 8, 10)) // 10 if recommended else 0
    await api.call("POST", f"/applications/{body['id']}/decision", {
        "approved": recommended, "amount_granted_fen": granted, "reason": "按评审意见",
        "effective_on": min(reviewed + timedelta(days=10), today).isoformat()})


async def _activity(api: _Api, activity_id: str, kind: str, title: str, on: date, today: date,
                    participants: list[str]) -> None:
    await api.call("POST", "/activities", {"activity_id": activity_id, "kind": kind, "title": title,
                                           "planned_on": on.isoformat(), "partners": ["园区党总支"]})
    if on <= today:
        await api.call("POST", f"/activities/{activity_id}/held", {
            "participant_enterprise_ids": participants, "outside_participants": 20, "outcomes": "达成合作意向",
            "held_on": on.isoformat()})
