"""How the whole-system tests share the two workers of the suite (pytest-xdist), and the fault
suite's table in the closing summary."""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadFileScheduling

# Tests that start a whole platform with `up` and keep it for the folder: one worker runs the folder.
ONE_PLATFORM_EACH = ("tests/browser/", "tests/faults/")


class FilesButOnePlatform(LoadFileScheduling):
    """A test file per worker at a time, except the browser tests and the fault suite: each shares one
    platform started by `up`, and two workers would each start one at the same time."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return next((folder for folder in ONE_PLATFORM_EACH if path.startswith(folder)), path)


def pytest_xdist_make_scheduler(config: Any, log: Any) -> FilesButOnePlatform:
    return FilesButOnePlatform(config, log)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fault suite's one line per fault (`record_property("fault_table", ...)`), also when it ran
    on a worker, whose own output is not shown."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            table = dict(getattr(report, "user_properties", ())).get("fault_table")
            if table and getattr(report, "when", "") == "call":
                terminalreporter.write_sep("-", f"faults ({outcome})")
                terminalreporter.write_line(table)
