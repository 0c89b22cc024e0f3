"""The portal for everyone: keyboard only (with a focus ring one can see), in English, on a
slow line, with the wrong file, with the wrong receipt, with more screenshots in a reply; and
always with labels and contrast that pass axe. The API page passes too."""

from __future__ import annotations

import requests

from tests.browser.portal import (
    accessibility_violations,
    check_status,
    fill_complaint,
    focus_rings,
    horizontal_overflow,
    open_portal,
    open_status,
    tab_to,
    yesterday_in_wib,
)
from tests.support import complaints


def test_a_complaint_can_be_filed_and_followed_with_the_keyboard_alone(phone):
    page = phone.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_portal(page)
    when = yesterday_in_wib()
    typed = [
        ("#reported-name", "Syahrial Anwar"),
        ("#platform", "Insta"),  # a select takes what is typed on it
        ("#post-urls", "https://www.instagram.com/p/Cx12ab/"),
        ("#occurred-date", when.strftime("%d%m%Y")),  # the phone's own date picker, typed in its order
        ("#description", "Menulis komentar dukungan untuk calon bupati di unggahan tim kampanye."),
    ]
    for selector, text in typed:
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "#violation-like_comment")
    page.keyboard.press("Space")
    tab_to(page, "#submit-complaint")
    page.keyboard.press("Enter")

    page.wait_for_selector("#receipt-panel:not([hidden])", timeout=30_000)
    assert page.evaluate("document.activeElement.id") == "receipt-title"  # a screen reader hears the news
    code = page.locator("#receipt-tracking-code").inner_text()
    tab_to(page, "[data-copy=receipt-tracking-code]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#copy-note:has-text('Tersalin')")
    assert page.evaluate("navigator.clipboard.readText()") == code

    tab_to(page, "#receipt-to-status")
    page.keyboard.press("Enter")
    page.wait_for_selector("#status-result:not([hidden])")
    assert "Pengaduan diterima" in page.locator("#status-timeline").inner_text()
    phone.picture("status")


def test_the_reporter_can_switch_to_english_and_back(phone):
    page = phone.page
    open_portal(page)
    page.get_by_role("button", name="Switch to English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#file-title").inner_text() == "Report a civil servant who is not neutral"
    assert page.locator("fieldset.when legend").inner_text() == "When it happened (WIB) *"
    assert page.locator("label[for=violation-share]").inner_text().startswith("Shared")

    # Rules the page checks itself, and rules only the server knows, both answer in English.
    page.get_by_role("button", name="Send the complaint").click()
    summary = page.locator("#file-errors")
    assert "ASN's name is required." in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "file-errors"
    assert accessibility_violations(page) == []
    phone.picture("errors-in-english")

    fill_complaint_in_english(page)
    page.get_by_role("button", name="Send the complaint").click()
    page.wait_for_selector("#file-errors:has-text('NIP')")
    assert "Reported civil servant's NIP is not valid" in summary.inner_text()
    assert page.locator("#reported-nip").get_attribute("aria-invalid") == "true"

    page.get_by_role("button", name="Ganti ke Bahasa Indonesia").click()
    assert page.evaluate("document.documentElement.lang") == "id"
    assert page.locator("#file-title").inner_text() == "Laporkan ASN yang tidak netral"
    assert page.locator("label[for=violation-share]").inner_text().startswith("Membagikan")


def fill_complaint_in_english(page) -> None:
    when = yesterday_in_wib()
    page.get_by_label("ASN's name").fill("Hendra Gunawan")
    page.get_by_label("NIP (if known)").fill("123456789012345678")  # not a date of birth: refused by intake
    page.locator("#platform").select_option("x")
    page.get_by_label("Links to the post").fill("https://x.com/hendra/status/1")
    page.get_by_label("Day", exact=True).fill(when.strftime("%Y-%m-%d"))  # the phone's date picker
    page.locator("#violation-share").check()
    page.get_by_label("What happened").fill("Shared a campaign poster on his own account.")


def test_wrong_files_are_refused_before_anything_is_uploaded(phone, tmp_path):
    page = phone.page
    posted = []
    page.on("request", lambda r: r.method == "POST" and posted.append(r.url))
    open_portal(page)
    fake = tmp_path / "bukan-gambar.png"
    fake.write_bytes(b"%PDF-1.7\n" + b"0" * 4000)
    huge = tmp_path / "terlalu-besar.png"
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024 + 1))
    fill_complaint(page)
    page.set_input_files("#screenshots", [str(fake), str(huge)])
    page.wait_for_selector("#screenshot-list li.bad >> nth=1")
    listed = page.locator("#screenshot-list").inner_text()
    assert "bukan-gambar.png (4 KB): bukan-gambar.png: bukan gambar PNG, JPEG atau WebP." in listed
    assert "terlalu-besar.png: lebih dari 10 MB." in listed

    page.get_by_role("button", name="Kirim pengaduan").click()
    summary = page.locator("#file-errors")
    summary.wait_for()
    assert "bukan gambar PNG, JPEG atau WebP" in summary.inner_text()
    assert "lebih dari 10 MB" in summary.inner_text()
    phone.picture("refused-files")
    assert posted == []


