"""Reads of the read models (and, for personal fields, of the sealed store), one module per area.
The edges (api/, pages/) call them for lists and views; the application calls them only for the
counts a command carries as facts.

    organization.py   park, rosters, dues arrears, development pipeline, census contacts, the grid,
                      and the staff console's views
    governance.py     rules, inspections, rectifications, meetings, record books
    recognition.py    reviews, talks, posts, nominations
    facilities.py     venues, bookings, budgets, spending
    assessment.py     the assessment's facts, live and closed scorecards, award eligibility
    personal.py       phone and ID number, masked unless the caller may see them
"""
