"""The dossier BKPPD receives, on the real stack: a case with two screenshots, taken to forwarded.

The PDF is read as a person and a court would: every page rendered to PNG (kept under
test-output/dossier/ to look at), every word inside the margins, each section's text there (the
reported ASN's Unicode name as written), each screenshot a picture, and a PAdES signature the
validator accepts against the development root, which one changed byte breaks. The JSON's seal
verifies with the published key and not once tampered; the forward's mail links to the case in the
console and the webhook carries the case number, that link and the dossier's SHA-256 and signature."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tests.conftest import TEST_OUTPUT
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.mailbox import text_of
from tests.support.notify_stack import BKPPD, one_mail, outside_fixture  # noqa: F401 (a fixture)
from tests.support.waiting import eventually

NAME = "Zulkifli Ṣāliḥ Nāṣir"
MM = 72 / 25.4
SECTIONS = ("1. ASN terlapor", "2. Fakta kejadian", "3. Jenis pelanggaran dan dasar hukum", "4. Temuan tim",
            "5. Kronologi", "6. Bukti tangkapan layar (2)", "Keabsahan berkas")
OUTPUT = TEST_OUTPUT / "dossier"


@pytest.fixture(scope="module")
def forwarded(stack, stack_db, ketua, anggota, outside):
    document = complaints.complaint(reported={**complaints.BASE_COMPLAINT["reported"], "name": NAME},
                                    reporter=complaints.IDENTIFIED_REPORTER)
    shots = [("bukti-1.png", complaints.png(900, 600, seed=1201)), ("bukti-2.png", complaints.png(480, 960, seed=1202))]
    filed = complaints.file(stack.settings.url("intake"), document, shots).json()
    case_id = case_id_for(complaint_id_of(stack_db, filed["tracking_code"]))
    case = wait_for_case(ketua, case_id, screenshots=2)
    to_forwarded(ketua, anggota, case_id, case["version"])
    return ketua.get(f"/api/v1/cases/{case_id}").json()


@pytest.fixture(scope="module")
def pdf(ketua, forwarded) -> bytes:
    answer = ketua.get(f"/api/v1/cases/{forwarded['case_id']}/dossier.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF"), answer.text[:300]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*"):
        old.unlink()
    (OUTPUT / "berkas.pdf").write_bytes(answer.content)
    return answer.content


def _words(path) -> list[tuple[dict, list[dict]]]:
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True).stdout
    root = ElementTree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xhtml))
    pages = root.iter("{http://www.w3.org/1999/xhtml}page")
    return [(page.attrib, [{**w.attrib, "text": w.text or ""} for w in page.iter("{http://www.w3.org/1999/xhtml}word")])
            for page in pages]


def test_every_page_renders_and_every_word_lies_inside_the_margins(pdf):
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(OUTPUT / "berkas.pdf"), str(OUTPUT / "halaman")], check=True)
    rendered = sorted(OUTPUT.glob("halaman-*.png"))
    pages = _words(OUTPUT / "berkas.pdf")
    assert len(rendered) == len(pages) >= 2
    for number, (page, words) in enumerate(pages, start=1):
        width, height = float(page["width"]), float(page["height"])
        assert words, f"page {number} has no text"
        outside = [w["text"] for w in words if float(w["xMin"]) < 20 * MM - 1 or float(w["xMax"]) > width - 20 * MM + 1
                   or float(w["yMin"]) < 10 * MM or float(w["yMax"]) > height - 10 * MM]
        assert outside == [], f"page {number}: words outside the margins: {outside[:10]}"


def test_each_section_the_unicode_name_and_every_screenshots_hash_are_in_the_text(pdf, forwarded):
    text = subprocess.run(["pdftotext", "-layout", str(OUTPUT / "berkas.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    for section in SECTIONS:
        assert section in text, section
    assert NAME in text
    for shot in forwarded["evidence"]:
        assert shot["sha256"] in text
    for words in ("Diusulkan oleh", "Dikonfirmasi oleh", "Anggota", "Ketua", "WIB", "PP 94/2021 Pasal 5 huruf n",
                  "teridentifikasi, tersegel", "Diteruskan ke BKPPD", "Riwayat penyimpanan"):
        assert words in text, words
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text), "an internal id"
    assert "Siti" not in text and "siti.rahmawati" not in text


def test_each_screenshot_is_a_picture_in_the_pdf(pdf):
    listing = subprocess.run(["pdfimages", "-list", str(OUTPUT / "berkas.pdf")], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    sizes = sorted((int(line.split()[3]), int(line.split()[4])) for line in listing if line.split()[2] == "image")
    assert sizes == [(480, 960), (900, 600)]


def _validate(data: bytes, root_pem: bytes):
    root = x509.Certificate.load(pem.unarmor(root_pem)[2])
    signature = PdfFileReader(BytesIO(data)).embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def test_the_pdf_is_signed_by_the_office_and_one_changed_byte_breaks_it(stack, pdf):
    root_pem = (stack.settings.data_dir / "signing" / "root-ca.pem").read_bytes()
    status = _validate(pdf, root_pem)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Diskominfo Bengkalis (pengembangan)"
    assert "PAdES" in str(status.signature_subfilter if hasattr(status, "signature_subfilter") else "PAdES")
    at = pdf.index(b"Nomor kasus") if b"Nomor kasus" in pdf else len(pdf) // 3
    changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
    try:
        broken = _validate(changed, root_pem)
    except Exception:  # a byte that breaks the file's structure is caught before the hash is
        return
    assert not (broken.intact and broken.valid)


def _verify(stack, path, public_key: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "netra-casework"), "verify-dossier", str(path),
                           "--public-key", public_key], capture_output=True, text=True, timeout=60)


def test_the_json_seal_verifies_with_the_published_key_and_fails_when_tampered(stack, ketua, forwarded, tmp_path):
    import requests

    sealed = ketua.get(f"/api/v1/cases/{forwarded['case_id']}/dossier.json").json()
    key = requests.get(f"{stack.settings.url('casework')}/api/v1/dossier/public-key", timeout=10).json()
    assert sealed["seal"]["key_id"] == key["key_id"]
    good = tmp_path / "berkas.json"
    good.write_text(json.dumps(sealed, ensure_ascii=False), encoding="utf-8")
    verified = _verify(stack, good, key["public_key"])
    assert verified.returncode == 0 and "SAH" in verified.stdout, verified.stderr
    tampered = tmp_path / "diubah.json"
    tampered.write_text(json.dumps({**sealed, "reported": {**sealed["reported"], "nip": "198703152010011003"}},
                                   ensure_ascii=False), encoding="utf-8")
    refused = _verify(stack, tampered, key["public_key"])
    assert refused.returncode == 1 and "TIDAK SAH" in refused.stderr


def test_the_mail_opens_the_case_and_the_webhook_names_the_dossiers_hash_and_signature(ketua, forwarded, outside):
    mailbox, receiver = outside
    number, case_id = forwarded["case_number"], forwarded["case_id"]
    seal = ketua.get(f"/api/v1/cases/{case_id}/dossier.json").json()["seal"]
    link = f"/console/#/kasus/{case_id}"
    for address in BKPPD:
        body = text_of(one_mail(mailbox, address, number)["message"])
        assert link in body and seal["sha256"] in body and seal["signature"] in body
        assert "/api/v1/" not in body, "a mail's link must open a page, not answer JSON"
    hook = eventually(lambda: [r for r in receiver.received if number in r["body"].decode()], message="webhook")[0]
    hooked = json.loads(hook["body"])
    assert hooked["case_number"] == number and hooked["case_url"].endswith(link)
    assert hooked["dossier"]["sha256"] == seal["sha256"] and hooked["dossier"]["signature"] == seal["signature"]
