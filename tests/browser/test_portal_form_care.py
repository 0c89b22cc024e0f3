"""The long form on a phone: an error goes as soon as its field is fixed; the date and time are the
phone's own pickers; what was typed about the complaint survives a reload in this tab only
(sessionStorage), never the reporter's own identity, never in localStorage, never in another tab,
and not after the complaint is filed."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import text

from tests.browser.console import kept_in_the_browser
from tests.browser.portal import (
    check_status_until,
    fill_complaint,
    open_portal,
    open_status,
    submit_and_read_receipt,
    tab_to,
)

REPORTER = {"name": "Siti Aminah Pelapor", "email": "siti.aminah.pelapor@example.id"}


def test_an_error_goes_once_its_field_is_fixed_and_the_others_stay(phone):
    page = phone.page
    open_portal(page)
    page.get_by_role("button", name="Kirim pengaduan").click()
    summary = page.locator("#file-errors")
    expect(summary).to_be_visible()
    expect(page.locator("#reported-name-error")).to_be_visible()
    expect(page.locator("#description-error")).to_be_visible()
    page.get_by_label("Nama ASN").fill("Hendra Gunawan")
    expect(page.locator("#reported-name-error")).to_have_count(0)
    assert page.locator("#reported-name").get_attribute("aria-invalid") is None
    expect(summary.locator('a[href="#reported-name"]')).to_have_count(0)
    expect(page.locator("#description-error")).to_be_visible()  # not fixed yet: still said
    expect(summary).to_be_visible()


def test_the_date_and_time_are_the_phones_own_pickers_and_no_day_after_today(phone):
    page = phone.page
    open_portal(page)
    assert page.locator("#occurred-date").get_attribute("type") == "date"
    assert page.locator("#occurred-time").get_attribute("type") == "time"
    assert page.locator("#occurred-date").get_attribute("max")  # the calendar stops at today (WIB)


def test_a_reload_keeps_the_complaint_in_this_tab_only_and_never_the_reporters_identity(phone):
    page = phone.page
    open_portal(page)
    fill_complaint(page, reporter=REPORTER)
    page.reload()
    page.wait_for_selector("#violation-share")
    expect(page.get_by_label("Nama ASN")).to_have_value("Hendra Gunawan")
    expect(page.get_by_label("Uraian kejadian")).to_have_value(
        "Membagikan poster kampanye pasangan calon nomor 2 di akun pribadinya.")
    expect(page.locator("#platform")).to_have_value("facebook")
    expect(page.locator("#violation-share")).to_be_checked()
    expect(page.get_by_label("Jam", exact=True)).to_have_value("20:15")
    # Who the reporter is was not kept: typed again after a reload (the form opens anonymous).
    expect(page.locator("#reporter-anonymous")).to_be_checked()
    expect(page.locator("#reporter-name")).to_have_value("")
    kept = kept_in_the_browser(page)
    assert kept["local"] == [] and kept["cookies"] == ""
    assert REPORTER["name"] not in str(kept) and REPORTER["email"] not in str(kept)
    assert "Hendra Gunawan" in str(kept["session"])

    other_tab = page.context.new_page()  # another tab of the same browser: its own, empty form
    open_portal(other_tab)
    expect(other_tab.get_by_label("Nama ASN")).to_have_value("")
    other_tab.close()

    page.locator("#reporter-identified").check()
    page.get_by_label("Nama Anda").fill(REPORTER["name"])
    page.get_by_label("E-mail").fill(REPORTER["email"])
    page.locator("#reporter-consent").check()
    page.get_by_label("Tautan unggahan").fill("https://www.facebook.com/hendra.g/posts/4410")
    submit_and_read_receipt(page)
    assert kept_in_the_browser(page)["session"] == {}  # filed: the draft is gone
    page.reload()
    page.wait_for_selector("#violation-share")
    expect(page.get_by_label("Nama ASN")).to_have_value("")


def test_the_status_page_says_what_happens_next_and_by_when(phone):
    page = phone.page
    open_portal(page)
    fill_complaint(page)
    code, receipt = submit_and_read_receipt(page)
    open_status(page, code, receipt)
    check_status_until(page, "Terdaftar sebagai kasus")
    expect(page.locator("#status-next")).to_contain_text("Langkah berikutnya")
    expect(page.locator("#status-next-label")).to_have_text("Ketua tim menunjuk petugas yang memeriksa pengaduan Anda.")
    expect(page.locator("#status-next-due")).to_contain_text("Paling lambat")
    expect(page.locator("#status-next-due")).to_contain_text("WIB")
    expect(page.locator("#status-next-due")).to_contain_text("hari kerja")
    phone.picture("next-step")


def test_the_work_unit_is_the_closed_list_with_other_in_words_by_keyboard_alone(phone, stack_db):
    page = phone.page
    open_portal(page)
    unit = page.get_by_label("Unit kerja (OPD)")
    assert unit.evaluate("node => node.tagName") == "SELECT"  # chosen from the list intake keeps, not typed
    assert unit.locator("optgroup[label='Dinas'] option[value='Dinas Pendidikan']").count() == 1
    expect(page.locator("#work-unit-other-field")).to_be_hidden()
    fill_complaint(page)
    expect(unit).to_have_value("Dinas Pendidikan")

    tab_to(page, "#reported-work-unit")
    page.keyboard.press("End")  # the last choice: "Lainnya", which opens a box for the unit's name
    expect(unit).to_have_value("other")
    expect(page.locator("#work-unit-other-field")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Nama unit kerja lainnya")).to_be_focused()
    page.keyboard.type("UPT Puskesmas Bantan")
    tracking_code, _ = submit_and_read_receipt(page)
    with stack_db.connect() as conn:  # the name typed is what intake keeps, not the word "other"
        kept = conn.execute(text("SELECT document->'reported'->>'work_unit' FROM intake.complaints "
                                 "WHERE tracking_code = :c"), {"c": tracking_code}).scalar_one()
    assert kept == "UPT Puskesmas Bantan"
