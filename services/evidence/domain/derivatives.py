"""What the team looks at instead of the original: a clean re-encoded copy and a thumbnail,
and the perceptual hash that recognises the same post reported twice.

All three come from the one decoded image inspection made: it is scaled down once to the
viewing size, and the thumbnail and hash are taken from that.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import imagehash
from PIL import ExifTags, Image

# The viewing copy keeps a long scrolling screenshot readable: its width is limited, and its
# pixel count, never its longer side (1080 x 12000 stays 1080 x 12000). WebP cannot go past
# 16383 pixels a side.
VIEW_WIDTH = 1600
VIEW_PIXELS = 16_000_000
WEBP_MAX_SIDE = 16_383
THUMB_SIDE = 320
# WebP's effort (0 fastest .. 6 smallest); quality stays as set. Measured on a 720x1280 screenshot
# (issue 14): method 4 took 48 ms of CPU for the viewing copy, method 2 21 ms, the file within 10%.
WEBP_METHOD = 2
# The thumbnail is reduced by a whole factor first while it stays at least twice its size, then
# resampled (Pillow's reducing_gap): 6 ms instead of 13 for a 720x1280 screenshot, and at 320
# pixels no one can tell. The viewing copy keeps 3.0, which looks like a fair resample.
THUMB_REDUCING_GAP = 2.0

TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
             4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
             6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}
# Modes that scale well as they are; others (palettes, 1-bit, 16-bit) are converted first.
SCALABLE = {"RGB", "RGBA", "L", "LA", "CMYK"}


@dataclass(frozen=True)
class Copies:
    sanitized: bytes  # WebP
    thumbnail: bytes  # WebP
    perceptual_hash: str


def view_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, VIEW_WIDTH / width, WEBP_MAX_SIDE / height,
                math.sqrt(VIEW_PIXELS / (width * height)))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    scale = min(1.0, side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def view_image(image: Image.Image) -> Image.Image:
    """The image upright, at viewing size, as bare pixels: no EXIF, GPS, XMP, ICC or text.

    Scaled before it is turned or converted, so no full-size copy is made of a large image.
    """
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    mode = "RGBA" if _has_alpha(image) else "RGB"
    turned = orientation in (5, 6, 7, 8)
    upright = view_size(*(image.size[::-1] if turned else image.size))
    target = upright[::-1] if turned else upright
    plain = image.mode in SCALABLE and "transparency" not in image.info
    source = image if plain else image.convert(mode)
    scaled = source if source.size == target else \
        source.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if orientation in TRANSPOSE:
        scaled = scaled.transpose(TRANSPOSE[orientation])
    pixels = scaled.convert(mode) if scaled.mode != mode else scaled
    pixels.info = {}  # nothing of the source's metadata goes along
    return pixels


def webp(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD, exif=b"", xmp=b"", icc_profile=None)
    return buffer.getvalue()


def perceptual_hash(view: Image.Image) -> str:
    return str(imagehash.phash(view.convert("L")))


def make_copies(image: Image.Image) -> Copies:
    view = view_image(image)
    thumb = view.resize(_fit(view.size, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=THUMB_REDUCING_GAP)
    return Copies(webp(view, 90), webp(thumb, 80), perceptual_hash(view))
