"""The rules the case aggregate enforces, each with the words a refusal carries."""

from __future__ import annotations

import re

from services.casework.domain.accounts import ACTIVE, DISCLOSURE_ROLES, INACTIVE, INVITED
from services.casework.domain.commands import TRANSITIONS
from services.casework.domain.errors import DomainError, InvalidCommand, TransitionNotAllowed


class Recused(DomainError):
    code = "recused"


class SecondMemberRequired(DomainError):
    code = "second_member_required"


class NotAllowed(DomainError):
    code = "not_allowed"


class RecipientNotEligible(DomainError):
    """The person a disclosure names could never read it: refused at the request and at the approval."""

    code = "recipient_not_eligible"


class ThreePeopleRequired(DomainError):
    """Requester, approver and recipient of a disclosure are three different people."""

    code = "three_people_required"


def require_state(command: str, status: str | None, allowed: list[str]) -> None:
    if status not in TRANSITIONS[command]:
        raise TransitionNotAllowed(command, status or "none", allowed)


def _normal(name: str | None) -> str:
    return re.sub(r"\s+", " ", (name or "")).strip().casefold()


def same_work_unit(member_unit: str | None, reported_unit: str | None) -> bool:
    """A member from the reported ASN's own work unit is excluded from the case."""
    return bool(_normal(member_unit)) and _normal(member_unit) == _normal(reported_unit)


def recused_error(assignee: bool = False) -> Recused:
    who = ("Petugas yang ditunjuk", "The assignee") if assignee else ("Anda", "You")
    return Recused({
        "id": f"{who[0]} berasal dari unit kerja yang sama dengan ASN terlapor dan dikecualikan "
              "dari kasus ini.",
        "en": f"{who[1]} belong to the reported civil servant's own work unit and are excluded "
              "from this case."})


def require_choice(value: str, choices, field: str, label_id: str, label_en: str) -> None:
    if value not in choices:
        listed = ", ".join(choices)
        raise InvalidCommand({"id": f"{label_id} harus salah satu dari: {listed}.",
                              "en": f"{label_en} must be one of: {listed}."}, field=field)


def require_reporter(facts) -> None:
    if facts.complaint_id is None:
        raise InvalidCommand({"id": "Kasus ini tidak berasal dari pengaduan; tidak ada pelapor yang dapat ditanya.",
                              "en": "This case did not come from a complaint; there is no reporter to ask."},
                             field="question")


def require_dismissal_particulars(reason: str, note: str | None, duplicate_of: str | None) -> None:
    """A duplicate names the case it repeats; another reason is said in words."""
    if reason == "duplicate" and not duplicate_of:
        raise InvalidCommand({"id": "Sebutkan nomor kasus yang sama (duplicate_of).",
                              "en": "Name the case this duplicates (duplicate_of)."}, field="duplicate_of")
    if reason == "other" and not note:
        raise InvalidCommand({"id": "Jelaskan alasannya (note).", "en": "Explain the reason (note)."}, field="note")


def no_pending_request_error() -> InvalidCommand:
    return InvalidCommand({"id": "Tidak ada permintaan pengungkapan yang menunggu keputusan dengan nomor itu.",
                           "en": "No pending disclosure request has that id."}, field="request_id")


def require_second_member(actor: dict, proposed_by: str | None) -> None:
    if actor.get("id") == proposed_by:
        raise SecondMemberRequired({
            "id": "Temuan ini diusulkan oleh Anda; anggota tim lain yang harus menyetujui atau menolaknya.",
            "en": "You proposed this finding; another team member must confirm or reject it."})


def require_identity_on_file(facts) -> None:
    if not (facts.reporter or {}).get("identity_sealed"):
        raise InvalidCommand({"id": "Pelapor kasus ini anonim; tidak ada identitas yang dapat diungkap.",
                              "en": "This case's reporter is anonymous; there is no identity to disclose."},
                             field="request_id")


def require_not_requester(actor: dict, requested_by: str) -> None:
    if actor.get("id") == requested_by:
        raise SecondMemberRequired({"id": "Ketua yang meminta pengungkapan tidak boleh menyetujuinya sendiri; "
                                          "ketua lain yang harus memutuskannya.",
                                    "en": "The ketua who requested a disclosure may not approve it; another "
                                          "ketua must decide."})


