"""A real Prometheus (Debian's package) scrapes the session stack with deploy/monitoring/'s scrape
configuration and rules while complaints are filed; the figures and an alert are read back through
Prometheus's HTTP API."""

from __future__ import annotations

import json
import re
import sys
import uuid

import pytest
import requests
from kombu import Connection

from tests.support import complaints
from tests.support.monitoring import MONITORING, running_prometheus

SERVICES = ("intake", "casework", "evidence", "notify")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def prometheus(stack, test_output):
    with running_prometheus(stack.settings, test_output / f"prometheus-{uuid.uuid4().hex[:8]}") as running:
        for service in SERVICES:
            running.wait_for(f'up{{job="{service}"}}', lambda up: up == 1)
        yield running


def test_metrics_are_not_on_the_public_door(stack):
    assert requests.get(f"{stack.settings.url('intake')}/metrics", timeout=5).status_code == 404
    assert requests.get(stack.settings.metrics_url("intake"), timeout=5).status_code == 200


def test_prometheus_reads_what_filing_complaints_did(stack, prometheus):
    filed_before = prometheus.value("max(netra_complaints_filed_total)") or 0
    intake = stack.settings.url("intake")
    receipts = []
    for seed in (31, 32):
        answer = complaints.file(intake, complaints.complaint(), [("bukti.png", complaints.png(seed=seed))])
        assert answer.status_code == 201, answer.text
        receipts.append(answer.json())
    # a lookup by tracking code: counted under its route's template, never its code
    assert complaints.status(intake, receipts[0]["tracking_code"], receipts[0]["receipt"]).status_code == 200

    prometheus.wait_for("max(netra_complaints_filed_total)", lambda n: n >= filed_before + 2)
    prometheus.wait_for('sum(netra_http_requests_total{job="intake", route="/api/v1/complaints", '
                        'method="POST", status="201"})', lambda n: n >= 2)
    prometheus.wait_for('sum(netra_http_request_seconds_count{job="intake", route="/api/v1/complaints"})',
                        lambda n: n >= 2)
    prometheus.wait_for('sum(netra_http_requests_total{job="intake", method="GET", status="200", '
                        'route=~"/api/v1/complaints/<.+>"})', lambda n: n >= 1)
    prometheus.wait_for('sum(netra_bus_messages_total{job="evidence", queue="evidence.complaint_submitted", '
                        'outcome="handled"})', lambda n: n >= 2)
    prometheus.wait_for('sum(netra_evidence_processing_seconds_count{job="evidence"})', lambda n: n >= 2)
    prometheus.wait_for('sum(netra_cases{job="casework"})', lambda n: n >= 2)
    prometheus.wait_for('sum(netra_bus_messages_total{job="notify", queue="notify.complaint_submitted", '
                        'outcome="handled"})', lambda n: n >= 2)
    for service in SERVICES:
        assert prometheus.value(f'max(netra_outbox_backlog{{job="{service}"}})') is not None, service
        assert prometheus.value(f'max(netra_outbox_oldest_unsent_seconds{{job="{service}"}})') is not None
        assert prometheus.value(f'max(netra_db_pool_in_use{{job="{service}"}})') is not None
        assert prometheus.value(f'max(netra_store_readable{{job="{service}"}})') == 1
    assert prometheus.value('max(netra_projection_lag_events{projection="case_list"})') is not None
    assert prometheus.value("max(netra_notify_dead_letters)") is not None
    assert prometheus.query("netra_cases_overdue")

    # nothing in any label names a complaint, a case or a person
    codes = [r["tracking_code"] for r in receipts]
    for series in prometheus.series('{__name__=~"netra_.+"}'):
        for value in series.values():
            assert not UUID.search(value), series
            assert not any(code in value for code in codes), series
            assert complaints.BASE_COMPLAINT["reported"]["name"] not in value, series


