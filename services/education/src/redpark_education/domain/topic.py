"""The monthly topic (一月一专题): one topic a month, with its material. One stream per month."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

import msgspec

from redpark_contracts.education import MonthlyTopicPublished
from redpark_platform.calendar import park_date, parse_month
from redpark_platform.decider import Decider

from .errors import ERRORS


def stream_id(month: str) -> str:
    return f"topic-{month}"


class PublishTopic(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    title: str
    material: str
    now: datetime


class Topic(msgspec.Struct, frozen=True, kw_only=True):
    published: bool = False


def decide(command: PublishTopic, state: Topic) -> list[MonthlyTopicPublished]:
    match command:
        case PublishTopic():
            parse_month(command.month)
            if state.published:
                raise ERRORS.error("topic.already_published", field="month", month=command.month)
            if not command.title.strip() or not command.material.strip():
                raise ERRORS.error("topic.incomplete", field="title" if not command.title.strip() else "material")
            return [MonthlyTopicPublished(month=command.month, title=command.title.strip(),
                                          material=command.material.strip(), published_on=park_date(command.now))]
        case _:
            assert_never(command)


def evolve(state: Topic, event: MonthlyTopicPublished) -> Topic:
    return Topic(published=True)


decider: Decider[PublishTopic, Topic, MonthlyTopicPublished] = Decider(initial=Topic(), decide=decide, evolve=evolve)
