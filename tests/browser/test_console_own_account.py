""""Akun saya" in real Chromium (issue 15, item 6): a member changes their own password (a wrong
current password is refused in words, next to its field) and moves to a new authenticator whose
key is shown on that screen alone, then logs in with both."""

from __future__ import annotations

from tests.browser.console import accessibility_violations, sign_in, wait_for_queue
from tests.conftest import enrol
from tests.support.totp import fresh_code, spare_code

NEW_PASSWORD = "penyu-hijau-bertelur-9"


def test_a_member_changes_password_and_authenticator_on_akun_saya(consoles, stack):
    member = enrol(stack, "anggota.akun.saya", "anggota", work_unit="Bappeda", email="akun.saya@example.id")
    device = consoles("phone", who="anggota")
    page = device.page
    sign_in(page, member)
    page.get_by_role("link", name="Akun saya").click()
    page.wait_for_selector("#password-form")

    form = page.locator("#password-form")
    form.get_by_label("Kata sandi saat ini").fill("bukan-sandi-saya-123")
    form.get_by_label("Kode OTP").fill(spare_code(member.totp_secret))  # refused: the code stays unused
    form.get_by_label("Kata sandi baru", exact=False).first.fill(NEW_PASSWORD)
    form.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Ganti kata sandi").click()
    page.wait_for_selector("#password-errors:not([hidden])")
    assert "Kata sandi saat ini atau kode OTP salah" in page.locator("#password-errors").inner_text()
    assert form.get_by_label("Kata sandi saat ini").get_attribute("aria-invalid") == "true"
    assert accessibility_violations(page) == []
    device.picture("1-wrong-password")

    form.get_by_label("Kata sandi saat ini").fill(member.password)
    form.get_by_label("Kode OTP").fill(fresh_code(member.totp_secret))
    form.get_by_role("button", name="Ganti kata sandi").click()
    page.wait_for_function("() => document.querySelector('#password-done').textContent.includes('diganti')")
    assert page.locator("#password-errors").is_hidden()
    member.password = NEW_PASSWORD

    page.get_by_role("button", name="Buat kunci autentikator baru").click()
    page.wait_for_selector("#totp-secret")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert page.locator("#totp-uri").inner_text().startswith("otpauth://totp/")
    assert accessibility_violations(page) == []
    device.picture("2-new-authenticator")
    totp = page.locator("#totp-form")
    # The old authenticator's code first: it may wait for a step the password change did not use,
    # and a new code taken before that wait could be too old by the time the form is sent.
    old_code = fresh_code(member.totp_secret)
    totp.get_by_label("Kode dari autentikator BARU").fill(fresh_code(secret))
    totp.get_by_label("Kata sandi saat ini").fill(member.password)
    totp.get_by_label("Kode dari autentikator LAMA").fill(old_code)
    totp.get_by_role("button", name="Pakai autentikator baru").click()
    page.wait_for_function("() => document.querySelector('#totp-done')?.textContent.includes('diganti')")
    assert page.locator("#totp-secret").count() == 0  # the key left the page
    member.totp_secret = secret

    # Out and in again, with the new password and the new authenticator.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_selector("#login-view:not([hidden])")
    page.get_by_label("Nama pengguna").fill(member.user["username"])
    page.get_by_label("Kata sandi").fill(member.password)
    page.get_by_label("Kode OTP").fill(fresh_code(member.totp_secret))
    page.get_by_role("button", name="Masuk").click()
    wait_for_queue(page)
