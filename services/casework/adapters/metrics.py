"""casework's figures for /metrics, read from its tables at each scrape (netra_common/metrics.py):
cases per stage, overdue cases, and how far each projection is behind the event log."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import text
from sqlalchemy.engine import Connection


def figures(conn: Connection) -> Iterable[Metric]:
    stages = GaugeMetricFamily("netra_cases", "Cases, by stage (status)", labels=["stage"])
    overdue = GaugeMetricFamily("netra_cases_overdue", "Cases past their stage's deadline, by stage",
                                labels=["stage"])
    for row in conn.execute(text(
            "SELECT status, count(*) AS cases, count(*) FILTER (WHERE overdue) AS late "
            "FROM casework.case_list GROUP BY status")):
        stages.add_metric([row.status], row.cases)
        overdue.add_metric([row.status], row.late)
    yield stages
    yield overdue
    head = conn.execute(text("SELECT coalesce(max(global_position), 0) FROM casework.events")).scalar_one()
    behind = GaugeMetricFamily("netra_projection_lag_events", "Events in the log a projection has not "
                               "applied yet", labels=["projection"])
    waited = GaugeMetricFamily("netra_projection_lag_seconds", "How long the oldest event a projection "
                               "has not applied has been in the log (0 when it is caught up)",
                               labels=["projection"])
    for row in conn.execute(text(
            "SELECT c.projection, c.position, coalesce(extract(epoch FROM now() - ("
            "  SELECT recorded_at FROM casework.events e WHERE e.global_position > c.position "
            "  ORDER BY e.global_position LIMIT 1)), 0) AS seconds "
            "FROM casework.projection_checkpoints c")):
        behind.add_metric([row.projection], max(head - row.position, 0))
        waited.add_metric([row.projection], float(row.seconds))
    yield behind
    yield waited
