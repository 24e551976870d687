"""The application layer: gather the facts a command needs (the roster from the read model, the
state of other streams), stamp the time, run the decider, store the events. One module per area
(`programme`, `study`, `guarantees`); read-model SQL stays in `queries/`.

The roster trails the organization's store by the time its events take to arrive: a member placed
in a branch a moment ago may not be on it yet, and is refused as not on the roster until then.
"""

from __future__ import annotations

from dataclasses import dataclass

from .guarantees import GuaranteeCommands
from .programme import ProgrammeCommands
from .study import StudyCommands


@dataclass
class Education(ProgrammeCommands, StudyCommands, GuaranteeCommands):
    """What the routes use, found on the runtime by type (`runtime.layer(Education)`)."""
