"""What the team looks at instead of the original: a clean re-encoded copy and a thumbnail,
and the perceptual hash that recognises the same post reported twice."""

from __future__ import annotations

import io

import imagehash
from PIL import Image, ImageOps

VIEW_SIDE = 1600
THUMB_SIDE = 320
# Hamming distance between 64-bit pHashes under which two screenshots show the same post:
# re-compression, small crops and resizing stay well below it, different posts well above.
NEAR_DUPLICATE_DISTANCE = 12


def _pixels_only(data: bytes) -> Image.Image:
    """The image upright, as bare pixels: no EXIF, GPS, XMP, ICC, text chunks or comments."""
    with Image.open(io.BytesIO(data)) as source:
        upright = ImageOps.exif_transpose(source)
        mode = "RGBA" if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info \
            else "RGB"
        converted = upright.convert(mode)
        # A new image from raw pixels carries none of the source's metadata.
        return Image.frombytes(mode, converted.size, converted.tobytes())


def _webp(image: Image.Image, side: int, quality: int) -> bytes:
    image = image.copy()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=4)
    return buffer.getvalue()


def sanitized_copy(data: bytes) -> bytes:
    return _webp(_pixels_only(data), VIEW_SIDE, 90)


def thumbnail(data: bytes) -> bytes:
    return _webp(_pixels_only(data), THUMB_SIDE, 80)


def perceptual_hash(data: bytes) -> str:
    return str(imagehash.phash(_pixels_only(data).convert("L")))


def hash_distance(a: str, b: str) -> int:
    return imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b)


def near_duplicates(a: str, b: str) -> bool:
    return hash_distance(a, b) <= NEAR_DUPLICATE_DISTANCE
