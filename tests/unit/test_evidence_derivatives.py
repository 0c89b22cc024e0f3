"""The sanitized copy carries pixels only, at a size a person can read; the perceptual hash
recognises the same post."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, hash_distance
from services.evidence.domain.derivatives import make_copies, view_size
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
