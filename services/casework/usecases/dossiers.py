"""The dossier for BKPPD, sealed: built from the case's stored history (as it stood when forwarded)
and the names of the members who acted, then signed (reports/dossier_seal.py). The forward's
unit of work calls it too, so what BKPPD is told at the forward (SHA-256 and signature) is what
the dossier fetched later carries."""

from __future__ import annotations

import uuid

from services.casework.adapters import accounts, checkpoints
from services.casework.adapters.case_repository import CaseRepository
from services.casework.reports import dossier as dossiers
from services.casework.reports.dossier_seal import SEAL, DossierSealer
from services.casework.reports.dossier_words import ROLE_WORDS


def member_names(conn):
    """A names function for the dossier: "Full Name (Peran)" for a member's id."""
    known: dict[str, str | None] = {}

    def name(member_id: str) -> str | None:
        if member_id not in known:
            member = accounts.find_member(conn, member_id)
            known[member_id] = f"{member.full_name} ({ROLE_WORDS.get(member.role, member.role)})" if member else None
        return known[member_id]

    return name


def sealed_dossier(conn, sealer: DossierSealer, case_id) -> tuple[dict, list[str]]:
    """The sealed dossier document and the ids of its screenshots (to fetch pictures, never printed)."""
    found = CaseRepository(conn).get_with_history(uuid.UUID(str(case_id)))
    if found is None:
        raise LookupError(case_id)
    _, history = found
    document = dossiers.dossier(str(case_id), history, member_names(conn))
    # The log's signed checkpoint taken with the forward (decision 0016): sealed and printed with it.
    if checkpoint := checkpoints.of_forward(conn, case_id):
        document["checkpoint"] = checkpoint
    return sealer.seal(document), dossiers.evidence_ids(str(case_id), history)


def forwarding_summary(conn, sealer: DossierSealer, case_id) -> dict:
    """What the forward's event carries of the dossier: its SHA-256 and signature."""
    sealed, _ = sealed_dossier(conn, sealer, case_id)
    return dict(sealed[SEAL])
