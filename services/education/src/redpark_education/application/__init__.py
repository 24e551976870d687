"""The application layer: gather the facts a command needs (the roster from the read model, the
state of other streams), stamp the time, run the decider, store the events. One module per area
(`programme`, `study`, `guarantees`); read-model SQL stays in `queries/`.

The roster trails the organization's store by the time its events take to arrive: a member placed
in a branch a moment ago may not be on it yet, and is refused as not on the roster until then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from .guarantees import GuaranteeCommands
from .programme import ProgrammeCommands
from .study import StudyCommands

EXTRA_KEY = "education"


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass
class Education(ProgrammeCommands, StudyCommands, GuaranteeCommands):
    """What the routes use, kept in `runtime.extras["education"]`."""

    extras_key = EXTRA_KEY
