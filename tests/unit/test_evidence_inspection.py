"""evidence takes only real images: the hostile corpus, and images that must still pass."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.evidence.domain.inspection import inspect
from tests.support import complaints
from tests.support.hostile_files import CORPUS, jpeg


@pytest.mark.parametrize("name", CORPUS)
def test_each_file_in_the_hostile_corpus_gets_its_outcome(name):
    filename, data, expected = CORPUS[name]
    result = inspect(data, filename)
    assert result.reason_code == expected
    assert result.accepted is (expected is None)


def test_an_accepted_image_is_described():
    data = complaints.png(400, 300, seed=1)
    result = inspect(data, "layar.png")
    assert (result.content_type, result.width, result.height, result.size) == (
        "image/png", 400, 300, len(data))


def _encoded(format_name: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(complaints.png(500, 400, seed=8))).convert("RGB").save(
        buffer, format_name, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("filename, data", [
    ("progressive.jpg", _encoded("JPEG", progressive=True, quality=80)),
    ("restart-markers.jpeg", _encoded("JPEG", quality=80, restart_marker_blocks=1)),
    ("layar.webp", _encoded("WEBP", quality=80)),
    ("lossless.webp", _encoded("WEBP", lossless=True)),
    ("Screenshot 2024-10-01 at 9.30", _encoded("PNG")),
    ("FOTO.JPG", jpeg(seed=3)),
])
def test_ordinary_variants_of_the_accepted_types_pass(filename, data):
    assert inspect(data, filename).accepted


def test_padding_zeros_after_the_image_are_not_a_payload():
    assert inspect(jpeg(seed=2) + b"\x00" * 64, "a.jpg").accepted


def test_a_png_cut_short_is_corrupt():
    data = complaints.png(seed=5)
    assert inspect(data[: len(data) // 2], "a.png").reason_code == "corrupt"
