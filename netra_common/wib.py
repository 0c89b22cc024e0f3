"""Times as people in Bengkalis read them: Western Indonesia Time and the months in Bahasa Indonesia.

Bengkalis keeps WIB, UTC+7 all year (no daylight saving), so a fixed offset is exact and needs no
tz database. Every service, the CLI and the reports take WIB, MONTHS and in_wib from here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def day_in_words(day: date) -> str:
    """`24 November 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def in_wib(value: datetime | str) -> str:
    """A time (a datetime, or ISO text with its offset) as `24 November 2026, 20.05 WIB`."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    moment = moment.astimezone(WIB)
    return f"{day_in_words(moment)}, {moment:%H.%M} WIB"