def test_a_parked_message_fires_its_alert(stack, prometheus):
    bus = stack.bus
    dead_queue = bus.dead_queue("casework", "evidence_viewed")
    # A body that is not even JSON, under an event type only casework hears: parked at once.
    with Connection(bus.amqp_uri, connect_timeout=10) as connection:
        connection.Producer().publish(b"\x00bukan json", exchange=bus.events_exchange,
                                      routing_key="evidence_viewed", content_type="application/json",
                                      content_encoding="binary")
        try:
            prometheus.wait_for('max(netra_bus_parked_messages{queue="casework.evidence_viewed"})',
                                lambda n: n >= 1)
            prometheus.wait_for('count(ALERTS{alertname="NetraMessageParked", alertstate="firing", '
                                'queue="casework.evidence_viewed"})', lambda n: n == 1)
            firing = prometheus.firing("NetraMessageParked")
            assert any(a["labels"]["queue"] == "casework.evidence_viewed" for a in firing), firing
            # Counted just after the park is confirmed, while the queue's depth is read from the broker
            # at each scrape: a scrape can fall between the two, so the count may come a scrape later.
            prometheus.wait_for('sum(netra_bus_messages_total{queue="casework.evidence_viewed", '
                                'outcome="parked"})', lambda n: n >= 1)
        finally:
            # the session stack goes on without our poison
            connection.channel().queue_purge(dead_queue)


def test_every_dashboard_panel_is_a_query_prometheus_answers(stack, prometheus):
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    # every metric the services declare (a labelled one has no series before its first count)
    known = set()
    for service in SERVICES:
        text = requests.get(stack.settings.metrics_url(service), timeout=10).text
        for name, kind in re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M):
            known |= {name, f"{name}_total"} if kind == "counter" else {name, f"{name}_bucket"}
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            prometheus.query(target["expr"])  # asserts Prometheus accepted it
            for name in re.findall(r"\bnetra_[a-z_]+", target["expr"]):
                assert name in known, (panel["title"], name)


def test_two_replicas_of_a_service_are_counted_once_each_and_their_store_figures_not_twice(stack, test_output):
    """A second intake process, as a replica: its own HTTP and metrics ports, the same database and
    queues. Prometheus scrapes both; requests are summed across them, store figures agree."""
    from netra_stack.processes import ManagedProcess, port_open, wait_until
    from netra_stack.settings import free_port

    http_port, metrics_port = free_port(), free_port()
    addresses = {"NETRA_INTAKE_ADDRESS": f"127.0.0.1:{http_port}",
                 "NETRA_INTAKE_METRICS_ADDRESS": f"127.0.0.1:{metrics_port}"}
    replica = ManagedProcess("intake-2", [sys.executable, "-m", "netra_common.runner", "intake"],
                             env=stack.service_env("intake", addresses),
                             log_path=stack.settings.log_dir / "intake-2.log")
    replica.start()
    try:
        wait_until(lambda: port_open(http_port) and port_open(metrics_port), timeout=60, what="the replica",
                   process=replica)
        with running_prometheus(stack.settings, test_output / f"prometheus-{uuid.uuid4().hex[:8]}",
                                {"intake": [metrics_port]}) as prometheus:
            prometheus.wait_for('count(up{job="intake"} == 1)', lambda n: n == 2)
            filed = 'sum(netra_http_requests_total{job="intake", route="/api/v1/complaints", status="201"})'
            before = prometheus.value(filed) or 0
            for port, times in ((stack.settings.service_ports["intake"], 2), (http_port, 3)):
                for _ in range(times):
                    answer = complaints.file(f"http://127.0.0.1:{port}", complaints.complaint(), [])
                    assert answer.status_code == 201, answer.text
            prometheus.wait_for(filed, lambda n: n == before + 5)
            assert prometheus.value(f'count(netra_http_requests_total{{job="intake", route="/api/v1/complaints", '
                                    f'status="201", instance="127.0.0.1:{metrics_port}"}})') == 1
            # read from the database: the same from both, so max() is the figure and sum() would double it
            figure = 'netra_complaints_filed_total{job="intake"}'
            prometheus.wait_for(f"max({figure}) - min({figure})", lambda n: n == 0)
            assert len(prometheus.query(figure)) == 2
    finally:
        replica.stop()
