"""A contact point ends when its enterprise moves out (organization's `enterprise.moved_out`):
recorded as `contact_point.released` here, once, and a contact point of a later stay is kept."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from redpark_contracts.enterprise_support import ContactPointAssigned, ContactPointReleased
from redpark_enterprise_support.app import create_app as create_support_app
from redpark_enterprise_support.projections import CONTACT_POINT_ENDS
from redpark_enterprise_support.projections.move_out import ContactPointEndsOnMoveOut
from redpark_platform.events import IncomingEvent
from redpark_platform.testkit import ServiceClient, eventually


@pytest.fixture
async def park(service_client: Any, organization: Any) -> tuple[Any, ServiceClient]:
    return organization, await service_client(create_support_app, roles=("support_officer",))


async def test_moving_out_releases_the_contact_point_once_and_a_new_stay_keeps_its_own(
        park: tuple[Any, ServiceClient]) -> None:
    org, sup = park
    sup_app = sup.app
    today = sup.runtime.today()
    await org.move_in("e1", today, floor=2, headcount=20)
    reaction = sup_app.state.runtime.runners[CONTACT_POINT_ENDS.name]

    async def assign(contact_id: str) -> None:
        async def try_assign() -> int:
            r = await sup.put("/enterprises/e1/contact-point", json={
                "contact_kind": "committee_member", "contact_id": contact_id, "contact_name": "王建国"})
            return r.status_code
        await eventually(try_assign, lambda status: status == 200)  # once the move-in has reached this service
    await assign("cm-1")

    async def history() -> list[Any]:
        read = await sup_app.state.runtime.store.read_stream("contact-point-e1")
        return [e.event for e in read.events]
    await org.move_out("e1", today)
    events = await eventually(history, lambda h: isinstance(h[-1], ContactPointReleased))
    released_at = (await sup_app.state.runtime.store.read_stream("contact-point-e1")).events[-1].record.recorded_at
    assert [type(e) for e in events] == [ContactPointAssigned, ContactPointReleased]
    assert events[-1].contact_id == "cm-1" and events[-1].reason == "enterprise moved out"

    # Back in the park later: its new contact point is not ended by the earlier move-out.
    await org.move_in("e1", today, floor=2, headcount=20)
    await assign("cm-2")
    # the reaction has seen every organization event there is: a wrong release would be recorded by now
    assert await reaction.wait_for("organization", org.position, timeout=15)
    events = await history()
    assert [type(e) for e in events] == [ContactPointAssigned, ContactPointReleased, ContactPointAssigned]

    # The same move-out delivered again (a redelivery, a rebuild) leaves the new stay's contact point.
    body = msgspec.json.encode({"enterprise_id": "e1", "moved_out_on": str(events[1].released_on)})
    moved_out = ContactPointEndsOnMoveOut.registries["organization"].decode("enterprise.moved_out", 1, body)
    again = IncomingEvent(id="x", source="organization", service="organization", key="enterprise.moved_out",
                          version=1, subject="organization.enterprise.moved_out", time=released_at.isoformat(),
                          sequence=1, data=msgspec.Raw(b"{}"))
    await CONTACT_POINT_ENDS.handle(None, moved_out, again)  # type: ignore[arg-type]  # no read model to write
    assert [type(e) for e in await history()] == [ContactPointAssigned, ContactPointReleased, ContactPointAssigned]
