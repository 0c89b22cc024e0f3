"""Every team command in one table: the stages it may run in, who may run it, the body it takes,
how the request's fields become the aggregate's arguments, and what people are told of it.

Everything else about a command follows from here: the stages (`TRANSITIONS`, which the case
checks), the permission matrix's rows, the assignee rule, the API's bodies, routes and document,
the console's forms and words. The CLI cannot import this (it imports nothing from `services/`):
its copy is held to this table by a test. Adding a command is a row here, its method on the case,
its body in schemas.py and its field words in console/words.py if it brings new fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from services.casework.domain.accounts import ACTIVE, TeamMember
from services.casework.domain.errors import DomainError
from services.casework.domain.lifecycle import (
    ASSIGNED,
    CLARIFICATION_REQUESTED,
    CLOSED,
    DISMISSED,
    FORWARDED,
    SANCTION_DECIDED,
    STATUSES,
    UNDER_VERIFICATION,
    VIOLATION_CONFIRMED,
    VIOLATION_PROPOSED,
    WORKING,
)
from services.casework.domain.roles import LEADS, TEAM

if TYPE_CHECKING:
    from services.casework.domain.case import Case

MAX_DISCLOSURE_HOURS = 72


class NotFit(DomainError):
    """What a request's field names (an assignee, the original of a duplicate) is not there, or not
    fit for the command. Its code stays the base's `refused`, as the API has always said it."""


class Directory(Protocol):
    """What preparing a command looks up (adapters/directory.py): accounts as they are now, and
    cases by number."""

    def member(self, user_id: str) -> TeamMember | None: ...

    def case_numbered(self, number: str) -> str | None: ...


@dataclass(frozen=True)
class Asked:
    """What a preparation works with: the case as the member saw it, the unit of work's time, where
    to look things up, and where new ids come from."""

    case: Case
    at: datetime
    directory: Directory
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))


Fields = dict[str, Any]
Preparation = Callable[[Fields, Asked], Fields]


# --- preparations: a request's fields -> the aggregate's arguments ----------------------------


def as_sent(fields: Fields, asked: Asked) -> Fields:
    """The request's fields are the aggregate's arguments."""
    return dict(fields)


def name_assignee(fields: Fields, asked: Asked) -> Fields:
    """The assignee by id, as their account is now: an active (enrolled, confirmed) team member."""
    rest = dict(fields)
    assignee = asked.directory.member(str(rest.pop("assignee_id")))
    if assignee is None or assignee.role not in TEAM or assignee.state != ACTIVE:
        raise NotFit({"id": "Petugas yang ditunjuk bukan anggota tim yang aktif (terdaftar dan dikonfirmasi ketua).",
                      "en": "The assignee is not an active (enrolled and confirmed) team member."},
                     field="assignee_id")
    return {**rest, "assignee_id": str(assignee.user_id), "assignee_name": assignee.full_name,
            "assignee_work_unit": assignee.work_unit}


def new_message(fields: Fields, asked: Asked) -> Fields:
    """The question gets the id the reporter's answer will refer to."""
    return {**fields, "message_id": asked.new_id()}


def name_original(fields: Fields, asked: Asked) -> Fields:
    """A duplicate names another case that exists, by its number (as the team writes it)."""
    if not fields.get("duplicate_of"):
        return dict(fields)
    wanted = str(fields["duplicate_of"]).strip().upper()
    original = asked.directory.case_numbered(wanted)
    if original is None or original == asked.case.case_id:
        raise NotFit({"id": f"Tidak ada kasus lain bernomor {wanted}; sebutkan nomor kasus asalnya.",
                      "en": f"There is no other case numbered {wanted}; name the original case."},
                     field="duplicate_of")
    return {**fields, "duplicate_of": wanted}


def decree_date_as_text(fields: Fields, asked: Asked) -> Fields:
    """The decree's date as the event keeps it (YYYY-MM-DD)."""
    decree_date = fields["decree_date"]
    return {**fields, "decree_date": decree_date.isoformat() if isinstance(decree_date, date) else decree_date}


