"""Pioneer posts (先锋岗) and model posts (标兵岗) a member holds in its enterprise.

One stream per member: a member holds at most one post of each kind at a time, and only in the
enterprise it works for on the day of assignment (from its own stream).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization_recognition import PostAssigned, PostKind, PostWithdrawn
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider

from .errors import ERRORS

KIND_ZH = {"pioneer": "先锋岗", "model": "标兵岗"}


def stream_id(member_id: str) -> str:
    return f"posts-{member_id}"


class AssignPost(msgspec.Struct, frozen=True, kw_only=True):
    post_id: str
    kind: PostKind
    member_id: str
    title: str
    member_enterprise_id: str | None  # from the member's stream; None: not in the park or no enterprise
    now: datetime
    effective_on: date | None = None


class WithdrawPost(msgspec.Struct, frozen=True, kw_only=True):
    post_id: str
    member_id: str
    reason: str = ""
    now: datetime
    effective_on: date | None = None


PostCommand = AssignPost | WithdrawPost
PostEvent = PostAssigned | PostWithdrawn


class HeldPost(msgspec.Struct, frozen=True):
    kind: PostKind
    assigned_on: date


class Posts(msgspec.Struct, frozen=True):
    held: dict[str, HeldPost] = {}
    ever: frozenset[str] = frozenset()


def decide(command: PostCommand, state: Posts) -> list[PostEvent]:
    match command:
        case AssignPost():
            if command.member_enterprise_id is None:
                raise ERRORS.error("post.member_without_enterprise", field="member_id", member_id=command.member_id)
            if not command.title.strip():
                raise ERRORS.error("post.title_missing", field="title")
            if command.post_id in state.ever:
                raise ERRORS.error("post.exists", field="post_id", post_id=command.post_id)
            if any(p.kind == command.kind for p in state.held.values()):
                raise ERRORS.error("post.kind_held", field="kind", kind=command.kind, value=KIND_ZH[command.kind])
            return [PostAssigned(post_id=command.post_id, kind=command.kind, member_id=command.member_id,
                                 enterprise_id=command.member_enterprise_id, title=command.title.strip(),
                                 assigned_on=effective_date(command.effective_on, command.now))]
        case WithdrawPost():
            held = state.held.get(command.post_id)
            if held is None:
                raise ERRORS.error("post.not_held", field="post_id", member_id=command.member_id,
                                   post_id=command.post_id)
            on = effective_date(command.effective_on, command.now)
            if on < held.assigned_on:
                raise ERRORS.error("post.withdrawn_before_assigned", field="effective_on")
            return [PostWithdrawn(post_id=command.post_id, member_id=command.member_id, withdrawn_on=on,
                                  reason=command.reason)]
        case _:
            assert_never(command)


def evolve(state: Posts, event: PostEvent) -> Posts:
    match event:
        case PostAssigned():
            return Posts(held={**state.held, event.post_id: HeldPost(event.kind, event.assigned_on)},
                         ever=state.ever | {event.post_id})
        case PostWithdrawn():
            return Posts(held={k: v for k, v in state.held.items() if k != event.post_id}, ever=state.ever)
        case _:
            assert_never(event)


decider: Decider[PostCommand, Posts, PostEvent] = Decider(initial=Posts, decide=decide, evolve=evolve)
