"""Accounts in the console, in real Chromium: a new member enrols on the page the e-mail leads to
(the code leaves the address bar), waits for a ketua, who confirms them on the "Akun tim" page and
reads the audit log; an admin makes and deactivates accounts there without seeing any secret; and
the console keeps a working member's session alive and says when it ended."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from tests.browser.console import accessibility_violations, sign_in, type_login
from tests.conftest import enrol
from tests.support.enrolling import mails_to, text_of, wait_for_code
from tests.support.totp import fresh_code
from tests.support.waiting import eventually

PASSWORD = "kuda-laut-berenang-7"


def shown(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}:not([hidden])")


def test_a_new_member_enrols_in_the_console_and_a_ketua_confirms_them_there(consoles, stack, ketua):
    admin = enrol(stack, "admin.konsol", "admin")
    made = admin.post("/api/v1/users", {"username": "anggota.konsol.baru", "full_name": "Dewi Lestari",
                                        "role": "anggota", "email": "dewi.konsol@example.id", "work_unit": "Bappeda"})
    assert made.status_code == 201, made.text
    code = wait_for_code(stack, "dewi.konsol@example.id")

    device = consoles("phone", who="baru")
    page = device.page
    page.goto(f"/console/#/pendaftaran/{code}")
    page.wait_for_selector("#enrol-secret")
    assert code not in page.url and page.url.endswith("#/pendaftaran")
    assert "Dewi Lestari" in page.locator("#enrol-content").inner_text()
    assert accessibility_violations(page) == []
    device.picture("1-enrol")
    secret = page.locator("#enrol-secret").inner_text().replace(" ", "")
    assert page.locator("#enrol-uri").inner_text().startswith("otpauth://totp/")
    page.get_by_label("Kata sandi baru").fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD + "x")
    page.get_by_label("Kode OTP dari aplikasi autentikator").fill(fresh_code(secret))
    page.get_by_role("button", name="Selesaikan pendaftaran").click()
    assert "Kedua kata sandi tidak sama." in page.locator("#enrol-errors").inner_text()
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Selesaikan pendaftaran").click()
    page.wait_for_selector("#enrol-done")
    assert "menunggu konfirmasi ketua" in page.locator("#enrol-done").inner_text()
    assert page.locator("#enrol-secret").count() == 0

    page.get_by_role("link", name="Masuk ke konsol").click()
    page.wait_for_selector("#login-view:not([hidden])")
    page.get_by_label("Nama pengguna").fill("anggota.konsol.baru")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Kode OTP").fill(fresh_code(secret))
    page.get_by_role("button", name="Masuk").click()
    shown(page, "#account-waiting")
    assert page.locator("#menu-antrean").is_hidden() and page.locator("#menu-akun").is_visible()
    device.picture("2-waiting")

    desk = consoles("desk", who="ketua")
    sign_in(desk.page, ketua)
    desk.page.get_by_role("link", name="Akun tim").click()
    card = desk.page.locator("li.awaiting[data-user='anggota.konsol.baru']")
    card.get_by_role("button", name="Periksa dan konfirmasi Dewi Lestari").click()
    assert "Pastikan langsung kepada orangnya" in card.inner_text()
    assert accessibility_violations(desk.page) == []
    desk.picture("3-confirming")
    card.get_by_role("button", name="Ya, konfirmasi akun ini").click()
    desk.page.wait_for_function("() => document.querySelector('#accounts-done').textContent.includes('dikonfirmasi')")
    assert "Dewi Lestari dikonfirmasi: Anggota, unit kerja Bappeda, e-mail dewi.konsol@example.id" in \
        desk.page.locator("#accounts-done").inner_text()
    assert next(a for a in ketua.get("/api/v1/users").json()
                if a["username"] == "anggota.konsol.baru")["state"] == "active"

    desk.page.get_by_role("link", name="Log audit akun").click()
    desk.page.wait_for_selector("#audit-content tbody tr")
    log = desk.page.locator("#audit-content").inner_text()
    assert "Dikonfirmasi ketua" in log and "Pemilik menetapkan kata sandi dan TOTP" in log
    assert accessibility_violations(desk.page) == []
    desk.picture("4-audit")


def test_an_admin_makes_and_deactivates_accounts_in_the_console_and_never_sees_a_secret(consoles, stack):
    admin = enrol(stack, "admin.konsol.dua", "admin")
    device = consoles("desk")
    page = device.page
    type_login(page, admin)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("#accounts-view:not([hidden]) #accounts-create-form")  # an admin lands on the accounts
    assert page.locator("#menu-antrean").is_hidden()
    form = page.locator("#accounts-create-form")
    form.get_by_label("Nama pengguna").fill("bkppd.konsol.baru")
    form.get_by_label("Nama lengkap").fill("Rudi Hartono")
    form.get_by_label("Peran").select_option(label="BKPPD")
    form.get_by_label("Unit kerja").fill("BKPPD")
    form.get_by_label("E-mail").fill("rudi.konsol@example.id")
    form.get_by_role("button", name="Buat akun dan kirim kode pendaftaran").click()
    page.wait_for_function("() => document.querySelector('#accounts-done').textContent.includes('dibuat')")
    assert "Kode pendaftaran dikirim ke rudi.konsol@example.id" in page.locator("#accounts-done").inner_text()
    code = wait_for_code(stack, "rudi.konsol@example.id")
    assert code not in page.content()
    assert accessibility_violations(page) == []
    device.picture("made")

    row = page.locator("tr[data-user='bkppd.konsol.baru']")
    row.locator("summary").click()
    row.get_by_role("button", name="Nonaktifkan").click()
    row.get_by_role("button", name="Ya, nonaktifkan bkppd.konsol.baru").click()
    page.wait_for_function("() => document.querySelector('#accounts-done').textContent.includes('Dinonaktifkan')")
    assert "Dinonaktifkan" in page.locator("tr[data-user='bkppd.konsol.baru']").inner_text()
    told = [m for m in mails_to(stack, "rudi.konsol@example.id")]
    assert all(code not in text_of(m) or "Pendaftaran" in str(m["Subject"]) for m in told)


def test_the_console_keeps_a_working_members_session_alive_and_says_when_it_ended(consoles, stack, stack_db):
    member = enrol(stack, "anggota.konsol.sesi", "anggota", work_unit="Diskominfo")
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    token = page.evaluate("() => sessionStorage.getItem('netra.console.token')")
    hashed = hashlib.sha256(token.encode()).hexdigest()

    def move_idle_end(to: datetime) -> None:
        with stack_db.begin() as conn:
            conn.execute(text("UPDATE casework.sessions SET idle_expires_at = :t WHERE token_hash = :h"),
                         {"t": to, "h": hashed})

    def idle_end() -> datetime:
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT idle_expires_at FROM casework.sessions WHERE token_hash = :h"),
                                {"h": hashed}).scalar_one()

    move_idle_end(datetime.now(UTC) + timedelta(minutes=10))  # as if the member had read for twenty minutes

    def working() -> bool:
        page.locator("#queue-title").press("Tab")  # the member at work: keys, not requests
        return idle_end() > datetime.now(UTC) + timedelta(minutes=25)

    eventually(working, timeout=60, interval=1, message="the console renewing the session")

    move_idle_end(datetime.now(UTC) - timedelta(seconds=1))

    def told() -> bool:
        page.keyboard.press("Shift+Tab")
        return page.locator("#login-view").is_visible()

    eventually(told, timeout=60, interval=1, message="the console noticing the session ended")
    assert "Sesi Anda berakhir karena tidak dipakai selama 30 menit." in page.locator("#notice").inner_text()
    device.picture("ended")


def test_an_admin_changes_a_role_and_an_e_mail_and_resets_an_enrolment_in_the_console(consoles, stack, ketua):
    """The rest of the admin's screen (docs/permissions.md, decisions 0005-0006): a role or an
    e-mail changed waits for a ketua's confirmation again; a reset enrolment sends a new code."""
    admin = enrol(stack, "admin.konsol.tiga", "admin")
    member = enrol(stack, "anggota.dikelola", "anggota", email="dikelola.lama@example.id", full_name="Yusuf Dikelola")
    device = consoles("desk")
    page = device.page
    type_login(page, admin)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("#accounts-view:not([hidden]) #accounts-create-form")
    row = page.locator("tr[data-user='anggota.dikelola']")

    def account() -> dict:
        return next(a for a in ketua.get("/api/v1/users").json() if a["username"] == "anggota.dikelola")

    def managed(action) -> None:
        row.locator("summary").click()
        before = page.locator("#accounts-done").inner_text()
        action()
        page.wait_for_function("(before) => { const t = document.querySelector('#accounts-done').textContent;"
                               " return t && t !== before; }", arg=before)

    managed(lambda: (row.get_by_label("Peran baru untuk anggota.dikelola").select_option(label="Sekretaris"),
                     row.get_by_role("button", name="Ubah peran").click()))
    assert "menunggu konfirmasi ketua" in page.locator("#accounts-done").inner_text().lower()
    assert (account()["role"], account()["state"]) == ("sekretaris", "awaiting_confirmation")

    managed(lambda: (row.get_by_label("E-mail baru untuk anggota.dikelola").fill("dikelola.baru@example.id"),
                     row.get_by_role("button", name="Ubah e-mail").click()))
    assert "E-mail akun anggota.dikelola diubah menjadi dikelola.baru@example.id" in \
        page.locator("#accounts-done").inner_text()
    assert account()["email"] == "dikelola.baru@example.id"

    managed(lambda: (row.get_by_role("button", name="Atur ulang pendaftaran").click(),
                     row.get_by_role("button", name="Ya, atur ulang pendaftaran anggota.dikelola").click()))
    assert account()["state"] == "invited"
    code = wait_for_code(stack, "dikelola.baru@example.id")
    assert code not in page.content() and member.user["user_id"] == account()["user_id"]
    assert accessibility_violations(page) == []
    device.picture("managed")
