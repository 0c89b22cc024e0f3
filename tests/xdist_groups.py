"""Which tests share a pytest-xdist worker, so `make test`'s two workers (`-n 2 --dist loadgroup
--no-loadscope-reorder`) split the suite without changing what a test sees.

A group runs on one worker, its tests in the order collected. Each worker is its own pytest
session with its own `stack` (and `scratch_stack` if it runs a test that asks for one).

- A module is a group of its own by default, so its module fixtures are built once.
- The tests on `scratch_stack` (schemathesis, the hostile sweeps) are one group: one scratch stack
  in the whole run, as without workers.
- The two fault runs that start a whole system of their own (the short fault run and the short
  cluster drill: three RabbitMQ nodes, two PostgreSQL servers, six SeaweedFS processes, eight
  service replicas) are one group, so they run one after the other on one worker: never both
  at once beside the workers' own stacks on two cores.
- The end-to-end tests on `stack` are split in two shares. test_zz_every_message_sent scans
  every message the stack sent during the end-to-end tests that ran before it; under these
  workers it runs once at the end of each share (tests/e2e/conftest.py), so every message of
  every worker's stack is scanned, after the tests that sent it.

pytest-xdist's own `xdist_group` marks do not reach its scheduler under pytest 9 (it renames
`item._nodeid`, which pytest 9 no longer reads), so the scheduler here (`Groups`, chosen in
tests/conftest.py) reads the group from the test's id, and `check` makes sure, at collection,
that the ids name the groups the tests' fixtures need.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from xdist.scheduler import LoadScopeScheduling

SCRATCH = "scratch-stack"
OWN_SYSTEM = "own-system-fault-runs"
OWN_SYSTEM_MODULES = ("tests/chaos/test_short_fault_run.py", "tests/cluster/test_short_cluster_drill.py")
E2E_SHARES = ("e2e-stack-a", "e2e-stack-b")
FINAL_SCAN = "tests/e2e/test_zz_every_message_sent.py"
# The tests on scratch_stack: a whole module, or one test of a module.
ON_SCRATCH = (
    "tests/e2e/test_hostile_inputs.py::",
    "tests/e2e/test_openapi_contract.py::test_schemathesis_",
    "tests/e2e/test_team_openapi_contract.py::test_schemathesis_",
)
# Share b; every other end-to-end module is in share a. Chosen so the two take about as long
# (measure with `--durations`) and each sends mail, webhooks, reporter updates and enrolment codes
# for its scan (test_notify*, test_dossier_for_bkppd, test_accounts, test_netra_cli, test_who_together).
SHARE_B = frozenset({
    "test_bkppd_decree_and_checkpoint.py", "test_complaint_journey.py", "test_dependency_away.py",
    "test_evidence_cors.py", "test_evidence_quarantine.py", "test_evidence_stays_responsive.py",
    "test_filing_retries.py", "test_intake_stands_alone.py", "test_netra_cli.py",
    "test_nothing_readable_left.py", "test_notify_failures.py", "test_notify_waits.py",
    "test_public_api.py", "test_rebuild_while_running.py",
    "test_contact_erasure_in_casework.py", "test_team_access.py", "test_who_together_can_read_an_identity.py",
})


def runs_in_shares(config: pytest.Config) -> bool:
    """True under `--dist loadgroup` (make test); a plain `pytest` run has one stack and one scan."""
    # A worker's config has dist "no" and loadgroup set (pytest-xdist's remote.setup_config).
    return config.getoption("dist", "no") == "loadgroup" or bool(getattr(config.option, "loadgroup", False))


def group_of(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    if nodeid.startswith(ON_SCRATCH):
        return SCRATCH
    if module in OWN_SYSTEM_MODULES:
        return OWN_SYSTEM
    if module == FINAL_SCAN:
        return next(share for share in E2E_SHARES if nodeid.endswith(f"[{share}]"))
    if PurePosixPath(module).parent.name == "e2e":
        return E2E_SHARES[1] if PurePosixPath(module).name in SHARE_B else E2E_SHARES[0]
    return module


def check(items: list[pytest.Item]) -> None:
    """Every test on scratch_stack is in the scratch group, every end-to-end test on `stack` in a
    share: a new test the lists above do not know of stops the run here, before any stack starts."""
    for item in items:
        group, fixtures = group_of(item.nodeid), getattr(item, "fixturenames", ())
        if ("scratch_stack" in fixtures) != (group == SCRATCH):
            raise pytest.UsageError(f"{item.nodeid}: list it in tests/xdist_groups.py ON_SCRATCH "
                                    "exactly when it uses scratch_stack")
        if "/e2e/" in item.nodeid and "stack" in fixtures and group not in (SCRATCH, *E2E_SHARES):
            raise pytest.UsageError(f"{item.nodeid}: uses `stack` but is in no share (tests/xdist_groups.py)")


class Groups(LoadScopeScheduling):
    """pytest-xdist's scope scheduling with `group_of` as the scope: a group goes to one worker."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)
