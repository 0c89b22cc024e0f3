"""The bus topology in SUBSCRIPTIONS matches the handlers the services really have."""

from __future__ import annotations

import importlib
import inspect

import pytest
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from netra_common.bus.consumer import EventConsumer
from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import SUBSCRIPTIONS
from netra_common.bus.topology import queues_for
from netra_common.config import SERVICE_NAMES
from netra_common.contracts.events import event_types


def handled_event_types(service: str) -> set[str]:
    cls = importlib.import_module(f"services.{service}.service").SERVICE
    found = set()
    for _, method in inspect.getmembers(cls, inspect.isfunction):
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, EventConsumer):
                found.add(entrypoint.event_type)
    return found


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_services_handlers_are_exactly_its_subscriptions(service):
    assert handled_event_types(service) == set(SUBSCRIPTIONS.get(service, ()))


def test_every_event_has_a_consumer_so_none_is_published_into_the_void():
    consumed = {t for types in SUBSCRIPTIONS.values() for t in types}
    assert event_types() <= consumed


def test_every_subscription_has_a_contract():
    consumed = {t for types in SUBSCRIPTIONS.values() for t in types}
    assert consumed <= event_types()


def test_each_subscription_gets_a_main_a_dead_and_one_retry_queue_per_back_off_step():
    settings = BusSettings(prefix="p", retry_delays_ms=(100, 200))
    queues = {q.name: q for q in queues_for(settings, "notify", "case_forwarded_to_bkppd")}
    assert set(queues) == {"p.notify.case_forwarded_to_bkppd", "p.notify.case_forwarded_to_bkppd.dead",
                           "p.notify.case_forwarded_to_bkppd.retry.100ms",
                           "p.notify.case_forwarded_to_bkppd.retry.200ms"}
    retry = queues["p.notify.case_forwarded_to_bkppd.retry.200ms"].queue_arguments
    assert retry["x-message-ttl"] == 200
    assert retry["x-dead-letter-routing-key"] == "p.notify.case_forwarded_to_bkppd"
    assert queues["p.notify.case_forwarded_to_bkppd"].routing_key == "case_forwarded_to_bkppd"
