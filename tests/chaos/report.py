"""The fault run's table: printed, and written to bench-results/ as Markdown and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

COLUMNS = ("experiment", "filed", "acked", "cases", "evidence", "mails", "parked", "lost", "duplicated",
           "verdict")


def table(rows: list[dict]) -> str:
    cells = [[str(row.get(c, "")) for c in COLUMNS] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(COLUMNS)]
    line = lambda values: "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(COLUMNS), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells)])


def write(rows: list[dict], folder: Path, title: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    markdown, data = folder / f"chaos-{stamp}.md", folder / f"chaos-{stamp}.json"
    notes = [f"- **{r['experiment']}**: {r['notes']}" for r in rows if r.get("notes")]
    markdown.write_text(f"# {title}\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n{table(rows)}\n\n"
                        + ("\n".join(notes) + "\n" if notes else ""))
    data.write_text(json.dumps({"title": title, "at": stamp, "rows": rows}, indent=2, ensure_ascii=False))
    return markdown, data
