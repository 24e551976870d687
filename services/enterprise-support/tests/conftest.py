"""The organization's published events, fed to enterprise-support as the organization's relay
would send them (`contract_feed`: a store and a relay of the organization's contract alone, on the
test's bus), so these tests need no organization service installed. The events and their streams
are the ones the organization's deciders record for the same steps; whole-system tests with a
running organization service live in the top-level `tests/`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from redpark_contracts import organization as org
from redpark_platform.events import Event, EventRegistry
from redpark_platform.testkit.contracts import ContractFeed


class Organization:
    """The organization, as far as enterprise-support can see it: its events."""

    def __init__(self, feed: ContractFeed) -> None:
        self.feed = feed
        self.position = 0  # of the last event published: what a consumer of the organization waits for

    async def _publish(self, stream_id: str, event: Event) -> int:
        self.position = (await self.feed.append(stream_id, [event])).position
        return self.position

    async def move_in(self, enterprise_id: str, on: date, *, name: str | None = None, tech: bool = True,
                      headcount: int = 30, floor: int = 1, building_id: str = "a1") -> int:
        return await self._publish(f"enterprise-{enterprise_id}", org.EnterpriseMovedIn(
            enterprise_id=enterprise_id, name=name or f"企业{enterprise_id}", building_id=building_id,
            floor=floor, headcount=headcount, is_tech_enterprise=tech, legal_representative="张三",
            moved_in_on=on))

    async def move_out(self, enterprise_id: str, on: date) -> int:
        return await self._publish(f"enterprise-{enterprise_id}",
                                   org.EnterpriseMovedOut(enterprise_id=enterprise_id, moved_out_on=on))

    async def establish(self, branch_id: str, name: str, enterprise_ids: list[str], on: date) -> int:
        return await self._publish(f"branch-{branch_id}", org.BranchEstablished(
            branch_id=branch_id, name=name, kind="enterprise", enterprise_ids=enterprise_ids,
            full_members_at_founding=3, established_on=on))

    async def dissolve(self, branch_id: str, on: date, reason: str) -> int:
        return await self._publish(
            f"branch-{branch_id}", org.BranchDissolved(branch_id=branch_id, dissolved_on=on, reason=reason))


@pytest.fixture
async def organization(contract_feed: Callable[[EventRegistry], Awaitable[ContractFeed]]) -> Organization:
    return Organization(await contract_feed(org.registry))
