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
# The team works at a desk; the console must still read on a phone (PHONE). The machine's own zone
# is not WIB, so a time the console shows in WIB is WIB because the console made it so.
DESK = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID", "timezone_id": "Europe/Berlin"}


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


class Consoles:
    """Browsers on casework's team console, each its own context (its own sessionStorage, as two
    people at two desks), checked for errors they logged when the test ends."""

    SIZES = {"desk": DESK, "phone": PHONE}

    def __init__(self, chromium, base_url: str, folder: Path, name: str):
        self.chromium, self.base_url, self.folder, self.name = chromium, base_url, folder, name
        self.opened: list[tuple[object, Phone]] = []

    def __call__(self, size: str = "desk", who: str = "") -> Phone:
        context = self.chromium.new_context(**self.SIZES[size], accept_downloads=True, base_url=self.base_url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        device = Phone(page, self.folder, f"{self.name}-{who}" if who else self.name)
        self.opened.append((context, device))
        return device

    def close(self) -> list[str]:
        for context, _ in self.opened:
            context.close()
        return [problem for _, device in self.opened for problem in device.problems]


@pytest.fixture
def consoles(chromium, stack, test_output, request):
    """`consoles("desk"|"phone", who="")` opens a console; pictures go to
    test-output/browser/console-<test>[-who]-<what>.png."""
    folder = test_output / "browser"
    folder.mkdir(exist_ok=True)
    name = "console-" + re.sub(r"\W+", "-", request.node.name.removeprefix("test_")).strip("-")
    opened = Consoles(chromium, stack.settings.url("casework"), folder, name)
    yield opened
    problems = opened.close()
    assert problems == [], problems
