"""The three guarantees' reminders, sent from here: education decides who is behind
(`education.reminder.issued`) but holds no phone it can open; the organization keeps its members'
phones and knows each branch's secretary. A member's reminder goes to the member, a branch's missing
weekly study to its secretary; one without a known phone is not told."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import asyncpg

from redpark_contracts import education as edu
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.notifications import Notice, NotificationRule

TEMPLATE_OF = {"self_study": "org.guarantee_self_study", "lesson": "org.guarantee_lesson",
               "weekly_study": "org.guarantee_weekly_study"}


class GuaranteeReminders(NotificationRule):
    name = "org-guarantee-notices"
    sources: ClassVar[tuple[str, ...]] = ("education",)
    registries: ClassVar[dict[str, EventRegistry]] = {"education": edu.registry}

    def wants(self, source: str, key: str) -> bool:
        return key == "reminder.issued" and super().wants(source, key)

    async def notices(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> Sequence[Notice]:
        if not isinstance(event, edu.ReminderIssued):
            return []
        branch = await conn.fetchrow("SELECT name, secretary_id FROM org_branches WHERE branch_id = $1",
                                     event.branch_id)
        branch_name = branch["name"] if branch is not None else event.branch_id
        if event.member_id is None:  # a branch's weekly study: its secretary
            if branch is None or branch["secretary_id"] is None:
                return []
            to = await conn.fetchrow("SELECT member_id, '' AS name, phone FROM org_notify_contacts"
                                     " WHERE member_id = $1", branch["secretary_id"])
        else:
            to = await conn.fetchrow("SELECT c.member_id, m.name, c.phone FROM org_notify_contacts c"
                                     " JOIN org_members m USING (member_id) WHERE c.member_id = $1", event.member_id)
        if to is None:
            return []
        params = {"branch": branch_name, "period": event.period}
        if event.member_id is not None:
            params["name"] = to["name"]
        return [Notice(template=TEMPLATE_OF[event.guarantee], channel="sms", address=to["phone"],
                       subject_id=to["member_id"], params=params,
                       personal=("name",) if event.member_id is not None else ())]
