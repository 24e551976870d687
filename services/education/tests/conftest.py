"""The organization service's published events, fed to education through the test kit's
`contract_feed`: the organization's contract alone, with an event store of its own and a real
relay on the test's bus, so the events arrive as the organization's relay sends them and these
tests need no organization service installed. The events and their streams are the ones the
organization's deciders record for the same steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from redpark_contracts import organization as org
from redpark_platform.events import Event, EventRegistry
from redpark_platform.testkit.contracts import ContractFeed


class Organization:
    """The organization, as far as education can see it: its events. Each step answers the
    organization's store position of its last event, what the roster waits for."""

    def __init__(self, feed: ContractFeed) -> None:
        self.feed = feed
        self.position = 0  # the position of the last event appended

    async def _append(self, stream_id: str, *events: Event) -> int:
        self.position = (await self.feed.append(stream_id, events)).position
        return self.position

    async def move_in(self, enterprise_id: str, name: str, on: date) -> int:
        return await self._append(f"enterprise-{enterprise_id}", org.EnterpriseMovedIn(
            enterprise_id=enterprise_id, name=name, building_id="a1", floor=3, headcount=40,
            is_tech_enterprise=True, legal_representative="张三", moved_in_on=on))

    async def register(self, member_id: str, enterprise_id: str, on: date) -> int:
        return await self._append(f"member-{member_id}", org.MemberRegistered(
            member_id=member_id, name=f"党员{member_id}", enterprise_id=enterprise_id, status="full",
            joined_party_on=date(2010, 7, 1), relationship="in_park", relationship_held_by="",
            phone="13800000000", id_number="11010519491231002X", registered_on=on))

    async def establish(self, branch_id: str, enterprise_id: str, members: list[str], on: date) -> int:
        """A branch for one enterprise, then its members joining it."""
        await self._append(f"branch-{branch_id}", org.BranchEstablished(
            branch_id=branch_id, name=f"{branch_id}党支部", kind="enterprise", enterprise_ids=[enterprise_id],
            full_members_at_founding=len(members), established_on=on))
        for m in members:
            await self._append(f"member-{m}", org.MemberJoinedBranch(member_id=m, branch_id=branch_id, joined_on=on))
        return self.position

    async def transfer_out(self, member_id: str, branch_id: str, to: str, on: date) -> int:
        """转出 of a member in a branch: the organization records leaving the branch, then the transfer."""
        return await self._append(
            f"member-{member_id}",
            org.MemberLeftBranch(member_id=member_id, branch_id=branch_id, left_on=on, reason="transferred_out"),
            org.MemberTransferredOut(member_id=member_id, to_organization=to, transferred_on=on))

    async def two_branches(self, since: date) -> int:
        """br1 (m1 to m3 of e1) and br2 (m4 to m6 of e2), all there since `since`."""
        for e, name in (("e1", "爱科技"), ("e2", "云智能")):
            await self.move_in(e, name, since)
        for m, e in (("m1", "e1"), ("m2", "e1"), ("m3", "e1"), ("m4", "e2"), ("m5", "e2"), ("m6", "e2")):
            await self.register(m, e, since)
        await self.establish("br1", "e1", ["m1", "m2", "m3"], since)
        return await self.establish("br2", "e2", ["m4", "m5", "m6"], since)


@pytest.fixture
async def organization(contract_feed: Callable[[EventRegistry], Awaitable[ContractFeed]]) -> Organization:
    return Organization(await contract_feed(org.registry))
