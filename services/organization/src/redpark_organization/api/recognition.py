"""Recognition (sections 三(二)3 and 三(四)): the three-way review (三评议) and warning talks, pioneer and
model posts (先锋岗、标兵岗), yearly awards (争先创优), and their XLSX export.

Ratings are sensitive: individual ratings and talks are shown to park_admin and, for the members of
its own branch, the branch secretary; an auditor reads the counts (`/reviews/summary`). A branch
secretary rates, talks with and nominates its own branch's members (and its own branch); posts,
award decisions and publication are park_admin's.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path, Query, Response

from redpark_contracts.organization_recognition import AwardCategory, PostKind, Rater, Rating
from redpark_platform.clock import new_id
from redpark_platform.exports import Sheet, xlsx_openapi, xlsx_sheets_response
from redpark_platform.web import (
    Body,
    Idempotent,
    MsgspecResponse,
    Principal,
    ensure_branch,
    readable_branch,
    require_roles,
    response_schema,
)
from redpark_platform.web.bounded import Id
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from ..application.recognition import Recognition
from ..domain.awards import CATEGORY_ZH, INDIVIDUAL
from ..domain.posts import KIND_ZH as POST_ZH
from ..domain.review import RATER_ZH, RATING_ZH
from ..projections.recognition import NAME as RECOGNITION
from ..projections.rosters import NAME as ROSTERS
from ..queries import recognition as rq
from ..queries.recognition import (
    NominationLine,
    PendingMember,
    PostLine,
    ReviewCounts,
    ReviewLine,
    TalkLine,
)
from .deps import Admin, BranchStaff, Reader, Rec

router = APIRouter(tags=["recognition"])
# Every recognition list names members and branches: the rosters as well as its own read model.
READS = (RECOGNITION, ROSTERS)

# Who may see individual ratings: not the auditor (counts only).
RatingReader = Annotated[Principal, require_roles("park_admin", "branch_secretary")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="calendar year; this year in the park when omitted")]
YearPath = Annotated[int, Path(ge=2000, le=2100, description="calendar year")]
CREATED = response_schema(Accepted, status=201)
ACCEPTED = response_schema(Accepted)
STATUS_ZH = {"pending": "待决定", "approved": "通过", "rejected": "不予通过"}
RATER_HEADERS = [RATER_ZH[r] for r in ("leadership", "employees", "branch")]


async def _own_member(app: Recognition, who: Principal, member_id: str) -> None:
    # a branch secretary acts on the members of its own branch only
    if "park_admin" not in who.roles:
        ensure_branch(who, await app.member_branch(member_id) or "")


def _zh(value: str | None) -> str:
    return RATING_ZH.get(value, "") if value else ""


# --- three-way review -----------------------------------------------------------------------------


class NewRating(msgspec.Struct, frozen=True, kw_only=True):
    rater: Rater
    rating: Rating
    effective_on: date | None = None


@router.post("/reviews/{year}/members/{member_id}/ratings", status_code=201, responses=CREATED,
             dependencies=[Idempotent],
             summary="A rater (leadership, employees or the branch) rates the member for the year; the third "
                     "rating concludes the review with the overall rating")
async def rate(year: YearPath, member_id: Id, body: Annotated[NewRating, Body(NewRating, example=NewRating(
        rater="branch", rating="good"))], app: Rec, who: BranchStaff) -> MsgspecResponse:
    await _own_member(app, who, member_id)
    return accepted(await app.rate(member_id=member_id, year=year, rater=body.rater, rating=body.rating,
                                   by=who.subject, effective_on=body.effective_on), member_id, 201)


class NewTalk(msgspec.Struct, frozen=True, kw_only=True):
    talked_on: date
    talked_by: str
    notes: str = ""


@router.post("/reviews/{year}/members/{member_id}/warning-talk", status_code=201, responses=CREATED,
             dependencies=[Idempotent], summary="Record the warning talk (警示谈话) a poor overall rating requires")
async def record_talk(year: YearPath, member_id: Id, body: Annotated[NewTalk, Body(NewTalk, example=NewTalk(
        talked_on=date(2025, 12, 20), talked_by="支部书记", notes="指出问题，提出整改要求"))], app: Rec,
        who: BranchStaff) -> MsgspecResponse:
    await _own_member(app, who, member_id)
    return accepted(await app.record_talk(member_id=member_id, year=year, talked_on=body.talked_on,
                                          talked_by=body.talked_by, notes=body.notes, by=who.subject), member_id, 201)


@router.get("/reviews", responses=response_schema(Page[ReviewLine]),
            summary="Every member's ratings and overall rating for the year, paged (not for auditors)",
            dependencies=[ReadYourWrites(*READS)])
async def reviews(app: Rec, who: RatingReader, paging: Paging, year: Year = None,
                  branch_id: Id | None = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    rows, total = await rq.reviews(app.pool, year or app.today().year, branch_id, limit=paging.limit,
                                   offset=paging.offset)
    return MsgspecResponse(page(rows, total, paging))


@router.get("/reviews/summary", responses=response_schema(ReviewCounts),
            summary="How many members are rated excellent, good, fair, poor or not yet, and talks missing",
            dependencies=[ReadYourWrites(*READS)])
async def review_summary(app: Rec, who: Reader, year: Year = None,
                         branch_id: Id | None = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    return MsgspecResponse(await rq.review_counts(app.pool, year or app.today().year, branch_id))


@router.get("/reviews/warning-talks", responses=response_schema(Page[TalkLine]),
            summary="Members rated poor overall with their warning talk; due=true: those still without one",
            dependencies=[ReadYourWrites(*READS)])
async def warning_talks(app: Rec, who: RatingReader, paging: Paging, year: Year = None,
                        branch_id: Id | None = None, due: bool = False) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    return MsgspecResponse(page_of(await rq.talks(app.pool, year or app.today().year, branch_id, due_only=due), paging))


@router.get("/reviews/unreviewed", responses=response_schema(Page[PendingMember]),
            summary="Members in the park whose review of the year is not concluded, with the raters done",
            dependencies=[ReadYourWrites(*READS)])
async def unreviewed(app: Rec, who: Reader, paging: Paging, year: Year = None,
                     branch_id: Id | None = None) -> MsgspecResponse:
    branch_id = readable_branch(who, branch_id)
    return MsgspecResponse(page_of(await rq.unreviewed(app.pool, year or app.today().year, branch_id), paging))


# --- posts ------------------------------------------------------------------------------------------


class NewPost(msgspec.Struct, frozen=True, kw_only=True):
    kind: PostKind
    member_id: Id
    title: str
    effective_on: date | None = None
    post_id: Id | None = None


@router.post("/posts", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Assign a pioneer post (先锋岗) or model post (标兵岗) to a member in its enterprise")
async def assign_post(body: Annotated[NewPost, Body(NewPost, example=NewPost(
        kind="pioneer", member_id="m1", title="研发先锋岗"))], app: Rec, who: Admin) -> MsgspecResponse:
    post_id = body.post_id or new_id()
    return accepted(await app.assign_post(post_id=post_id, kind=body.kind, member_id=body.member_id,
                                          title=body.title, effective_on=body.effective_on), post_id, 201)


class Withdrawal(msgspec.Struct, frozen=True, kw_only=True):
    reason: str = ""
    effective_on: date | None = None


@router.post("/members/{member_id}/posts/{post_id}/withdrawal", responses=ACCEPTED, summary="Withdraw a post")
async def withdraw_post(member_id: Id, post_id: Id, body: Annotated[Withdrawal, Body(Withdrawal)], app: Rec,
                        who: Admin) -> MsgspecResponse:
    return accepted(await app.withdraw_post(member_id=member_id, post_id=post_id, reason=body.reason,
                                            effective_on=body.effective_on), post_id)


@router.get("/posts", responses=response_schema(Page[PostLine]),
            summary="Pioneer and model posts by enterprise, paged; held=false includes withdrawn ones",
            dependencies=[ReadYourWrites(*READS)])
async def list_posts(app: Rec, who: Reader, paging: Paging, enterprise_id: Id | None = None,
                     kind: PostKind | None = None, held: bool = True) -> MsgspecResponse:
    branch_id = readable_branch(who, None)
    return MsgspecResponse(page_of(await rq.posts(app.pool, enterprise_id=enterprise_id, kind=kind, held_only=held,
                                                   branch_id=branch_id), paging))


# --- awards -----------------------------------------------------------------------------------------


class NewNomination(msgspec.Struct, frozen=True, kw_only=True):
    category: AwardCategory
    nominee_id: Id  # a branch id for branch categories, a member id for individuals
    reason: str
    nomination_id: Id | None = None


@router.post("/awards/{year}/nominations", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Nominate a branch or member; a member rated poor or warned this year is refused, a branch "
                     "must be eligible by its quarterly assessment")
async def nominate(year: YearPath, body: Annotated[NewNomination, Body(NewNomination, example=NewNomination(
        category="advanced_individual", nominee_id="m1", reason="带头攻关核心技术"))], app: Rec,
        who: BranchStaff) -> MsgspecResponse:
    if body.category in INDIVIDUAL:
        await _own_member(app, who, body.nominee_id)
    else:
        ensure_branch(who, body.nominee_id)
    nomination_id = body.nomination_id or new_id()
    return accepted(await app.nominate(nomination_id=nomination_id, year=year, category=body.category,
                                       nominee_id=body.nominee_id, reason=body.reason, by=who.subject),
                    nomination_id, 201)


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    approved: bool
    reason: str = ""  # required when not approved


@router.post("/awards/{year}/nominations/{nomination_id}/decision", responses=ACCEPTED,
             summary="Approve or reject a nomination (a rejection gives its reason)")
async def decide(year: YearPath, nomination_id: Id, body: Annotated[Decision, Body(Decision, example=Decision(
        approved=False, reason="材料不全"))], app: Rec, who: Admin) -> MsgspecResponse:
    return accepted(await app.decide_award(year=year, nomination_id=nomination_id, approved=body.approved,
                                           reason=body.reason, by=who.subject), nomination_id)


@router.post("/awards/{year}/publication", responses=ACCEPTED,
             summary="Publish the year's list; every nomination must be decided; the year closes")
async def publish(year: YearPath, app: Rec, who: Admin) -> MsgspecResponse:
    return accepted(await app.publish(year), str(year))


@router.get("/awards/{year}/nominations", responses=response_schema(Page[NominationLine]),
            summary="The year's nominations and their decisions, paged; published=true: the published list",
            dependencies=[ReadYourWrites(*READS)])
async def nominations(year: YearPath, app: Rec, who: Reader, paging: Paging,
                      category: AwardCategory | None = None, published: bool = False) -> MsgspecResponse:
    return MsgspecResponse(page_of(await rq.nominations(app.pool, year, category, published_only=published), paging))


# --- export -----------------------------------------------------------------------------------------


@router.get("/exports/recognition.xlsx", response_class=Response, summary="Recognition ledgers as a workbook",
            responses=xlsx_openapi("三评议（审计人员仅见统计）、警示谈话、未评议党员、先锋岗标兵岗、争先创优"),
            dependencies=[ReadYourWrites(*READS)])
async def recognition_export(app: Rec, who: Reader, year: Year = None) -> Response:
    branch_id = readable_branch(who, None)
    year = year or app.today().year
    counts = await rq.review_counts(app.pool, year, branch_id)
    sheets = [Sheet(f"三评议统计（{year}）",
                    ["党员人数", "优秀", "合格", "基本合格", "不合格", "未完成评议", "待警示谈话"],
                    [[counts.members, counts.excellent, counts.good, counts.fair, counts.poor, counts.unreviewed,
                      counts.poor_without_talk]])]
    if {"park_admin", "branch_secretary"} & set(who.roles):
        rows, _ = await rq.reviews(app.pool, year, branch_id)
        sheets.append(Sheet(f"三评议（{year}）",
                            ["党员编号", "姓名", "支部编号", *RATER_HEADERS, "综合评定", "警示谈话日期"],
                            [[r.member_id, r.member_name, r.branch_id, _zh(r.leadership), _zh(r.employees),
                              _zh(r.branch), _zh(r.overall), r.talked_on] for r in rows]))
        sheets.append(Sheet("警示谈话", ["党员编号", "姓名", "支部编号", "谈话日期", "谈话人", "谈话记录"],
                            [[t.member_id, t.member_name, t.branch_id, t.talked_on, t.talked_by, t.notes]
                             for t in await rq.talks(app.pool, year, branch_id, due_only=False)]))
    sheets.append(Sheet("未完成评议", ["党员编号", "姓名", "支部编号", "企业编号", "已评议"],
                        [[p.member_id, p.member_name, p.branch_id, p.enterprise_id,
                          "、".join(RATER_ZH[r] for r in p.raters_done)]
                         for p in await rq.unreviewed(app.pool, year, branch_id)]))
    sheets.append(Sheet("先锋岗标兵岗", ["岗位编号", "类型", "岗位名称", "党员", "企业", "设岗日期", "撤岗日期"],
                        [[p.post_id, POST_ZH[p.kind], p.title, p.member_name, p.enterprise_name, p.assigned_on,
                          p.withdrawn_on]
                         for p in await rq.posts(app.pool, enterprise_id=None, kind=None, held_only=False,
                                                 branch_id=branch_id)]))
    sheets.append(Sheet(f"争先创优（{year}）", ["推荐编号", "类别", "推荐对象", "推荐理由", "推荐日期", "结果", "说明",
                                            "公布日期"],
                        [[n.nomination_id, CATEGORY_ZH[n.category], n.nominee_name, n.reason, n.nominated_on,
                          STATUS_ZH[n.status], n.decision_reason, n.published_on]
                         for n in await rq.nominations(app.pool, year, None)]))
    return xlsx_sheets_response(sheets, f"recognition-{year}.xlsx")
