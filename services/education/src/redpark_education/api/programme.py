"""The education programme: the year's plan, the lecturer corps, park lessons and attendance,
monthly topics, annual themes, forums and the joint conference."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from fastapi import APIRouter, Path

from redpark_contracts.education import ForumKind, LecturerCategory, ThemeLinkKind
from redpark_platform.clock import new_id
from redpark_platform.web import Body, Idempotent, MsgspecResponse, response_schema
from redpark_platform.web.bounded import Id, Minutes, SmallCount
from redpark_platform.web.edge import Accepted, accepted
from redpark_platform.web.paging import Page, Paging, page, page_of

from .. import queries
from ..domain import forum, lecturer
from .deps import Edu, Fresh, Officer, Reader, Year

router = APIRouter(tags=["programme"])
ACCEPTED = response_schema(Accepted)
CREATED = response_schema(Accepted, status=201)
YearPath = Annotated[int, Path(ge=2000, le=2200)]


class PlanBody(msgspec.Struct, frozen=True, kw_only=True):
    lecturer_corps_minimum: SmallCount
    park_lessons_minimum: SmallCount
    weekly_study_minutes: Minutes


class PlanView(msgspec.Struct, frozen=True, kw_only=True):
    """The year's targets against what was done."""

    year: int
    lecturer_corps_minimum: int
    lecturers_active: int
    park_lessons_minimum: int
    park_lessons_held: int
    weekly_study_minutes: int


@router.put("/plans/{year}", responses=ACCEPTED, summary="Set the year's targets (lecturers, lessons, minutes)")
async def set_plan(year: YearPath, body: Annotated[PlanBody, Body(PlanBody, example=PlanBody(
        lecturer_corps_minimum=10, park_lessons_minimum=4, weekly_study_minutes=30))],
        edu: Edu, who: Officer) -> MsgspecResponse:
    return accepted(await edu.set_plan(year, body.lecturer_corps_minimum, body.park_lessons_minimum,
                                       body.weekly_study_minutes), str(year))


@router.get("/plans/{year}", responses=response_schema(PlanView), summary="The year's targets against the actual")
async def get_plan(year: YearPath, edu: Edu, who: Reader, fresh: Fresh) -> MsgspecResponse:
    targets = await edu.targets(year)
    corps = [lc for lc in await queries.lecturers(edu.pool) if lc.retired_on is None]
    held = [ls for ls in await queries.lessons(edu.pool, year) if ls.held_on is not None]
    return MsgspecResponse(PlanView(year=year, lecturer_corps_minimum=targets.lecturer_corps_minimum,
                                    lecturers_active=len(corps), park_lessons_minimum=targets.park_lessons_minimum,
                                    park_lessons_held=len(held), weekly_study_minutes=targets.weekly_study_minutes))


# --- lecturers ---------------------------------------------------------------------------------


