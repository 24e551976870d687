"""The layer the edges hold: the areas of the service over one runtime, built once at startup."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from redpark_platform.runtime import Runtime
from redpark_platform.web.ratelimit import RateLimit

from . import settings
from .catalogue import Catalogue
from .open_base import OpenBase
from .session_writer import SessionWriters
from .sessions import Sessions
from .volunteer import Volunteering


@dataclass
class EventsPublic:
    runtime: Runtime
    catalogue: Catalogue
    sessions: Sessions
    open_base: OpenBase
    volunteering: Volunteering
    rate_limits: dict[str, RateLimit] = dataclasses.field(default_factory=dict)

    @classmethod
    def attach(cls, runtime: Runtime) -> EventsPublic:
        catalogue = Catalogue(runtime)
        layer = cls(
            runtime=runtime,
            catalogue=catalogue,
            sessions=Sessions(
                runtime,
                SessionWriters(runtime.store),
                catalogue,
                settings.phone_secret(runtime.settings.data_dir),
                settings.proof_of_work(runtime.settings.data_dir),
            ),
            open_base=OpenBase(runtime, settings.open_base_limits()),
            volunteering=Volunteering(runtime),
            rate_limits=settings.rate_limits(),
        )
        runtime.add_layer(layer)  # found by type: `runtime.layer(EventsPublic)`, `layer_of(EventsPublic)`
        return layer

    async def close(self) -> None:
        await self.sessions.writers.close()

    def now(self) -> datetime:
        return self.runtime.now()

    def hash_phone(self, normalised: str) -> str:
        return self.sessions.hash_phone(normalised)

