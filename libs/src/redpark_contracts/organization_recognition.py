"""Organization events: the three-way review (三评议), warning talks, pioneer and model posts, yearly awards (争先创优).

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.
"""

from __future__ import annotations

from redpark_contracts.organization import registry  # noqa: F401  (types below register on it)

from datetime import date
from typing import Literal

from redpark_platform.events import Event

Rater = Literal["leadership", "employees", "branch"]  # 企业领导评议 / 企业职工评议 / 党支部评议
Rating = Literal["excellent", "good", "fair", "poor"]  # 优秀 / 合格 / 基本合格 / 不合格
PostKind = Literal["pioneer", "model"]  # 先锋岗 / 标兵岗
AwardCategory = Literal[
    "featured_branch",  # 特色党支部
    "advanced_individual",  # 先进个人
    "exemplar_branch",  # 典型（支部）
    "exemplar_member",  # 典型（党员）
]

# --- three-way review (三评议) ------------------------------------------------------------------


@registry.register("three_way_review", "rated")
class ThreeWayReviewRated(Event, frozen=True, kw_only=True):
    """One of the three raters gave the member its rating for the year."""

    member_id: str
    year: int
    rater: Rater
    rating: Rating
    rated_on: date
    rated_by: str = ""


@registry.register("three_way_review", "concluded")
class ThreeWayReviewConcluded(Event, frozen=True, kw_only=True):
    """All three ratings are in; `overall` follows from them by the rule in `domain/review.py`.
    `branch_id` is the member's branch on the day (who may read the rating)."""

    member_id: str
    year: int
    overall: Rating
    leadership: Rating
    employees: Rating
    branch: Rating
    branch_id: str | None = None
    concluded_on: date


@registry.register("warning_talk", "recorded")
class WarningTalkRecorded(Event, frozen=True, kw_only=True):
    """警示谈话 held with a member rated poor overall."""

    member_id: str
    year: int
    talked_on: date
    talked_by: str
    notes: str
    recorded_by: str = ""


# --- pioneer and model posts (先锋岗、标兵岗) -------------------------------------------------------


@registry.register("post", "assigned")
class PostAssigned(Event, frozen=True, kw_only=True):
    post_id: str
    kind: PostKind
    member_id: str
    enterprise_id: str
    title: str
    assigned_on: date


@registry.register("post", "withdrawn")
class PostWithdrawn(Event, frozen=True, kw_only=True):
    post_id: str
    member_id: str
    withdrawn_on: date
    reason: str = ""


# --- yearly awards (争先创优) ------------------------------------------------------------------


@registry.register("award", "nominated", personal=("nominee_name",), subject="nominee_id")
class AwardNominated(Event, frozen=True, kw_only=True):
    nomination_id: str
    year: int
    category: AwardCategory
    nominee_id: str  # a branch id or a member id, by category
    nominee_name: str
    reason: str
    nominated_on: date
    nominated_by: str = ""


@registry.register("award", "decided")
class AwardDecided(Event, frozen=True, kw_only=True):
    nomination_id: str
    year: int
    approved: bool
    reason: str  # required when rejected
    decided_on: date
    decided_by: str = ""


@registry.register("award_list", "published")
class AwardListPublished(Event, frozen=True, kw_only=True):
    """The year's list is published; no nomination or decision for the year after this."""

    year: int
    published_on: date
    awarded_ids: list[str]  # the approved nomination ids
