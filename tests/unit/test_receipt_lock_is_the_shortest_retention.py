"""A screenshot's lock at receipt is the shortest period any outcome keeps a case (decision 0033): a lock
only ever grows, so a longer one would keep a dismissed case's screenshots past its purge, and a shorter
one would let an undecided case's originals go unlocked. evidence's default and casework's schedule are
two files; this holds them together."""

from __future__ import annotations

import re
from pathlib import Path

from services.casework.adapters.retention_schedule import load_schedule

ROOT = Path(__file__).resolve().parents[2]


def default_days(config: Path, name: str) -> int:
    found = re.search(r"\$\{" + name + r":(\d+)\}", config.read_text(encoding="utf-8"))
    assert found, f"{config} names no default for {name}"
    return int(found[1])


def test_evidence_locks_a_screenshot_at_receipt_for_the_shortest_period_of_the_schedule():
    shortest = load_schedule().shortest_years
    days = default_days(ROOT / "services/evidence/config.yaml", "NETRA_EVIDENCE_RETENTION_DAYS")
    # 365 days a year: never longer than the calendar years casework counts from a decision after receipt.
    assert days == 365 * shortest
    production = (ROOT / "deploy/production/env.example").read_text(encoding="utf-8")
    assert f"NETRA_EVIDENCE_RETENTION_DAYS={days}\n" in production
