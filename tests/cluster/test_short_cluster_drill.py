"""The short cluster drill inside `make test` (`make cluster-drill` is the long one): the whole
cluster (three RabbitMQ nodes, PostgreSQL primary and standby, SeaweedFS with three volume
servers, two replicas of every service, nginx), two clients filing through nginx and one case
moved on to BKPPD while each of the four faults happens once, with a few seconds between.
Nothing acknowledged may be lost, nothing done twice, nothing parked; and a session, a grant and
a rate limit hold across replicas."""

from __future__ import annotations

import uuid

import pytest

from tests.cluster.drill import FAULTS, run, table, verdict


@pytest.mark.stack
@pytest.mark.timeout(900)
def test_a_short_cluster_drill_loses_nothing_and_does_nothing_twice(test_output):
    result = run(test_output / f"cluster-{uuid.uuid4().hex[:8]}", clients=2, faults=list(FAULTS), between=3, forward=1,
                 quiet_timeout=180)
    print(table(result))
    figures = result["figures"]
    assert figures["filed"] > 0 and [r["fault"] for r in result["faults"]] == list(FAULTS), result
    assert figures["lost"] == 0 and figures["duplicated"] == 0, table(result)
    assert figures["cases_forwarded"] == figures["bkppd_mails"] == 1, table(result)
    assert verdict(result) == [], table(result)
