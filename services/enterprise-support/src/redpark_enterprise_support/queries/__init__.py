"""Reads of the read models, one module per area: the park as the organization's events tell it
(`park`), visits and help plans (`contacts`), `needs`, the four service `platforms`, `policies`
and briefings, the four `quarterlies`, `recruitment`. The facts commands need and the lists staff
see are both here; the application layer and the edges call them by these names."""

from .contacts import HelpPlanRow, NotVisitedRow, VisitRow, help_plans, not_visited, visits, visits_in_year
from .dashboard import DashboardCounts, dashboard_counts
from .needs import NeedRow, needs
from .paging import paged
from .park import (
    BranchRow,
    EnterpriseRow,
    branch_active,
    branches,
    enterprise_known,
    enterprise_names,
    enterprises,
    in_park_among,
    in_park_since,
)
from .platforms import (
    ActivityRow,
    ApplicationRow,
    InternshipBaseRow,
    RequestRow,
    ServiceRow,
    activities,
    applications,
    internship_bases,
    open_request_exists,
    requests,
    services,
)
from .policies import BriefingRow, PolicyRow, briefing_owed, briefings, policies
from .quarterlies import QuarterlyRow, QuarterReport, quarter, quarterlies_of_year

__all__ = [
    "ActivityRow", "ApplicationRow", "BranchRow", "BriefingRow", "DashboardCounts", "EnterpriseRow",
    "HelpPlanRow", "InternshipBaseRow", "NeedRow", "NotVisitedRow", "PolicyRow", "QuarterReport",
    "QuarterlyRow", "RequestRow", "ServiceRow", "VisitRow", "activities", "applications", "branch_active",
    "branches", "briefing_owed", "briefings", "dashboard_counts", "enterprise_known", "enterprise_names",
    "enterprises", "help_plans", "in_park_among", "in_park_since", "internship_bases", "needs",
    "not_visited", "open_request_exists", "paged", "policies", "quarter", "quarterlies_of_year",
    "requests", "services", "visits", "visits_in_year",
]
