"""A corpus of hostile and broken uploads, made here rather than stored: each is what an
attacker or a broken phone could send, named for what it is."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from PIL import Image, PngImagePlugin

from tests.support.complaints import png


def jpeg(width: int = 640, height: int = 480, seed: int = 1, exif: bytes | None = None) -> bytes:
    image = Image.open(io.BytesIO(png(width, height, seed=seed))).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def photo_with_gps() -> bytes:
    """A phone photo whose EXIF holds the place it was taken (Bengkalis) and the camera."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone X1"  # Model
    exif[0x0132] = "2024:10:01 09:30:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (1.0, 28.0, 12.0)
    gps[3], gps[4] = "E", (102.0, 6.0, 36.0)
    return jpeg(seed=5, exif=exif.tobytes())


def with_xmp(image_bytes: bytes) -> bytes:
    """Insert an XMP packet (APP1) naming a person right after the JPEG's SOI marker."""
    xmp = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
           b"<dc:creator>Rahmat Saragih</dc:creator></x:xmpmeta>")
    segment = b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp
    return image_bytes[:2] + segment + image_bytes[2:]


def decompression_bomb() -> bytes:
    """A tiny PNG that would inflate to 900 megapixels."""
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def huge_dimensions() -> bytes:
    """Within the pixel budget but absurdly long: 25,000 by 10 pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (25_000, 10), (200, 200, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_cut_in_half_with_an_end_marker() -> bytes:
    """What a broken upload leaves: half a JPEG, then an EOI marker (libjpeg only warns)."""
    whole = jpeg(width=800, height=600, seed=3)
    return whole[:len(whole) // 2] + b"\xff\xd9"


def _cut_before_nth(data: bytes, marker: bytes, n: int) -> bytes:
    offset = -1
    for _ in range(n):
        offset = data.index(marker, offset + 1)
    return data[:offset] + b"\xff\xd9"


def progressive_jpeg_cut_between_scans() -> bytes:
    """Every scan present is whole, but the later ones (the fine detail) never came."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(jpeg(seed=12))).save(buffer, "JPEG", progressive=True, quality=85)
    return _cut_before_nth(buffer.getvalue(), b"\xff\xda", 4)


def jpeg_cut_at_a_restart_marker() -> bytes:
    """Cut exactly where a restart interval ends: each interval decodes alone, so only the
    count of RSTn markers shows that the rest of the image is missing."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(jpeg(seed=13))).save(buffer, "JPEG", quality=85, restart_marker_rows=1)
    data = buffer.getvalue()
    return _cut_before_nth(data, b"\xff\xd3", 1)


def with_jpeg_comment(image_bytes: bytes, comment: bytes) -> bytes:
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return image_bytes[:2] + segment + image_bytes[2:]


def png_with(chunk_type: bytes | None = None, chunk: bytes = b"", text: str | None = None,
             compressed_text: bool = False, international: bool = False) -> bytes:
    """A screenshot PNG with a text chunk (tEXt, zTXt or iTXt) or a chunk of any type added."""
    info = PngImagePlugin.PngInfo()
    if text is not None and international:
        info.add_itxt("Description", text, zip=compressed_text)
    elif text is not None:
        info.add_text("Comment", text, zip=compressed_text)
    if chunk_type:
        info.add(chunk_type, chunk)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png(seed=4))).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def webp_with_xmp(xmp: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png(seed=6))).save(buffer, "WEBP", quality=80, xmp=xmp)
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def noise_png_whose_pixel_data_spells_svg(width: int = 512, height: int = 512) -> bytes:
    """A genuine image of random pixels in which, by the pixels' own values, the compressed
    data holds `<svg` (random bytes do not compress, so zlib keeps them verbatim). Written
    by hand so each row is stored unfiltered."""
    rng, rows = random.Random(11), []
    for _ in range(height):
        row = bytearray(rng.randbytes(width * 3))
        row[30:34] = b"<svg"  # three pixels' colour values
        rows.append(b"\x00" + bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _png_chunk(b"IEND", b""))


def jpeg_with_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.sh", "#!/bin/sh\necho owned\n")
    return jpeg(seed=7) + archive.getvalue()


def camera_mpf_photo(after_last: bytes = b"") -> bytes:
    """A phone camera's photo with a second picture after the first's end (Multi-Picture Format)."""
    first = Image.new("RGB", (320, 240), (40, 90, 160))
    second = Image.new("RGB", (160, 120), (200, 200, 200))
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    return out.getvalue() + after_last


def mpf_photo_with_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.sh", "#!/bin/sh\necho owned\n")
    return camera_mpf_photo(archive.getvalue())


CORPUS: dict[str, tuple[str, bytes, str | None]] = {
    # name: (filename, bytes, the reason code expected, or None when it must be accepted)
    "zero bytes": ("kosong.png", b"", "empty"),
    "svg with script": ("gambar.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)'
                        b"</script></svg>", "not_an_image"),
    "pdf renamed png": ("bukti.png", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "not_an_image"),
    "html renamed png": ("bukti.png", b"<!doctype html><html><script>fetch('/x')</script></html>",
                         "not_an_image"),
    "jpeg named png": ("layar.png", jpeg(seed=2), "type_mismatch"),
    "truncated jpeg": ("layar.jpg", jpeg(seed=3)[:4000], "corrupt"),
    "truncated jpeg with an end marker": ("layar.jpg", jpeg_cut_in_half_with_an_end_marker(),
                                          "corrupt"),
    "progressive jpeg cut between scans": ("layar.jpg", progressive_jpeg_cut_between_scans(),
                                           "corrupt"),
    "jpeg cut at a restart marker": ("layar.jpg", jpeg_cut_at_a_restart_marker(), "corrupt"),
    "jpeg with zip appended": ("layar.jpg", jpeg_with_zip(), "trailing_data"),
    "camera photo in multi-picture format with a zip after it": ("foto.jpg", mpf_photo_with_zip(),
                                                                 "trailing_data"),
    "camera photo in multi-picture format": ("foto.jpg", camera_mpf_photo(), None),
    "png with script in a text chunk": ("layar.png", png_with(
        text="<script>document.location='https://evil.example'</script>"), "embedded_markup"),
    "png with svg in a compressed text chunk": ("layar.png", png_with(
        text="<svg onload=alert(1)>", compressed_text=True), "embedded_markup"),
    "png with html in a compressed international text chunk": ("layar.png", png_with(
        text="<html><body>x</body></html>", compressed_text=True, international=True),
        "embedded_markup"),
    "png with a script in an unknown chunk": ("layar.png", png_with(
        b"prVt", b"<script>alert(1)</script>"), "embedded_markup"),
    "jpeg with svg in a comment": ("layar.jpg", with_jpeg_comment(
        jpeg(seed=14), b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        "embedded_markup"),
    "webp with a script in its xmp": ("layar.webp", webp_with_xmp(
        b"<x:xmpmeta><script>alert(1)</script></x:xmpmeta>"), "embedded_markup"),
    "decompression bomb": ("bom.png", decompression_bomb(), "too_many_pixels"),
    "huge dimensions": ("panjang.png", huge_dimensions(), "too_many_pixels"),
    "photo with exif gps": ("foto.jpg", photo_with_gps(), None),
    "screenshot png": ("layar.png", png(seed=9), None),
    "noise png whose pixel data spells svg": ("derau.png", noise_png_whose_pixel_data_spells_svg(),
                                              None),
}

