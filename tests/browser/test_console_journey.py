"""The monitoring team works a complaint through the console in real Chromium: the lead finds it
in the queue, sees its screenshot through a grant, assigns it, verifies and proposes; a second
member confirms (the two-person rule); the lead forwards it to BKPPD and takes the dossier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.console import (
    IMAGE_SHOWN,
    accessibility_violations,
    case_filed_with_screenshot,
    horizontal_overflow,
    kept_in_the_browser,
    open_case,
    run_command,
    sign_in,
    wait_for_case_file,
    wait_for_notice,
    wait_for_queue,
)
from tests.conftest import enrol

REPORTED = {"name": "Hendra Wijaya", "nip": "198703152010011002", "position": "Guru",
            "work_unit": "Dinas Pendidikan", "kecamatan": "Bengkalis"}


@pytest.fixture(scope="module")
def team(stack):
    return {"ketua": enrol(stack, "ketua.konsol", "ketua", work_unit="Diskominfo", full_name="Rahmat Hidayat"),
            "sekretaris": enrol(stack, "sekretaris.konsol", "sekretaris", work_unit="Diskominfo",
                                full_name="Dewi Lestari"),
            "anggota": enrol(stack, "anggota.konsol", "anggota", work_unit="Diskominfo", full_name="Andi Saputra")}


def in_wib(iso: str) -> str:
    """HH.MM of a moment in WIB, as the Indonesian locale writes a time."""
    moment = datetime.fromisoformat(iso).astimezone(UTC) + timedelta(hours=7)
    return f"{moment.hour:02d}.{moment.minute:02d}"


def test_a_complaint_goes_from_the_queue_to_bkppd_with_two_members_agreeing(consoles, stack, stack_db, team):
    lead, second = team["ketua"], team["sekretaris"]
    case = case_filed_with_screenshot(stack, stack_db, lead, seed=901, reported=REPORTED)
    number = case["case_number"]
    desk = consoles("desk", who="ketua")
    page = desk.page
    sign_in(page, lead)
    assert accessibility_violations(page) == []
    desk.picture("1-queue")

    # The queue, searched and filtered: the new case is there, in words.
    filters = page.locator("#queue-filters")
    filters.get_by_label("Cari").fill(number)
    filters.get_by_label("Tahap").select_option(label="Dibuka")
    filters.get_by_label("Platform").select_option(label="Facebook")
    filters.get_by_role("button", name="Terapkan").click()
    page.wait_for_function("() => document.querySelector('#queue-count').textContent.includes('dari 1 kasus')")
    row = page.locator("table.queue tbody tr")
    assert row.count() == 1
    shown = row.inner_text()
    assert "Dibuka" in shown and "Hendra Wijaya" in shown and "Dinas Pendidikan" in shown and "Facebook" in shown
    assert "Belum ditugaskan" in shown
    desk.picture("2-queue-filtered")
    page.get_by_role("link", name=number).click()
    wait_for_case_file(page)
    assert page.locator("#case-title").inner_text() == f"Kasus {number}"
    opened = page.locator(".facts").first.inner_text()
    assert in_wib(case["opened_at"]) in opened and "WIB" in opened  # the browser's own zone is Berlin

    # The screenshot: its thumbnail, then the clean copy, each through a grant to evidence.
    page.wait_for_function(IMAGE_SHOWN, arg="button.thumb img")
    page.locator("button.thumb").first.click()
    purpose = page.get_by_label("Keperluan membuka bukti")
    assert purpose.input_value() == f"Memeriksa bukti kasus {number}"
    purpose.fill(f"Memeriksa bukti kasus {number} sebelum penugasan")
    page.get_by_role("button", name="Tampilkan bukti").click()
    page.wait_for_function(IMAGE_SHOWN, arg="#evidence-image")
    assert page.evaluate("document.querySelector('#evidence-image').naturalWidth") > 0
    assert page.locator("#viewer-original-warning").is_visible()  # a ketua may open the original, warned
    assert accessibility_violations(page) == []
    assert horizontal_overflow(page) <= 0
    desk.picture("3-case-with-screenshot")

    # Assign, verify, propose: each command carries the version on screen.
    run_command(page, "assign", choose={"Petugas": "Andi Saputra (Anggota, Diskominfo)"})
    assert "Tahap sekarang: Ditugaskan" in wait_for_notice(page, "Berhasil: Tugaskan petugas")
    run_command(page, "start_verification")
    wait_for_notice(page, "Tahap sekarang: Sedang diverifikasi")
    run_command(page, "propose_violation", fill={
        "Temuan": "Membagikan poster kampanye pasangan calon nomor 2 di akun pribadinya.",
        "Dasar hukum": "PP 94/2021 Pasal 5 huruf n"}, choose={"Tingkat sanksi": "Hukuman disiplin sedang"})
    wait_for_notice(page, "Tahap sekarang: Pelanggaran diusulkan")
    confirm = page.locator("details[data-command=confirm_violation]")
    confirm.locator("summary").click()
    assert "Aturan dua orang" in confirm.inner_text() and confirm.locator("button[type=submit]").count() == 0
    desk.picture("4-proposed-waiting-for-a-second-member")

    # A second member, at another desk, confirms.
    other = consoles("desk", who="sekretaris")
    sign_in(other.page, second)
    open_case(other.page, case["case_id"])
    assert "Usulan pelanggaran" in other.page.locator("#case-content").inner_text()
    run_command(other.page, "confirm_violation")
    wait_for_notice(other.page, "Tahap sekarang: Pelanggaran dikonfirmasi")
    other.picture("5-confirmed")

    # The lead sees it, forwards it, and takes the dossier for BKPPD.
    page.get_by_role("button", name="Muat ulang kasus", exact=True).click()
    wait_for_case_file(page)
    run_command(page, "forward_to_bkppd")
    wait_for_notice(page, "Tahap sekarang: Diteruskan ke BKPPD")
    history = page.locator(".timeline").inner_text()
    for said in ("Kasus dibuka", "Petugas ditugaskan", "Verifikasi dimulai", "Pelanggaran diusulkan",
                 "Pelanggaran dikonfirmasi anggota kedua", "oleh Dewi Lestari (Sekretaris)", "Diteruskan ke BKPPD"):
        assert said in history, said
    # Who looked at the screenshot is in the access log, not in the history of changes.
    assert "Bukti dilihat" not in history and "Bukti dilihat" in page.locator(".access-log").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh berkas untuk BKPPD (PDF)").click()
    assert download.value.suggested_filename == f"berkas-kasus-{number}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert accessibility_violations(page) == []
    desk.picture("6-forwarded")

    # Nothing but the token stays in the browser, and never in the address.
    kept = kept_in_the_browser(page)
    assert kept["local"] == [] and kept["cookies"] == "" and list(kept["session"]) == ["netra.console.token"]
    assert kept["session"]["netra.console.token"] not in kept["url"]


def test_a_command_on_a_case_someone_else_changed_is_refused_in_words_and_offers_a_reload(
        consoles, stack, stack_db, team, anggota):
    lead = team["ketua"]
    case = case_filed_with_screenshot(stack, stack_db, lead, seed=902)
    desk = consoles("desk")
    page = desk.page
    sign_in(page, lead)
    open_case(page, case["case_id"])

    # Meanwhile, at another desk, the sekretaris assigns it.
    changed = team["sekretaris"].command(case["case_id"], "assign", case["version"],
                                         assignee_id=anggota.user["user_id"])
    assert changed.status_code == 200, changed.text

    run_command(page, "dismiss", choose={"Alasan tidak dilanjutkan": "Bukti tidak cukup"})
    refusal = page.locator("details[data-command=dismiss] .error-summary")
    refusal.wait_for(state="visible")
    said = refusal.inner_text()
    assert "telah diubah orang lain" in said and f"Anda melihat versi {case['version']}" in said
    assert "Perintah Anda tidak dijalankan" in said
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert accessibility_violations(page) == []
    desk.picture("stale-version")
    refusal.get_by_role("button", name="Muat ulang kasus").click()
    wait_for_case_file(page)
    assert "Uji anggota anggota.kedua" in page.locator(".facts").first.inner_text()
    assert page.locator("details[data-command=dismiss]").count() == 1

    # Fields the API refuses are named next to themselves.
    run_command(page, "dismiss")
    page.locator("details[data-command=dismiss] .error").first.wait_for()
    assert page.locator("#cmd-dismiss-reason").get_attribute("aria-invalid") == "true"
    assert "Wajib diisi." in page.locator("details[data-command=dismiss] .field").first.inner_text()
    desk.picture("field-refused")
    page.get_by_role("link", name="Kembali ke antrean").click()
    wait_for_queue(page)
