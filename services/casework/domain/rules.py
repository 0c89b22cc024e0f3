"""The rules the case aggregate enforces, each with the words a refusal carries."""

from __future__ import annotations

import re

from services.casework.domain.errors import DomainError, InvalidCommand, TransitionNotAllowed
from services.casework.domain.lifecycle import TRANSITIONS


class Recused(DomainError):
    code = "recused"


class SecondMemberRequired(DomainError):
    code = "second_member_required"


class NotAllowed(DomainError):
    code = "not_allowed"


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
