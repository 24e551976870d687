"""What other systems may subscribe to from the organization service (signed outbound webhooks).

The property-management system runs the buildings the venues are in: it wants to know when a
room is booked and when a booking is cancelled (to open, heat and clean it). The same events are
on JetStream as `organization.venue.booked` and `organization.venue.booking_cancelled`.
"""

from __future__ import annotations

from redpark_contracts.organization import registry
from redpark_platform.outbound import Outbound, Topic

OUTBOUND = Outbound("organization", registry, [
    Topic(name="venue_bookings", title="阵地预约", event_types=("venue.booked", "venue.booking_cancelled")),
])
