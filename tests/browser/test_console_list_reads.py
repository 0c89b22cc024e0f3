"""The console's queue and its search are recorded as the member reads them (issue 18.6, decision 0038):
in real Chromium a member signs in (the queue opens) and searches for an ASN by name; the access report
for that member shows both reads as the console's, with the words searched and exactly the cases each
page showed on screen."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.casework.access_report import access_report
from tests.browser.console import sign_in
from tests.conftest import enrol
from tests.e2e.test_netra_cli import in_queue, new_case


def on_screen(page) -> list[str]:
    """The case numbers the queue's table shows."""
    return page.locator("table.queue tbody tr th").all_inner_texts()


def test_the_consoles_queue_and_search_are_in_the_access_report_with_the_cases_on_screen(
        consoles, stack, stack_db, ketua, bus_publisher):
    marker = uuid.uuid4().hex[:8]
    asn = f"Yuliani Konsolbaca {marker}"
    case = in_queue(ketua, new_case(ketua, bus_publisher, reported={
        "name": asn, "nip": None, "position": "Guru", "work_unit": "Dinas Pendidikan", "kecamatan": "Mandau"}))
    member = enrol(stack, f"anggota.konsol.{marker}", "anggota")
    started = datetime.now(UTC) - timedelta(seconds=5)
    page = consoles("desk").page
    sign_in(page, member)
    first_page = on_screen(page)
    assert first_page, "the queue shows cases"
    filters = page.locator("#queue-filters")
    filters.get_by_label("Cari").fill(asn)
    filters.get_by_role("button", name="Terapkan").click()
    page.wait_for_function("() => document.querySelector('#queue-count').textContent.includes('dari 1 kasus')")
    assert on_screen(page) == [case["case_number"]]

    with stack_db.connect() as conn:
        report = access_report(conn, member.user["username"], started, datetime.now(UTC) + timedelta(seconds=5))
    reads = [a["list"] for a in report["accesses"] if "list" in a]
    assert {read["door"] for read in reads} == {"console"}
    listed = [read for read in reads if read["search_words"] is None]
    searched = [read for read in reads if read["search_words"] is not None]
    assert listed and listed[-1]["shown"] == first_page
    assert [(read["search_words"], read["shown"], read["total"]) for read in searched] == [
        (asn, [case["case_number"]], 1)]
    assert case["case_number"] in report["cases_listed"]
