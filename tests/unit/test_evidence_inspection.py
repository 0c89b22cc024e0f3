"""evidence takes only real images: the hostile corpus, and images that must still pass."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, ImageCms

from services.evidence.domain import containers
from services.evidence.domain.inspection import inspect
from tests.support import complaints
from tests.support.hostile_files import (
    CORPUS,
    jpeg,
    noise_png_whose_pixel_data_spells_svg,
    photo_with_gps,
    png_with,
    with_xmp,
)


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


def test_markup_that_the_pixel_data_happens_to_spell_is_not_markup():
    data = noise_png_whose_pixel_data_spells_svg()
    pixel_data = b"".join(body for kind, body, _ in containers.png_chunks(data) if kind == b"IDAT")
    assert b"<svg" in pixel_data  # what a scan of the whole file used to trip over
    assert inspect(data, "derau.png").accepted


def test_markup_in_metadata_is_still_found_wherever_it_is_kept():
    markup = {name: entry for name, entry in CORPUS.items() if entry[2] == "embedded_markup"}
    assert len(markup) >= 6
    for name, (filename, data, _) in markup.items():
        assert inspect(data, filename).reason_code == "embedded_markup", name


def test_a_text_chunk_that_inflates_past_its_bound_is_corrupt():
    assert inspect(png_with(text="a" * 3_000_000, compressed_text=True), "a.png").reason_code == \
        "corrupt"


def test_bytes_other_than_those_intake_received_are_refused():
    data = complaints.png(seed=3)
    assert inspect(data, "a.png", expected_sha256=hashlib.sha256(data).hexdigest()).accepted
    assert inspect(data, "a.png", expected_sha256="0" * 64).reason_code == "hash_mismatch"
    assert inspect(data, "a.png", expected_sha256=None).accepted  # an older intake sent none


def _jpeg_kinds() -> dict[str, bytes]:
    source = Image.open(io.BytesIO(jpeg(width=800, height=600, seed=21)))
    kinds = {"baseline": {}, "progressive": {"progressive": True},
             "restart per block": {"restart_marker_blocks": 1},
             "restart per row": {"restart_marker_rows": 1},
             "progressive with restarts": {"progressive": True, "restart_marker_blocks": 4},
             "4:4:4": {"subsampling": 0}}
    made = {}
    for name, options in kinds.items():
        buffer = io.BytesIO()
        source.save(buffer, "JPEG", quality=85, **options)
        made[name] = buffer.getvalue()
    buffer = io.BytesIO()
    source.convert("L").crop((0, 0, 797, 593)).save(buffer, "JPEG", progressive=True)
    made["grey, odd size, progressive"] = buffer.getvalue()
    return made


JPEG_KINDS = _jpeg_kinds()


@pytest.mark.parametrize("kind", JPEG_KINDS)
def test_a_jpeg_cut_anywhere_and_given_an_end_marker_is_corrupt(kind):
    data = JPEG_KINDS[kind]
    assert inspect(data, "a.jpg").accepted
    for tenth in range(1, 40):
        cut = data[:len(data) * tenth // 40] + b"\xff\xd9"
        assert inspect(cut, "a.jpg").reason_code == "corrupt", (kind, tenth)


@pytest.mark.parametrize("marker", [b"\xff\xd0", b"\xff\xd5", b"\xff\xd7"])
def test_a_jpeg_cut_where_a_restart_interval_ends_is_corrupt(marker):
    data = JPEG_KINDS["restart per block"]
    cut = data[:data.rindex(marker)] + b"\xff\xd9"
    assert inspect(cut, "a.jpg").reason_code == "corrupt"


def test_a_progressive_jpeg_cut_between_any_two_scans_is_corrupt():
    data = JPEG_KINDS["progressive"]
    scans = [i for i in range(len(data) - 1) if data[i:i + 2] == b"\xff\xda"]
    assert len(scans) > 5
    for start in scans[1:]:
        assert inspect(data[:start] + b"\xff\xd9", "a.jpg").reason_code == "corrupt", start


def _photo_variants() -> list[tuple[str, bytes]]:
    source = Image.open(io.BytesIO(complaints.png(640, 480, seed=8))).convert("RGB")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    variants = [("optimized", {"optimize": True}), ("with icc", {"icc_profile": icc}),
                ("4:2:2", {"subsampling": 1}), ("low quality", {"quality": 20}),
                ("keeping rst and icc", {"restart_marker_rows": 2, "icc_profile": icc})]
    made = []
    for name, options in variants:
        buffer = io.BytesIO()
        source.save(buffer, "JPEG", **options)
        made.append((name, buffer.getvalue()))
    for size in ((1, 1), (8, 8), (17, 9), (3, 2000)):
        buffer = io.BytesIO()
        source.resize(size).save(buffer, "JPEG", quality=90)
        made.append((f"{size}", buffer.getvalue()))
    buffer = io.BytesIO()
    source.convert("CMYK").save(buffer, "JPEG")
    made.append(("cmyk", buffer.getvalue()))
    made.append(("phone photo with exif gps and xmp", with_xmp(photo_with_gps())))
    return made


@pytest.mark.parametrize("name, data", _photo_variants())
def test_genuine_jpegs_of_every_make_are_whole(name, data):
    assert inspect(data, "foto.jpg").accepted, name
