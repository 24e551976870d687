"""Organization events: follow-ups the organization owes to facts heard from other systems (e.g. a declared party member hired in the park).

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.

Aggregate `transfer_followup` (stream `transfer-followup-<followup_id>`): a party member hired by
an enterprise of the park whose organizational relationship is still held elsewhere (heard from
`enterprise-support.hire.party_member_declared`; `followup_id` is that `hire_id`) is pending
transfer-in (待转入) until staff resolve it (the member is registered or transferred in through the
member API) or dismiss it with a reason (e.g. declined, left the enterprise). The name is
sealed under `followup_id`, as members' names are; the phone stays with enterprise-support.
"""

from __future__ import annotations

from datetime import date

from redpark_contracts.organization import registry
from redpark_platform.events import Event


@registry.register("transfer_followup", "opened", personal=("name",), subject="followup_id")
class TransferFollowupOpened(Event, frozen=True, kw_only=True):
    """A pending transfer-in: `name`, hired by `enterprise_id` on `since`, relationship held by
    `relationship_held_by`."""

    followup_id: str
    enterprise_id: str
    name: str
    relationship_held_by: str
    since: date
    opened_on: date


@registry.register("transfer_followup", "resolved")
class TransferFollowupResolved(Event, frozen=True, kw_only=True):
    """The person is now member `member_id` of the park's census (registered, or transferred in)."""

    followup_id: str
    member_id: str
    resolved_on: date


@registry.register("transfer_followup", "dismissed")
class TransferFollowupDismissed(Event, frozen=True, kw_only=True):
    followup_id: str
    reason: str
    dismissed_on: date
