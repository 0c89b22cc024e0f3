"""The dossier document from a case's stored history: the case as it stood when forwarded, in
words and WIB, with who proposed and confirmed, each screenshot's custody, and no internal id or
reporter identity. What happens after the forward (views, BKPPD's decision) does not change it."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from services.casework.domain import events as ev
from services.casework.reports import dossier as dossiers
from services.casework.reports.dossier_seal import canonical_bytes

ANGGOTA = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": "Diskominfo"}
KETUA = {"id": str(uuid.uuid4()), "role": "ketua", "work_unit": "Diskominfo"}
NAMES = {ANGGOTA["id"]: "Andi Pratama (Anggota)", KETUA["id"]: "Sari Dewi (Ketua)"}
SHOTS = [str(uuid.uuid4()), str(uuid.uuid4())]
START = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _opened() -> ev.CaseOpened:
    return ev.CaseOpened(
        case_number="NTR-2026-00012", source="public", complaint_id=str(uuid.uuid4()), opened_at=START.isoformat(),
        reported={"name": "Nurhayati Ṣāliḥ", "nip": "198703152010012002", "position": "Guru",
                  "work_unit": "Dinas Pendidikan", "kecamatan": "Bengkalis"},
        platform="facebook", post_urls=["https://www.facebook.com/example/posts/123"], account_handle="nur.s",
        occurred_at="2026-11-29T19:30:00+07:00", violation_types=["share"],
        description="Membagikan unggahan kampanye.",
        reporter={"anonymous": False, "identity_sealed": True, "contact_consent": True})


def _shot(evidence_id: str, n: int) -> ev.EvidenceAttached:
    return ev.EvidenceAttached(evidence_id=evidence_id, upload_id=str(uuid.uuid4()), sha256=f"{n}" * 64, size=1000 + n,
                               content_type="image/png", received_at=START.isoformat(), width=640, height=480)


def _view(evidence_id: str, copy: str) -> ev.EvidenceViewed:
    return ev.EvidenceViewed(evidence_id=evidence_id, copy=copy, member_id=ANGGOTA["id"], member_role="anggota",
                             purpose="verifikasi", grant_id=str(uuid.uuid4()), viewed_at=START.isoformat())


def _history(*events) -> list:
    return [SimpleNamespace(event=e, event_type=e.type, recorded_at=START + timedelta(hours=i))
            for i, e in enumerate(events)]


FINDING = {"finding": "Terbukti membagikan unggahan kampanye.", "legal_basis": "PP 94/2021 Pasal 5 huruf n",
           "sanction_level": "sedang"}
FORWARDED = [
    _opened(), _shot(SHOTS[0], 1), _shot(SHOTS[1], 2),
    ev.CaseAssigned(assignee_id=ANGGOTA["id"], assignee_name="Andi Pratama", actor=KETUA),
    ev.VerificationStarted(actor=ANGGOTA), _view(SHOTS[0], "sanitized"), _view(SHOTS[0], "original"),
    ev.ViolationProposed(**FINDING, actor=ANGGOTA),
    ev.ViolationConfirmed(**FINDING, proposed_by=ANGGOTA["id"], actor=KETUA),
    ev.ForwardedToBkppd(actor=KETUA)]
LATER = [_view(SHOTS[1], "sanitized"),
         ev.SanctionDecided(sanction_type="teguran_tertulis", decree_number="800/BKPPD/2026/12",
                            decree_date="2026-12-20", actor=KETUA)]


def _dossier(events) -> dict:
    return dossiers.dossier(str(uuid.uuid4()), _history(*events), NAMES.get)


def test_the_dossier_names_who_proposed_confirmed_and_forwarded_in_wib():
    d = _dossier(FORWARDED)
    assert d["state"] == "diteruskan ke BKPPD"
    assert d["finding"]["proposed_by"] == "Andi Pratama (Anggota)"
    assert d["finding"]["confirmed_by"] == "Sari Dewi (Ketua)"
    assert d["finding"]["confirmed_at"] == "30 November 2026, 17.00 WIB"
    assert d["forwarded"] == {"at": "30 November 2026, 18.00 WIB", "by": "Sari Dewi (Ketua)"}
    assert [s["step"] for s in d["timeline"]][:4] == ["Kasus dibuka", "Tangkapan layar 1 diterima",
                                                     "Tangkapan layar 2 diterima", "Ditugaskan kepada Andi Pratama"]


def test_custody_counts_the_views_before_the_forward_and_the_reporter_is_only_sealed():
    d = _dossier(FORWARDED)
    assert "Dibuka 2 kali" in d["screenshots"][0]["custody"] and "berkas asli 1 kali" in d["screenshots"][0]["custody"]
    assert "Belum pernah dibuka" in d["screenshots"][1]["custody"]
    assert d["reporter"] == "teridentifikasi, tersegel"
    text = json.dumps(d, ensure_ascii=False)
    assert not UUID.search(text), "an internal id in the dossier"
    assert "Nurhayati Ṣāliḥ" in text


def test_what_happens_after_the_forward_does_not_change_the_dossier():
    case_id = str(uuid.uuid4())
    before = dossiers.dossier(case_id, _history(*FORWARDED), NAMES.get)
    after = dossiers.dossier(case_id, _history(*FORWARDED, *LATER), NAMES.get)
    assert canonical_bytes(before) == canonical_bytes(after)


def test_before_the_forward_the_dossier_is_a_draft():
    assert _dossier(FORWARDED[:-1])["state"].startswith("draf") and _dossier(FORWARDED[:-1])["forwarded"] is None
