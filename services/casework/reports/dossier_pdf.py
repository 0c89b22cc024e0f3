"""The dossier as a PDF a person can read: A4, Bahasa Indonesia, an embedded Unicode font (DejaVu
Sans, so "Nurhayati Ṣāliḥ" prints as written), labelled rows that wrap inside the margins, and every
screenshot as a picture (its clean copy) beside its SHA-256, size, time of receipt and custody.

It lays out what reports/dossier.py decided and prints nothing else; the signature is added after
(pdf_signature.py), over these bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from PIL import Image

from netra_common.wib import in_wib

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "mono": "DejaVuSansMono.ttf"}
LABEL_WIDTH = 46  # mm
TIME_WIDTH = 54  # mm: "30 September 2026, 23.59 WIB" on one line
LINE = 5.2  # mm
PICTURE_MAX_HEIGHT = 115  # mm: a tall phone screenshot still leaves room for its rows


@dataclass(frozen=True)
class Layout:
    font_dir: str = DEFAULT_FONT_DIR
    signed_by: str = ""  # the certificate holder, printed where a reader looks for the signature


class _Page(FPDF):
    case_number = ""

    def footer(self):
        self.set_y(-16)
        self.set_font("DejaVu", size=7.5)
        self.set_text_color(90)
        self.cell(0, 5, f"Berkas kasus {self.case_number} \u00b7 Tim Pemantau Netralitas ASN Kabupaten Bengkalis "
                        f"\u00b7 halaman {self.page_no()} dari {{nb}}", align="C")
        self.set_text_color(0)


def _pdf(layout: Layout, case_number: str) -> _Page:
    pdf = _Page(format="A4", unit="mm")
    folder = Path(layout.font_dir)
    for style, name in FONT_FILES.items():
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: install fonts-dejavu-core or point "
                                    "NETRA_DOSSIER_FONT_DIR at a folder holding DejaVu Sans")
        family, font_style = ("DejaVuMono", "") if style == "mono" else ("DejaVu", style)
        pdf.add_font(family, font_style, str(folder / name))
    pdf.case_number = case_number
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_creation_date(datetime(2000, 1, 1))  # the PDF says when it was signed, not this
    pdf.set_title(f"Berkas kasus {case_number}")
    pdf.set_author("Tim Pemantau Netralitas ASN, Diskominfo Kabupaten Bengkalis")
    pdf.set_lang("id")
    pdf.add_page()
    return pdf


def _text(value) -> str:
    return "-" if value in (None, "", []) else str(value)


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(22):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11.5)
    pdf.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(150)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)


def _row(pdf: FPDF, label: str, value, *, mono: bool = False, label_width: float = LABEL_WIDTH) -> None:
    """A label and its value side by side; the value wraps within the page, the row never splits."""
    width = pdf.epw - label_width
    font = ("DejaVuMono", "", 8.5) if mono else ("DejaVu", "", 9.5)
    pdf.set_font(*font)
    lines = pdf.multi_cell(width, LINE, _text(value), align="L", dry_run=True, output=MethodReturnValue.LINES)
    if pdf.will_page_break(LINE * max(len(lines), 1)):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(label_width, LINE, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
    label_bottom = top + LINE * len(pdf.multi_cell(label_width, LINE, label, align="L", dry_run=True,
                                                    output=MethodReturnValue.LINES))
    pdf.set_font(*font)
    pdf.multi_cell(width, LINE, _text(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), label_bottom) + 0.8)


def _paragraph(pdf: FPDF, text: str, size: float = 9.5) -> None:
    pdf.set_font("DejaVu", "", size)
    pdf.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _title(pdf: FPDF, d: dict) -> None:
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 7.5, "BERKAS KASUS DUGAAN PELANGGARAN NETRALITAS ASN", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, f"Nomor kasus {d['case_number']}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, d["issuer"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(0, 5, f"Keadaan berkas: {d['state']}, per {d['as_of']}", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _size(shot: dict) -> str:
    size = f"{shot['size']:,}".replace(",", ".") + " bita"
    pixels = f", {shot['width']} \u00d7 {shot['height']} piksel" if shot.get("width") else ""
    return f"{size}{pixels} ({shot['content_type']})"


def _picture(pdf: FPDF, title: str, content: bytes | None) -> None:
    """The screenshot's title and picture, kept on one page."""
    if content is None:
        _caption(pdf, title)
        _paragraph(pdf, "Gambar tidak dapat diambil dari penyimpanan bukti saat berkas ini dibuat; "
                        "cocokkan berkas asli dengan sidik SHA-256 di bawah.")
        return
    with Image.open(BytesIO(content)) as image:
        ratio = image.height / image.width
    width = pdf.epw
    height = width * ratio
    if height > PICTURE_MAX_HEIGHT:
        height, width = PICTURE_MAX_HEIGHT, PICTURE_MAX_HEIGHT / ratio
    if pdf.will_page_break(height + 38):  # its four rows stay with it
        pdf.add_page()
    _caption(pdf, title)
    x, y = pdf.l_margin + (pdf.epw - width) / 2, pdf.get_y()
    pdf.image(BytesIO(content), x=x, y=y, w=width, h=height)
    pdf.set_draw_color(170)
    pdf.rect(x, y, width, height)
    pdf.set_y(y + height + 2)


