"""The case dossier for BKPPD as data: the case as it stood when the team forwarded it (or, before
that, as it stands now), in Bahasa Indonesia with times in WIB. Names of the team members who
proposed, confirmed and forwarded; no internal ids; of the reporter only "anonim" or
"teridentifikasi, tersegel".

The same history always gives the same document, so its canonical form has one SHA-256 and one
signature (dossier_seal.py): the forward's webhook names them, and the dossier fetched later matches.
"""

from __future__ import annotations

from collections.abc import Callable

from netra_common.contracts.reference import PLATFORMS, SANCTION_LEVELS, VIOLATION_TYPES
from netra_common.wib import in_wib
from services.casework.domain import events as ev
from services.casework.domain.case import Case
from services.casework.reports.dossier_words import ROLE_WORDS, step_words

VERSION = 1
ISSUER = "Tim Pemantau Netralitas ASN, Dinas Komunikasi dan Informatika Kabupaten Bengkalis"
COPY_WORDS = {"thumbnail": "gambar kecil", "sanitized": "salinan bersih", "original": "berkas asli"}

# Names a member's id as "Full Name (Peran)"; None for an id it does not know.
Names = Callable[[str], str | None]


def as_forwarded(history: list) -> list:
    """The history up to and including the last forwarding to BKPPD; all of it if never forwarded."""
    ends = [i for i, entry in enumerate(history) if entry.event_type == "forwarded_to_bkppd"]
    return history[: ends[-1] + 1] if ends else list(history)


def replay(case_id: str, history: list) -> Case:
    return Case.from_events(case_id, [(entry.event, entry.recorded_at) for entry in history])


def _who(actor: dict | None, names: Names) -> str:
    if not actor or actor.get("id") in (None, "system"):
        return "sistem Netra"
    return names(actor["id"]) or f"anggota tim ({ROLE_WORDS.get(actor.get('role'), actor.get('role'))})"


def _reporter(case: Case) -> str:
    if case.facts.source != "public":
        return "tidak ada (temuan pemantauan tim sendiri)"
    reporter = case.facts.reporter or {}
    return "teridentifikasi, tersegel" if reporter.get("identity_sealed") else "anonim"


def _custody(attached: ev.EvidenceAttached, history: list) -> str:
    views = [e.event for e in history if isinstance(e.event, ev.EvidenceViewed)
             and e.event.evidence_id == attached.evidence_id]
    kept = (f"Diterima {in_wib(attached.received_at)}; sidik SHA-256 dihitung dari berkas asli saat diterima, "
            "berkas asli disimpan terenkripsi tanpa dapat diubah.")
    if not views:
        return kept + " Belum pernah dibuka oleh siapa pun sampai tanggal berkas ini."
    by_copy: dict[str, int] = {}
    for view in views:
        by_copy[view.copy] = by_copy.get(view.copy, 0) + 1
    copies = ", ".join(f"{COPY_WORDS.get(c, c)} {n} kali" for c, n in sorted(by_copy.items()))
    return (kept + f" Dibuka {len(views)} kali oleh tim dengan izin tercatat ({copies}); "
            f"terakhir {in_wib(views[-1].viewed_at)}.")


def _finding(case: Case, history: list, names: Names) -> dict | None:
    finding = case.finding
    if finding is None:
        return None
    confirmed = next(e for e in reversed(history) if e.event is finding)
    proposed = next((e for e in reversed(history[: history.index(confirmed)])
                     if isinstance(e.event, ev.ViolationProposed)), None)
    return {
        "finding": finding.finding,
        "legal_basis": finding.legal_basis,
        "recommended_sanction_level": SANCTION_LEVELS.get(finding.sanction_level,
                                                          {"id": finding.sanction_level})["id"],
        "proposed_by": _who(proposed.event.actor if proposed else {"id": finding.proposed_by}, names),
        "proposed_at": in_wib(proposed.recorded_at) if proposed else None,
        "confirmed_by": _who(finding.actor, names),
        "confirmed_at": in_wib(confirmed.recorded_at),
    }


def _timeline(case: Case, history: list, names: Names) -> list[dict]:
    numbers = {e.evidence_id: n for n, e in enumerate(case.evidence, start=1)}
    steps = []
    for entry in history:
        words = step_words(entry.event)
        if words is None:
            continue
        if isinstance(entry.event, ev.EvidenceAttached) and entry.event.evidence_id in numbers:
            words = f"Tangkapan layar {numbers[entry.event.evidence_id]} diterima"
        steps.append({"at": in_wib(entry.recorded_at), "step": words, "by": _who(entry.event.actor, names)})
    return steps


def dossier(case_id: str, full_history: list, names: Names) -> dict:
    """The dossier document for the case whose stored history is `full_history`."""
    history = as_forwarded(full_history)
    case = replay(case_id, history)
    facts = case.facts
    reported = facts.reported or {}
    forwarded = history[-1] if history and history[-1].event_type == "forwarded_to_bkppd" else None
    return {
        "version": VERSION,
        "issuer": ISSUER,
        "case_number": facts.case_number,
        "state": "diteruskan ke BKPPD" if forwarded else "draf, belum diteruskan ke BKPPD",
        "as_of": in_wib(history[-1].recorded_at),
        "reported": {key: reported.get(key) for key in ("name", "nip", "position", "work_unit", "kecamatan")},
        "facts": {
            "source": "Pengaduan masyarakat" if facts.source == "public" else "Pemantauan tim",
            "received_at": in_wib(history[0].recorded_at),
            "platform": PLATFORMS.get(facts.platform, {"id": facts.platform})["id"],
            "account_handle": facts.account_handle,
            "post_urls": list(facts.post_urls),
            "occurred_at": in_wib(facts.occurred_at),
            "description": facts.description,
        },
        "reporter": _reporter(case),
        "violation_types": [VIOLATION_TYPES.get(v, {"id": v})["id"] for v in facts.violation_types],
        "finding": _finding(case, history, names),
        "forwarded": {"at": in_wib(forwarded.recorded_at), "by": _who(forwarded.event.actor, names)}
        if forwarded else None,
        "screenshots": [{"number": n, "sha256": e.sha256, "size": e.size, "content_type": e.content_type,
                         "width": e.width, "height": e.height, "received_at": in_wib(e.received_at),
                         "custody": _custody(e, history)} for n, e in enumerate(case.evidence, start=1)],
        "timeline": _timeline(case, history, names),
    }


def evidence_ids(case_id: str, full_history: list) -> list[str]:
    """The screenshots' ids in the dossier's order: to fetch their pictures, never to print."""
    return [e.evidence_id for e in replay(case_id, as_forwarded(full_history)).evidence]
