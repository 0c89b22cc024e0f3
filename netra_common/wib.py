"""Times as Bengkalis reads them: stored in UTC, shown in WIB (UTC+7) with Indonesian month names."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def _moment(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(WIB)


def in_wib(value) -> str:
    """`2026-11-24T13:05:00+00:00` (or a datetime) as `24 November 2026, 20.05 WIB`."""
    moment = _moment(value)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H.%M} WIB"


def date_in_words(value) -> str:
    """A date (`2026-11-24`, or a moment taken in WIB) as `24 November 2026`."""
    text = str(value)
    day = datetime.fromisoformat(text).date() if len(text) == 10 else _moment(value).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
