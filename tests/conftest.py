"""How the whole-system tests share the two workers of the suite (pytest-xdist)."""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadFileScheduling


class FilesButOnePlatform(LoadFileScheduling):
    """A test file per worker at a time, except the browser tests: they share one platform started
    by `up` (a session fixture), and two workers would each start one at the same time."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return "tests/browser" if path.startswith("tests/browser/") else path


def pytest_xdist_make_scheduler(config: Any, log: Any) -> FilesButOnePlatform:
    return FilesButOnePlatform(config, log)
