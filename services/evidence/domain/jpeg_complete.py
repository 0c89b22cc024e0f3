"""Is a JPEG whole? libjpeg (under Pillow) only warns when a scan stops early, fills the rest
with grey and reports success, so a photo cut in half with an EOI marker glued on decodes
"fine". Pillow exposes no such warning, so evidence checks three things itself:

1. a scan with restart intervals has every RSTn marker its frame size calls for (T.81 A.2),
   so a file cut exactly at an interval's edge is caught;
2. a progressive JPEG's scans bring every coefficient of every component to full precision
   (some scan covers it with Al = 0), so a file cut between two scans is caught;
3. the pixels do not depend on what stands where the EOI marker is: decoded once as sent and
   once with filler bytes before its EOI, a whole JPEG gives the same pixels (the filler is
   extraneous data libjpeg skips), but in a cut one the filler is read as the missing
   entropy-coded data and changes them. `probe()` makes the second file.
"""

from __future__ import annotations

import math
import random
import struct
from dataclasses import dataclass

from services.evidence.domain.containers import JpegLayout, Malformed

SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
PROGRESSIVE = {0xC2, 0xC6, 0xCA, 0xCE}
# Deterministic filler without 0xFF (which would start a marker).
FILLER = bytes(random.Random(20241001).randrange(0xFF) for _ in range(1024))


class Incomplete(Malformed):
    """The JPEG's entropy-coded data stops before the image does."""


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    sampling: dict[int, tuple[int, int]]  # component id: (h, v)
    progressive: bool


def _frame(marker: int, body: bytes) -> Frame:
    _, height, width, count = struct.unpack(">BHHB", body[:6])
    sampling = {}
    for i in range(count):
        component, factors = body[6 + 3 * i], body[7 + 3 * i]
        sampling[component] = (max(1, factors >> 4), max(1, factors & 0x0F))
    return Frame(width, height, sampling, marker in PROGRESSIVE)


def _mcus(frame: Frame, components: list[int]) -> int:
    h_max = max(h for h, _ in frame.sampling.values())
    v_max = max(v for _, v in frame.sampling.values())
    if len(components) == 1:  # non-interleaved: one block per MCU, in the component's size
        h, v = frame.sampling.get(components[0], (h_max, v_max))
        width, height = math.ceil(frame.width * h / h_max), math.ceil(frame.height * v / v_max)
        return math.ceil(width / 8) * math.ceil(height / 8)
    return math.ceil(frame.width / (8 * h_max)) * math.ceil(frame.height / (8 * v_max))


def _scan(body: bytes) -> tuple[list[int], int, int, int]:
    count = body[0]
    components = [body[1 + 2 * i] for i in range(count)]
    start, end, approximation = body[1 + 2 * count:4 + 2 * count]
    return components, start, end, approximation & 0x0F


def check(layout: JpegLayout) -> None:
    """Raise Incomplete if a restart interval or a progressive pass is missing."""
    frame, interval = None, 0
    finished: set[tuple[int, int]] = set()  # (component, coefficient) whose last bit is in
    try:
        for segment in layout.segments:
            if segment.marker in SOF_MARKERS:
                frame = _frame(segment.marker, segment.body)
            elif segment.marker == 0xDD:
                interval = struct.unpack(">H", segment.body[:2])[0]
            elif segment.marker == 0xDA and frame is not None:
                components, start, end, low_bit = _scan(segment.body)
                if interval and frame.height and \
                        segment.restarts < math.ceil(_mcus(frame, components) / interval) - 1:
                    raise Incomplete("a scan ends before its last restart interval")
                if low_bit == 0:
                    finished.update((c, k) for c in components for k in range(start, end + 1))
    except (struct.error, IndexError, ValueError):
        raise Malformed("JPEG frame or scan header cut short") from None
    if frame is None:
        raise Malformed("JPEG without a frame header")
    if frame.progressive and any((c, k) not in finished for c in frame.sampling for k in range(64)):
        raise Incomplete("a progressive JPEG stops before its last scans")


def probe(data: bytes, layout: JpegLayout) -> bytes:
    """The same JPEG with filler bytes standing just before its EOI marker."""
    return data[:layout.eoi_at] + FILLER + b"\xff\xd9"
