"""Run last among the end-to-end tests: every e-mail the system sent during them, to the
development sink and to the tests' own relay, is scanned. None carries a reporter's identity;
the ones to reporters carry no case details either (only their own address, to reach them).
notify's tables (deliveries, their attempts, dead letters and all) and every webhook body sent
to BKPPD's side are scanned too: none holds a reporter's identity."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_identity_disclosure import IDENTITY as DISCLOSED
from tests.e2e.test_identity_disclosure import everything_stored
from tests.e2e.test_notify import REPORTER as NOTIFIED
from tests.e2e.test_notify_failures import REFUSED
from tests.e2e.test_notify_waits import DISCLOSED as DISCLOSED_BY_NOTIFY
from tests.e2e.test_notify_waits import LATE_REPORTER
from tests.e2e.test_reporter_identity_stays_sealed import IDENTITY as SEALED
from tests.support import mail_scan
from tests.support.complaints import IDENTIFIED_REPORTER
from tests.support.notify_stack import RELAY_FOLDER, WEBHOOK_FOLDER, leaks, notify_tables

# Once per share of the end-to-end tests under `make test`'s workers (tests/e2e/conftest.py).
pytestmark = pytest.mark.usefixtures("e2e_share")

REPORTERS = [IDENTIFIED_REPORTER, DISCLOSED, SEALED, NOTIFIED, REFUSED, LATE_REPORTER, DISCLOSED_BY_NOTIFY]
# Case numbers and tracking codes are upper case: matched as written, so that a header like
# "Sink-Mail-From" is not taken for a code; the words are matched in any case.
ENROLMENT_CODE = re.compile(r"#/pendaftaran/([A-Za-z0-9_-]{32,64})")
CASE_DETAILS = re.compile(r"\bNTR-\d{4}-\d{5}\b|\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b|"
                          r"(?i:Budi Santoso|facebook\.com|kampanye|ASN terlapor|\bNIP\b)")


def all_sent(stack) -> list:
    return mail_scan.load([stack.settings.mail_dir, stack.settings.data_dir / RELAY_FOLDER])


def test_no_message_carries_a_reporters_identity_and_reporter_messages_no_case_details(stack):
    messages = all_sent(stack)
    assert len(messages) >= 20, "the end-to-end tests should have sent plenty of mail"
    reporter_addresses = {r["email"] for r in REPORTERS if r.get("email")}
    to_reporters = 0
    for message in messages:
        for_reporter = mail_scan.addressed_to(message, reporter_addresses)
        content = mail_scan.readable(message, without_recipient=for_reporter)
        assert leaks(content, REPORTERS) == [], message["Subject"]
        if for_reporter:
            to_reporters += 1
            assert not CASE_DETAILS.search(content), (message["Subject"], CASE_DETAILS.search(content).group())
    assert to_reporters >= 3


def test_notify_keeps_no_reporters_identity_in_its_tables_and_sends_none_in_a_webhook(stack, stack_db):
    stored = notify_tables(stack_db)
    assert any('"kind": "reporter_update"' in row for row in stored), "reporters should have been written to"
    assert [row for row in stored if leaks(row, REPORTERS)] == []
    hooks = [path.read_text(encoding="utf-8") for path in sorted((stack.settings.data_dir / WEBHOOK_FOLDER).glob("*"))]
    assert hooks, "the end-to-end tests should have sent webhooks"
    assert [hook for hook in hooks if leaks(hook, REPORTERS)] == []


def test_every_enrolment_code_mailed_is_in_no_table_and_no_log(stack):
    """A code lets whoever holds it set an account's password: it is in the mail to its holder and
    nowhere else (casework keeps a hash, the bus and notify a sealed box and a placeholder)."""
    codes = {found.group(1) for message in all_sent(stack)
             for found in [ENROLMENT_CODE.search(mail_scan.readable(message, without_recipient=True))] if found}
    assert codes, "the end-to-end tests should have sent enrolment codes"
    stored = everything_stored(stack)
    assert [row for row in stored if any(code in row for code in codes)] == []
    for log in stack.settings.log_dir.glob("*.log"):
        text = log.read_text(errors="replace")
        assert [code for code in codes if code in text] == [], log.name


LINK = re.compile(r"https?://[^\s\"'<>]+")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_every_link_in_every_mail_opens_a_page_not_json(stack):
    """A mail's reader clicks; their browser must get a page (the console, the portal), never the
    API's JSON (docs/decisions/0015)."""
    import requests

    links = {found.rstrip(".,);") for message in all_sent(stack)
             for found in LINK.findall(mail_scan.readable(message, without_recipient=True))}
    ours = sorted(link for link in links if any(link.startswith(stack.settings.url(s)) for s in ("intake", "casework")))
    assert any("/console/#/kasus/" in link for link in ours), "mails about cases should link to them"
    for link in ours:
        answer = requests.get(link, headers={"Accept": BROWSER_ACCEPT}, timeout=10)
        assert answer.status_code == 200, (link, answer.status_code)
        assert answer.headers["Content-Type"].startswith("text/html"), (link, answer.headers["Content-Type"])
