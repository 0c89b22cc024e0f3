"""Every HTTP connection a service accepts sends without Nagle's algorithm: eventlet writes an
answer's headers and a body over its 16 KB buffer in two writes, and with Nagle on the body's last
part waited for the client's delayed ACK (about 40 ms for any answer of 16 to 64 KB)."""

from __future__ import annotations

import socket

from netra_common.http_server import ClosingProtocol


def accepted_through_the_protocol() -> tuple[socket.socket, socket.socket, socket.socket]:
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    served, _ = listener.accept()
    protocol = ClosingProtocol.__new__(ClosingProtocol)  # setup() alone: no request is read
    protocol.request = served
    protocol.setup()
    return listener, client, served


def test_an_accepted_connection_sends_without_waiting_for_acks():
    listener, client, served = accepted_through_the_protocol()
    try:
        assert served.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        for s in (client, served, listener):
            s.close()


def test_a_socket_without_tcp_options_is_served_all_the_same():
    left, right = socket.socketpair()
    try:
        protocol = ClosingProtocol.__new__(ClosingProtocol)
        protocol.request = left
        protocol.setup()  # no TCP_NODELAY on a UNIX socket: no error either
        assert protocol.wfile is not None and protocol.rfile is not None
    finally:
        left.close()
        right.close()
