"""Decrees (SK) as PDFs for tests: a plain one BKPPD would upload, and the kinds evidence refuses,
each made here from the plain one so that only the named flaw differs."""

from __future__ import annotations

import io

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def plain_decree(number: str = "800/123/BKPPD/2026", pages: int = 1) -> bytes:
    pdf = FPDF()
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text=f"KEPUTUSAN KEPALA BKPPD KABUPATEN BENGKALIS NOMOR {number} (halaman {page})")
    return bytes(pdf.output())


def _rewritten(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_decree())))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_javascript() -> bytes:
    """Opening the file runs a script."""
    def add(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")})
    return _rewritten(add)


def with_attachment() -> bytes:
    return _rewritten(lambda writer: writer.add_attachment("lampiran.exe", b"MZ\x90\x00"))


def encrypted() -> bytes:
    return _rewritten(lambda writer: writer.encrypt("rahasia"))


def truncated() -> bytes:
    """Starts as a PDF, then stops: no reader can open it."""
    return plain_decree()[:300]


def not_a_pdf() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
