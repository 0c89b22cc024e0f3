"""Statistics the team reads (and exports, and sees as charts): never a name, never a reporter."""

from __future__ import annotations

import csv
import io
from html import escape

from sqlalchemy import func, literal_column, select, text

from netra_common.contracts.reference import PLATFORMS, VIOLATION_TYPES
from services.casework.adapters.tables import case_list, case_stages

DIMENSIONS = ("status", "platform", "violation_type", "work_unit", "week")


def _counts(conn, column) -> list[dict]:
    rows = conn.execute(select(column.label("key"), func.count().label("count"))
                        .group_by(literal_column("key")).order_by(literal_column("key"))).all()
    return [{"key": str(r.key) if r.key is not None else "-", "count": r.count} for r in rows]


def counts(conn) -> dict[str, list[dict]]:
    week = func.to_char(func.date_trunc("week", func.timezone("Asia/Jakarta", case_list.c.opened_at)),
                        'IYYY-"W"IW')
    violations = [dict(r) for r in conn.execute(text(
        "SELECT v AS key, count(*) AS count FROM casework.case_list, unnest(violation_types) v "
        "GROUP BY v ORDER BY v")).mappings()]
    return {
        "status": _counts(conn, case_list.c.status),
        "platform": _counts(conn, case_list.c.platform),
        "violation_type": violations,
        "work_unit": _counts(conn, func.coalesce(case_list.c.work_unit, "-")),
        "week": _counts(conn, week),
    }


def time_in_stages(conn) -> list[dict]:
    hours = func.extract("epoch", case_stages.c.left_at - case_stages.c.entered_at) / 3600
    rows = conn.execute(
        select(case_stages.c.stage, func.count().label("left"),
               func.avg(hours).label("average_hours"),
               func.percentile_cont(0.5).within_group(hours).label("median_hours"))
        .where(case_stages.c.left_at.is_not(None)).group_by(case_stages.c.stage)
        .order_by(case_stages.c.stage)).all()
    waiting = dict(conn.execute(select(case_stages.c.stage, func.count())
                                .where(case_stages.c.left_at.is_(None))
                                .group_by(case_stages.c.stage)).all())
    return [{"stage": r.stage, "cases_passed": r.left, "cases_in_stage_now": waiting.get(r.stage, 0),
             "average_hours": round(float(r.average_hours), 2),
             "median_hours": round(float(r.median_hours), 2)} for r in rows] + [
        {"stage": stage, "cases_passed": 0, "cases_in_stage_now": n, "average_hours": None,
         "median_hours": None} for stage, n in sorted(waiting.items())
        if stage not in {r.stage for r in rows}]


def summary(conn) -> dict:
    return {"counts": counts(conn), "time_in_stages": time_in_stages(conn),
            "total_cases": conn.execute(select(func.count()).select_from(case_list)).scalar_one()}


def as_csv(stats: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "count", "average_hours", "median_hours", "cases_in_stage_now"])
    for dimension, rows in stats["counts"].items():
        for row in rows:
            writer.writerow([dimension, row["key"], row["count"], "", "", ""])
    for row in stats["time_in_stages"]:
        writer.writerow(["time_in_stage", row["stage"], row["cases_passed"], row["average_hours"] or "",
                         row["median_hours"] or "", row["cases_in_stage_now"]])
    return out.getvalue()


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
