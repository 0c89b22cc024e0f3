"""What the dossier says of each step of a case, in Bahasa Indonesia: a sentence a BKPPD officer
can read aloud at a hearing. Steps that only record who looked (views of screenshots, the vault's
disclosures) are not steps of the case and have no words here: the custody summary counts views."""

from __future__ import annotations

from services.casework.domain import events as ev

ROLE_WORDS = {"ketua": "Ketua", "sekretaris": "Sekretaris", "anggota": "Anggota", "bkppd": "BKPPD",
              "admin": "Admin"}

STEP_WORDS = {
    "case_opened": "Kasus dibuka",
    "evidence_attached": "Tangkapan layar diterima",
    "case_assigned": "Ditugaskan",
    "evidence_rejected": "Sebuah unggahan ditolak pemeriksaan bukti (bukan gambar yang sah)",
    "verification_started": "Verifikasi dimulai",
    "clarification_requested": "Klarifikasi diminta dari pelapor",
    "reporter_replied": "Pelapor mengirim jawaban",
    "clarification_answered": "Klarifikasi dinyatakan terjawab",
    "verification_resumed": "Verifikasi dilanjutkan tanpa menunggu jawaban pelapor",
    "violation_proposed": "Temuan pelanggaran diusulkan",
    "proposal_rejected": "Usulan temuan ditolak anggota kedua",
    "violation_confirmed": "Pelanggaran dikonfirmasi anggota kedua",
    "case_dismissed": "Kasus tidak dilanjutkan",
    "forwarded_to_bkppd": "Diteruskan ke BKPPD",
    "sanction_decided": "Sanksi diputuskan BKPPD",
    "case_closed": "Kasus ditutup",
    "case_reopened": "Kasus dibuka kembali",
    "case_overdue": "Melewati batas waktu tahap",
}


def step_words(event: ev.CaseEvent) -> str | None:
    """The step in words, with what it named (whom a case was assigned to, why it was reopened)."""
    words = STEP_WORDS.get(event.type)
    if words is None:
        return None
    if isinstance(event, ev.CaseAssigned):
        return f"Ditugaskan kepada {event.assignee_name}"
    if isinstance(event, ev.CaseReopened):
        return f"{words}: {event.reason}"
    return words
