"""Working-day deadlines, the written permission matrix, and how cases are recognised as related."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from netra_common.contracts.perceptual import near_duplicate
from netra_common.wib import WIB
from services.casework.adapters.calendar_data import load_calendar
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.permissions import PERMISSIONS, ROLES
from services.casework.domain.post_urls import normalise_url

UTC = UTC
# 2026-08-14 is a Friday; 2026-08-17 (Monday) is Independence Day.
FRIDAY_EVENING_WIB = datetime(2026, 8, 14, 17, 0, tzinfo=WIB)
CALENDAR = WorkingCalendar(frozenset({date(2026, 8, 17)}))


def test_one_working_day_from_friday_skips_the_weekend_and_the_holiday():
    due = CALENDAR.due(FRIDAY_EVENING_WIB, 1)
    assert due == datetime(2026, 8, 18, 23, 59, 59, tzinfo=WIB)


def test_fourteen_working_days_skip_three_weekends_and_a_holiday():
    assert CALENDAR.due(FRIDAY_EVENING_WIB, 14).date() == date(2026, 9, 4)


def test_the_day_is_the_wib_day_not_the_utc_day():
    # 20:00 UTC on Friday is already Saturday 03:00 in Bengkalis.
    late_friday_utc = datetime(2026, 8, 14, 20, 0, tzinfo=UTC)
    assert CALENDAR.due(late_friday_utc, 1).date() == date(2026, 8, 18)
    assert CALENDAR.due(datetime(2026, 8, 13, 20, 0, tzinfo=UTC), 1).date() == date(2026, 8, 18)


def test_working_days_between_counts_only_working_days():
    assert CALENDAR.working_days_between(FRIDAY_EVENING_WIB, FRIDAY_EVENING_WIB + timedelta(days=7)) == 4


def test_the_holiday_list_kept_as_data_loads_and_rejects_a_misfiled_date(tmp_path):
    calendar = load_calendar()
    assert date(2026, 8, 17) in calendar.holidays and date(2026, 12, 25) in calendar.holidays
    misfiled = tmp_path / "holidays.yaml"
    misfiled.write_text("2026:\n  - 2025-12-25\n")
    with pytest.raises(ValueError, match="listed under 2026"):
        load_calendar(misfiled)


def test_a_year_in_use_with_few_holidays_listed_is_named():
    calendar = load_calendar()
    assert calendar.thin_years(date(2026, 6, 1)) == {}
    assert calendar.thin_years(date(2026, 12, 1)) == {2027: 8}  # the 2027 SKB is not in the list yet
    assert WorkingCalendar(frozenset()).thin_years(date(2028, 3, 1)) == {2028: 0}


def test_the_2026_list_follows_the_skb_cuti_bersama_included():
    holidays = load_calendar().holidays
    assert {date(2026, 5, 28), date(2026, 3, 20), date(2026, 12, 24)} <= holidays
    assert sum(1 for d in holidays if d.year == 2026) == 25


def _written_matrix() -> dict[str, tuple[str, ...]]:
    text = (Path(__file__).resolve().parents[2] / "docs" / "permissions.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    matrix = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        matrix[cells[0].strip("`")] = tuple(role for role, cell in zip(ROLES, cells[1:1 + len(ROLES)],
                                                                       strict=True) if cell == "yes")
    return matrix


def test_the_permission_matrix_written_in_docs_is_the_one_the_code_enforces():
    assert _written_matrix() == PERMISSIONS


@pytest.mark.parametrize("a, b", [
    ("https://www.facebook.com/budi/posts/123", "http://m.facebook.com/budi/posts/123/"),
    ("https://www.instagram.com/p/Cx1/?igsh=abc&utm_source=wa", "https://instagram.com/p/Cx1"),
    ("https://facebook.com/permalink.php?story_fbid=9&id=4", "https://facebook.com/permalink.php?id=4&story_fbid=9"),
])
def test_the_same_post_written_differently_is_the_same_post(a, b):
    assert normalise_url(a) == normalise_url(b)


def test_different_posts_stay_different():
    assert normalise_url("https://facebook.com/permalink.php?story_fbid=9&id=4") != \
        normalise_url("https://facebook.com/permalink.php?story_fbid=10&id=4")


def test_near_identical_screenshots_are_recognised_by_their_hashes():
    assert near_duplicate("c517fae8b2635581", "c517fae8b2635581")
    assert near_duplicate("c517fae8b2635581", "c517fae8b2635f81")
    assert not near_duplicate("c517fae8b2635581", "3ae80517b26a5a7e")


def test_check_calendar_names_an_unfinished_year_and_fails(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from services.casework.admin import main

    listed = tmp_path / "holidays.yaml"
    this_year = datetime.now(WIB).year
    listed.write_text(f"{this_year}:\n  - {this_year}-08-17\n")
    monkeypatch.setenv("NETRA_HOLIDAYS_FILE", str(listed))
    result = CliRunner().invoke(main, ["check-calendar"])
    assert result.exit_code == 1
    assert f"INCOMPLETE {this_year}: 1 days listed" in result.output
