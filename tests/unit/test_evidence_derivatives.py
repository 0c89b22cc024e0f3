"""The sanitized copy carries pixels only, at a size a person can read; the perceptual hash
recognises the same post."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, hash_distance
from services.evidence.domain.derivatives import make_copies, view_size
from services.evidence.domain.inspection import examine
from tests.support.hostile_files import photo_with_gps, with_xmp
from tests.support.screenshots import screenshot, variant


def copies(data: bytes):
    return make_copies(Image.open(io.BytesIO(data)))


def size_of(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_the_sanitized_copy_has_no_exif_gps_xmp_or_comments():
    original = with_xmp(photo_with_gps())
    assert b"Rahmat Saragih" in original and Image.open(io.BytesIO(original)).getexif()
    clean = copies(original).sanitized
    image = Image.open(io.BytesIO(clean))
    assert image.format == "WEBP"
    assert not image.getexif()
    assert set(image.info) <= {"loop", "background", "duration", "timestamp"}
    for marker in (b"Exif", b"XMP", b"Rahmat", b"PhoneMaker", b"GPS"):
        assert marker not in clean


def test_the_copies_are_sized_for_a_screen_and_a_list():
    made = copies(screenshot(seed=1, width=2400, height=3000))
    assert size_of(made.sanitized) == (1600, 2000)
    assert max(size_of(made.thumbnail)) == 320


@pytest.mark.parametrize("size, expected", [
    ((1080, 12000), (1080, 12000)),  # a long scrolling screenshot stays readable as it is
    ((1440, 16000), (1200, 13333)),  # past 16 MP it is scaled, width and length alike
    ((2160, 9000), (1600, 6666)),  # wider than a screen: the width is limited
    ((720, 20000), (589, 16383)),  # WebP's own limit on a side
    ((640, 480), (640, 480)),  # small images are kept as they are
])
def test_the_viewing_size_limits_width_and_pixels_not_the_longer_side(size, expected):
    width, height = view_size(*size)
    assert (width, height) == expected
    assert width * height <= 16_000_000


def test_the_viewing_copy_of_a_long_scrolling_screenshot_is_readable():
    made = make_copies(Image.open(io.BytesIO(screenshot(seed=3, width=1080, height=12000))))
    assert size_of(made.sanitized) == (1080, 12000)


def test_a_photo_taken_sideways_is_shown_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to view
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    made = copies(buffer.getvalue())
    assert size_of(made.sanitized) == (1600, 2133)


def test_a_palette_screenshot_with_transparency_keeps_its_alpha():
    image = Image.new("P", (300, 200), 0)
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    image.info["transparency"] = 0
    made = make_copies(image)
    assert Image.open(io.BytesIO(made.sanitized)).mode == "RGBA"


def test_the_same_post_recompressed_cropped_a_little_and_resized_is_recognised():
    original = copies(screenshot(seed=1)).perceptual_hash
    for crop in (0.0, 0.01, 0.02, 0.03):
        distance = hash_distance(original, copies(variant(screenshot(seed=1), crop=crop)).perceptual_hash)
        assert distance <= NEAR_DUPLICATE_DISTANCE, (crop, distance)


def test_a_different_post_is_not_taken_for_the_same():
    original = copies(screenshot(seed=1)).perceptual_hash
    for seed in range(2, 12):
        other = copies(screenshot(seed=seed)).perceptual_hash
        assert hash_distance(original, other) > NEAR_DUPLICATE_DISTANCE


# --- the perceptual hash's values stay what they were (issue 14) ---------------------------------
# Casework links near-duplicate screenshots by the hashes already stored, so a cheaper way of taking
# the hash (from the thumbnail, a reduced image, another resampler) is only taken if it gives these
# same values. Pinned from the route decided in 0027 (imagehash.phash of the viewing image in grey),
# over the kinds of images evidence takes: each decoded as the service decodes it.


def _png(image: Image.Image, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **params)
    return buffer.getvalue()


def _blocks(mode: str, size: tuple[int, int], seed: int, background) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new(mode, size, background)
    for _ in range(40):
        w, h = rng.randrange(10, size[0] // 2), rng.randrange(10, size[1] // 3)
        x, y = rng.randrange(size[0] - w), rng.randrange(size[1] - h)
        colour = tuple(rng.randrange(256) for _ in range(len(image.getbands())))
        image.paste(colour if len(colour) > 1 else colour[0], (x, y, x + w, y + h))
    return image


def _gradient(size: tuple[int, int], seed: int) -> Image.Image:
    y, x = np.mgrid[0:size[1], 0:size[0]]
    rgb = np.stack([(x * 255 // size[0]), (y * 255 // size[1]), ((x + y) * 7) % 256], axis=-1)
    noise = np.frombuffer(random.Random(seed).randbytes(rgb.size), dtype=np.uint8).reshape(rgb.shape) % 24
    return Image.fromarray(((rgb + noise) % 256).astype(np.uint8), "RGB")


def _turned() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to view
    return _png(_blocks("RGB", (1280, 720), 7, (240, 240, 240)), exif=exif.tobytes())


def _palette() -> bytes:
    image = _blocks("RGB", (600, 900), 8, (255, 255, 255)).quantize(32)
    return _png(image, transparency=0)


SAMPLES = {
    "flat 720x1280, the bench's make-up": (lambda: _png(_blocks("RGB", (720, 1280), 1, (30, 80, 40))),
                                           "c13e4c3356619ee6"),
    "noise 640x960": (lambda: _png(Image.frombytes("RGB", (640, 960), random.Random(2).randbytes(640 * 960 * 3))),
                      "bbc5335af3c40370"),
    "gradient 1080x2400": (lambda: _png(_gradient((1080, 2400), 3)), "953d11ae00bf02ff"),
    "wide 2400x1600, scaled to view": (lambda: _png(_gradient((2400, 1600), 4)), "95324dbb4fb04bb0"),
    "long 1080x6000": (lambda: _png(_blocks("RGB", (1080, 6000), 5, (255, 255, 255))), "aba8fd281a25b0d7"),
    "grey": (lambda: _png(_blocks("L", (500, 800), 6, 200)), "be3d60f0cb24d1ca"),
    "turned by its EXIF": (_turned, "ae0e8cf393c961e4"),
    "palette with transparency": (_palette, "ebcbc0ac9f9ed040"),
    "RGBA": (lambda: _png(_blocks("RGBA", (720, 1280), 9, (20, 20, 20, 255))), "c4893b899ddacc59"),
    "16-bit grey": (lambda: _png(Image.frombytes("I;16", (300, 400),
                                                 (np.arange(300 * 400, dtype="<u2") * 7).tobytes())),
                    "b619b61db698c668"),
    "1-bit": (lambda: _png(_blocks("L", (400, 400), 10, 0).point(lambda v: 255 if v > 128 else 0).convert("1")),
              "9cba6b6960b5cd24"),
    "tiny 17x9": (lambda: _png(_gradient((17, 9), 11)), "954baa55aa2aaa3b"),
}


@pytest.mark.parametrize("name", SAMPLES)
def test_the_perceptual_hash_keeps_the_values_already_stored(name):
    make, expected = SAMPLES[name]
    examined = examine(make(), "layar.png")
    assert examined.image is not None, examined.inspection
    try:
        assert make_copies(examined.image).perceptual_hash == expected
    finally:
        examined.image.close()
