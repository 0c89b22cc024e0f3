"""The short fault run inside `make test`: one broker flap and one database cut (tests/chaos/
experiments.py SHORT; the short cluster drill kills processes), each while clients file; no
acknowledged complaint may be lost, none kept twice, nothing parked, and the log and the evidence
store verify clean."""

from __future__ import annotations

import pytest

from tests.chaos import report
from tests.chaos.experiments import SHORT
from tests.chaos.runner import run


@pytest.mark.stack
@pytest.mark.timeout(600)
def test_a_short_fault_run_loses_nothing_and_files_nothing_twice(test_output):
    # On a stack of its own: the session's stack holds what earlier tests left on purpose (parked
    # poison, a tampered object), which a count of "parked" or a clean `verify` would hold against
    # this run. (make test's ensure-services keeps the broker's file-handle budget wide enough.)
    rows = run(SHORT, test_output, quiet_timeout=120)
    print(report.table(rows))
    experiments = [r for r in rows if "counts" in r]
    assert [r["experiment"] for r in experiments] == [e.name for e in SHORT]
    for row in experiments:
        assert row["filed"] > 0 and row["acked"] == row["filed"], row
        assert row["lost"] == 0 and row["duplicated"] == 0, row
        assert row["cases"] == row["evidence"] == row["acked"], row
        assert row["parked"] == 0 and row["counts"]["parked_other"] == 0, row
    assert all(r["verdict"] == "PASS" for r in rows), report.table(rows) + "\n" + \
        "\n".join(f"{r['experiment']}: {r.get('notes')}" for r in rows)
