"""A reporter withdraws their consent to be contacted and erases their contact details from the status
page, in Indonesian and after a confirm step (UU 27/2022; issue 18): the complaint stays, intake records
when, and notify forgets the sealed address, so no more mail reaches them."""

from __future__ import annotations

from sqlalchemy import text

from tests.browser.portal import (
    accessibility_violations,
    check_status,
    fill_complaint,
    open_portal,
    submit_and_read_receipt,
)
from tests.support.waiting import eventually

REPORTER = {"name": "Sari Wulandari", "email": "sari.wulandari@example.id"}


def test_a_reporter_erases_their_contact_details_after_confirming_and_the_complaint_stays(phone, stack, stack_db):
    page = phone.page
    open_portal(page)
    fill_complaint(page, reporter=REPORTER)
    code, _ = submit_and_read_receipt(page)
    page.get_by_role("button", name="Lihat status").click()
    page.wait_for_selector("#status-result:not([hidden])")
    with stack_db.connect() as conn:
        complaint_id = conn.execute(text("SELECT complaint_id FROM intake.complaints WHERE tracking_code = :c"),
                                    {"c": code}).scalar_one()

    def notify_holds_the_address():
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT sealed_contact FROM notify.reporter_contacts WHERE complaint_id = :c"),
                                {"c": complaint_id}).scalar()

    eventually(notify_holds_the_address, timeout=30, message="notify heard of the complaint")

    # A second thought first: cancelling changes nothing.
    page.get_by_role("button", name="Tarik persetujuan dan hapus kontak saya").click()
    assert "tidak dapat dibatalkan" in page.locator("#contact-confirm").inner_text()
    phone.picture("1-confirm-step")
    page.get_by_role("button", name="Batal").click()
    assert page.locator("#contact-confirm").is_hidden()
    with stack_db.connect() as conn:
        assert conn.execute(text("SELECT contact_erased_at FROM intake.complaints WHERE complaint_id = :c"),
                            {"c": complaint_id}).scalar() is None

    page.get_by_role("button", name="Tarik persetujuan dan hapus kontak saya").click()
    page.get_by_role("button", name="Ya, hapus kontak saya").click()
    page.wait_for_selector("#contact-erased:not([hidden])")
    said = page.locator("#contact-erased").inner_text()
    assert "data kontak Anda dihapus" in said and "tetap diproses" in said
    assert page.locator("#contact-section").is_hidden()  # nothing left to erase
    assert accessibility_violations(page) == []
    phone.picture("2-contact-erased")

    with stack_db.connect() as conn:
        row = conn.execute(text("SELECT contact_erased_at, sealed_identity, document FROM intake.complaints "
                                "WHERE complaint_id = :c"), {"c": complaint_id}).one()
    assert row.contact_erased_at is not None and row.sealed_identity is None
    assert row.document["reported"]["name"] == "Hendra Gunawan"  # the complaint itself stays
    eventually(lambda: notify_holds_the_address() is None, timeout=30, message="notify forgot the address")

    check_status(page)  # the page says so on every later visit too
    assert "data kontak Anda dihapus" in page.locator("#contact-erased").inner_text()
