"""What other systems may subscribe to from enterprise support (signed outbound webhooks).

The property-management system wants the feedback enterprises raise about the park itself —
its environment and its property services — as they are raised, to act on them in its own
system. The same events are on JetStream as `enterprise-support.need.raised`.
"""

from __future__ import annotations

from redpark_contracts.enterprise_support import NeedRaised, registry
from redpark_platform.events import Event
from redpark_platform.outbound import Outbound, Topic

PARK_FEEDBACK = ("environment", "property")


def _about_the_park(event: Event) -> bool:
    return isinstance(event, NeedRaised) and event.category in PARK_FEEDBACK


OUTBOUND = Outbound("enterprise-support", registry, [
    Topic(name="property_feedback", title="企业反映的环境与物业问题", event_types=("need.raised",),
          predicate=_about_the_park),
], roles=("park_admin", "support_officer"), read_roles=("park_admin", "support_officer", "auditor"))
