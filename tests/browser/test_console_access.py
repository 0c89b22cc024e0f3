"""The console for everyone at the desk and on a phone: a login with the keyboard alone, a focus
ring one can see, labels and contrast that pass axe on every page, no sideways scrolling at 360
pixels; refusals of the login in words; an ended session back at the login screen; and nothing
but the token kept, only until logout."""

from __future__ import annotations

import pytest
import requests

from tests.browser.console import (
    accessibility_violations,
    case_filed_with_screenshot,
    fill_login,
    horizontal_overflow,
    kept_in_the_browser,
    open_case,
    sign_in,
    type_login,
    wait_for_queue,
)
from tests.browser.portal import focus_rings, tab_to
from tests.conftest import enrol
from tests.support.totp import fresh_code


@pytest.fixture
def member(stack, request):
    """An account of its own for each test: a one-time code logs in once, so tests never queue for one."""
    name = request.node.name.removeprefix("test_")[:24].rstrip("_").replace("_", ".")
    return enrol(stack, f"akses.{name}", "anggota", work_unit="Diskominfo", full_name="Siti Aminah")


def faint(rings: list[dict]) -> list[dict]:
    return [r for r in rings if not r["shown"] or r["width"] < 2 or r["contrast"] < 3]


def test_a_member_logs_in_with_the_keyboard_alone_on_a_phone(consoles, member):
    device = consoles("phone")
    page = device.page
    page.goto("/")  # casework's root leads to the console
    page.wait_for_selector("#login-view:not([hidden])")
    assert page.url.endswith("/console/")
    assert horizontal_overflow(page) <= 0
    assert accessibility_violations(page) == []
    device.picture("1-login")
    for selector, text in (("#login-username", member.user["username"]), ("#login-password", member.password),
                           ("#login-otp", fresh_code(member.totp_secret))):
        tab_to(page, selector)
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_for_queue(page)
    assert page.evaluate("document.activeElement.id") == "queue-title"  # the new page is announced
    tab_to(page, "#menu a[href='#/akun']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#account-view:not([hidden]) #account-details dd")
    assert member.user["username"] in page.locator("#account-details").inner_text()
    device.picture("2-account-by-keyboard")


def test_every_control_shows_a_focus_ring_that_stands_out(consoles, member):
    device = consoles("desk")
    page = device.page
    page.goto("/console/")
    page.wait_for_selector("#login-view:not([hidden])")
    rings = focus_rings(page)
    assert len(rings) >= 4, rings  # skip link, three fields, the button
    assert faint(rings) == [], faint(rings)
    sign_in(page, member)
    rings = focus_rings(page)
    assert len(rings) > 15, [r["control"] for r in rings]  # the menu, the filters, the queue
    assert faint(rings) == [], faint(rings)
    tab_to(page, "#menu a[href='#/statistik']")
    device.picture("focus-on-the-menu")


def test_every_page_reads_on_a_phone_and_passes_axe(consoles, stack, stack_db, member, ketua):
    case = case_filed_with_screenshot(stack, stack_db, ketua, seed=911)
    device = consoles("phone")
    page = device.page
    sign_in(page, member)
    pages = {"queue": "#/antrean", "statistics": "#/statistik", "file-a-case": "#/kasus-baru", "account": "#/akun"}
    for name, route in pages.items():
        page.evaluate("r => { location.hash = r; }", route)
        page.wait_for_selector(f"#menu a[href='{route}'][aria-current=page]")
        page.wait_for_selector("[aria-busy]", state="detached")
        assert horizontal_overflow(page) <= 0, f"{name} is wider than a 360-pixel phone"
        assert accessibility_violations(page) == [], name
        device.picture(name)
    open_case(page, case["case_id"])
    page.wait_for_selector("button.thumb img[src^='blob:']")
    page.locator("button.thumb").first.click()
    page.wait_for_selector("#viewer-purpose")
    assert page.locator("#viewer-copy-original").count() == 0  # an anggota sees only clean copies
    assert horizontal_overflow(page) <= 0, "the case file is wider than a 360-pixel phone"
    assert accessibility_violations(page) == []
    device.picture("case")


