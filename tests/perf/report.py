"""The bench's table: every row of issue 14 as figure, limit (measured in the same run), ratio and
goal; printed, and written to bench-results/ (JSON) and BENCHMARKS.md (with the machine)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Row:
    figure: str
    value: str
    limit: str = ""
    ratio: str = ""
    goal: str = ""


def ratio(value: float | None, limit: float | None) -> str:
    if not value or not limit:
        return ""
    return f"{value / limit:.3f}"


def machine() -> dict:
    def first(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "?"
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(memory) / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version(),
            "postgresql": first(["psql", "--version"]), "load_at_start": os.getloadavg()}


def closing_notes(project: Path) -> str:
    """What stops the figures that miss their goals, with the measurements (docs/benchmark-notes/,
    one file per part of the table, so each can be kept by whoever works on it)."""
    notes = sorted((project / "docs" / "benchmark-notes").glob("*.md"))
    return "".join("\n" + note.read_text() for note in notes)


def write(results: Path, rows: list[Row], figures: dict, limits: dict, project: Path) -> None:
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = json.dumps({"at": stamp, "machine": machine(), "limits": limits, "figures": figures,
                           "table": [asdict(r) for r in rows]}, indent=2, default=str)
    (results / f"bench-{stamp}.json").write_text(document)
    (results / "latest.json").write_text(document)
    table = ["| figure | Netra | limit (same run) | ratio | goal |", "|---|---|---|---|---|"]
    table += [f"| {r.figure} | {r.value} | {r.limit} | {r.ratio} | {r.goal} |" for r in rows]
    about = machine()
    (project / "BENCHMARKS.md").write_text(
        "# Benchmarks\n\n"
        f"Written by `make bench` at {stamp} (`bench-results/latest.json` has every round). Machine: "
        f"{about['cpu']}, {about['cores']} cores, {about['memory_gb']} GB, Linux {about['kernel']}, "
        f"{about['postgresql']}, Python {about['python']}; load average at the start "
        f"{', '.join(f'{x:.1f}' for x in about['load_at_start'])} (the machine is shared: read the ratios, "
        "which divide by limits measured in the same run, not the absolute figures).\n\n"
        + "\n".join(table) + "\n" + closing_notes(project))
    print("\n" + "\n".join(table))
