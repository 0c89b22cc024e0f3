"""A corpus of hostile and broken uploads, made here rather than stored: each is what an
attacker or a broken phone could send, named for what it is."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

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


def jpeg_with_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.sh", "#!/bin/sh\necho owned\n")
    return jpeg(seed=7) + archive.getvalue()


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
    "jpeg with zip appended": ("layar.jpg", jpeg_with_zip(), "trailing_data"),
    "png with script in a text chunk": ("layar.png", None, "embedded_markup"),
    "decompression bomb": ("bom.png", decompression_bomb(), "too_many_pixels"),
    "huge dimensions": ("panjang.png", huge_dimensions(), "too_many_pixels"),
    "photo with exif gps": ("foto.jpg", photo_with_gps(), None),
    "screenshot png": ("layar.png", png(seed=9), None),
}


def _png_with_script() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>document.location='https://evil.example'</script>")
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png(seed=4))).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


CORPUS["png with script in a text chunk"] = ("layar.png", _png_with_script(), "embedded_markup")
