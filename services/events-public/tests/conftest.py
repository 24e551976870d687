"""Every test of the service runs it with an easy proof of work: the tests solve challenges for real
(`redpark_platform.testkit.solved_challenge`), in microseconds instead of a phone's second."""

from __future__ import annotations

import pytest

EASY_PROOF_OF_WORK = "1000"


@pytest.fixture(autouse=True)
def easy_proof_of_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDPARK_EVENTS_PUBLIC_POW_MAX_NUMBER", EASY_PROOF_OF_WORK)


# --- the organization, as events-public sees it: its published events (its `reads`) ---------------

from collections.abc import Awaitable, Callable  # noqa: E402
from datetime import date  # noqa: E402

from redpark_contracts import organization as org  # noqa: E402
from redpark_events_public.projections.org_directory import NAME as ORG_DIRECTORY  # noqa: E402
from redpark_platform.events import EventRegistry  # noqa: E402
from redpark_platform.testkit import ServiceClient  # noqa: E402
from redpark_platform.testkit.contracts import ContractFeed  # noqa: E402


class Organization:
    """The organization's events on the test's bus (`contract_feed`: its contract alone, a store and a
    relay of its own), and a wait until events-public's directory has read them."""

    def __init__(self, feed: ContractFeed) -> None:
        self.feed = feed
        self.position = 0

    async def branches(self, *branch_ids: str, general: str | None = None) -> None:
        if general:
            self.position = (await self.feed.append("general-branch", [org.GeneralBranchEstablished(
                general_branch_id=general, name="党总支", established_on=date(2024, 1, 1))])).position
        for b in branch_ids:
            self.position = (await self.feed.append(f"branch-{b}", [org.BranchEstablished(
                branch_id=b, name=f"{b}党支部", kind="joint", enterprise_ids=[], full_members_at_founding=3,
                established_on=date(2024, 1, 1))])).position

    async def members(self, *member_ids: str) -> None:
        for m in member_ids:
            self.position = (await self.feed.append(f"member-{m}", [org.MemberRegistered(
                member_id=m, name=f"党员{m}", enterprise_id=None, status="full", joined_party_on=date(2010, 7, 1),
                relationship="in_park", relationship_held_by="", phone="13800000000",
                id_number="11010519491231002X", registered_on=date(2024, 1, 1))])).position

    async def read_by(self, service: ServiceClient) -> None:
        assert await service.runtime.runners[ORG_DIRECTORY].wait_for("organization", self.position, timeout=20)


@pytest.fixture
async def organization(contract_feed: Callable[[EventRegistry], Awaitable[ContractFeed]]) -> Organization:
    return Organization(await contract_feed(org.registry))
