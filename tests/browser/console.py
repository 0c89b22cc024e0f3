"""What a team member does in the console, step by step, for the browser tests to reuse."""

from __future__ import annotations

from tests.browser.portal import accessibility_violations, horizontal_overflow
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.totp import fresh_code

__all__ = ["accessibility_violations", "horizontal_overflow"]

IMAGE_SHOWN = """(selector) => { const img = document.querySelector(selector);
  return Boolean(img && img.complete && img.naturalWidth > 0 && img.src.startsWith("blob:")); }"""


def type_login(page, member) -> None:
    page.goto("/console/")
    fill_login(page, member)


def fill_login(page, member) -> None:
    page.wait_for_selector("#login-view:not([hidden])")
    form = page.locator("#login-form")  # "Akun saya" has password fields of its own
    form.get_by_label("Nama pengguna").fill(member.user["username"])
    form.get_by_label("Kata sandi").fill(member.password)
    form.get_by_label("Kode OTP").fill(fresh_code(member.totp_secret))


def sign_in(page, member) -> None:
    """Username, password and a one-time code, as the member types them; the queue opens."""
    type_login(page, member)
    page.get_by_role("button", name="Masuk").click()
    wait_for_queue(page)


def wait_for_queue(page) -> None:
    page.wait_for_selector("#queue-view:not([hidden])")
    page.wait_for_selector("#queue-results:not([aria-busy])", state="attached")
    page.wait_for_function("() => document.querySelector('#queue-count').textContent.trim() !== ''")


def open_case(page, case_id: str) -> None:
    page.evaluate("id => { location.hash = '#/kasus/' + id; }", case_id)
    wait_for_case_file(page)


def wait_for_case_file(page) -> None:
    page.wait_for_selector("#case-view:not([hidden]) #case-title")
    page.wait_for_selector("#case-content:not([aria-busy])")


def run_command(page, command: str, fill: dict | None = None, choose: dict | None = None) -> None:
    """Open a command's form, fill it by its labels, send it; the case file reloads."""
    box = page.locator(f"details[data-command={command}]")
    if not box.evaluate("details => details.open"):
        box.locator("summary").click()
    for label, text in (fill or {}).items():
        box.get_by_label(label).fill(text)
    for label, option in (choose or {}).items():
        box.get_by_label(label).select_option(label=option)
    box.locator("button[type=submit]").click()


def wait_for_notice(page, text: str) -> str:
    notice = page.locator("#case-notice")
    notice.wait_for(state="visible")
    page.wait_for_function("t => document.querySelector('#case-notice').textContent.includes(t)", arg=text)
    return notice.inner_text()


def case_filed_with_screenshot(stack, stack_db, client, seed: int, **overrides) -> dict:
    """A complaint filed through intake with one screenshot, once its case holds the screenshot."""
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(**overrides),
                            [("tangkapan-layar.png", complaints.png(640, 480, seed=seed))]).json()
    return wait_for_case(client, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])), screenshots=1)


def kept_in_the_browser(page) -> dict:
    return page.evaluate("""() => ({ url: location.href, local: Object.keys(localStorage),
        session: Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)])),
        cookies: document.cookie })""")
