"""Commands of study: monthly topics, members' self-study, branches' weekly study."""

from __future__ import annotations

from datetime import date

from redpark_platform.store import AppendResult

from .. import queries
from ..domain import self_study, topic, weekly_study
from .layer import EducationLayer


class StudyCommands(EducationLayer):
    async def publish_topic(self, month: str, title: str, material: str) -> AppendResult:
        return await self._execute(topic.stream_id(month), topic.decider, topic.PublishTopic(
            month=month, title=title, material=material, now=self.now()))

    async def file_self_study(self, *, member_id: str, month: str, studied_on: date, content: str,
                              reflection: str) -> AppendResult:
        published = (await self._state(topic.stream_id(month), topic.decider)).published
        branch_id = await queries.member_branch_on(self.pool, member_id, self.today())
        return await self._execute(self_study.stream_id(member_id), self_study.decider, self_study.FileSelfStudy(
            member_id=member_id, month=month, studied_on=studied_on, content=content, reflection=reflection,
            branch_id=branch_id, topic_published=published, now=self.now()))

    async def record_weekly_study(self, *, branch_id: str, held_on: date, minutes: int, topic_: str,
                                  attendee_member_ids: list[str]) -> AppendResult:
        active = await queries.branch_active_on(self.pool, branch_id, held_on)
        members = await queries.roster_on(self.pool, held_on, branch_id) if active else None
        targets = await self.targets(held_on.year)
        return await self._execute(weekly_study.stream_id(branch_id), weekly_study.decider,
                                   weekly_study.RecordWeeklyStudy(
                                       branch_id=branch_id, held_on=held_on, minutes=minutes, topic=topic_,
                                       attendee_member_ids=attendee_member_ids, branch_members=members,
                                       minimum_minutes=targets.weekly_study_minutes, now=self.now()))
