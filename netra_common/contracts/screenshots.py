"""Screenshots a team member hands in for a case (docs/decisions/0025): the limits, and why a file
is refused, with the status and the words every door answers (casework's, which checks the kind and
size and passes the files on, and evidence's, which inspects and keeps them).

evidence alone decides whether a file is a sound image (services/evidence/domain/inspection.py, the
same checks as a reporter's screenshots); casework answers evidence's refusal with the same entry
here, so the member reads the same words at either door. A request is kept whole or not at all: one
file refused, none is kept.
"""

from __future__ import annotations

from netra_common.errors import ApiError

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
# What a multipart body may hold beside the files themselves.
MAX_BODY_BYTES = MAX_TOTAL_BYTES + 1024 * 1024
PART = "screenshots"  # the form part each file travels in
MEDIA_TYPES = ("image/png", "image/jpeg", "image/webp")

_MIB = MAX_FILE_BYTES // (1024 * 1024)
REFUSALS: dict[str, tuple[int, dict[str, str]]] = {
    "missing": (400, {"id": "Lampirkan paling sedikit satu tangkapan layar (bagian formulir \u201cscreenshots\u201d).",
                      "en": "Attach at least one screenshot (form part \u201cscreenshots\u201d)."}),
    "count": (400, {"id": f"Paling banyak {MAX_FILES} tangkapan layar sekali kirim.",
                    "en": f"At most {MAX_FILES} screenshots at a time."}),
    "total": (413, {"id": f"Ukuran semua berkas lebih dari {MAX_TOTAL_BYTES // (1024 * 1024)} MB.",
                    "en": f"All files together are larger than {MAX_TOTAL_BYTES // (1024 * 1024)} MB."}),
    "too_large": (413, {"id": f"Berkas \u201c{{name}}\u201d lebih dari {_MIB} MB.",
                        "en": f"File \u201c{{name}}\u201d is larger than {_MIB} MB."}),
    "not_an_image": (415, {"id": "Berkas \u201c{name}\u201d bukan gambar PNG, JPEG, atau WebP.",
                           "en": "File \u201c{name}\u201d is not a PNG, JPEG or WebP image."}),
    "empty": (422, {"id": "Berkas \u201c{name}\u201d kosong.", "en": "File \u201c{name}\u201d is empty."}),
    "type_mismatch": (422, {"id": "Isi berkas \u201c{name}\u201d tidak sesuai dengan jenis gambar yang disebut "
                                  "namanya.",
                            "en": "The content of file \u201c{name}\u201d does not match the image type its "
                                  "name gives."}),
    "corrupt": (422, {"id": "Gambar \u201c{name}\u201d rusak atau terpotong; simpan ulang tangkapan layarnya.",
                      "en": "Image \u201c{name}\u201d is damaged or cut off; save the screenshot again."}),
    "too_many_pixels": (422, {"id": "Gambar \u201c{name}\u201d terlalu besar untuk diproses.",
                              "en": "Image \u201c{name}\u201d has too many pixels to process."}),
    "trailing_data": (422, {"id": "Berkas \u201c{name}\u201d berisi data lain selain gambar.",
                            "en": "File \u201c{name}\u201d carries data other than the image."}),
    "embedded_markup": (422, {"id": "Berkas \u201c{name}\u201d berisi kode atau markah (HTML, skrip) di samping "
                                    "gambarnya.",
                              "en": "File \u201c{name}\u201d carries code or markup (HTML, script) besides the "
                                    "image."}),
}
NOTHING_KEPT = {"id": "Tidak ada berkas yang disimpan.", "en": "No file was kept."}


def sniff(head: bytes) -> str | None:
    """The image type the first bytes announce, or None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def refusal(code: str, name: str = "", index: int | None = None) -> ApiError:
    status, words = REFUSALS.get(code, REFUSALS["corrupt"])
    message = {lang: f"{text.format(name=name)} {NOTHING_KEPT[lang]}" for lang, text in words.items()}
    return ApiError(status, f"screenshot_{code}", message,
                    details={"file": name, "index": index} if index is not None else None)


class ScreenshotRefused(Exception):
    """A file of the request is not kept (nor is any other of it): `code` is a key of REFUSALS."""

    def __init__(self, code: str, name: str = "", index: int | None = None):
        super().__init__(code)
        self.code, self.name, self.index = code, name, index

    def as_api_error(self) -> ApiError:
        return refusal(self.code, self.name, self.index)


def first_look(files: list[tuple[str, bytes]]) -> None:
    """What either door checks before anything is stored: how many, how large, which kind by the
    first bytes. Raises ScreenshotRefused for the first problem found."""
    if not files:
        raise ScreenshotRefused("missing")
    if len(files) > MAX_FILES:
        raise ScreenshotRefused("count")
    if sum(len(data) for _, data in files) > MAX_TOTAL_BYTES:
        raise ScreenshotRefused("total")
    for index, (name, data) in enumerate(files):
        if not data:
            raise ScreenshotRefused("empty", name, index)
        if len(data) > MAX_FILE_BYTES:
            raise ScreenshotRefused("too_large", name, index)
        if sniff(data[:16]) is None:
            raise ScreenshotRefused("not_an_image", name, index)
