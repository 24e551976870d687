"""Which categories an enterprise falls in, from the organization's profile of it.

Policies and briefings are addressed by category (老任说: every new enterprise hears the policies
that apply to it). 小微企业 here means at most `SMALL_HEADCOUNT` staff, the usual line for the
small-business support schemes the park helps with.
"""

from __future__ import annotations

from redpark_contracts.enterprise_support import EnterpriseCategory

SMALL_HEADCOUNT = 50


def categories_of(is_tech_enterprise: bool, headcount: int) -> list[EnterpriseCategory]:
    out: list[EnterpriseCategory] = ["any_enterprise",
                                     "tech_enterprise" if is_tech_enterprise else "non_tech_enterprise"]
    if headcount <= SMALL_HEADCOUNT:
        out.append("small_enterprise")
    return out


def applies(applies_to: list[str], categories: list[str]) -> bool:
    return not set(applies_to).isdisjoint(categories)
