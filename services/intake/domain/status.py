"""What the public sees of a complaint's progress, in words."""

from __future__ import annotations

RECEIVED = "received"

# Casework's stages, as the reporter may know them. A stage not listed here is
# shown as "being processed" rather than leaked under its internal name.
PUBLIC_STATUS: dict[str, dict[str, str]] = {
    "received": {"id": "Pengaduan diterima", "en": "Complaint received"},
    "opened": {"id": "Terdaftar sebagai kasus", "en": "Registered as a case"},
    "assigned": {"id": "Ditangani petugas tim", "en": "Assigned to a team member"},
    "under_verification": {"id": "Sedang diverifikasi", "en": "Being verified"},
    "clarification_requested": {
        "id": "Tim meminta klarifikasi dari Anda",
        "en": "The team asks you for clarification",
    },
    "violation_confirmed": {"id": "Pelanggaran terbukti", "en": "Violation confirmed"},
    "dismissed": {"id": "Tidak ditindaklanjuti", "en": "Not pursued"},
    "forwarded_to_bkppd": {"id": "Diteruskan ke BKPPD", "en": "Forwarded to BKPPD"},
    "sanction_decided": {
        "id": "BKPPD telah memutuskan sanksi",
        "en": "BKPPD has decided on a sanction",
    },
    "closed": {"id": "Selesai", "en": "Closed"},
}
PROCESSING = {"id": "Sedang diproses", "en": "Being processed"}

# What happens next at each stage, said to the reporter; the status page adds by when (the
# stage's working-day deadline casework sends with each change of stage).
NEXT_STEPS: dict[str, dict[str, str]] = {
    "received": {"id": "Tim pemantau mendaftarkan pengaduan Anda sebagai kasus.",
                 "en": "The monitoring team registers your complaint as a case."},
    "opened": {"id": "Ketua tim menunjuk petugas yang memeriksa pengaduan Anda.",
               "en": "The team's lead names the member who examines your complaint."},
    "assigned": {"id": "Petugas memeriksa unggahan dan bukti, lalu menyampaikan temuannya.",
                 "en": "The member examines the post and the evidence, then reports a finding."},
    "clarification_requested": {
        "id": "Tim menunggu jawaban Anda atas pertanyaannya, di halaman ini.",
        "en": "The team waits for your answer to its question, on this page."},
    "violation_confirmed": {"id": "Tim meneruskan kasus ke BKPPD.", "en": "The team forwards the case to BKPPD."},
    "forwarded_to_bkppd": {"id": "BKPPD memutuskan sanksinya.", "en": "BKPPD decides on the sanction."},
    "dismissed": {"id": "Tidak ada langkah lagi: pengaduan tidak ditindaklanjuti.",
                  "en": "Nothing more follows: the complaint is not pursued."},
    "sanction_decided": {"id": "Tidak ada langkah lagi: BKPPD telah memutuskan.",
                         "en": "Nothing more follows: BKPPD has decided."},
    "closed": {"id": "Tidak ada langkah lagi: pengaduan selesai ditangani.",
               "en": "Nothing more follows: the complaint has been dealt with."},
}
NEXT_STEPS["under_verification"] = NEXT_STEPS["violation_proposed"] = NEXT_STEPS["assigned"]


def next_step(status: str, lang: str = "id") -> str:
    return NEXT_STEPS.get(status, NEXT_STEPS["assigned"])[lang]


def public_label(status: str, lang: str = "id") -> str:
    return PUBLIC_STATUS.get(status, PROCESSING)[lang]


# Why evidence refused a screenshot, in words for the reporter.
REJECTION_REASONS: dict[str, dict[str, str]] = {
    "empty": {"id": "Berkas kosong.", "en": "The file is empty."},
    "not_an_image": {"id": "Berkas bukan gambar PNG, JPEG, atau WebP.",
                     "en": "The file is not a PNG, JPEG or WebP image."},
    "type_mismatch": {"id": "Isi berkas tidak sesuai dengan jenis gambarnya.",
                      "en": "The file's content does not match its image type."},
    "corrupt": {"id": "Gambar rusak atau terpotong; kirim ulang tangkapan layarnya.",
                "en": "The image is damaged or cut off; please send the screenshot again."},
    "too_many_pixels": {"id": "Ukuran gambar terlalu besar untuk diproses.",
                        "en": "The image has too many pixels to process."},
    "trailing_data": {"id": "Berkas berisi data lain selain gambar.",
                      "en": "The file carries data other than the image."},
    "embedded_markup": {"id": "Berkas berisi kode atau markah (HTML, skrip) di samping gambarnya.",
                        "en": "The file carries code or markup (HTML, script) besides the image."},
    "missing": {"id": "Berkas tidak sampai ke pemeriksaan bukti; kirim ulang tangkapan layarnya.",
                "en": "The file never reached the evidence check; please send the screenshot again."},
    "hash_mismatch": {"id": "Isi berkas berubah setelah diterima, sehingga tidak dapat dijadikan "
                            "bukti; kirim ulang tangkapan layarnya.",
                      "en": "The file's content changed after it was received, so it cannot be "
                            "used as evidence; please send the screenshot again."},
}
UNKNOWN_REJECTION = {"id": "Berkas tidak dapat diterima sebagai bukti.",
                     "en": "The file cannot be accepted as evidence."}
SCREENSHOT_STATES = {
    "pending": {"id": "Sedang diperiksa", "en": "Being checked"},
    "accepted": {"id": "Diterima sebagai bukti", "en": "Accepted as evidence"},
    "rejected": {"id": "Ditolak", "en": "Rejected"},
}


def rejection_reason(code: str | None, lang: str = "id") -> str | None:
    if code is None:
        return None
    return REJECTION_REASONS.get(code, UNKNOWN_REJECTION)[lang]


DISCLOSURE_LABEL = {
    "id": "Identitas Anda telah diungkapkan kepada {body} setelah disetujui ketua tim.",
    "en": "Your identity was disclosed to {body} after the team's ketua approved it.",
}