def no_disclosure_error() -> NotAllowed:
    return NotAllowed({"id": "Tidak ada pengungkapan identitas yang disetujui untuk Anda, atau masa "
                             "berlakunya telah habis.",
                       "en": "No disclosure of the identity is approved for you, or it has expired."})


def _not_eligible(reason_id: str, reason_en: str) -> RecipientNotEligible:
    return RecipientNotEligible({"id": f"Penerima ini tidak akan pernah dapat membaca identitas pelapor: {reason_id}",
                                 "en": f"This recipient could never read the reporter's identity: {reason_en}"},
                                field="recipient_id")


_NOT_ACTIVE = {
    INVITED: ("akunnya belum didaftarkan oleh pemiliknya.", "the account's holder has not enrolled yet."),
    INACTIVE: ("akunnya sudah dinonaktifkan.", "the account is deactivated."),
}


def require_possible_reader(recipient: dict | None, reported_work_unit: str | None, ever_forwarded: bool) -> dict:
    """The named person could read the identity if approved: an active (enrolled and confirmed) team
    or BKPPD account, not of the reported ASN's own work unit, and BKPPD only on a case forwarded to it.
    Returns the recipient."""
    if recipient is None:
        raise _not_eligible("akunnya tidak ditemukan.", "there is no such account.")
    if recipient["role"] not in DISCLOSURE_ROLES:
        raise _not_eligible("hanya anggota tim atau BKPPD yang dapat menerima identitas (admin tidak pernah).",
                            "only team members or BKPPD may receive an identity (an admin never).")
    if recipient["state"] != ACTIVE:
        raise _not_eligible(*_NOT_ACTIVE.get(recipient["state"], (
            "akunnya belum dikonfirmasi ketua.", "the account awaits a ketua's confirmation.")))
    if same_work_unit(recipient.get("work_unit"), reported_work_unit):
        raise _not_eligible("ia berasal dari unit kerja yang sama dengan ASN terlapor dan dikecualikan dari "
                            "kasus ini.", "they belong to the reported civil servant's own work unit and are "
                            "excluded from this case.")
    if recipient["role"] == "bkppd" and not ever_forwarded:
        raise _not_eligible("BKPPD hanya melihat kasus yang telah diteruskan kepadanya, dan kasus ini belum.",
                            "BKPPD sees only cases forwarded to it, and this one has not been.")
    return recipient


def require_three_people(requester_id: str, recipient_id: str, approver_id: str | None = None) -> None:
    if recipient_id == requester_id:
        raise ThreePeopleRequired({
            "id": "Peminta tidak boleh menjadi penerima identitas: peminta, penyetuju, dan penerima harus tiga orang "
                  "berbeda.",
            "en": "The requester may not be the recipient: requester, approver and recipient must be three "
                  "different people."}, field="recipient_id")
    if approver_id is not None and approver_id == recipient_id:
        raise ThreePeopleRequired({
            "id": "Ketua yang menyetujui tidak boleh menjadi penerima identitas: peminta, penyetuju, dan penerima "
                  "harus tiga orang berbeda.",
            "en": "The approving ketua may not be the recipient: requester, approver and recipient must be three "
                  "different people."}, field="request_id")


class HoldNotPossible(DomainError):
    """A hold placed on a case already held or purged, or lifted where none is in force."""

    code = "hold_not_possible"


def require_retention_state(*, held: bool, purged: bool, placing: bool) -> None:
    if purged:
        raise HoldNotPossible({"id": "Data pribadi kasus ini sudah dihapus karena masa retensinya habis; "
                                     "tidak ada lagi yang dapat ditahan.",
                               "en": "This case's personal data was purged at the end of its retention "
                                     "period; nothing is left to hold."})
    if placing and held:
        raise HoldNotPossible({"id": "Kasus ini sudah ditahan (legal hold). Lepaskan dulu untuk mengganti alasannya.",
                               "en": "This case is on legal hold already. Lift it first to change the reason."})
    if not placing and not held:
        raise HoldNotPossible({"id": "Kasus ini tidak sedang ditahan (legal hold).",
                               "en": "This case is not on legal hold."})
