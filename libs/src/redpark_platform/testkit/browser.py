"""Browser tests: the machine's Chromium driven by Playwright for Python (its SYNC API).

Fixtures (registered with the other test-kit fixtures):
- `browser` (module): one headless Chromium per test module, Debian's `/usr/bin/chromium` (or
  `REDPARK_CHROMIUM`). Playwright never downloads a browser here (no `playwright install`):
  `redpark.py test` installs the distribution's package when it is missing. No Chromium is a
  failure, not a skip: the browser tests are part of the suite.
- `new_page(device="phone" | "laptop", **context_options)`: a page in a fresh context (own
  cookies), closed after the test.
- `screenshot(page, name)`: a full-page PNG in `<repo>/test-artifacts/screenshots/<name>.png`
  (git-ignored), for people to look at; returns its path.

The sync API because browser tests are plain (not async) test functions: the platform under test
runs in other processes, so the test has no event loop of its own to share. While it runs, the sync
API keeps an asyncio loop marked running in the main thread, which breaks every async test
(pytest-asyncio) after it; hence one browser per module, stopped before the next module's tests,
not one for the whole session.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
DEVICES: dict[str, dict[str, Any]] = {
    # A common mid-size phone: what a citizen registers with.
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True, "locale": "zh-CN"},
    "laptop": {"viewport": {"width": 1366, "height": 800}, "locale": "zh-CN"},
}
SCREENSHOTS = Path("test-artifacts") / "screenshots"


def chromium_path() -> str:
    return os.environ.get("REDPARK_CHROMIUM") or CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if not Path(executable).exists():
        pytest.fail(f"no Chromium at {executable}: install it (Debian: `apt-get install chromium`, which "
                    "`python3 deploy/redpark.py test` does when run as root) or set REDPARK_CHROMIUM",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def make(device: str = "phone", **options: Any) -> Any:
        context = browser.new_context(**{**DEVICES[device], **options})
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def save_screenshot(page: Any, name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^\w.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    folder = Path(request.config.rootpath) / SCREENSHOTS

    def take(page: Any, name: str) -> Path:
        return save_screenshot(page, name, folder)

    return take
