"""Demo data and simulators, kept apart from the service's production code: no production module
imports it. `load` is the entry point the local stack calls for every service
(`<package>.demo.load(url, token)`).

    park.py               the demo park (zones, enterprises, branches, members, dues, development)
    branch_life.py        a year of the branches' rulebooks, inspections and meetings
    governance.py         the park's venues (阵地)
    simulate_property.py  the property-management system's signed webhook traffic (CLI and functions):
                          python -m redpark_organization.demo.simulate_property --url URL --secret-file F
"""

from __future__ import annotations

from .park import load, plan

__all__ = ["load", "plan"]