def _caption(pdf: FPDF, title: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 6, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _screenshots(pdf: FPDF, d: dict, pictures: list[bytes | None]) -> None:
    shots = d["screenshots"]
    _heading(pdf, f"6. Bukti tangkapan layar ({len(shots)})")
    _paragraph(pdf, "Gambar di bawah adalah salinan bersih (metadata dan lokasi dihapus) dari tangkapan layar "
                    "yang diterima; sidik SHA-256 adalah sidik berkas asli sebagaimana diterima, yang disimpan "
                    "terenkripsi dan dapat diperiksa kembali.", size=8.5)
    for shot, picture in zip(shots, pictures, strict=True):
        _picture(pdf, f"Tangkapan layar {shot['number']} dari {len(shots)}", picture)
        _row(pdf, "SHA-256 berkas asli", shot["sha256"], mono=True)
        _row(pdf, "Ukuran", _size(shot))
        _row(pdf, "Diterima", shot["received_at"])
        _row(pdf, "Riwayat penyimpanan", shot["custody"])


def _case(pdf: FPDF, d: dict) -> None:
    r, f = d["reported"], d["facts"]
    _heading(pdf, "1. ASN terlapor")
    for label, key in (("Nama", "name"), ("NIP", "nip"), ("Jabatan", "position"), ("Unit kerja", "work_unit"),
                       ("Kecamatan", "kecamatan")):
        _row(pdf, label, r[key])
    _heading(pdf, "2. Fakta kejadian")
    _row(pdf, "Sumber", f["source"])
    _row(pdf, "Diterima Netra", f["received_at"])
    _row(pdf, "Pelapor", d["reporter"])
    _row(pdf, "Platform", f["platform"])
    _row(pdf, "Akun", f["account_handle"])
    _row(pdf, "Waktu kejadian", f["occurred_at"])
    _row(pdf, "Tautan unggahan", "\n".join(f["post_urls"]))
    _row(pdf, "Uraian", f["description"])
    finding = d["finding"] or {}
    _heading(pdf, "3. Jenis pelanggaran dan dasar hukum")
    _row(pdf, "Jenis pelanggaran", "\n".join(f"\u2022 {v}" for v in d["violation_types"]))
    _row(pdf, "Dasar hukum", finding.get("legal_basis"))
    _heading(pdf, "4. Temuan tim")
    _row(pdf, "Temuan", finding.get("finding"))
    _row(pdf, "Rekomendasi sanksi", finding.get("recommended_sanction_level"))
    _row(pdf, "Diusulkan oleh", f"{_text(finding.get('proposed_by'))}, {_text(finding.get('proposed_at'))}")
    _row(pdf, "Dikonfirmasi oleh", f"{_text(finding.get('confirmed_by'))}, {_text(finding.get('confirmed_at'))}")
    if d["forwarded"]:
        _row(pdf, "Diteruskan oleh", f"{d['forwarded']['by']}, {d['forwarded']['at']}")
    _heading(pdf, "5. Kronologi")
    for step in d["timeline"]:
        _row(pdf, step["at"], f"{step['step']} (oleh {step['by']})", label_width=TIME_WIDTH)


def _checkpoint(pdf: FPDF, signed: dict) -> None:
    """The signed log checkpoint the forward carried (docs/checkpoints.md): what BKPPD keeps to show
    later that the record was not rewritten (netra-casework verify-log --checkpoint)."""
    _heading(pdf, "7. Titik periksa log kasus")
    checkpoint, signature = signed["checkpoint"], signed["signature"]
    _row(pdf, "Posisi log", str(checkpoint["global_position"]))
    _row(pdf, "Hash seluruh log", checkpoint["log_hash"], mono=True)
    _row(pdf, "Ditandatangani", in_wib(checkpoint["signed_at"]))
    _row(pdf, "Tanda tangan", f"{signature['algorithm']}, kunci {signature['key_id']}: {signature['value']}", mono=True)


def _validity(pdf: FPDF, d: dict, layout: Layout) -> None:
    seal = d.get("seal") or {}
    _heading(pdf, "Keabsahan berkas")
    _row(pdf, "Ditandatangani", f"secara elektronik oleh {layout.signed_by or 'Diskominfo Kabupaten Bengkalis'} "
                                "(tanda tangan PDF; periksa di panel tanda tangan pembaca PDF)")
    _row(pdf, "Sidik berkas JSON", seal.get("sha256"), mono=True)
    _row(pdf, "Segel JSON", f"{seal.get('algorithm', '-')}, kunci {seal.get('key_id', '-')}")
    _paragraph(pdf, "Berkas JSON yang sama dapat diperiksa dengan kunci publik Netra "
                    "(GET /api/v1/dossier/public-key) atau perintah netra-casework verify-dossier.", size=8.5)


def as_pdf(d: dict, pictures: list[bytes | None], layout: Layout = Layout()) -> bytes:
    """The sealed dossier `d` laid out, with `pictures` (the clean copies, in the screenshots' order)."""
    pdf = _pdf(layout, d["case_number"])
    _title(pdf, d)
    _case(pdf, d)
    _screenshots(pdf, d, pictures)
    if d.get("checkpoint"):
        _checkpoint(pdf, d["checkpoint"])
    _validity(pdf, d, layout)
    return bytes(pdf.output())
