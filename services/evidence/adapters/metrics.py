"""evidence's figures for /metrics, read from its tables at each scrape (netra_common/metrics.py):
uploads rejected, by reason (a total that only grows, the same from every replica)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import text
from sqlalchemy.engine import Connection


def figures(conn: Connection) -> Iterable[Metric]:
    rejected = CounterMetricFamily("netra_evidence_rejections", "Uploads refused custody, by reason",
                                   labels=["reason"])
    for row in conn.execute(text(
            "SELECT reason_code, count(*) AS n FROM evidence.rejections GROUP BY reason_code")):
        rejected.add_metric([row.reason_code], row.n)
    yield rejected
    kept = GaugeMetricFamily("netra_evidence_items", "Evidence items in custody, by kind", labels=["kind"])
    for row in conn.execute(text("SELECT kind, count(*) AS n FROM evidence.items GROUP BY kind")):
        kept.add_metric([row.kind], row.n)
    yield kept