def test_a_slow_upload_shows_its_progress(phone, tmp_path):
    page = phone.page
    open_portal(page)
    big = tmp_path / "tangkapan-besar.png"
    big.write_bytes(complaints.noise_png(900, 900))
    fill_complaint(page, big)
    line = page.context.new_cdp_session(page)
    line.send("Network.enable")
    line.send("Network.emulateNetworkConditions", {"offline": False, "latency": 100,
                                                    "downloadThroughput": 256 * 1024,
                                                    "uploadThroughput": 256 * 1024})
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_function("() => { const bar = document.querySelector('#file-progress-bar');"
                           " return !bar.closest('.progress').hidden && bar.value > 0 && bar.value < 100; }")
    assert "% terkirim" in page.locator("#file-progress-text").inner_text()
    phone.picture("uploading")
    page.wait_for_selector("#receipt-panel:not([hidden])", timeout=60_000)
    assert page.locator("#file-progress").is_hidden()


def test_a_wrong_receipt_shows_the_same_not_found_as_an_unknown_code(phone, stack):
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint()).json()
    page = phone.page
    open_portal(page)
    page.get_by_role("button", name="Cek status").first.click()
    for code in (filed["tracking_code"], "AAAA-BBBB-CCCC"):
        page.get_by_label("Kode lacak").fill(code)
        page.locator("#status-receipt").fill("salah-" + filed["receipt"][:8])
        page.locator("#status-form button[type=submit]").click()
        page.wait_for_selector("#status-errors:not([hidden])")
        assert "Pengaduan tidak ditemukan. Periksa kode lacak dan tanda terima Anda." in \
            page.locator("#status-errors").inner_text()
        assert page.locator("#status-result").is_hidden()
    assert accessibility_violations(page) == []
    phone.picture("not-found")


def test_every_control_shows_a_focus_ring_that_stands_out_from_what_is_around_it(phone):
    page = phone.page
    open_portal(page)
    rings = focus_rings(page)
    assert len(rings) > 20, rings  # the header, the tabs and the whole form
    faint = [r for r in rings if not r["shown"] or r["width"] < 2 or r["contrast"] < 3]
    assert faint == [], faint
    tab_to(page, "#language")
    phone.picture("focus-on-the-header")
    tab_to(page, "#submit-complaint")
    phone.picture("focus-on-the-send-button")


def test_a_reply_may_bring_screenshots_up_to_the_complaints_total_not_just_five(phone, stack, tmp_path):
    """Five per request, twenty per complaint: the limits intake has, checked apart."""
    intake = stack.settings.url("intake")
    filed = complaints.file(intake, complaints.complaint(),
                            [(f"bukti-{i}.png", complaints.png(seed=700 + i)) for i in range(5)]).json()
    page = phone.page
    posted = []
    page.on("request", lambda r: r.method == "POST" and posted.append(r.url))
    open_portal(page)
    open_status(page, filed["tracking_code"], filed["receipt"])
    one_more = tmp_path / "satu-lagi.png"
    one_more.write_bytes(complaints.png(seed=720))
    page.locator("#reply-message").fill("Satu tangkapan layar lagi.")
    page.set_input_files("#reply-screenshots", str(one_more))
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_selector("#reply-done:has-text('Jawaban Anda terkirim')")
    assert len(posted) == 1

    # Fourteen more through the API make twenty; the portal refuses the twenty-first itself.
    for batch in (5, 5, 4):
        sent = requests.post(f"{intake}/api/v1/complaints/{filed['tracking_code']}/messages", timeout=30,
                             headers={"X-Receipt": filed["receipt"]}, data={"message": f"{batch} lagi."},
                             files=[("screenshots", (f"api-{batch}-{i}.png", complaints.png(seed=730 + 10 * batch + i),
                                                     "image/png")) for i in range(batch)])
        assert sent.status_code == 201, sent.text
    check_status(page)
    assert page.locator("#status-screenshots li").count() == 20
    page.locator("#reply-message").fill("Dan satu lagi.")
    page.set_input_files("#reply-screenshots", str(one_more))
    page.get_by_role("button", name="Kirim jawaban").click()
    summary = page.locator("#reply-errors")
    summary.wait_for()
    assert "Satu pengaduan paling banyak 20 tangkapan layar seluruhnya; Anda masih dapat menambah 0." \
        in summary.inner_text()
    assert len(posted) == 1
    phone.picture("reply-over-the-total")


def test_the_api_page_reads_on_a_phone_and_passes_axe(phone):
    page = phone.page
    page.goto("/docs")
    assert page.locator("h1").inner_text() == "Netra public API"
    assert horizontal_overflow(page) <= 0, "the API page is wider than a 360-pixel phone"
    assert accessibility_violations(page) == []
    phone.picture("api-docs")
