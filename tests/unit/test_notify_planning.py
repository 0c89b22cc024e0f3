"""Who hears what of each event (notify's planning), against an in-memory port: in milliseconds,
without PostgreSQL. The same planning on the whole system: tests/e2e/test_notify*.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest

from netra_common.contracts import parse_envelope
from services.notify.adapters.contacts import ContactOpener
from services.notify.adapters.smtp import SmtpSettings
from services.notify.adapters.webhook import WebhookSettings
from services.notify.domain.retry import RetryPolicy
from services.notify.usecases.context import Outbound
from services.notify.usecases.planning import NotKnownYet, plan
from tests.support import events
from tests.support.fake_notify import FakeContact as Contact
from tests.support.fake_notify import FakeMember as Member
from tests.support.fake_notify import keep_news

OUT = Outbound(smtp=SmtpSettings("127.0.0.1", 25, "netra@bengkaliskab.go.id"), webhook=WebhookSettings(None, None),
               retry=RetryPolicy(), contacts=ContactOpener(None), portal_url="https://lapor.example",
               team_url="https://tim.example", bkppd_emails=("bkppd@bengkaliskab.go.id",))


@dataclass
class FakeRecipients:
    members: list[Member] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    news: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def reachable_members(self, roles: Iterable[str]) -> list[Member]:
        wanted = set(roles)
        return [m for m in self.members if m.active and m.email and m.role in wanted]

    def member(self, user_id: object) -> Member | None:
        return next((m for m in self.members if str(m.user_id) == str(user_id)), None)

    def reporter_contact(self, complaint_id: object) -> Contact | None:
        return self.contacts.get(str(complaint_id))

    def reporter_hears(self, complaint_id: object, milestone: str, case_version: int | None) -> bool:
        return keep_news(self.news, complaint_id, milestone, case_version)


KETUA = Member("Hj. Rahmah", "ketua")
SEKRETARIS = Member("Sari", "sekretaris", notify_mode="digest")
ANGGOTA = Member("Budi", "anggota")


def opened(complaint_id: str | None) -> object:
    return parse_envelope(events.case_status_changed(complaint_id, "opened", None, case_number="NTR-2026-00001"))


def test_a_new_case_tells_the_ketua_now_and_the_sekretaris_in_the_digest_and_the_reporter_who_asked():
    complaint_id = str(uuid.uuid4())
    recipients = FakeRecipients([KETUA, SEKRETARIS, ANGGOTA], {complaint_id: Contact("sealed")})
    planned = plan(recipients, OUT, opened(complaint_id))
    assert [(p.recipient, p.kind, p.queued) for p in planned] == [
        (f"member:{KETUA.user_id}", "new_case", False), (f"member:{SEKRETARIS.user_id}", "new_case", True),
        (f"reporter:{complaint_id}", "reporter_update", False)]
    assert planned[2].address_sealed == "sealed" and planned[2].address is None


def test_an_anonymous_reporter_hears_nothing():
    complaint_id = str(uuid.uuid4())
    planned = plan(FakeRecipients([KETUA], {complaint_id: Contact(None)}), OUT, opened(complaint_id))
    assert [p.kind for p in planned] == ["new_case"]


def test_a_case_the_team_filed_has_no_reporter_to_tell():
    assert [p.kind for p in plan(FakeRecipients([KETUA]), OUT, opened(None))] == ["new_case"]


def test_an_event_for_a_complaint_notify_has_not_heard_of_waits_for_it():
    with pytest.raises(NotKnownYet) as waiting:
        plan(FakeRecipients([KETUA]), OUT, opened(str(uuid.uuid4())))
    assert waiting.value.waiting_for == "complaint"


def assigned(assignee_id: uuid.UUID) -> object:
    from netra_common.contracts import new_envelope
    return parse_envelope(new_envelope("case_assigned", {
        "case_id": str(uuid.uuid4()), "case_number": "NTR-2026-00001", "assignee_id": str(assignee_id),
        "assigned_at": "2026-11-24T13:05:00+00:00"}, producer="tests").to_message())


def test_an_assignment_for_a_member_notify_has_not_heard_of_waits_for_them():
    with pytest.raises(NotKnownYet) as waiting:
        plan(FakeRecipients([KETUA]), OUT, assigned(uuid.uuid4()))
    assert waiting.value.waiting_for == "member"


def test_an_assignee_who_cannot_be_written_to_is_told_nothing():
    gone = Member("Lama", "anggota", active=False)
    assert plan(FakeRecipients([KETUA, gone]), OUT, assigned(gone.user_id)) == []
    assert [p.recipient for p in plan(FakeRecipients([ANGGOTA]), OUT, assigned(ANGGOTA.user_id))] == [
        f"member:{ANGGOTA.user_id}"]


def _reporter_mails(recipients: FakeRecipients, changes: list[tuple[str, str | None, int]], complaint_id: str):
    subjects = []
    for status, previous, version in changes:
        envelope = parse_envelope(events.case_status_changed(complaint_id, status, previous, case_version=version))
        subjects += [p.message.subject for p in plan(recipients, OUT, envelope) if p.recipient.startswith("reporter:")]
    return subjects


def test_a_reporter_hears_of_each_change_they_care_about_once_not_of_each_internal_step():
    complaint_id = str(uuid.uuid4())
    recipients = FakeRecipients([KETUA], {complaint_id: Contact("sealed")})
    path = [("opened", None, 1), ("assigned", "opened", 2), ("under_verification", "assigned", 3),
            ("clarification_requested", "under_verification", 4), ("under_verification", "clarification_requested", 5),
            ("violation_proposed", "under_verification", 6), ("violation_confirmed", "violation_proposed", 7),
            ("forwarded_to_bkppd", "violation_confirmed", 8), ("sanction_decided", "forwarded_to_bkppd", 9),
            ("closed", "sanction_decided", 9)]
    assert _reporter_mails(recipients, path, complaint_id) == [
        "Pengaduan Anda sudah diterima", "Pengaduan Anda sedang diperiksa", "Ada keputusan atas pengaduan Anda",
        "BKPPD telah memutuskan atas pengaduan Anda"]


def test_a_change_arriving_after_a_later_one_is_no_news_and_a_reopened_case_is_examined_again():
    complaint_id = str(uuid.uuid4())
    recipients = FakeRecipients([KETUA], {complaint_id: Contact("sealed")})
    late = [("assigned", "opened", 2), ("opened", None, 1), ("dismissed", "assigned", 3),
            ("opened", "dismissed", 4), ("dismissed", "opened", 5)]
    assert _reporter_mails(recipients, late, complaint_id) == [
        "Pengaduan Anda sedang diperiksa", "Ada keputusan atas pengaduan Anda", "Pengaduan Anda sedang diperiksa",
        "Ada keputusan atas pengaduan Anda"]


def test_the_reporters_mail_says_what_changed_and_where_to_read_it_never_the_complaint():
    complaint_id = str(uuid.uuid4())
    recipients = FakeRecipients([KETUA], {complaint_id: Contact("sealed")})
    mail = [p for p in plan(recipients, OUT, opened(complaint_id)) if p.recipient.startswith("reporter:")][0].message
    assert "Pengaduan Anda sudah diterima dan terdaftar." in mail.text and "https://lapor.example" in mail.text
    assert "NTR-2026-00001" not in mail.text and "NTR-2026-00001" not in (mail.html or "")
