"""Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) driven by Playwright.

Every page a test looks at is saved as a PNG under test-output/browser/, and a test fails
if the page logs an error or throws, so broken scripts cannot hide behind a passing click.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags the machine needs: root (no sandbox), no GPU, and no calls home (the network is closed).
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXPECTED_REFUSAL = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's package (make browser-deps).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Phone:
    """One page on a phone-sized screen, with what it logged and a way to keep pictures of it."""

    def __init__(self, page, folder: Path, name: str):
        self.page = page
        self.folder = folder
        self.name = name
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _console(self, message) -> None:
        # Chromium logs every 4xx answer; the portal expects those (refusals it shows in words).
        if message.type == "error" and not EXPECTED_REFUSAL.search(message.text):
            self.problems.append(f"console: {message.text}")

    def picture(self, what: str) -> Path:
        path = self.folder / f"{self.name}-{what}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def phone(chromium, stack, test_output, request):
    folder = test_output / "browser"
    folder.mkdir(exist_ok=True)
    context = chromium.new_context(**PHONE, accept_downloads=True, base_url=stack.settings.url("intake"))
    page = context.new_page()
    page.set_default_timeout(15_000)
    device = Phone(page, folder, re.sub(r"\W+", "-", request.node.name).strip("-"))
    yield device
    context.close()
    assert device.problems == [], device.problems
