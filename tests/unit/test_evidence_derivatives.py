"""The sanitized copy carries pixels only; the perceptual hash recognises the same post."""

from __future__ import annotations

import io

from PIL import Image

from services.evidence.domain.derivatives import (
    NEAR_DUPLICATE_DISTANCE,
    hash_distance,
    perceptual_hash,
    sanitized_copy,
    thumbnail,
)
from tests.support.hostile_files import photo_with_gps, with_xmp
from tests.support.screenshots import screenshot, variant


def test_the_sanitized_copy_has_no_exif_gps_xmp_or_comments():
    original = with_xmp(photo_with_gps())
    assert b"Rahmat Saragih" in original and Image.open(io.BytesIO(original)).getexif()
    clean = sanitized_copy(original)
    image = Image.open(io.BytesIO(clean))
    assert image.format == "WEBP"
    assert not image.getexif()
    assert set(image.info) <= {"loop", "background", "duration", "timestamp"}
    for marker in (b"Exif", b"XMP", b"Rahmat", b"PhoneMaker", b"GPS"):
        assert marker not in clean


def test_the_copies_are_sized_for_a_screen_and_a_list():
    big = screenshot(seed=1, width=2400, height=3000)
    assert max(Image.open(io.BytesIO(sanitized_copy(big))).size) == 1600
    assert max(Image.open(io.BytesIO(thumbnail(big))).size) == 320


def test_the_same_post_recompressed_cropped_a_little_and_resized_is_recognised():
    original = perceptual_hash(screenshot(seed=1))
    for crop in (0.0, 0.01, 0.02, 0.03):
        distance = hash_distance(original, perceptual_hash(variant(screenshot(seed=1), crop=crop)))
        assert distance <= NEAR_DUPLICATE_DISTANCE, (crop, distance)


def test_a_different_post_is_not_taken_for_the_same():
    original = perceptual_hash(screenshot(seed=1))
    for seed in range(2, 12):
        assert hash_distance(original, perceptual_hash(screenshot(seed=seed))) > NEAR_DUPLICATE_DISTANCE
