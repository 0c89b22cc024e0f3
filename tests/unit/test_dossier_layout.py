"""The dossier PDF's layout, without the stack: long links, long words and long descriptions wrap
inside the 20 mm margins (the old dossier put every value at x = 569.8 pt), Unicode names print as
written from the embedded DejaVu Sans, each picture is in the file, and a missing font folder is
named in the error."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from xml.etree import ElementTree

import pytest
from PIL import Image

from services.casework.reports import dossier_pdf

MM = 72 / 25.4
XHTML = "{http://www.w3.org/1999/xhtml}"


def _png(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _document() -> dict:
    long_url = "https://www.facebook.com/permalink.php?story_fbid=" + "1234567890" * 12
    return {
        "version": 1, "issuer": "Tim Pemantau Netralitas ASN", "case_number": "NTR-2026-00012",
        "state": "diteruskan ke BKPPD", "as_of": "7 Desember 2026, 09.12 WIB",
        "reported": {"name": "Nurhayati Ṣāliḥ", "nip": "198703152010012002", "position": "Guru",
                     "work_unit": "Dinas Pendidikan dan Kebudayaan Kabupaten Bengkalis", "kecamatan": "Bengkalis"},
        "facts": {"source": "Pengaduan masyarakat", "received_at": "1 Desember 2026, 10.00 WIB",
                  "platform": "Facebook", "account_handle": "nurhayati." + "s" * 90, "post_urls": [long_url],
                  "occurred_at": "30 November 2026, 19.30 WIB",
                  "description": "Membagikan unggahan kampanye pasangan calon nomor 2 di grup kecamatan. " * 12},
        "reporter": "anonim", "violation_types": ["Membagikan atau meneruskan konten kampanye"],
        "finding": {"finding": "Terbukti. " * 40, "legal_basis": "PP 94/2021 Pasal 5 huruf n",
                    "recommended_sanction_level": "Hukuman disiplin sedang", "proposed_by": "Andi (Anggota)",
                    "proposed_at": "3 Desember 2026, 10.00 WIB", "confirmed_by": "Sari (Ketua)",
                    "confirmed_at": "4 Desember 2026, 11.00 WIB"},
        "forwarded": {"at": "5 Desember 2026, 08.00 WIB", "by": "Sari (Ketua)"},
        "screenshots": [{"number": n, "sha256": f"{n}" * 64, "size": 123456, "content_type": "image/png",
                         "width": w, "height": h, "received_at": "1 Desember 2026, 10.00 WIB",
                         "custody": "Diterima 1 Desember 2026, 10.00 WIB."} for n, (w, h) in ((1, (1200, 800)),
                                                                                                (2, (720, 1600)))],
        "timeline": [{"at": "30 September 2026, 23.59 WIB", "step": "Kasus dibuka", "by": "sistem Netra"}] * 30,
        "seal": {"sha256": "b" * 64, "algorithm": "Ed25519", "key_id": "0123456789abcdef", "signature": "x"},
    }


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("dossier") / "berkas.pdf"
    path.write_bytes(dossier_pdf.as_pdf(_document(), [_png(1200, 800), _png(720, 1600)]))
    return path


def test_every_word_of_a_long_dossier_stays_inside_the_margins(pdf_file):
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf_file), "-"], check=True, capture_output=True).stdout
    pages = list(ElementTree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xhtml)).iter(f"{XHTML}page"))
    assert len(pages) >= 3
    for page in pages:
        width, height = float(page.attrib["width"]), float(page.attrib["height"])
        outside = [w.text for w in page.iter(f"{XHTML}word")
                   if float(w.attrib["xMin"]) < 20 * MM - 1 or float(w.attrib["xMax"]) > width - 20 * MM + 1
                   or float(w.attrib["yMin"]) < 10 * MM or float(w.attrib["yMax"]) > height - 10 * MM]
        assert outside == []


def test_the_unicode_name_prints_as_written_and_each_picture_is_in_the_file(pdf_file):
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], check=True, capture_output=True, text=True).stdout
    assert "Nurhayati Ṣāliḥ" in text
    listing = subprocess.run(["pdfimages", "-list", str(pdf_file)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    assert sorted((int(line.split()[3]), int(line.split()[4])) for line in listing) == [(720, 1600), (1200, 800)]


def test_a_missing_font_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="NETRA_DOSSIER_FONT_DIR"):
        dossier_pdf.as_pdf(_document(), [None, None], dossier_pdf.Layout(font_dir=str(tmp_path)))
