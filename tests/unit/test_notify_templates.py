"""The shipped templates as a reader sees them: each label line of the text part is a line of
its own in the HTML part too; BKPPD reads the violations and the legal basis; the recipient of
a disclosure reads how to open it, never the identity."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from netra_common.contracts.reference import VIOLATION_TYPES
from services.notify.domain import messages
from services.notify.settings import TEMPLATE_KINDS
from services.notify.usecases import TEMPLATE_DIR

FORWARDED = {
    "case_id": "6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11", "case_number": "NTR-2026-00042",
    "forwarded_at": "2026-11-24T08:00:00+00:00",
    "reported": {"name": "Budi Santoso", "nip": "198703152010011002", "position": "Guru",
                 "work_unit": "Dinas Pendidikan", "kecamatan": "Bengkalis"},
    "platform": "facebook", "post_urls": ["https://www.facebook.com/example/posts/123"],
    "violation_types": ["like_comment", "share"], "finding": "Membagikan konten kampanye.",
    "legal_basis": "PP 94/2021 Pasal 5 huruf n", "sanction_level": "sedang",
    "evidence": [{"sha256": "a" * 64, "content_type": "image/png", "received_at": "2026-11-20T01:00:00+00:00"}],
}
TEAM = {"case_number": "NTR-2026-00042", "stage": "assigned", "due_at": "2026-11-27T10:00:00+00:00",
        "assignee_name": "Anggota Satu", "changed_at": "2026-11-24T08:00:00+00:00",
        "assigned_at": "2026-11-24T08:00:00+00:00", "replied_at": "2026-11-24T08:00:00+00:00"}


class _Lines(HTMLParser):
    """The HTML's text in lines as a mail client breaks them: at <br>, paragraphs and <pre> lines."""

    BLOCKS = {"p", "pre", "title", "div", "li", "tr", "h1", "h2", "h3"}

    def __init__(self):
        super().__init__()
        self.text, self.in_pre = [], False

    def handle_starttag(self, tag, attrs):
        self.in_pre |= tag == "pre"
        if tag == "br" or tag in self.BLOCKS:
            self.text.append("\n")

    def handle_endtag(self, tag):
        self.in_pre &= tag != "pre"
        if tag in self.BLOCKS:
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(data if self.in_pre else data.replace("\n", " "))


def html_lines(html: str) -> list[str]:
    parser = _Lines()
    parser.feed(html)
    return [" ".join(line.split()) for line in "".join(parser.text).split("\n") if line.strip()]


def rendered(kind: str) -> messages.Message:
    if kind == "bkppd_forwarded":
        return messages.bkppd_forwarded(FORWARDED, messages.case_link("http://team", "x"), TEMPLATE_DIR)
    if kind in ("reporter_update", "reporter_question"):
        return messages.reporter_message(kind, "http://portal", TEMPLATE_DIR)
    if kind == "digest":
        return messages.digest("Ketua", [("Kasus baru NTR-2026-00042", "isi")], "24 November 2026", TEMPLATE_DIR)
    if kind == "disclosure_approved":
        return messages.disclosure_approved("NTR-2026-00042", "2026-11-25T08:00:00+00:00", "Pemeriksa BKPPD",
                                            "http://team", TEMPLATE_DIR)
    if kind == "account_changed":
        return messages.account_changed(ACCOUNT, "Ketua Tim", "http://team", TEMPLATE_DIR)
    if kind == "enrolment":
        return messages.enrolment(INVITATION, "http://team", TEMPLATE_DIR)
    return messages.team_message(kind, TEAM, "Ketua Tim", "http://team", TEMPLATE_DIR)


ACCOUNT = {"audit_id": 7, "action": "role_changed", "at": "2026-12-08T02:00:00+00:00", "actor_name": "Admin Satu",
           "actor_role": "admin", "user_id": "6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11", "username": "anggota.satu",
           "full_name": "Anggota Satu", "role": "ketua", "work_unit": "Diskominfo", "email": "a1@example.id",
           "state": "awaiting_confirmation", "changes": {"role": {"from": "anggota", "to": "ketua"}}}
INVITATION = {"user_id": "6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11", "full_name": "Anggota Baru",
              "expires_at": "2026-12-11T02:00:00+00:00", "sealed_invitation": "c2VhbGVk"}


LABEL_LINE = re.compile(r"^\s*\S[^:]*?\s+: \S|^[A-Z][^.:]*:$")


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_each_label_line_of_the_text_is_a_line_of_its_own_in_the_html(kind):
    message = rendered(kind)
    assert message.html is not None, f"{kind}.html is missing"
    lines = html_lines(message.html)
    for line in message.text.splitlines():
        if LABEL_LINE.search(line):
            assert " ".join(line.split()) in lines, (kind, line, lines)


def test_bkppd_reads_the_violation_types_and_the_legal_basis():
    message = rendered("bkppd_forwarded")
    for part in (message.text, "\n".join(html_lines(message.html))):
        for code in FORWARDED["violation_types"]:
            assert f"- {VIOLATION_TYPES[code]['id']}" in part
        assert "Dasar hukum : PP 94/2021 Pasal 5 huruf n" in " ".join(part.split())
        assert "Rekomendasi : Hukuman disiplin sedang" in " ".join(part.split())
    assert "Jenis pelanggaran:\n  - Menyukai, mengomentari, atau menanggapi konten kampanye\n" \
           "  - Membagikan atau meneruskan konten kampanye\n" in message.text


def test_the_disclosure_recipient_reads_until_when_and_the_command_and_nothing_of_the_identity():
    message = rendered("disclosure_approved")
    assert message.subject == "[Netra] Pengungkapan identitas pelapor kasus NTR-2026-00042 disetujui untuk Anda"
    for part in (message.text, message.html):
        assert "netra read-identity NTR-2026-00042" in part
        assert "berlaku sampai 25 November 2026, 15.00 WIB" in " ".join(part.split())
        assert "Yth. Pemeriksa BKPPD," in part


def test_every_ketua_reads_who_changed_which_account_how_and_what_to_check_before_confirming():
    message = rendered("account_changed")
    assert message.subject == "[Netra] Peran akun diubah: Anggota Satu (anggota.satu)"
    for part in (message.text, "\n".join(html_lines(message.html))):
        flat = " ".join(part.split())
        assert "Admin Satu (admin) mengubah peran akun Anggota Satu pada 8 Desember 2026, 09.00 WIB." in flat
        assert "Perubahan : peran anggota -> ketua" in flat and "Keadaan : menunggu konfirmasi ketua" in flat
        assert "pastikan langsung kepada orangnya (bukan lewat admin)" in flat


def test_the_stored_invitation_holds_a_place_for_the_code_never_the_code():
    message = rendered("enrolment")
    for part in (message.text, message.html):
        assert "http://team/console/#/pendaftaran/${enrolment_code}" in part
        assert "paling lambat 11 Desember 2026, 09.00 WIB" in " ".join(part.split())
        assert "termasuk admin" in part
