"""Projections kept up one event at a time, in batches, and after a batch that rolled back (the
cases they keep in memory then ahead of the database) all end with the same rows."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.casework.adapters import event_store
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.projections import apply_all, catch_up, projections
from tests.perf import big_log

TABLES = ("case_list", "case_stages", "case_links", "case_link_keys", "case_screenshots", "case_screenshot_near")


def rows(engine, suffix: str) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {t: conn.execute(text(_all_rows(t + suffix))).scalars().all() for t in TABLES}


def _all_rows(table: str) -> str:
    return f"SELECT row_to_json(t)::text FROM casework.{table} t ORDER BY 1"  # noqa: S608 - our own names


def fresh(engine, suffix: str) -> tuple:
    made = projections(load_calendar(), suffix)
    with engine.begin() as conn:
        for projection in made:
            for table in projection.tables:
                live = table.name.removesuffix(suffix)
                conn.execute(text(f"CREATE TABLE casework.{table.name} (LIKE casework.{live} INCLUDING ALL)"))
    return made


class RolledBack(Exception):
    pass


def test_one_by_one_in_batches_and_after_a_rollback_the_rows_are_the_same(casework_db):
    engine, _ = casework_db
    big_log.fill(engine, 400)
    with engine.connect() as conn:
        everything = event_store.read_all(conn, 0, 100_000)
    one_by_one, batched = fresh(engine, "_single"), fresh(engine, "_batched")
    with engine.begin() as conn:
        for projection in one_by_one:
            for event in everything:
                projection.apply(conn, event)
    for projection in batched:
        # Half the log applied and rolled back: the cases kept in memory are now ahead.
        with pytest.raises(RolledBack), engine.begin() as conn:
            apply_all(conn, projection, everything[: len(everything) // 2])
            raise RolledBack
        while catch_up(engine, projection, batch_size=37):
            pass
    single, in_batches = rows(engine, "_single"), rows(engine, "_batched")
    # No case of the bench's log is dismissed as a duplicate: case_links (a duplicate's links only,
    # decision 0035) and the near pairs of distinct random hashes may be empty.
    assert all(single[t] for t in ("case_list", "case_stages", "case_link_keys", "case_screenshots"))
    assert single == in_batches
