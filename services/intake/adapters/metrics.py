"""intake's figures for /metrics, read from its tables at each scrape (netra_common/metrics.py):
complaints filed (a total that only grows, the same from every replica)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import CounterMetricFamily, Metric
from sqlalchemy import text
from sqlalchemy.engine import Connection


def figures(conn: Connection) -> Iterable[Metric]:
    filed = conn.execute(text("SELECT count(*) FROM intake.complaints")).scalar_one()
    yield CounterMetricFamily("netra_complaints_filed", "Complaints filed through intake", value=filed)
