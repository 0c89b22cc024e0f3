"""`@on_event` under faults, in a real nameko process: a broker that keeps dropping the
connection costs redeliveries, never the process; a database away for longer than the whole
retry budget holds the messages, spends no attempt and parks nothing."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests
from kombu import Connection
from sqlalchemy import text
from sqlalchemy.engine import make_url

from netra_common.bus import deadletters, topology
from netra_common.bus.publisher import ConfirmedPublisher
from netra_common.bus.settings import BusSettings
from tests.integration.conftest import PROBE_SUBSCRIPTIONS, create_probe_tables, start_probe
from tests.support import events
from tests.support.probe_tables import FAIL_MARKER, SLOW_MARKER
from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually, stays


@pytest.fixture
def bus(stack, stack_db):
    """A bus namespace of its own, so no other probe process takes these messages."""
    create_probe_tables(stack_db)
    settings = BusSettings(stack.settings.amqp_uri, f"{stack.bus.prefix}-faults-{uuid.uuid4().hex[:6]}",
                           stack.bus.retry_delays_ms)
    topology.declare(settings, PROBE_SUBSCRIPTIONS)
    yield settings
    topology.delete(settings, PROBE_SUBSCRIPTIONS)


@pytest.fixture
def proxies():
    opened = []

    def open_to(host: str, port: int) -> TcpProxy:
        opened.append(TcpProxy(port, host))
        return opened[-1]

    yield open_to
    for proxy in opened:
        proxy.close()


@pytest.fixture
def probes():
    started = []
    yield started
    for probe in started:
        probe.process.stop()


def effects_of(stack_db, ids: list[str]) -> dict[str, int]:
    with stack_db.connect() as conn:
        rows = conn.execute(text("SELECT event_id::text, count(*) FROM probe.effects "
                                 "WHERE event_id::text = ANY(:ids) GROUP BY event_id"), {"ids": ids})
        counts = dict(rows.all())
    return {event_id: counts.get(event_id, 0) for event_id in ids}


def parked_ids(bus: BusSettings) -> set[str]:
    return {d.event_id for d in deadletters.list_dead(bus, "probe", "complaint_submitted",
                                                     subscriptions=PROBE_SUBSCRIPTIONS)}


def waiting_in_queue(bus: BusSettings) -> int:
    with Connection(bus.amqp_uri) as connection:
        channel = connection.channel()
        return channel.queue_declare(bus.queue("probe", "complaint_submitted"), passive=True).message_count


def answers_http(probe) -> bool:
    return requests.get(f"{probe.url}/fast", timeout=5).ok


def test_a_flapping_broker_costs_redeliveries_never_the_process_or_a_message(stack, stack_db, bus,
                                                                            proxies, probes):
    broker = Connection(stack.settings.amqp_uri)
    link = proxies(broker.hostname, broker.port or 5672)
    proxied = stack.settings.amqp_uri.replace(f"{broker.hostname}:{broker.port or 5672}", link.endpoint)
    probe = start_probe(stack, stack_db, "probe-flapping",
                        {"NETRA_BUS_PREFIX": bus.prefix, "NETRA_AMQP_URI": proxied})
    probes.append(probe)

    def flap():  # 10 cycles of 2 s up, 1 s down
        for _ in range(10):
            time.sleep(2)
            link.cut()
            time.sleep(1)
            link.restore()

    flapping = threading.Thread(target=flap)
    flapping.start()
    publisher = ConfirmedPublisher(bus)  # straight to the broker: only the service's link flaps
    sent = []
    while flapping.is_alive():
        # Bursts of slow work, so that acks are in flight whenever the link drops.
        for _ in range(10):
            message = events.complaint_submitted(description=f"{SLOW_MARKER} putus-sambung {len(sent)}")
            publisher.publish_event(message)
            sent.append(message["event_id"])
        time.sleep(0.25)
    flapping.join()

    assert len(sent) >= 500
    eventually(lambda: set(effects_of(stack_db, sent).values()) == {1}, timeout=90,
               message="every message handled")
    stays(lambda: set(effects_of(stack_db, sent).values()) == {1}, duration=2.0)
    assert probe.process.alive and answers_http(probe)
    assert not parked_ids(bus) & set(sent)


def test_a_database_away_longer_than_the_retry_budget_parks_nothing_and_loses_nothing(stack, stack_db, bus,
                                                                                     proxies, probes):
    db_url = make_url(stack.settings.db_url)
    link = proxies(db_url.host or "127.0.0.1", db_url.port or 5432)
    proxied = db_url.set(host="127.0.0.1", port=link.port).render_as_string(hide_password=False)
    probe = start_probe(stack, stack_db, "probe-db-away", {"NETRA_BUS_PREFIX": bus.prefix, "NETRA_DB_URL": proxied})
    probes.append(probe)
    publisher = ConfirmedPublisher(bus)

    link.cut()
    good = []
    for n in range(15):
        message = events.complaint_submitted(description=f"saat basis data pergi {n}")
        publisher.publish_event(message)
        good.append(message["event_id"])
    poison = events.complaint_submitted(description=f"{FAIL_MARKER} racun")
    publisher.publish_event(poison)

    budget = sum(bus.retry_delays_ms) / 1000
    # Three times the whole retry budget: a retrying consumer would have parked them all by now.
    stays(lambda: not parked_ids(bus) & {*good, poison["event_id"]}, duration=3 * budget + 2)
    assert set(effects_of(stack_db, good).values()) == {0}
    assert probe.process.alive and answers_http(probe)  # the waiting messages hold no HTTP worker
    log = probe.process.log_path.read_text(errors="replace")
    assert log.count("PostgreSQL tidak terjangkau; berhenti mengambil pesan") == 1

    link.restore()
    eventually(lambda: set(effects_of(stack_db, good).values()) == {1}, timeout=60,
               message="every message handled once the database is back")
    # The poison still goes the way it always went: retried, then parked with its error.
    eventually(lambda: poison["event_id"] in parked_ids(bus), timeout=30, message="the poison parked")
    stays(lambda: set(effects_of(stack_db, good).values()) == {1}, duration=2.0)
    assert parked_ids(bus) == {poison["event_id"]}
    assert "PostgreSQL terjangkau lagi; melanjutkan pengambilan pesan" in \
        probe.process.log_path.read_text(errors="replace")


def test_a_message_whose_effect_committed_before_the_database_went_away_is_acknowledged(stack, stack_db, bus,
                                                                                      proxies, probes):
    db_url = make_url(stack.settings.db_url)
    link = proxies(db_url.host or "127.0.0.1", db_url.port or 5432)
    proxied = db_url.set(host="127.0.0.1", port=link.port).render_as_string(hide_password=False)
    probe = start_probe(stack, stack_db, "probe-commit-lost",
                        {"NETRA_BUS_PREFIX": bus.prefix, "NETRA_DB_URL": proxied})
    probes.append(probe)

    trap = link.lose_commit_answer(b"INSERT INTO probe.effects", then_cut=True)
    message = events.complaint_submitted(description="tersimpan, jawabannya hilang")
    ConfirmedPublisher(bus).publish_event(message)
    eventually(trap.sprung.is_set, timeout=20, message="the lost answer to COMMIT")
    eventually(lambda: effects_of(stack_db, [message["event_id"]])[message["event_id"]] == 1,
               message="the effect, committed all the same")
    budget = sum(bus.retry_delays_ms) / 1000
    stays(lambda: not parked_ids(bus), duration=2 * budget + 1)

    link.restore()
    eventually(lambda: "PostgreSQL terjangkau lagi" in probe.process.log_path.read_text(errors="replace"),
               timeout=30, message="the database found back")
    time.sleep(1)  # the redelivery meets its processed row and is acknowledged
    probe.process.stop()  # anything still unacknowledged goes back to the queue now
    assert waiting_in_queue(bus) == 0
    assert effects_of(stack_db, [message["event_id"]])[message["event_id"]] == 1
    assert not parked_ids(bus)
