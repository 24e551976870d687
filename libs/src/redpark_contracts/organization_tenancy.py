"""Organization events: facts the property-management system tells us about tenants and buildings (translated, never its own codes).

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.
"""

from __future__ import annotations

from datetime import date

from redpark_platform.events import Event

from redpark_contracts.organization import registry


@registry.register("enterprise", "relocated")
class EnterpriseRelocated(Event, frozen=True, kw_only=True):
    """The tenant now works in another building or on another floor of the park (its name, size
    and the rest of its profile unchanged). Who answers for its new building may differ, but its
    own cover (branch or liaison instructor) stays with it."""

    enterprise_id: str
    building_id: str
    floor: int
    relocated_on: date
