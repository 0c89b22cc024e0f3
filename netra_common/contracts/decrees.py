"""A decree (SK) BKPPD uploads as a PDF: why one is refused, with the status and words every door
answers (casework's, which passes the file on, and evidence's, which inspects and keeps it).

evidence alone decides (services/evidence/domain/decree_pdf.py); casework answers a refusal from
evidence with the same entry here, so the person uploading reads the same words at either door.
"""

from __future__ import annotations

from netra_common.errors import ApiError

MEDIA_TYPE = "application/pdf"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

WHAT_WAS_FOUND = {
    "javascript": {"id": "JavaScript", "en": "JavaScript"},
    "launch": {"id": "perintah menjalankan program", "en": "an action that launches a program"},
    "embedded_file": {"id": "berkas tersemat", "en": "an embedded file"},
    "rich_media": {"id": "media aktif", "en": "rich media"},
    "too_many_objects": {"id": "terlalu banyak objek", "en": "too many objects"},
}

REFUSALS: dict[str, tuple[int, dict[str, str]]] = {
    "too_large": (413, {"id": "Berkas SK terlalu besar (paling besar {mib} MB).",
                        "en": "The decree file is too large (at most {mib} MB)."}),
    "not_pdf": (415, {"id": "Berkas SK harus berupa PDF (diawali %PDF-); berkas ini bukan PDF.",
                      "en": "The decree must be a PDF (starting %PDF-); this file is not one."}),
    "empty": (422, {"id": "Berkas SK kosong.", "en": "The decree file is empty."}),
    "unreadable_pdf": (422, {"id": "Berkas SK tidak dapat dibaca sebagai PDF (rusak atau terpotong). Simpan "
                                   "ulang dari aplikasi asalnya lalu unggah lagi.",
                             "en": "The decree cannot be read as a PDF (damaged or cut off). Save it again "
                                   "from the program that made it and upload it again."}),
    "encrypted_pdf": (422, {"id": "Berkas SK terkunci kata sandi; unggah PDF tanpa kata sandi.",
                            "en": "The decree is password-protected; upload a PDF without a password."}),
    "active_content": (422, {"id": "Berkas SK memuat {what}; yang diterima hanya PDF biasa tanpa isi aktif. "
                                   "Cetak ulang ke PDF lalu unggah lagi.",
                             "en": "The decree holds {what}; only a plain PDF without active content is "
                                   "accepted. Print it to PDF again and upload that."}),
}


def refusal(code: str, *, found: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ApiError:
    status, words = REFUSALS[code]
    what = WHAT_WAS_FOUND.get(found or "", {"id": "isi aktif", "en": "active content"})
    mib = max_bytes // (1024 * 1024)
    message = {lang: text.format(mib=mib, what=what[lang]) for lang, text in words.items()}
    return ApiError(status, f"decree_{code}", message,
                    details={"found": found} if found else {"max_bytes": max_bytes} if code == "too_large" else None)


class DecreeRefused(Exception):
    """evidence would not keep the file: `code` is a key of REFUSALS."""

    def __init__(self, code: str, found: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
        super().__init__(code)
        self.code, self.found, self.max_bytes = code, found, max_bytes

    def as_api_error(self) -> ApiError:
        return refusal(self.code, found=self.found, max_bytes=self.max_bytes)
