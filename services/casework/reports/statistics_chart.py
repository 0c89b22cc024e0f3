"""One dimension of the team's statistics as an SVG bar chart, with its title in Bahasa Indonesia."""

from __future__ import annotations

from html import escape

from netra_common.contracts.reference import PLATFORMS, VIOLATION_TYPES

LABELS = {"platform": {k: v["id"] for k, v in PLATFORMS.items()},
          "violation_type": {k: v["id"] for k, v in VIOLATION_TYPES.items()}}
TITLES = {"status": "Kasus menurut tahap", "platform": "Kasus menurut platform",
          "violation_type": "Kasus menurut jenis pelanggaran", "work_unit": "Kasus menurut unit kerja",
          "week": "Kasus baru per minggu"}


def bar_chart_svg(dimension: str, rows: list[dict]) -> str:
    """A horizontal bar chart, readable without colour and by a screen reader."""
    title = TITLES[dimension]
    labels = [LABELS.get(dimension, {}).get(r["key"], r["key"]) for r in rows]
    width, bar_left, row_height = 720, 260, 28
    height = 60 + row_height * max(1, len(rows))
    top = max([r["count"] for r in rows] or [1])
    described = "; ".join(f"{label}: {row['count']}" for label, row in zip(labels, rows, strict=True))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-labelledby="t d" font-family="sans-serif">',
             f'<title id="t">{escape(title)}</title>',
             f'<desc id="d">{escape(described)}</desc>',
             '<rect width="100%" height="100%" fill="#ffffff"/>',
             f'<text x="10" y="28" font-size="18" fill="#111">{escape(title)}</text>']
    for i, (label, row) in enumerate(zip(labels, rows, strict=True)):
        y = 50 + i * row_height
        length = int((width - bar_left - 60) * row["count"] / top)
        parts += [f'<text x="{bar_left - 8}" y="{y + 17}" font-size="13" text-anchor="end" fill="#111">'
                  f'{escape(label[:34])}</text>',
                  f'<rect x="{bar_left}" y="{y + 4}" width="{max(length, 1)}" height="{row_height - 8}" '
                  f'fill="#1f4e8c"/>',
                  f'<text x="{bar_left + length + 6}" y="{y + 17}" font-size="13" fill="#111">'
                  f'{row["count"]}</text>']
    if not rows:
        parts.append('<text x="10" y="70" font-size="14" fill="#111">Belum ada data.</text>')
    parts.append("</svg>")
    return "".join(parts)
