"""The team's statistics (statistics.summary) as one CSV file for a spreadsheet."""

from __future__ import annotations

import csv
import io


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