def test_a_wrong_code_and_too_many_tries_are_said_in_words(consoles, stack):
    locked = enrol(stack, "anggota.terkunci.konsol", "anggota", work_unit="Diskominfo")
    device = consoles("desk")
    page = device.page
    type_login(page, locked)
    page.get_by_label("Kode OTP").fill("12345")
    page.get_by_role("button", name="Masuk").click()
    assert "Kode OTP harus 6 angka." in page.locator("#login-errors").inner_text()
    assert page.locator("#login-otp").get_attribute("aria-invalid") == "true"
    answers = []
    while not answers or (answers[-1] == 401 and len(answers) < 8):  # past the allowance of 5
        page.get_by_label("Kata sandi").fill("bukan-sandinya-123")
        page.get_by_label("Kode OTP").fill("000000")
        with page.expect_response(lambda r: r.url.endswith("/api/v1/auth/login")) as answer:
            page.get_by_role("button", name="Masuk").click()
        answers.append(answer.value.status)
        page.wait_for_selector("#login-submit:not([disabled])")  # the answer is on the page
        said = page.locator("#login-errors").inner_text()
        if answers[-1] == 401:
            assert "Nama pengguna, kata sandi, atau kode OTP salah." in said
    assert answers[-1] == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in said and "Coba lagi dalam" in said
    assert page.locator("#login-otp").input_value() == ""  # a code is good for one try only
    assert accessibility_violations(page) == []
    device.picture("locked-out")


def test_an_ended_session_returns_to_the_login_and_logging_out_leaves_nothing(consoles, stack, member):
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    token = kept_in_the_browser(page)["session"]["netra.console.token"]
    ended = requests.post(f"{stack.settings.url('casework')}/api/v1/auth/logout", timeout=10,
                          headers={"Authorization": f"Bearer {token}"})
    assert ended.status_code == 200
    page.get_by_role("link", name="Statistik").click()
    page.wait_for_selector("#login-view:not([hidden])")
    assert "Sesi ini sudah diakhiri (keluar)" in page.locator("#notice").inner_text()
    assert kept_in_the_browser(page)["session"] == {}
    device.picture("session-ended")

    # Back in, the member lands where they were going; out again, nothing is left.
    fill_login(page, member)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("#stats-view:not([hidden]) .chart")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_selector("#login-view:not([hidden])")
    assert "Anda telah keluar" in page.locator("#notice").inner_text()
    kept = kept_in_the_browser(page)
    assert kept["session"] == {} and kept["local"] == [] and kept["cookies"] == ""


def test_a_session_check_answered_after_logging_out_does_not_say_the_session_ended(consoles, member):
    """The console checks the session on a timer while the member works. A check sent just before
    "Keluar" is answered 401 after the logout: it must not turn the member's own logout into "Sesi
    Anda telah berakhir", nor send the next login back to the page they left instead of the queue."""
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    page.get_by_role("link", name="Akun saya").click()
    page.wait_for_selector("#password-form")

    held = []
    page.route("**/api/v1/auth/session", lambda route: held.append(route))  # held until the logout is done
    with page.expect_request("**/api/v1/auth/session"):
        page.evaluate("() => { Netra.api.get('/api/v1/auth/session').catch(() => {}); }")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_selector("#login-view:not([hidden])")
    with page.expect_response("**/api/v1/auth/session") as late:
        held[0].continue_()
    page.unroute("**/api/v1/auth/session")
    assert late.value.status == 401  # the check's session had ended by the time it arrived
    page.wait_for_timeout(300)  # the console's answer to the 401, if it had one
    assert "Anda telah keluar" in page.locator("#notice").inner_text()

    fill_login(page, member)
    page.get_by_role("button", name="Masuk").click()
    wait_for_queue(page)
    device.picture("late-check-after-logout")
