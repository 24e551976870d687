"""The organization service's published events, fed to enterprise-support as the organization's
relay would send them (`ContractFeed`), so these tests need no organization service installed.
The events and their streams are the ones the organization's deciders record for the same steps;
whole-system tests with a running organization service live in the top-level `tests/`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date

import pytest
from redpark_contracts import organization as org
from redpark_platform.servers import NatsServer
from redpark_platform.testkit.contract_publisher import ContractFeed


class Organization:
    """The organization, as far as enterprise-support can see it: its events."""

    def __init__(self, feed: ContractFeed) -> None:
        self.feed = feed

    async def move_in(self, enterprise_id: str, on: date, *, name: str | None = None, tech: bool = True,
                      headcount: int = 30, floor: int = 1, building_id: str = "a1") -> int:
        return await self.feed.publish(f"enterprise-{enterprise_id}", org.EnterpriseMovedIn(
            enterprise_id=enterprise_id, name=name or f"企业{enterprise_id}", building_id=building_id,
            floor=floor, headcount=headcount, is_tech_enterprise=tech, legal_representative="张三",
            moved_in_on=on))

    async def move_out(self, enterprise_id: str, on: date) -> int:
        return await self.feed.publish(f"enterprise-{enterprise_id}",
                                       org.EnterpriseMovedOut(enterprise_id=enterprise_id, moved_out_on=on))

    async def establish(self, branch_id: str, name: str, enterprise_ids: list[str], on: date) -> int:
        return await self.feed.publish(f"branch-{branch_id}", org.BranchEstablished(
            branch_id=branch_id, name=name, kind="enterprise", enterprise_ids=enterprise_ids,
            full_members_at_founding=3, established_on=on))

    async def dissolve(self, branch_id: str, on: date, reason: str) -> int:
        return await self.feed.publish(
            f"branch-{branch_id}", org.BranchDissolved(branch_id=branch_id, dissolved_on=on, reason=reason))


@pytest.fixture
def park_nats(nats_factory: Callable[[], NatsServer]) -> str:
    """A NATS of this test's own: the service's stream and consumers start empty."""
    return nats_factory().url


@pytest.fixture
async def organization(park_nats: str) -> AsyncIterator[Organization]:
    async with ContractFeed(park_nats, org.registry) as feed:
        yield Organization(feed)
