"""Run last among the end-to-end tests: every e-mail the system sent during them, to the
development sink and to the tests' own relay, is scanned. None carries a reporter's identity;
the ones to reporters carry no case details either (only their own address, to reach them)."""

from __future__ import annotations

import re

from tests.e2e.test_identity_disclosure import IDENTITY as DISCLOSED
from tests.e2e.test_notify import REPORTER as NOTIFIED
from tests.e2e.test_reporter_identity_stays_sealed import IDENTITY as SEALED
from tests.support import mail_scan
from tests.support.complaints import IDENTIFIED_REPORTER

REPORTERS = [IDENTIFIED_REPORTER, DISCLOSED, SEALED, NOTIFIED]
# Case numbers and tracking codes are upper case: matched as written, so that a header like
# "Sink-Mail-From" is not taken for a code; the words are matched in any case.
CASE_DETAILS = re.compile(r"\bNTR-\d{4}-\d{5}\b|\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b|"
                          r"(?i:Budi Santoso|facebook\.com|kampanye|ASN terlapor|\bNIP\b)")


def identity_fragments() -> list[str]:
    fragments = []
    for reporter in REPORTERS:
        fragments += [part for part in reporter["name"].split() if len(part) > 3]
        fragments += [reporter[k] for k in ("email", "phone", "nik") if reporter.get(k)]
        if reporter.get("phone"):
            fragments.append(reporter["phone"].lstrip("0"))
    return fragments


def all_sent(stack) -> list:
    return mail_scan.load([stack.settings.mail_dir, stack.settings.data_dir / "mail-test-relay"])


def test_no_message_carries_a_reporters_identity_and_reporter_messages_no_case_details(stack):
    messages = all_sent(stack)
    assert len(messages) >= 20, "the end-to-end tests should have sent plenty of mail"
    reporter_addresses = {r["email"] for r in REPORTERS if r.get("email")}
    to_reporters = 0
    for message in messages:
        for_reporter = mail_scan.addressed_to(message, reporter_addresses)
        content = mail_scan.readable(message, without_recipient=for_reporter)
        leaked = [f for f in identity_fragments() if f.lower() in content.lower()]
        assert leaked == [], (message["Subject"], leaked)
        if for_reporter:
            to_reporters += 1
            assert not CASE_DETAILS.search(content), (message["Subject"], CASE_DETAILS.search(content).group())
    assert to_reporters >= 3
