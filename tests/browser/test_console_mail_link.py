"""BKPPD's mail opens the case: the link in the forward's mail, followed by a person who is not
logged in, shows the login; after logging in they land on that case, not on the queue."""

from __future__ import annotations

import re

from tests.browser.console import fill_login, wait_for_case_file
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.enrolling import mails_to
from tests.support.mailbox import text_of
from tests.support.waiting import eventually

LINK = re.compile(r"https?://\S+/console/#/kasus/[0-9a-f-]{36}")


def test_the_forward_mails_link_logs_bkppd_in_and_lands_on_the_case(consoles, stack, stack_db, ketua, anggota):
    bkppd = enrol(stack, "bkppd.tautan", "bkppd", full_name="Rahmad Saputra")
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(),
                            [("bukti.png", complaints.png(seed=1301))]).json()
    case_id = case_id_for(complaint_id_of(stack_db, filed["tracking_code"]))
    case = wait_for_case(ketua, case_id, screenshots=1)
    to_forwarded(ketua, anggota, case_id, case["version"])
    number = ketua.get(f"/api/v1/cases/{case_id}").json()["case_number"]

    def the_link():
        for message in mails_to(stack, stack.settings.bkppd_email):
            body = text_of(message)
            if number in body and (found := LINK.search(body)):
                return found.group(0)
        return None

    link = eventually(the_link, message=f"BKPPD's mail about {number}")
    assert link.endswith(f"/console/#/kasus/{case_id}")

    device = consoles("desk", who="bkppd")
    page = device.page
    page.goto(link)
    page.wait_for_selector("#login-view:not([hidden])")
    device.picture("1-mail-link-asks-to-log-in")
    fill_login(page, bkppd)
    page.get_by_role("button", name="Masuk").click()
    wait_for_case_file(page)
    assert page.locator("#case-title").inner_text() == f"Kasus {number}"
    assert page.url.endswith(f"#/kasus/{case_id}")
    assert page.get_by_role("button", name=re.compile("Unduh berkas untuk BKPPD")).count() == 2
    device.picture("2-lands-on-the-case")