def _recipient(directory: Directory, user_id: str | None) -> dict | None:
    """The person a disclosure names, as their account is now (the rules decide whether they could read)."""
    member = directory.member(user_id) if user_id else None
    if member is None:
        return None
    return {"id": str(member.user_id), "name": member.full_name, "role": member.role,
            "work_unit": member.work_unit, "state": member.state}


def name_recipient(fields: Fields, asked: Asked) -> Fields:
    """The request gets its id; the person it names, as their account is now."""
    rest = dict(fields)
    recipient = _recipient(asked.directory, str(rest.pop("recipient_id")))
    return {**rest, "request_id": asked.new_id(), "recipient": recipient}


def approval_until(fields: Fields, asked: Asked) -> Fields:
    """Valid for the hours asked (at most 72) from now; the recipient as their account is now."""
    rest = {**fields, "request_id": str(fields["request_id"])}
    hours = min(int(rest.pop("valid_for_hours")), MAX_DISCLOSURE_HOURS)
    disclosure = asked.case.disclosures.get(rest["request_id"])
    return {**rest, "valid_until": asked.at + timedelta(hours=hours),
            "recipient": _recipient(asked.directory, disclosure.request.recipient_id) if disclosure else None}


def request_id_as_text(fields: Fields, asked: Asked) -> Fields:
    """The request's id as the case keeps it (text)."""
    return {**fields, "request_id": str(fields["request_id"])}


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamCommand:
    name: str
    stages: tuple[str, ...]  # where it may run
    roles: tuple[str, ...]  # who may run it: its row of the permission matrix
    label: str  # the console's button
    hint: str  # what it does, said before the member decides
    body: str = "CommandBody"  # its marshmallow body in schemas.py
    prepare: Preparation = as_sent
    assignee_only: bool = False  # an anggota only on a case assigned to them
    next_step: bool = True  # among the case's next steps (disclosures are beside the case's path)
    field_words: dict[str, str] = field(default_factory=dict)  # where a field means something else here
    cli: str | None = None  # the netra CLI's subcommand, if not the name with dashes

    @property
    def cli_name(self) -> str:
        return self.cli or self.name.replace("_", "-")


