"""Beside every text the whole team reads as written (the description, the other violation, a
reply), the portal says not to write one's own name or contact there; beside the reporter's own
name, that what is written in that part is sealed instead. In Indonesian and in English, and each
note is its field's accessible description (aria-describedby), so a screen reader says it too."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.portal import accessibility_violations, open_portal, open_status
from tests.support import complaints

NOTES = {  # field -> (its note, what the note says in Indonesian, in English)
    "#description": ("#description-private", "Jangan tulis nama, nomor telepon, e-mail, atau alamat Anda",
                     "Do not write your own name, phone number, e-mail or address here"),
    "#violation-other-words": ("#violation-other-private", "Jangan tulis nama atau kontak Anda di sini",
                               "Do not write your own name or contact details here"),
    "#reporter-name": ("#reporter-sealed", "dikunci (dienkripsi) dan tidak dibaca tim",
                       "sealed (encrypted) and not read by the team"),
}
REPLY = ("#reply-message", "#reply-message-private", "jawaban Anda sampai ke seluruh tim pemantau",
         "your reply reaches the whole monitoring team")


def says(page, field: str, note: str, words: str) -> None:
    """`note` is shown, holds `words`, and is what a screen reader reads as `field`'s description."""
    expect(page.locator(note)).to_be_visible()
    expect(page.locator(note)).to_contain_text(words)
    assert note[1:] in page.locator(field).get_attribute("aria-describedby").split()
    expect(page.locator(field)).to_have_accessible_description(re.compile(re.escape(words)))


def test_each_free_text_field_says_not_to_write_ones_own_name_there_in_both_languages(phone):
    page = phone.page
    open_portal(page)
    page.locator("#violation-other").check()  # the "other" violation type shows its text field
    page.locator("#reporter-identified").check()  # the reporter's own fields
    for field, (note, indonesian, _) in NOTES.items():
        says(page, field, note, indonesian)
    assert accessibility_violations(page) == []
    phone.picture("notes-id")
    page.locator("#language").click()
    for field, (note, _, english) in NOTES.items():
        says(page, field, note, english)
    phone.picture("notes-en")


def test_the_reply_box_says_a_reply_reaches_the_whole_team_as_written(phone, stack):
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), [],
                            headers={"X-Forwarded-For": "198.51.100.44"}).json()
    page = phone.page
    open_portal(page)
    open_status(page, filed["tracking_code"], filed["receipt"])
    field, note, indonesian, english = REPLY
    says(page, field, note, indonesian)
    page.locator("#language").click()
    says(page, field, note, english)
    # A refusal shown on the field keeps the note beside it: both describe the field.
    page.locator("#language").click()
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_selector("#reply-message-error")
    assert page.locator(field).get_attribute("aria-describedby").split() == ["reply-message-private",
                                                                             "reply-message-error"]
    phone.picture("reply-note")