class NewLecturer(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    category: LecturerCategory
    affiliation: str = ""
    topics: list[str]
    lecturer_id: Id | None = None


class Topics(msgspec.Struct, frozen=True, kw_only=True):
    topics: list[str]


class Corps(msgspec.Struct, frozen=True, kw_only=True):
    """The lecturer corps: the plan's minimum against the lecturers active now (counted over the
    whole corps), and one page of the lecturers."""

    minimum: int
    active: int
    lecturers: Page[queries.LecturerRow]


@router.post("/lecturers", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Appoint a lecturer to the corps (红色讲师团)")
async def appoint(body: Annotated[NewLecturer, Body(NewLecturer, example=NewLecturer(
        name="李老", category="veteran_member", affiliation="省老干部局", topics=["党史", "初心使命"]))],
        edu: Edu, who: Officer) -> MsgspecResponse:
    lecturer_id = body.lecturer_id or new_id()
    return accepted(await edu.appoint_lecturer(lecturer_id, body.name, body.category, body.affiliation,
                                               body.topics), lecturer_id, 201)


@router.put("/lecturers/{lecturer_id}/topics", responses=ACCEPTED, summary="The lecturer's topics as they now stand")
async def update_topics(lecturer_id: Id, body: Annotated[Topics, Body(Topics)], edu: Edu,
                        who: Officer) -> MsgspecResponse:
    return accepted(await edu.lecturer_command(lecturer_id, lecturer.UpdateTopics(
        lecturer_id=lecturer_id, topics=body.topics, now=edu.now())), lecturer_id)


@router.post("/lecturers/{lecturer_id}/retirement", responses=ACCEPTED, dependencies=[Idempotent],
             summary="The lecturer leaves the corps")
async def retire(lecturer_id: Id, edu: Edu, who: Officer) -> MsgspecResponse:
    return accepted(await edu.lecturer_command(lecturer_id, lecturer.RetireLecturer(
        lecturer_id=lecturer_id, now=edu.now())), lecturer_id)


@router.get("/lecturers", responses=response_schema(Corps), summary="The corps against the plan's minimum")
async def corps(edu: Edu, who: Reader, paging: Paging, fresh: Fresh) -> MsgspecResponse:
    rows = await queries.lecturers(edu.pool)
    targets = await edu.targets(edu.today().year)
    return MsgspecResponse(Corps(minimum=targets.lecturer_corps_minimum,
                                 active=sum(r.retired_on is None for r in rows),
                                 lecturers=page_of(rows, paging)))


# --- park lessons ------------------------------------------------------------------------------


class NewLesson(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    topic: str
    lecturer_id: Id
    venue: str
    scheduled_on: date
    lesson_id: Id | None = None


class Held(msgspec.Struct, frozen=True, kw_only=True):
    held_on: date | None = None


class Attendance(msgspec.Struct, frozen=True, kw_only=True):
    member_ids: list[Id]


class Makeup(msgspec.Struct, frozen=True, kw_only=True):
    member_id: Id
    made_up_on: date


class Cancellation(msgspec.Struct, frozen=True, kw_only=True):
    reason: str


class LessonYear(msgspec.Struct, frozen=True, kw_only=True):
    """The year's park lessons, with the count held against the plan's minimum (over the whole
    year), and one page of the lessons."""

    year: int
    minimum: int
    held: int
    quarters_without_lesson: list[str]
    lessons: Page[queries.LessonRow]


@router.post("/lessons", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Schedule a park lesson (大党课) at a venue, with lecturer and topic")
async def schedule(body: Annotated[NewLesson, Body(NewLesson, example=NewLesson(
        title="学习党的二十大精神", topic="党的创新理论", lecturer_id="l1", venue="一号楼三楼多功能厅",
        scheduled_on=date(2030, 3, 20)))], edu: Edu, who: Officer) -> MsgspecResponse:
    lesson_id = body.lesson_id or new_id()
    return accepted(await edu.schedule_lesson(lesson_id=lesson_id, title=body.title, topic_=body.topic,
                                              lecturer_id=body.lecturer_id, venue=body.venue,
                                              scheduled_on=body.scheduled_on), lesson_id, 201)


@router.post("/lessons/{lesson_id}/held", responses=ACCEPTED, dependencies=[Idempotent],
             summary="The lesson took place on a date")
async def hold(lesson_id: Id, body: Annotated[Held, Body(Held)], edu: Edu, who: Officer) -> MsgspecResponse:
    return accepted(await edu.hold_lesson(lesson_id, body.held_on), lesson_id)


@router.post("/lessons/{lesson_id}/attendance", responses=ACCEPTED, dependencies=[Idempotent],
             summary="Members present (checked against the roster on the lesson's date)")
async def attend(lesson_id: Id, body: Annotated[Attendance, Body(Attendance)], edu: Edu,
                 who: Officer) -> MsgspecResponse:
    return accepted(await edu.record_attendance(lesson_id, body.member_ids), lesson_id)


@router.post("/lessons/{lesson_id}/makeups", responses=ACCEPTED, dependencies=[Idempotent],
             summary="A member made up a missed lesson (补课)")
async def makeup(lesson_id: Id, body: Annotated[Makeup, Body(Makeup)], edu: Edu, who: Officer) -> MsgspecResponse:
    return accepted(await edu.record_makeup(lesson_id, body.member_id, body.made_up_on), lesson_id)


@router.post("/lessons/{lesson_id}/cancellation", responses=ACCEPTED, dependencies=[Idempotent],
             summary="Cancel a lesson not yet held")
async def cancel(lesson_id: Id, body: Annotated[Cancellation, Body(Cancellation)], edu: Edu,
                 who: Officer) -> MsgspecResponse:
    return accepted(await edu.cancel_lesson(lesson_id, body.reason), lesson_id)


@router.get("/lessons", responses=response_schema(LessonYear), summary="The year's lessons against the minimum")
async def lessons(year: Year, edu: Edu, who: Reader, paging: Paging, fresh: Fresh) -> MsgspecResponse:
    rows = await queries.lessons(edu.pool, year)
    held = [r for r in rows if r.held_on is not None]
    today = edu.today()
    past = [f"{year}-Q{q}" for q in range(1, 5) if (year, q) <= (today.year, (today.month - 1) // 3 + 1)]
    return MsgspecResponse(LessonYear(year=year, minimum=(await edu.targets(year)).park_lessons_minimum,
                                      held=len(held), quarters_without_lesson=[
                                          q for q in past if not any(r.quarter == q for r in held)],
                                      lessons=page_of(rows, paging)))


# --- monthly topics ----------------------------------------------------------------------------


class NewTopic(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    title: str
    material: str


@router.post("/topics", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Publish the month's topic with its material (一月一专题)")
async def publish(body: Annotated[NewTopic, Body(NewTopic, example=NewTopic(
        month="2025-07", title="不忘初心、牢记使命", material="学习材料：……"))], edu: Edu,
        who: Officer) -> MsgspecResponse:
    return accepted(await edu.publish_topic(body.month, body.title, body.material), body.month, 201)


@router.get("/topics", responses=response_schema(Page[queries.TopicRow]), summary="The year's monthly topics")
async def topics(year: Year, edu: Edu, who: Reader, paging: Paging, fresh: Fresh) -> MsgspecResponse:
    return MsgspecResponse(page_of(await queries.topics(edu.pool, year), paging))


# --- annual themes -----------------------------------------------------------------------------


class NewTheme(msgspec.Struct, frozen=True, kw_only=True):
    theme_id: Id
    title: str
    description: str = ""


class Link(msgspec.Struct, frozen=True, kw_only=True):
    kind: ThemeLinkKind
    ref: str


@router.post("/themes/{year}", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Define one of the year's themes")
async def define_theme(year: YearPath, body: Annotated[NewTheme, Body(NewTheme)], edu: Edu,
                       who: Officer) -> MsgspecResponse:
    return accepted(await edu.define_theme(year, body.theme_id, body.title, body.description), body.theme_id, 201)


@router.post("/themes/{year}/{theme_id}/links", responses=ACCEPTED, dependencies=[Idempotent],
             summary="Link a monthly topic (ref = YYYY-MM) or a lesson (ref = its id) to the theme")
async def link_theme(year: YearPath, theme_id: Id, body: Annotated[Link, Body(Link)], edu: Edu,
                     who: Officer) -> MsgspecResponse:
    return accepted(await edu.link_theme(year, theme_id, body.kind, body.ref), theme_id)


@router.get("/themes/{year}", responses=response_schema(list[queries.ThemeRow]),
            summary="The year's themes with the topics and lessons serving each")
async def list_themes(year: YearPath, edu: Edu, who: Reader, fresh: Fresh) -> MsgspecResponse:
    return MsgspecResponse(await queries.themes(edu.pool, year))


# --- forums and the joint conference ------------------------------------------------------------


class NewSession(msgspec.Struct, frozen=True, kw_only=True):
    forum: ForumKind
    title: str
    held_on: date
    participants: list[str]
    outcomes: list[str] = []
    session_id: Id | None = None


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    outcome: str


@router.post("/forums", status_code=201, responses=CREATED, dependencies=[Idempotent],
             summary="Record a forum session or joint conference, with participants and outcomes")
async def record_session(body: Annotated[NewSession, Body(NewSession)], edu: Edu, who: Officer) -> MsgspecResponse:
    session_id = body.session_id or new_id()
    return accepted(await edu.record_forum(session_id=session_id, kind=body.forum, title=body.title,
                                           held_on=body.held_on, participants=body.participants,
                                           outcomes=body.outcomes), session_id, 201)


@router.post("/forums/{session_id}/outcomes", responses=ACCEPTED, dependencies=[Idempotent],
             summary="Add a written outcome to a session")
async def add_outcome(session_id: Id, body: Annotated[Outcome, Body(Outcome)], edu: Edu,
                      who: Officer) -> MsgspecResponse:
    return accepted(await edu.forum_command(session_id, forum.AddOutcome(
        session_id=session_id, outcome=body.outcome, now=edu.now())), session_id)


@router.get("/forums", responses=response_schema(Page[queries.ForumRow]), summary="The year's sessions")
async def forums(year: Year, edu: Edu, who: Reader, paging: Paging, fresh: Fresh) -> MsgspecResponse:
    rows, total = await queries.forums(edu.pool, year, limit=paging.limit, offset=paging.offset)
    return MsgspecResponse(page(rows, total, paging))
