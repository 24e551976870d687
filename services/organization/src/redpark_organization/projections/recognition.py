"""Recognition read model: ratings and concluded reviews, warning talks, posts, award nominations."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import registry
from redpark_contracts.organization_recognition import (
    AwardDecided,
    AwardListPublished,
    AwardNominated,
    PostAssigned,
    PostWithdrawn,
    ThreeWayReviewConcluded,
    ThreeWayReviewRated,
    WarningTalkRecorded,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection, blank_person

NAME = "org_recognition"


class RecognitionProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_rec_ratings", "org_rec_reviews", "org_rec_talks", "org_rec_posts", "org_rec_nominations",
              "org_rec_award_years")

    opens = frozenset({"nominee_name"})  # names in clear for its lists; sealed in the events

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        if source != "organization":
            return 0
        return await blank_person(conn, "org_rec_nominations", ("nominee_name",), "nominee_id", subject_id)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case ThreeWayReviewRated():
                await conn.execute("INSERT INTO org_rec_ratings VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                   event.member_id, event.year, event.rater, event.rating, event.rated_on)
            case ThreeWayReviewConcluded():
                await conn.execute("INSERT INTO org_rec_reviews VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                   event.member_id, event.year, event.overall, event.branch_id, event.concluded_on)
            case WarningTalkRecorded():
                await conn.execute("INSERT INTO org_rec_talks VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                   event.member_id, event.year, event.talked_on, event.talked_by, event.notes)
            case PostAssigned():
                await conn.execute(
                    "INSERT INTO org_rec_posts (post_id, kind, member_id, enterprise_id, title, assigned_on)"
                    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING", event.post_id, event.kind,
                    event.member_id, event.enterprise_id, event.title, event.assigned_on)
            case PostWithdrawn():
                await conn.execute("UPDATE org_rec_posts SET withdrawn_on = $2, withdrawal_reason = $3"
                                   " WHERE post_id = $1", event.post_id, event.withdrawn_on, event.reason)
            case AwardNominated():
                await conn.execute(
                    "INSERT INTO org_rec_nominations (nomination_id, year, category, nominee_id, nominee_name, reason,"
                    " nominated_on) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    event.nomination_id, event.year, event.category, event.nominee_id, event.nominee_name,
                    event.reason, event.nominated_on)
            case AwardDecided():
                await conn.execute("UPDATE org_rec_nominations SET approved = $2, decision_reason = $3,"
                                   " decided_on = $4 WHERE nomination_id = $1", event.nomination_id, event.approved,
                                   event.reason, event.decided_on)
            case AwardListPublished():
                await conn.execute("INSERT INTO org_rec_award_years VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                   event.year, event.published_on)
            case _:
                pass
