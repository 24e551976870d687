"""The application layer: gather the facts a command needs, stamp the time, run the decider, store
the events. One module per area (`contacts`, `needs`, `platforms`, `policies`, `quarterlies`,
`recruitment`); read-model SQL stays in `queries/`.

Facts owned by this service's other streams are read from those streams (strongly consistent).
Facts about the park (is the enterprise in it, since when, is a branch active) come from the
read model of the organization's published events: this service never calls the organization
service. That model trails the organization by the time its events take to arrive, so an
enterprise that moved in a moment ago may still be refused as "not in the park"; a retry a
moment later succeeds. Counts over many streams (visits this year, open requests) come from
this service's read models and trail its own store by milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .contacts import ContactCommands
from .needs import NeedCommands
from .platforms import PlatformCommands
from .policies import PolicyCommands
from .quarterlies import QuarterlyCommands


@dataclass
class EnterpriseSupport(ContactCommands, NeedCommands, PlatformCommands, PolicyCommands, QuarterlyCommands):
    """What the routes use, attached to the runtime by type (`runtime.layer(EnterpriseSupport)`)."""


__all__ = ["EnterpriseSupport"]
