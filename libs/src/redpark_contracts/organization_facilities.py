"""Organization events: venues (阵地: 一所两平台三长廊四室), room bookings, and party-building funds (经费).

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.
"""

from __future__ import annotations

from redpark_contracts.organization import registry  # noqa: F401  (types below register on it)
