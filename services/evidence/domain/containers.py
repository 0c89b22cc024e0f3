"""The structure of the three accepted formats, walked from their bytes: where each image
ends, and which of its parts are metadata (text, comments, profiles, unknown chunks) as
opposed to compressed pixel data.

Only metadata is searched for hidden markup: compressed pixels are noise in which any short
byte string (`<svg`) turns up by chance in about one large genuine image in fifty.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

# Bounds on what metadata may inflate to (the same as Pillow's per text chunk), so a small
# compressed chunk cannot make the scan allocate gigabytes.
MAX_INFLATED_CHUNK = 1024 * 1024
MAX_INFLATED_TOTAL = 16 * 1024 * 1024

PNG_PIXELS = {b"IDAT", b"fdAT"}  # image data and animation frame data
WEBP_PIXELS = {b"VP8 ", b"VP8L", b"ALPH", b"ANIM"}
JPEG_RST = range(0xD0, 0xD8)


class Malformed(Exception):
    """The bytes do not follow the format's structure (cut short, lengths that lie)."""


# --- PNG ---------------------------------------------------------------------------------


def png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes, int]]:
    """(type, body, offset just after the chunk) for each chunk up to and including IEND."""
    offset = 8
    while offset + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        end = offset + 12 + length
        if end > len(data):
            raise Malformed(f"PNG chunk {kind!r} runs past the end of the file")
        yield kind, data[offset + 8:offset + 8 + length], end
        if kind == b"IEND":
            return
        offset = end
    raise Malformed("PNG without IEND")


def png_end(data: bytes) -> int:
    *_, (_, _, end) = png_chunks(data)
    return end


class _Inflater:
    def __init__(self):
        self.spent = 0

    def __call__(self, compressed: bytes) -> bytes:
        try:
            out = zlib.decompressobj().decompress(compressed, MAX_INFLATED_CHUNK + 1)
        except zlib.error:
            raise Malformed("metadata that does not inflate") from None
        self.spent += len(out)
        if len(out) > MAX_INFLATED_CHUNK or self.spent > MAX_INFLATED_TOTAL:
            raise Malformed("metadata inflates beyond its bound")
        return out


def _png_text_parts(kind: bytes, body: bytes, inflate: _Inflater) -> list[bytes]:
    """The readable parts of a text or profile chunk, inflated where it is compressed."""
    keyword, _, rest = body.partition(b"\x00")
    if kind in (b"zTXt", b"iCCP"):
        return [keyword, inflate(rest[1:])]  # rest[0] is the compression method
    # iTXt: flag, method, language \0 translated keyword \0 text
    compressed, language_and_rest = rest[:1] == b"\x01", rest[2:]
    language, _, rest = language_and_rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    return [keyword, language, translated, inflate(text) if compressed else text]


def png_metadata(data: bytes) -> Iterator[bytes]:
    inflate = _Inflater()
    for kind, body, _ in png_chunks(data):
        if kind in PNG_PIXELS:
            continue
        if kind in (b"zTXt", b"iTXt", b"iCCP"):
            yield from _png_text_parts(kind, body, inflate)
        else:  # tEXt, eXIf, unknown chunks, and the small header chunks
            yield body


# --- JPEG --------------------------------------------------------------------------------


@dataclass
class JpegSegment:
    marker: int
    body: bytes
    restarts: int = 0  # RSTn markers in the entropy-coded data after an SOS segment


@dataclass
class JpegLayout:
    segments: list[JpegSegment] = field(default_factory=list)
    eoi_at: int = 0  # where the EOI marker (with any fill bytes before it) starts
    end: int = 0  # just after EOI


def _skip_entropy_coded(data: bytes, offset: int) -> tuple[int, int]:
    """From the start of a scan's data to the next real marker: (its offset, RSTn seen)."""
    restarts = 0
    while True:
        offset = data.find(b"\xff", offset)
        if offset < 0 or offset + 1 >= len(data):
            raise Malformed("JPEG scan data runs to the end of the file")
        following = data[offset + 1]
        if following == 0x00:
            offset += 2
        elif following in JPEG_RST:
            restarts += 1
            offset += 2
        else:
            return offset, restarts


def jpeg_layout(data: bytes) -> JpegLayout:
    """Every marker segment up to EOI, each scan's restart markers, and where EOI is."""
    layout, offset = JpegLayout(), 2
    while offset + 2 <= len(data):
        if data[offset] != 0xFF:
            raise Malformed("JPEG bytes where a marker should be")
        start = offset
        while offset + 1 < len(data) and data[offset + 1] == 0xFF:
            offset += 1  # fill bytes before a marker
        if offset + 1 >= len(data):
            break
        marker = data[offset + 1]
        if marker == 0xD9:
            layout.eoi_at, layout.end = start, offset + 2
            return layout
        if marker in JPEG_RST or marker == 0x01:
            offset += 2
            continue
        if offset + 4 > len(data):
            break
        length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
        if length < 2 or offset + 2 + length > len(data):
            raise Malformed("JPEG segment length out of range")
        segment = JpegSegment(marker, data[offset + 4:offset + 2 + length])
        offset += 2 + length
        if marker == 0xDA:
            offset, segment.restarts = _skip_entropy_coded(data, offset)
        layout.segments.append(segment)
    raise Malformed("JPEG without EOI")


def mpf_images(data: bytes, primary: JpegLayout) -> list[JpegLayout] | None:
    """The further images a phone's camera appends after the first one's EOI (CIPA's Multi-Picture
    Format: a depth map, a larger preview), if the primary declares MPF and what follows is
    nothing but whole JPEG streams; None when the bytes after EOI are anything else."""
    if not any(s.marker == 0xE2 and s.body.startswith(b"MPF\x00") for s in primary.segments):
        return None
    images, offset = [], primary.end
    while data[offset:].strip(b"\x00"):
        offset += len(data[offset:]) - len(data[offset:].lstrip(b"\x00"))  # padding between images
        if not data.startswith(b"\xff\xd8\xff", offset):
            return None
        image = jpeg_layout(data[offset:])
        images.append(image)
        offset += image.end
    return images


def jpeg_metadata(layout: JpegLayout) -> Iterator[bytes]:
    """Every segment's body (COM, APPn and the small table headers); never scan data."""
    for segment in layout.segments:
        yield segment.body


# --- WebP --------------------------------------------------------------------------------


def _riff_chunks(data: bytes, offset: int, end: int) -> Iterator[tuple[bytes, bytes]]:
    while offset + 8 <= end:
        kind, length = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        body_end = offset + 8 + length
        if body_end > end:
            raise Malformed(f"WebP chunk {kind!r} runs past its container")
        yield kind, data[offset + 8:body_end]
        offset = body_end + (length & 1)  # chunks are padded to an even length
    if offset < end and data[offset:end].strip(b"\x00"):
        raise Malformed("WebP container with bytes that are no chunk")


def webp_end(data: bytes) -> int:
    return 8 + struct.unpack("<I", data[4:8])[0]


def webp_metadata(data: bytes) -> Iterator[bytes]:
    end = webp_end(data)
    if end > len(data):
        raise Malformed("WebP container longer than the file")
    for kind, body in _riff_chunks(data, 12, end):
        if kind == b"ANMF":  # a frame: a 16-byte header, then its own chunks
            yield body[:16]
            yield from (sub for k, sub in _riff_chunks(body, 16, len(body)) if k not in WEBP_PIXELS)
        elif kind not in WEBP_PIXELS:
            yield body
