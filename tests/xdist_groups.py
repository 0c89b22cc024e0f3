"""Which tests share a pytest-xdist worker, so `make test`'s three workers (`-n 3 --dist loadgroup
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

- With three workers or more (`make test` runs three), the last one is the stackless worker: it
  takes only the groups that never start the worker's `stack` (`STACKLESS`: the unit tests, the
  scratch group, the two fault runs, `make run`'s own systems, the integration modules that need no
  stack). The machine's PostgreSQL allows 100 connections and a stack holds about 16 at rest (48
  at most): so three workers still run at most the stacks two did (two workers' stacks, and the
  scratch stack or a fault run's or `make run`'s beside them), and the third worker's tests run
  beside the end-to-end shares instead of after them. `check` makes sure no test of a stackless
  group asks for `stack`.
- Groups are handed out longest first (`FIRST`, then the order collected): the end-to-end shares
  and the long stackless groups start at once, and the short groups fill in around them.

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
    "test_public_api.py", "test_rebuild_while_running.py", "test_delivery_faults.py", "test_readiness.py",
    "test_contact_erasure_in_casework.py", "test_team_access.py", "test_who_together_can_read_an_identity.py",
})


# Modules outside tests/unit/ none of whose tests ask for the worker's `stack`.
STACKLESS_MODULES = frozenset({
    "tests/integration/test_make_run.py", "tests/integration/test_make_run_own_servers.py",
    "tests/integration/test_bus_teardown.py", "tests/integration/test_case_repository.py",
    "tests/integration/test_decree_custody.py", "tests/integration/test_ensure_user.py",
    "tests/integration/test_key_backup.py",
    "tests/integration/test_log_checkpoints.py", "tests/integration/test_monitoring_rules.py",
    "tests/integration/test_production_layouts.py", "tests/integration/test_purge_edges.py",
    "tests/integration/test_retention_purge.py", "tests/integration/test_subject_and_access_reports.py",
    "tests/integration/test_team_screenshot_custody.py",
})
# Handed out before every other group, in this order (the longest, measured with --durations).
FIRST = (*E2E_SHARES, SCRATCH, "tests/integration/test_make_run.py", OWN_SYSTEM)


def stackless(group: str) -> bool:
    return group in (SCRATCH, OWN_SYSTEM) or group in STACKLESS_MODULES or group.startswith("tests/unit/")


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
        if stackless(group) and "stack" in fixtures:
            raise pytest.UsageError(f"{item.nodeid}: uses `stack` but its group is stackless "
                                    "(tests/xdist_groups.py STACKLESS_MODULES)")
        if "/e2e/" in item.nodeid and "stack" in fixtures and group not in (SCRATCH, *E2E_SHARES):
            raise pytest.UsageError(f"{item.nodeid}: uses `stack` but is in no share (tests/xdist_groups.py)")


class Groups(LoadScopeScheduling):
    """pytest-xdist's scope scheduling with `group_of` as the scope: a group goes to one worker;
    the longest groups first; with three workers or more, the last one takes only stackless groups
    and the others take those only when no other group is left."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)

    def schedule(self) -> None:
        if self.collection is None and self.collection_is_completed and self._check_nodes_have_same_collection():
            # Order the queue before pytest-xdist's first distribution reads it.
            collected = list(next(iter(self.registered_collections.values())))
            queue: dict[str, dict[str, bool]] = {}
            for nodeid in collected:
                queue.setdefault(self._split_scope(nodeid), {})[nodeid] = False
            self.workqueue.update(sorted(queue.items(), key=lambda unit: _rank(unit[0])))
            self.collection = collected
            self._distribute()
            return
        super().schedule()

    def _distribute(self) -> None:
        for node in self.nodes:
            if self._wanted_by(node) is not None:
                self._assign_work_unit(node)
            else:
                node.shutdown()
        for node in self.nodes:
            self._reschedule(node)

    def _stackless_node(self, node) -> bool:
        return len(self.nodes) >= 3 and node is self.nodes[-1]

    def _wanted_by(self, node) -> str | None:
        """The first group in the queue this worker should run, if any."""
        if self._stackless_node(node):
            return next((group for group in self.workqueue if stackless(group)), None)
        # The stackless worker's groups go to the others only when nothing else is left.
        with_stack = next((group for group in self.workqueue if not stackless(group)), None)
        return with_stack if with_stack is not None or len(self.nodes) < 3 else next(iter(self.workqueue), None)

    def _assign_work_unit(self, node) -> None:
        group = self._wanted_by(node)
        assert group is not None
        self.workqueue.move_to_end(group, last=False)
        super()._assign_work_unit(node)

    def _reschedule(self, node) -> None:
        if node.shutting_down:
            return
        if self._wanted_by(node) is None:
            if not self._pending_of(self.assigned_work.get(node, {})):
                node.shutdown()
            return
        super()._reschedule(node)


def _rank(group: str) -> int:
    return FIRST.index(group) if group in FIRST else len(FIRST)
