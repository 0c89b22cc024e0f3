"""notify's figures for /metrics, read from its tables at each scrape (netra_common/metrics.py):
deliveries by kind, channel and status, and the dead letters waiting for an operator."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import text
from sqlalchemy.engine import Connection


def figures(conn: Connection) -> Iterable[Metric]:
    deliveries = GaugeMetricFamily("netra_notify_deliveries", "Deliveries, by kind, channel and status "
                                   "(pending, retrying, sent, dead, queued, digested)",
                                   labels=["kind", "channel", "status"])
    dead = 0
    for row in conn.execute(text(
            "SELECT kind, channel, status, count(*) AS n FROM notify.deliveries "
            "GROUP BY kind, channel, status")):
        deliveries.add_metric([row.kind, row.channel, row.status], row.n)
        dead += row.n if row.status == "dead" else 0
    yield deliveries
    yield GaugeMetricFamily("netra_notify_dead_letters", "Deliveries given up on, waiting for an "
                            "operator (netra-notify dead-letters)", value=dead)
