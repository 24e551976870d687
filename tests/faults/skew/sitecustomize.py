"""The fault suite's version skew: a service started with code one event version behind.

`up` passes its environment to every process it starts; the suite starts `up` with this folder on
PYTHONPATH, so each of those processes imports this module first. It does nothing unless the file
named by REDPARK_FAULTS_SKEW_FILE exists and names this process's service (the only service whose
database variable the process has), a source service and an event type: `<service> <source> <key>`.
Then this process's code reads that event type only below its current version, as code released
before the producer's newest version would (the same skew `libs/tests/test_version_skew.py` makes
with two registries): the read models that want it wait for an upgrade.
"""

from __future__ import annotations

import os


def _skew() -> None:
    flag = os.environ.get("REDPARK_FAULTS_SKEW_FILE", "")
    if not flag or not os.path.exists(flag):
        return
    with open(flag, encoding="utf-8") as f:
        service, source, key = f.read().split()
    if f"REDPARK_{service.upper().replace('-', '_')}_DATABASE_URL" not in os.environ:
        return
    from redpark_platform.events import EventRegistry

    can_read = EventRegistry.can_read

    def one_version_behind(self: EventRegistry, k: str, version: int) -> bool:
        if self.service == source and k == key:
            return version < self.by_key(k).version and can_read(self, k, version)
        return can_read(self, k, version)

    EventRegistry.can_read = one_version_behind  # type: ignore[method-assign]


_skew()
