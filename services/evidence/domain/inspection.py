"""Is this upload a real image we accept? Decided from its bytes alone, under limits.

Only PNG, JPEG and WebP pass, and only when:
- the first bytes announce that type, and the file name (if it has an extension) agrees;
- Pillow decodes the whole image (not just its header) within pixel and size limits;
- nothing follows the image's own end (a ZIP or script glued on makes a polyglot);
- no markup hides inside (an HTML or SVG payload in a comment or text chunk).
Anything else gets a reason code; intake turns each into words for the reporter.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image

MAX_PIXELS = 40_000_000  # a 4K phone screen is 8 MP; long scrolling screenshots stay well below
MAX_SIDE = 20_000
MARKUP = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"<!doctype", b"javascript:")

SIGNATURES = {
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda b: len(b) >= 12 and b[0:4] == b"RIFF" and b[8:12] == b"WEBP",
}
PILLOW_FORMAT = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".jfif": "image/jpeg", ".webp": "image/webp"}


@dataclass(frozen=True)
class Inspection:
    sha256: str
    size: int
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    reason_code: str | None = None  # why it is rejected, or None

    @property
    def accepted(self) -> bool:
        return self.reason_code is None


class Refused(Exception):
    def __init__(self, reason_code: str):
        super().__init__(reason_code)
        self.reason_code = reason_code


def _detect(data: bytes) -> str:
    for content_type, matches in SIGNATURES.items():
        if matches(data[:16]):
            return content_type
    raise Refused("not_an_image")


def _check_name(filename: str | None, content_type: str) -> None:
    """A name that claims another type (a JPEG called .png, a PDF called .png) is refused."""
    extension = filename.rsplit(".", 1)[1].lower() if filename and "." in filename else ""
    if not (extension.isalpha() and len(extension) <= 5):
        return  # no extension, or dots that are part of the name ("Layar 9.30")
    if EXTENSIONS.get(f".{extension}") != content_type:
        raise Refused("type_mismatch")


def _png_end(data: bytes) -> int:
    offset = 8
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        offset += 12 + length
        if kind == b"IEND":
            return offset
    raise Refused("corrupt")


def _webp_end(data: bytes) -> int:
    return 8 + struct.unpack("<I", data[4:8])[0]


def _jpeg_end(data: bytes) -> int:
    """Walk the JPEG's segments and entropy-coded scans to the byte after its EOI marker."""
    offset = 2
    while offset + 2 <= len(data):
        if data[offset] != 0xFF:
            raise Refused("corrupt")
        marker = data[offset + 1]
        if marker == 0xD9:
            return offset + 2
        if marker == 0xFF:
            offset += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            offset += 2
            continue
        if offset + 4 > len(data):
            break
        length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
        offset += 2 + length
        if marker == 0xDA:  # start of scan: skip entropy-coded data to the next real marker
            while offset + 1 < len(data):
                if data[offset] == 0xFF and data[offset + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                offset += 1
    raise Refused("corrupt")


IMAGE_END = {"image/png": _png_end, "image/jpeg": _jpeg_end, "image/webp": _webp_end}


def _decode(data: bytes, content_type: str) -> tuple[int, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMAT[content_type]]) as image:
                width, height = image.size
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    raise Refused("too_many_pixels")
                image.load()  # decode every pixel: a truncated or broken file fails here
        except Refused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused("too_many_pixels") from None
        except Exception:  # noqa: BLE001 - any decoding failure means a broken image
            raise Refused("corrupt") from None
    return width, height


def inspect(data: bytes, filename: str | None = None) -> Inspection:
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    if not data:
        return Inspection(digest, 0, reason_code="empty")
    try:
        content_type = _detect(data)
        _check_name(filename, content_type)
        width, height = _decode(data, content_type)
        end = IMAGE_END[content_type](data)
        if data[end:].strip(b"\x00"):
            raise Refused("trailing_data")
        lowered = data.lower()
        if any(tag in lowered for tag in MARKUP):
            raise Refused("embedded_markup")
    except Refused as refused:
        return Inspection(digest, size, reason_code=refused.reason_code)
    return Inspection(digest, size, content_type, width, height)
