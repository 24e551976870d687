"""Read models of the enterprise-support service, one module each; `ALL` is what the app runs."""

from __future__ import annotations

from redpark_platform.projections import Projection

from .briefings import BriefingsProjection
from .move_out import ContactPointEndsOnMoveOut
from .park import ParkProjection
from .recruitment import RecruitmentProjection
from .support import SupportProjection

CONTACT_POINT_ENDS = ContactPointEndsOnMoveOut()
ALL: tuple[Projection, ...] = (ParkProjection(), SupportProjection(), BriefingsProjection(), CONTACT_POINT_ENDS,
                               RecruitmentProjection())
