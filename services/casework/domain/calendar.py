"""Deadlines in Indonesian working days: Saturdays, Sundays and the yearly list of national
holidays and joint leave days (cuti bersama) do not count. Days are WIB days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from netra_common.wib import WIB

# A year's SKB names about 25 days (holidays and cuti bersama); far fewer means the list was
# not brought up to date, and deadlines would count holidays as working days.
FEW_LISTED_DAYS = 15
# The SKB for the next year usually appears by September.
NEXT_YEAR_EXPECTED_FROM_MONTH = 10

# Working days each stage may take (docs/domain.md, "Deadlines and working days"), from its clock's start.
STAGE_DEADLINES: dict[str, tuple[str, int]] = {
    # status: (what is due, working days)
    "opened": ("assignment", 1),
    "assigned": ("finding", 3),
    "under_verification": ("finding", 3),
    "violation_proposed": ("finding", 3),
    "clarification_requested": ("reporter_answer", 7),
    "violation_confirmed": ("forwarding", 1),
    "forwarded_to_bkppd": ("sanction_decision", 14),
}
# A finding is due 3 days after assignment, whichever working stage the case is in meanwhile.
CLOCK_STARTS = {"assigned": "assigned", "under_verification": "assigned",
                "violation_proposed": "assigned"}


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def due(self, start: datetime, working_days: int) -> datetime:
        """The end (23:59:59 WIB) of the `working_days`-th working day after `start`'s day."""
        day, counted = start.astimezone(WIB).date(), 0
        while counted < working_days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day, time(23, 59, 59), WIB)

    def thin_years(self, today: date) -> dict[int, int]:
        """Years the team is working in (this one; the next from October) whose list looks unfinished."""
        years = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_EXPECTED_FROM_MONTH else [])
        listed = {year: sum(1 for day in self.holidays if day.year == year) for year in years}
        return {year: count for year, count in listed.items() if count < FEW_LISTED_DAYS}

    def working_days_between(self, start: datetime, end: datetime) -> int:
        first, last = start.astimezone(WIB).date(), end.astimezone(WIB).date()
        return sum(1 for n in range((last - first).days)
                   if self.is_working_day(first + timedelta(days=n + 1)))