TEAM_COMMANDS: tuple[TeamCommand, ...] = (
    TeamCommand("assign", WORKING, LEADS, "Tugaskan petugas", "Menunjuk anggota yang memverifikasi kasus ini.",
                body="AssignBody", prepare=name_assignee),
    TeamCommand("start_verification", (ASSIGNED,), TEAM, "Mulai verifikasi",
                "Petugas mulai memeriksa unggahan dan bukti.", assignee_only=True),
    TeamCommand("request_clarification", (UNDER_VERIFICATION,), TEAM, "Minta klarifikasi pelapor",
                "Pertanyaan tampil di halaman status pelapor; pelapor punya 7 hari kerja.",
                body="RequestClarificationBody", prepare=new_message, assignee_only=True),
    TeamCommand("resume_verification", (CLARIFICATION_REQUESTED,), TEAM, "Lanjutkan tanpa jawaban pelapor",
                "Verifikasi berlanjut walau pelapor belum menjawab; tuliskan alasannya.",
                body="ResumeVerificationBody", assignee_only=True,
                field_words={"note": "Alasan melanjutkan tanpa jawaban"}),
    TeamCommand("propose_violation", (UNDER_VERIFICATION,), TEAM, "Usulkan pelanggaran",
                "Anggota tim lain harus mengonfirmasi usulan ini (aturan dua orang).",
                body="ProposeViolationBody", assignee_only=True),
    # Never by the member who proposed the finding (the case's rule), whatever the role.
    TeamCommand("confirm_violation", (VIOLATION_PROPOSED,), TEAM, "Konfirmasi pelanggaran",
                "Anda, sebagai anggota kedua, menyetujui temuan yang diusulkan."),
    TeamCommand("reject_proposal", (VIOLATION_PROPOSED,), TEAM, "Tolak usulan",
                "Usulan kembali ke verifikasi; tuliskan alasannya.", body="RejectProposalBody",
                field_words={"note": "Alasan penolakan"}),
    TeamCommand("dismiss", WORKING, TEAM, "Hentikan kasus (tidak dilanjutkan)",
                "Kasus tidak diteruskan; pilih alasannya.", body="DismissBody", prepare=name_original,
                assignee_only=True, field_words={"reason": "Alasan tidak dilanjutkan"}),
    TeamCommand("forward_to_bkppd", (VIOLATION_CONFIRMED,), ("ketua",), "Teruskan ke BKPPD",
                "BKPPD menerima berkas kasus dan pemberitahuan.", cli="forward"),
    TeamCommand("record_sanction", (FORWARDED,), ("bkppd",), "Catat keputusan sanksi",
                "Keputusan BKPPD dicatat; kasus lalu selesai dengan sendirinya.", body="RecordSanctionBody",
                prepare=decree_date_as_text),
    TeamCommand("close", (DISMISSED, SANCTION_DECIDED), ("ketua",), "Tutup kasus", "Kasus dinyatakan selesai.",
                body="CloseBody"),
    TeamCommand("reopen", (DISMISSED, CLOSED), ("ketua",), "Buka kembali kasus",
                "Kasus kembali ke antrean kerja; tuliskan alasannya.", body="ReopenBody",
                field_words={"reason": "Alasan membuka kembali"}),
    TeamCommand("request_disclosure", STATUSES, TEAM, "Minta pengungkapan identitas pelapor",
                "Ketua memutuskan; identitas hanya untuk penerima yang disebut, untuk waktu terbatas.",
                body="RequestDisclosureBody", prepare=name_recipient, next_step=False,
                field_words={"reason": "Alasan (urgensi dan akibatnya)"}),
    # Never by the member who requested it, never by the one it names (the case's rules).
    TeamCommand("approve_disclosure", STATUSES, ("ketua",), "Setujui pengungkapan identitas",
                "Penerima dapat membaca identitas pelapor selama waktu yang Anda tentukan.",
                body="ApproveDisclosureBody", prepare=approval_until, next_step=False),
    TeamCommand("deny_disclosure", STATUSES, ("ketua",), "Tolak pengungkapan identitas",
                "Permintaan ditolak; tuliskan alasannya.", body="DenyDisclosureBody", prepare=request_id_as_text,
                next_step=False, field_words={"note": "Alasan penolakan"}),
    # Retention (docs/retention.md): only the ketua keeps a case past its period, and lifts that.
    TeamCommand("place_legal_hold", STATUSES, ("ketua",), "Tahan kasus (legal hold)",
                "Data kasus tidak dihapus saat masa retensinya habis, sampai penahanan dilepas; pilih "
                "alasannya (banding, permintaan pengadilan, ...).", body="PlaceLegalHoldBody", next_step=False,
                field_words={"reason": "Alasan penahanan", "note": "Keterangan (nomor surat, perkara)"},
                cli="hold"),
    TeamCommand("lift_legal_hold", STATUSES, ("ketua",), "Lepaskan penahanan",
                "Kasus kembali mengikuti jadwal retensinya (sedikitnya 90 hari lagi sebelum dihapus).",
                body="LiftLegalHoldBody", next_step=False, field_words={"note": "Alasan melepas penahanan"},
                cli="release-hold"),
)
COMMANDS: dict[str, TeamCommand] = {c.name: c for c in TEAM_COMMANDS}
TRANSITIONS: dict[str, tuple[str, ...]] = {c.name: c.stages for c in TEAM_COMMANDS}
ASSIGNEE_ONLY_FOR_ANGGOTA: tuple[str, ...] = tuple(c.name for c in TEAM_COMMANDS if c.assignee_only)
