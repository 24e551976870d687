"""Reads of the read models (and, for personal fields, of the sealed store), one module per area.
The edges (api/, pages/) call them for lists and views; the application calls them only for the
counts a command carries as facts.

    park.py           enterprises, branches, the general branch, names for the exported ledgers
    rosters.py        members, transfers, and the member counts commands carry as facts
    dues.py           dues arrears per member and branch
    development.py    the development pipeline and the year's quota
    census.py         the census snapshot, the contacts ledger, grid plans
    console.py        the staff console's views
    dashboard.py      the dashboard's figures over time
    followups.py      pending transfer-in follow-ups
    property.py       the property system's mapping tables
    governance.py     rules, inspections, rectifications, meetings, record books
    recognition.py    reviews, talks, posts, nominations
    facilities.py     venues, bookings, budgets, spending
    assessment.py     the assessment's facts, live and closed scorecards, award eligibility
    personal.py       phone and ID number, masked unless the caller may see them
"""

from __future__ import annotations

import asyncpg

# A pool or, inside a transaction, one of its connections: every read takes either.
Db = asyncpg.Pool | asyncpg.Connection
