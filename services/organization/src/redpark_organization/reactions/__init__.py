"""Process managers: another service's events answered with this service's own commands."""

from __future__ import annotations

from redpark_platform.projections import Projection

from .followup_opener import OpenFollowupOnPartyMemberHire

ALL: tuple[Projection, ...] = (OpenFollowupOnPartyMemberHire(),)
