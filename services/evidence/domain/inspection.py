"""Is this upload a real image we accept? Decided from its bytes alone, under limits.

Only PNG, JPEG and WebP pass, and only when:
- they are the bytes intake received (the SHA-256 it hashed on receipt, when it sent one);
- the first bytes announce that type, and the file name (if it has an extension) agrees;
- the format's structure holds together, and nothing follows the image's own end (a ZIP or
  script glued on makes a polyglot);
- no markup hides in its metadata (an HTML or SVG payload in a comment or text chunk);
- Pillow decodes the whole image (not just its header) within pixel and size limits, and a
  JPEG is whole (see jpeg_complete: libjpeg accepts one cut in half).
Anything else gets a reason code; intake turns each into words for the reporter.

`examine` also hands back the decoded image, so the copies are made without decoding again.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image

from services.evidence.domain import containers, jpeg_complete
from services.evidence.domain.containers import Malformed

MAX_PIXELS = 40_000_000  # a 4K phone screen is 8 MP; long scrolling screenshots stay well below
MAX_SIDE = 20_000
MARKUP = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"<!doctype", b"javascript:")
# Every reason code evidence can give (intake has words for each in REJECTION_REASONS).
REASON_CODES = ("empty", "hash_mismatch", "not_an_image", "type_mismatch", "corrupt",
                "trailing_data", "embedded_markup", "too_many_pixels", "missing")

SIGNATURES = {
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda b: len(b) >= 12 and b[0:4] == b"RIFF" and b[8:12] == b"WEBP",
}
PILLOW_FORMAT = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".jfif": "image/jpeg", ".webp": "image/webp"}
STRIP_BYTES = 8 * 1024 * 1024  # pixels are compared a strip at a time, not copied whole


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


@dataclass(frozen=True)
class Examined:
    inspection: Inspection
    image: Image.Image | None = None  # the decoded pixels of an accepted upload; close it


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


def _structure(data: bytes, content_type: str):
    """(offset just after the image, its metadata parts, the JPEG layout or None)."""
    if content_type == "image/png":
        return containers.png_end(data), containers.png_metadata(data), None
    if content_type == "image/webp":
        return containers.webp_end(data), containers.webp_metadata(data), None
    layout = containers.jpeg_layout(data)
    jpeg_complete.check(layout)
    return layout.end, containers.jpeg_metadata(layout), layout


def _check_metadata(parts) -> None:
    for part in parts:
        lowered = part.lower()
        if any(tag in lowered for tag in MARKUP):
            raise Refused("embedded_markup")


def _decode(data: bytes, content_type: str) -> Image.Image:
    """Every pixel decoded (a truncated or broken file fails here), within the limits."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = None
        try:
            image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMAT[content_type]])
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise Refused("too_many_pixels")
            image.load()
            return image
        except Refused:
            if image is not None:
                image.close()
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused("too_many_pixels") from None
        except Exception:  # noqa: BLE001 - any decoding failure means a broken image
            if image is not None:
                image.close()
            raise Refused("corrupt") from None


def pixel_digest(image: Image.Image) -> bytes:
    digest = hashlib.sha256(image.mode.encode() + repr(image.size).encode())
    rows = max(1, STRIP_BYTES // max(1, image.width * len(image.getbands())))
    for top in range(0, image.height, rows):
        digest.update(image.crop((0, top, image.width, min(image.height, top + rows))).tobytes())
    return digest.digest()


def _decode_whole(data: bytes, content_type: str, layout) -> Image.Image:
    if layout is None:
        return _decode(data, content_type)
    # The probe is decoded (and let go) first, so only one full image is held at a time.
    probe = _decode(jpeg_complete.probe(data, layout), content_type)
    try:
        expected = pixel_digest(probe)
    finally:
        probe.close()
    image = _decode(data, content_type)
    if pixel_digest(image) != expected:
        image.close()
        raise Refused("corrupt")
    return image


def _check_trailing(data: bytes, layout) -> None:
    """Bytes after the image are refused, except the further images of a camera's MPF file
    (their metadata is checked like the first's; only the first is decoded and shown)."""
    extra = containers.mpf_images(data, layout) if layout is not None else None
    if extra is None:
        raise Refused("trailing_data")
    for image in extra:
        _check_metadata(containers.jpeg_metadata(image))


def _examine(data: bytes, filename: str | None) -> Image.Image:
    content_type = _detect(data)
    _check_name(filename, content_type)
    try:
        end, metadata, layout = _structure(data, content_type)
        _check_metadata(metadata)
        if data[end:].strip(b"\x00"):
            _check_trailing(data, layout)
    except (Malformed, IndexError, ValueError, struct.error):
        raise Refused("corrupt") from None
    return _decode_whole(data, content_type, layout)


def examine(data: bytes, filename: str | None = None,
            expected_sha256: str | None = None) -> Examined:
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    if not data:
        return Examined(Inspection(digest, 0, reason_code="empty"))
    if expected_sha256 and expected_sha256.lower() != digest:
        return Examined(Inspection(digest, size, reason_code="hash_mismatch"))
    try:
        image = _examine(data, filename)
    except Refused as refused:
        return Examined(Inspection(digest, size, reason_code=refused.reason_code))
    content_type = _detect(data)
    return Examined(Inspection(digest, size, content_type, image.width, image.height), image)


def inspect(data: bytes, filename: str | None = None,
            expected_sha256: str | None = None) -> Inspection:
    """The verdict alone (the decoded image is let go)."""
    examined = examine(data, filename, expected_sha256)
    if examined.image is not None:
        examined.image.close()
    return examined.inspection
