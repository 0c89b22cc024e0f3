"""Loads the working calendar: the holiday list kept as data (reference/holidays.yaml, or
the file NETRA_HOLIDAYS_FILE names)."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from services.casework.domain.calendar import WorkingCalendar

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "reference" / "holidays.yaml"


def load_calendar(path: str | Path | None = None) -> WorkingCalendar:
    data = yaml.safe_load(Path(path or DEFAULT_FILE).read_text(encoding="utf-8")) or {}
    days = set()
    for year, listed in data.items():
        for day in listed or []:
            day = day if isinstance(day, date) else date.fromisoformat(str(day))
            if day.year != int(year):
                raise ValueError(f"{day} is listed under {year}")
            days.add(day)
    return WorkingCalendar(frozenset(days))


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The calendar the service runs with (NETRA_HOLIDAYS_FILE, as the service's settings name it,
    else the shipped list), read once per process."""
    return load_calendar(os.environ.get("NETRA_HOLIDAYS_FILE") or None)
