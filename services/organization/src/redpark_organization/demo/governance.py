"""Demo data for the park's venues (阵地建设: 一所两平台三长廊四室、城市书房、显示图版、显示牌), posted
through the service's own HTTP API by a park_admin client. Where the plan leaves a place open
("一号楼×"), the demo says 一号楼 only. A venue already registered (a second run) is left as it is.
"""

from __future__ import annotations

from typing import Any

import httpx

# (venue_id, name, kind, group, location, bookable)
VENUES: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("venue-institute", "新时代“三新”讲习所", "lecture_hall", "institute", "一号楼三楼多功能厅", True),
    ("venue-tech-platform", "科技园建设和科技成果展示平台", "platform", "platforms", "一号楼一楼大厅", False),
    ("venue-exemplar-platform", "党员活动和先进人物模范典型宣传展示平台", "platform", "platforms", "黑石咖啡", False),
    ("venue-history-corridor", "党史教育长廊", "corridor", "corridors", "南门外西侧", False),
    ("venue-talent-corridor", "科技英才长廊", "corridor", "corridors", "B区四十米绿化带", False),
    ("venue-new-era-corridor", "新思想新时代新征程新发展理念宣传长廊", "corridor", "corridors", "A区步道旁", False),
    ("venue-gb-office", "党总支办公室", "room", "rooms", "一号楼", True),
    ("venue-reading-room", "党员阅览室", "room", "rooms", "黑石咖啡", True),
    ("venue-activity-room", "党员活动室", "room", "rooms", "地下车库健身房", True),
    ("venue-deputies-room", "党代表工作室", "room", "rooms", "一号楼", True),
    ("venue-city-study", "城市书房", "city_study", "other", "园区", True),
    ("venue-board-organization", "园区党组织机构显示图", "display_board", "other", "一号楼一楼大厅", False),
    ("venue-board-facilities", "园区党员设施显示图", "display_board", "other", "一号楼一楼大厅", False),
    ("venue-board-goals", "园区党建目标任务显示图", "display_board", "other", "一号楼一楼大厅", False),
    ("venue-sign-values", "社会主义核心价值观显示牌", "sign", "other", "园区", False),
    ("venue-sign-dream", "永远跟党走实现中国梦显示牌", "sign", "other", "园区", False),
    ("venue-sign-ideas", "五大发展理念显示牌", "sign", "other", "园区", False),
)


async def load_venues(client: httpx.AsyncClient) -> int:
    """Register the plan's venues; returns the last position written (0 when all were there)."""
    last = 0
    for venue_id, name, kind, group, location, bookable in VENUES:
        body: dict[str, Any] = {"venue_id": venue_id, "name": name, "kind": kind, "group": group,
                                "location": location, "bookable": bookable}
        response = await client.post("/venues", json=body)
        if response.status_code == 409 and response.json().get("code") == "venue.exists":
            continue
        response.raise_for_status()
        last = max(last, int(response.json()["position"]))
    return last
