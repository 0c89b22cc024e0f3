"""The fault proxy's timed faults against a local echo server: a cut drops and refuses for its
span and then lets clients back in, a flap goes down the number of times asked, and latency
delays each way without reordering bytes."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.support.proxy import TcpProxy


@pytest.fixture
def echo_port():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)

    def serve(conn: socket.socket) -> None:
        with conn:
            while chunk := conn.recv(4096):
                conn.sendall(chunk)

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def round_trip(port: int, payload: bytes = b"ping", timeout: float = 2) -> bytes:
    """What came back; empty when the proxy closed or reset the connection."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(payload)
            received = b""
            while len(received) < len(payload):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                received += chunk
            return received
    except ConnectionError:
        return b""


def test_cut_for_drops_open_connections_refuses_new_ones_then_restores(echo_port):
    proxy = TcpProxy(echo_port)
    try:
        held = socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
        assert round_trip(proxy.port) == b"ping"
        fault = proxy.cut_for(0.6)
        assert held.recv(10) == b""  # the open connection was closed under it
        assert round_trip(proxy.port) == b""  # a new one is let in and closed at once
        assert fault.wait(3)
        assert round_trip(proxy.port) == b"ping"
        assert fault.cuts == 1
    finally:
        proxy.close()


def test_flap_goes_down_the_times_asked_and_ends_up(echo_port):
    proxy = TcpProxy(echo_port)
    try:
        started = time.monotonic()
        fault = proxy.flap(times=3, up=0.1, down=0.15)
        seen_down = False
        while not fault.done.is_set():
            seen_down |= round_trip(proxy.port, timeout=1) == b""
            time.sleep(0.02)
        assert fault.cuts == 3
        assert seen_down
        assert time.monotonic() - started >= 3 * 0.25 - 0.05
        assert round_trip(proxy.port) == b"ping"
    finally:
        proxy.close()


def test_stop_ends_a_fault_early_with_the_link_up(echo_port):
    proxy = TcpProxy(echo_port)
    try:
        fault = proxy.cut_for(60)
        fault.stop()
        assert fault.done.is_set()
        assert round_trip(proxy.port) == b"ping"
    finally:
        proxy.close()


def test_latency_delays_each_way_and_keeps_order(echo_port):
    proxy = TcpProxy(echo_port)
    try:
        proxy.latency = 0.1
        payload = b"".join(b"%05d" % n for n in range(2000))
        started = time.monotonic()
        assert round_trip(proxy.port, payload) == payload
        assert time.monotonic() - started >= 0.2  # 100 ms there and 100 ms back
        proxy.latency = 0
        started = time.monotonic()
        assert round_trip(proxy.port) == b"ping"
        assert time.monotonic() - started < 0.15  # a new connection is not delayed any more
    finally:
        proxy.close()
