"""Read models of the education service, one module each; `ALL` is what the app runs."""

from __future__ import annotations

from redpark_platform.projections import Projection

from .records import RecordsProjection
from .roster import RosterProjection

ALL: tuple[Projection, ...] = (RosterProjection(), RecordsProjection())
