"""Read models of the organization service, one module each; `ALL` is what the app runs."""

from __future__ import annotations

from redpark_platform.projections import Projection

from .assessment_facts import AssessmentFactsProjection
from .census import CensusLedgerProjection
from .coverage_history import CoverageHistoryProjection
from .development import DevelopmentProjection
from .dues import DuesProjection
from .facilities import FacilitiesProjection
from .followups import FollowupsProjection
from .governance import GovernanceProjection
from .grid import GridProgressProjection
from .park import ParkProjection
from .recognition import RecognitionProjection
from .rosters import RostersProjection
from .transfer_letters import TransferLettersProjection

ALL: tuple[Projection, ...] = (
    ParkProjection(), RostersProjection(), DuesProjection(), DevelopmentProjection(), CensusLedgerProjection(),
    GridProgressProjection(), AssessmentFactsProjection(), GovernanceProjection(),
    FollowupsProjection(), RecognitionProjection(), FacilitiesProjection(),
    CoverageHistoryProjection(), TransferLettersProjection(),
)
