"""The stacks' ports (deploy/local/netra_stack/settings.py): distinct, free, outside the kernel's
ephemeral range (where an outgoing connection could take one before its server starts), and each
pytest-xdist worker in its own share."""

from __future__ import annotations

import socket

from netra_stack.settings import FIRST_CHOSEN_PORT, free_ports


def ephemeral_low() -> int:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
        return int(ports.read().split()[0])


def test_ports_are_distinct_free_and_below_the_ephemeral_range(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
    ports = free_ports(40)
    assert len(set(ports)) == 40
    assert all(FIRST_CHOSEN_PORT <= port < ephemeral_low() for port in ports)
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # released again: a server can take it


def test_two_workers_choose_from_shares_that_do_not_meet(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    first = set(free_ports(200))
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    second = set(free_ports(200))
    middle = FIRST_CHOSEN_PORT + (ephemeral_low() - FIRST_CHOSEN_PORT) // 2
    assert max(first) < middle <= min(second)
