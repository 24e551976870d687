"""The application layer, one module per area: each builds the commands of its area (filling in the
facts owned by other streams), stamps them with the clock's `now`, and hands them to the runtime.
Reads of the read models live in `queries/`; the rules themselves in the pure deciders of `domain/`.

    organization.py   zones, buildings, enterprises, branches, the general branch, members, dues,
                      development, census contacts, the grid
    governance.py     the rulebook, inspections and rectifications, meetings
    recognition.py    the three-way review, posts, awards
    facilities.py     venues and bookings, funds
    assessment.py     the quarterly assessment and the departments
    followups.py      pending transfer-in follow-ups
"""
