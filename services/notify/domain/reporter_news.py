"""Which of a case's stages are news to its reporter: one mail per change they care about.

A reporter hears that the complaint was received, that it is being examined, that the team has a
question (its own message, reporter_question) and that a decision was made; never one mail per
internal step. Assigned, verification started and a finding proposed are all "being examined":
the first of them is news, the rest are not. A case reopened is examined again; a case closed after
its decision is no news (the decision was).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class News:
    milestone: str  # kept per complaint: the last one the reporter was told of
    headline: str  # the mail's subject
    words: str  # its one sentence: what happened, without the complaint's details


RECEIVED = News("received", "Pengaduan Anda sudah diterima",
                "Pengaduan Anda sudah diterima dan terdaftar. Tim pemantau akan memeriksanya.")
EXAMINED = News("examined", "Pengaduan Anda sedang diperiksa",
                "Tim pemantau sedang memeriksa pengaduan Anda.")
DECIDED = News("decided", "Ada keputusan atas pengaduan Anda",
               "Tim pemantau sudah memutuskan tindak lanjut pengaduan Anda.")
SANCTIONED = News("sanctioned", "BKPPD telah memutuskan atas pengaduan Anda",
                  "BKPPD sudah mengambil keputusan atas pengaduan Anda.")

_BY_STATUS = {
    "assigned": EXAMINED, "under_verification": EXAMINED, "violation_proposed": EXAMINED,
    "dismissed": DECIDED, "violation_confirmed": DECIDED, "forwarded_to_bkppd": DECIDED,
    "sanction_decided": SANCTIONED,
}


def news_of(status: str, previous_status: str | None) -> News | None:
    """The news this change of stage is to the reporter, or None if it is none of theirs
    (a question has its own message; a case closed after its decision is no news)."""
    if status == "opened":
        return RECEIVED if previous_status is None else EXAMINED  # a reopened case is examined again
    return _BY_STATUS.get(status)
