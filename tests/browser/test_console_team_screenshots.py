""""Catat kasus" with a screenshot in real Chromium (issue 15, item 5; docs/decisions/0025): a file that
is no image is refused in words next to its field and nothing is filed; a PNG is handed in with the
case, evidence keeps it, and the case file shows its thumbnail; "Tambah tangkapan layar" adds another."""

from __future__ import annotations

from tests.browser.console import IMAGE_SHOWN, accessibility_violations, sign_in, wait_for_case_file, wait_for_notice
from tests.conftest import enrol
from tests.support import complaints


def test_a_member_files_a_case_with_a_screenshot_on_catat_kasus(consoles, stack):
    member = enrol(stack, "anggota.layar.konsol", "anggota", work_unit="Diskominfo")
    device = consoles("desk")
    page = device.page
    sign_in(page, member)
    page.get_by_role("link", name="Catat kasus").click()
    form = page.locator("#file-form")
    form.get_by_label("Nama ASN").fill("Samsul Bahri Layar")
    form.get_by_label("Platform").select_option(label="Facebook")
    form.get_by_label("Tanggal kejadian").fill("2026-11-04")
    form.get_by_label("Jam (WIB)").fill("09:30")
    form.get_by_label("Membagikan").check()
    form.get_by_label("Uraian").fill("Membagikan poster kampanye pasangan calon di akun pribadinya.")
    shots = form.get_by_label("Tangkapan layar")
    shots.set_input_files([{"name": "catatan.png", "mimeType": "image/png", "buffer": b"bukan gambar"}])
    form.get_by_role("button", name="Catat kasus").click()
    summary = page.locator("#file-errors")
    summary.wait_for()
    assert "\u201ccatatan.png\u201d bukan gambar PNG, JPEG, atau WebP" in summary.inner_text()
    assert "Tidak ada yang dicatat" in summary.inner_text()
    assert shots.get_attribute("aria-invalid") == "true"
    assert page.locator("#case-view").is_hidden()
    assert accessibility_violations(page) == []
    device.picture("refused")

    shots.set_input_files([{"name": "bukti.png", "mimeType": "image/png", "buffer": complaints.png(seed=2511)}])
    form.get_by_role("button", name="Catat kasus").click()
    wait_for_case_file(page)
    said = wait_for_notice(page, "telah dicatat")
    assert said.startswith("Kasus NTR-") and "dengan 1 tangkapan layar" in said, said
    page.wait_for_function(IMAGE_SHOWN, arg="button.thumb img")
    assert "diunggah tim" in page.locator("#case-content").inner_text()
    device.picture("filed")

    more = page.locator("#add-screenshots-form")
    more.get_by_label("Tambah tangkapan layar").set_input_files(
        [{"name": "bukti-2.jpg", "mimeType": "image/jpeg", "buffer": complaints.png(seed=2512)}])
    more.get_by_role("button", name="Simpan tangkapan layar").click()
    page.wait_for_selector("#add-screenshots-errors:not([hidden])")  # a PNG called .jpg: evidence says so
    assert "tidak sesuai dengan jenis gambar" in page.locator("#add-screenshots-errors").inner_text()
    more.get_by_label("Tambah tangkapan layar").set_input_files(
        [{"name": "bukti-2.png", "mimeType": "image/png", "buffer": complaints.png(seed=2512)}])
    more.get_by_role("button", name="Simpan tangkapan layar").click()
    wait_for_notice(page, "1 tangkapan layar disimpan sebagai bukti")
    assert page.locator("button.thumb").count() == 2
    assert accessibility_violations(page) == []
    device.picture("added")
