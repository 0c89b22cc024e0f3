"""The bench's own pieces at a tiny size (`make bench` runs them at 20k and 100k events): the
big log is written through the event store, every projection replays all of it, verify-log finds
it intact, and appends count. Figures are not asserted, only that each piece did its work."""

from __future__ import annotations

from sqlalchemy import text

from tests.perf import appends, big_log


def test_the_bench_fills_a_log_rebuilds_it_and_verifies_it(casework_db):
    engine, url = casework_db
    written = big_log.fill(engine, 300)
    assert written >= 300
    rates = big_log.rebuild_rates(engine)
    assert set(rates) == {"case_list", "case_stages", "case_links"} and all(r > 0 for r in rates.values())
    with engine.connect() as conn:
        left_beside = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'casework' "
                                        "AND tablename LIKE '%\\_bench'")).scalar_one()
    assert left_beside == 0, "the bench's replays leave no tables behind"
    verified = big_log.verify_log(url)
    assert verified["exit"] == 0 and verified["events"] == written, verified
    # Last: its events are the bench's own kind, no case's, and verify-log would name them.
    assert appends.netra(url, 2) > 0
