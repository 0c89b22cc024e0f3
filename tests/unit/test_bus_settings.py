"""Bus settings read from configuration."""

from __future__ import annotations

import pytest

from netra_common.bus.settings import DEFAULT_RETRY_DELAYS_MS, BusSettings, parse_delays


def test_names_follow_the_prefix_service_and_event_type():
    s = BusSettings(prefix="netra", retry_delays_ms=(1000,))
    assert s.events_exchange == "netra.events"
    assert s.queue("notify", "case_forwarded_to_bkppd") == "netra.notify.case_forwarded_to_bkppd"
    assert s.retry_queue("notify", "x", 1000) == "netra.notify.x.retry.1000ms"
    assert s.dead_queue("notify", "x") == "netra.notify.x.dead"
    assert s.max_attempts == 2


@pytest.mark.parametrize("value, expected", [
    (None, DEFAULT_RETRY_DELAYS_MS), ("", DEFAULT_RETRY_DELAYS_MS), ("100, 200", (100, 200)),
    (500, (500,)), ([1, 2], (1, 2)),
])
def test_retry_delays_are_read_from_text_numbers_or_lists(value, expected):
    assert parse_delays(value) == expected


def test_a_delay_must_be_positive():
    with pytest.raises(ValueError):
        parse_delays("100,0")


def test_settings_come_from_a_service_config():
    s = BusSettings.from_config({"AMQP_URI": "amqp://x/", "NETRA_BUS_PREFIX": "t",
                                 "NETRA_RETRY_DELAYS_MS": "10,20"})
    assert (s.amqp_uri, s.prefix, s.retry_delays_ms) == ("amqp://x/", "t", (10, 20))


def test_each_systems_rpc_exchange_is_the_one_nameko_uses(monkeypatch):
    """Two systems on one broker (a developer's and the tests') must never answer each other's calls:
    nameko looks the exchange up by its own key, for the services and for a standalone client."""
    from nameko.rpc import get_rpc_exchange

    from netra_common.bus.rpc import rpc_client_config
    from netra_common.config import load_service_config

    monkeypatch.setenv("NETRA_BUS_PREFIX", "netra-dev")
    service_config = load_service_config("casework")
    client_config = rpc_client_config(BusSettings.from_config(service_config), "amqp://x/")
    assert get_rpc_exchange(service_config).name == "netra-dev.rpc"
    assert get_rpc_exchange(client_config).name == "netra-dev.rpc"


def test_reading_a_config_leaves_yamls_own_safe_loader_alone(monkeypatch):
    import yaml

    from netra_common.config import load_service_config

    monkeypatch.setenv("NETRA_BUS_PREFIX", "netra-x")
    assert load_service_config("intake")["NETRA_BUS_PREFIX"] == "netra-x"
    assert yaml.safe_load("proxies: ${NETRA_TRUSTED_PROXIES:-172.30.0.1}") == {
        "proxies": "${NETRA_TRUSTED_PROXIES:-172.30.0.1}"}
