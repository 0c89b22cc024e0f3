"""Every mail about a case links to the case in the team console (a page, through the login), never
to the API; BKPPD's mail also names the dossier's SHA-256 and signature (docs/decisions/0015)."""

from __future__ import annotations

import re

import pytest

from services.notify.domain import messages
from services.notify.usecases import TEMPLATE_DIR
from tests.unit.test_notify_templates import FORWARDED

CASE_ID = "6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11"
LINK = f"https://netra.bengkaliskab.go.id/console/#/kasus/{CASE_ID}"
SEAL = {"sha256": "ab" * 32, "algorithm": "Ed25519", "key_id": "0123456789abcdef", "signature": "c2lnbmF0dXJl"}
AT = "2026-11-24T13:05:00+00:00"
TEAM = {"new_case": {"changed_at": AT}, "case_assigned": {"assigned_at": AT},
        "reporter_reply": {"replied_at": AT},
        "case_overdue": {"stage": "assigned", "due_at": "2026-11-27T16:59:00+00:00", "assignee_name": "Andi"}}


def _links(message: messages.Message) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", message.text + (message.html or ""))


def test_a_case_link_is_the_console_route_for_the_case():
    assert messages.case_link("https://netra.bengkaliskab.go.id/", CASE_ID) == LINK


@pytest.mark.parametrize("kind", sorted(TEAM))
def test_each_team_mail_about_a_case_links_to_that_case(kind):
    payload = {"case_id": CASE_ID, "case_number": "NTR-2026-00042", **TEAM[kind]}
    message = messages.team_message(kind, payload, "Sari", "https://netra.bengkaliskab.go.id", TEMPLATE_DIR)
    assert LINK in _links(message)
    assert not [link for link in _links(message) if "/api/" in link]


def test_the_disclosure_mail_links_to_its_case():
    message = messages.disclosure_approved("NTR-2026-00042", "2026-11-30T10:00:00+00:00", "Sari",
                                           "https://netra.bengkaliskab.go.id", TEMPLATE_DIR, CASE_ID)
    assert LINK in _links(message)


def test_bkppds_mail_links_to_the_case_and_names_the_dossiers_hash_and_signature():
    message = messages.bkppd_forwarded({**FORWARDED, "dossier": SEAL}, LINK, TEMPLATE_DIR)
    assert LINK in _links(message) and not [link for link in _links(message) if "/api/" in link]
    for part in (message.text, message.html):
        assert SEAL["sha256"] in part and SEAL["signature"] in part and SEAL["key_id"] in part
