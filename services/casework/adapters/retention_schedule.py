"""Loads the retention schedule: reference/retention.yaml, or the file NETRA_RETENTION_FILE names."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from services.casework.domain.retention import Schedule

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "reference" / "retention.yaml"


def load_schedule(path: str | Path | None = None) -> Schedule:
    return Schedule.from_data(yaml.safe_load(Path(path or DEFAULT_FILE).read_text(encoding="utf-8")) or {})


@lru_cache(maxsize=1)
def default_schedule() -> Schedule:
    """The schedule the service runs with, read once per process."""
    return load_schedule(os.environ.get("NETRA_RETENTION_FILE") or None)
