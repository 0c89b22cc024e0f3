"""The case dossier for BKPPD, as JSON and as PDF: the facts, the finding, the legal basis,
the timeline and each screenshot's SHA-256. No internal ids, no reporter identity."""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from netra_common.contracts.reference import PLATFORMS, SANCTION_LEVELS, SANCTION_TYPES, VIOLATION_TYPES
from netra_common.wib import in_wib
from services.casework.domain.case import Case

STEP_WORDS = {
    "case_opened": "Kasus dibuka", "case_assigned": "Ditugaskan kepada petugas",
    "verification_started": "Verifikasi dimulai", "clarification_requested": "Klarifikasi diminta",
    "reporter_replied": "Pelapor menjawab", "clarification_answered": "Klarifikasi terjawab",
    "violation_proposed": "Temuan diusulkan anggota tim",
    "proposal_rejected": "Usulan temuan ditolak anggota kedua",
    "violation_confirmed": "Pelanggaran dikonfirmasi anggota kedua",
    "case_dismissed": "Kasus tidak ditindaklanjuti", "forwarded_to_bkppd": "Diteruskan ke BKPPD",
    "sanction_decided": "Sanksi diputuskan BKPPD", "case_closed": "Kasus ditutup",
    "case_reopened": "Kasus dibuka kembali", "evidence_attached": "Tangkapan layar diterima",
    "case_overdue": "Melewati batas waktu tahap",
}


def dossier(case: Case, history: list) -> dict:
    f, finding = case.facts, case.finding
    reported = f.reported or {}
    return {
        "case_number": f.case_number,
        "generated_at": in_wib(datetime.now(UTC)),
        "status": case.status,
        "reported": {"name": reported.get("name"), "nip": reported.get("nip"),
                     "position": reported.get("position"), "work_unit": reported.get("work_unit"),
                     "kecamatan": reported.get("kecamatan")},
        "platform": PLATFORMS.get(f.platform, {"id": f.platform})["id"],
        "post_urls": f.post_urls,
        "account_handle": f.account_handle,
        "occurred_at": in_wib(f.occurred_at),
        "violation_types": [VIOLATION_TYPES.get(v, {"id": v})["id"] for v in f.violation_types],
        "description": f.description,
        "source": "Pengaduan masyarakat" if f.source == "public" else "Pemantauan tim",
        "reporter": "Identitas pelapor dirahasiakan.",
        "finding": {
            "finding": finding.finding, "legal_basis": finding.legal_basis,
            "recommended_sanction_level": SANCTION_LEVELS.get(finding.sanction_level,
                                                              {"id": finding.sanction_level})["id"],
            "verification": "Diusulkan oleh satu anggota tim dan dikonfirmasi oleh anggota kedua.",
        } if finding else None,
        "sanction": {"decision": SANCTION_TYPES[case.sanction.sanction_type]["id"],
                     "decree_number": case.sanction.decree_number,
                     "decree_date": case.sanction.decree_date} if case.sanction else None,
        "screenshots": [{"sha256": e.sha256, "received_at": in_wib(e.received_at),
                         "content_type": e.content_type, "size": e.size} for e in case.evidence],
        "timeline": [{"at": in_wib(e.recorded_at), "step": STEP_WORDS[e.event_type]}
                     for e in history if e.event_type in STEP_WORDS],
    }


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"Netra - Diskominfo Kabupaten Bengkalis - halaman {self.page_no()}", align="C")


def _latin1(text: str) -> str:
    return str(text).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"') \
        .encode("latin-1", "replace").decode("latin-1")


def as_pdf(d: dict) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text):
        pdf.set_font("Helvetica", "B", 12)
        pdf.ln(3)
        pdf.multi_cell(width, 7, _latin1(text))

    def line(label, value):
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(width, 5.5, _latin1(f"{label}: {value if value not in (None, '') else '-'}"))

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(width, 8, _latin1(f"Berkas Kasus {d['case_number']}"))
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(width, 5.5, _latin1("Dugaan pelanggaran netralitas ASN di media sosial. "
                                       f"Dibuat {d['generated_at']}."))
    heading("ASN terlapor")
    for key, label in (("name", "Nama"), ("nip", "NIP"), ("position", "Jabatan"),
                       ("work_unit", "Unit kerja"), ("kecamatan", "Kecamatan")):
        line(label, d["reported"][key])
    heading("Kejadian")
    line("Sumber", d["source"])
    line("Platform", d["platform"])
    line("Akun", d["account_handle"])
    line("Waktu kejadian", d["occurred_at"])
    line("Tautan", ", ".join(d["post_urls"]))
    line("Jenis pelanggaran", "; ".join(d["violation_types"]))
    line("Uraian", d["description"])
    line("Pelapor", d["reporter"])
    if d["finding"]:
        heading("Temuan tim")
        line("Temuan", d["finding"]["finding"])
        line("Dasar hukum", d["finding"]["legal_basis"])
        line("Rekomendasi tingkat sanksi", d["finding"]["recommended_sanction_level"])
        line("Verifikasi", d["finding"]["verification"])
    if d["sanction"]:
        heading("Keputusan BKPPD")
        line("Sanksi", d["sanction"]["decision"])
        line("Nomor keputusan", d["sanction"]["decree_number"])
        line("Tanggal keputusan", d["sanction"]["decree_date"])
    heading("Bukti tangkapan layar (sidik SHA-256)")
    for i, shot in enumerate(d["screenshots"], start=1):
        line(f"{i}. diterima {shot['received_at']}", shot["sha256"])
    heading("Riwayat")
    for step in d["timeline"]:
        line(step["at"], step["step"])
    return bytes(pdf.output())
