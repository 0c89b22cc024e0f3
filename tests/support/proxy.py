"""A TCP proxy the tests control: cut every connection, refuse new ones, throttle bytes, or
swallow them (a link that takes everything and answers nothing).

Stands between a service and RabbitMQ or S3 to stage a network failure or a slow link, or
between a service and PostgreSQL to lose the answer to one transaction's COMMIT.
"""

from __future__ import annotations

import socket
import threading
import time


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._closing = False
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self.bytes_per_second: float | None = None
        # Connections whose bytes are swallowed: open, silent, never closed.
        self._black_holes: set[socket.socket] = set()
        self._swallow_new = False
        self._clients: set[socket.socket] = set()  # the proxied side of each connection
        self._trap: Trap | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._connections += [client, upstream]
                self._clients.add(client)
                if self._swallow_new:
                    self._black_holes |= {client, upstream}
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                chunk = source.recv(16384 if self.bytes_per_second is None else 4096)
                if not chunk:
                    break
                if self.bytes_per_second:
                    time.sleep(len(chunk) / self.bytes_per_second)
                if source in self._black_holes:
                    continue
                if self._trap is not None and self._trap.springs(source, sink, chunk, self._clients):
                    if self._spring():
                        break
                    continue
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones, as a network failure would."""
        self._open.clear()
        with self._lock:
            connections, self._connections = self._connections, []
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def swallow(self) -> None:
        """From now on every connection, open or new, takes bytes and passes none on."""
        with self._lock:
            self._swallow_new = True
            self._black_holes |= set(self._connections)

    def let_new_through(self) -> None:
        """New connections work again; the swallowing ones stay as they are, open and silent."""
        self._swallow_new = False

    def restore(self) -> None:
        self._open.set()

    def lose_commit_answer(self, armed_by: bytes, then_cut: bool) -> Trap:
        """Let the next transaction that sends `armed_by` commit, but drop PostgreSQL's answer to
        its COMMIT and close that connection: the client cannot know whether it committed.
        `then_cut` also drops every other connection and refuses new ones until restore()."""
        self._trap = Trap(armed_by, b"COMMIT", "cut" if then_cut else "close")
        return self._trap

    def fall_silent_at(self, statement: bytes) -> Trap:
        """Swallow the first chunk that holds `statement`, and every byte on every connection
        after it: the server goes silent in the middle of that transaction."""
        self._trap = Trap(statement, None, "swallow")
        return self._trap

    def _spring(self) -> bool:
        """Act on a sprung trap; True when the connection that sprung it is to be closed."""
        trap, self._trap = self._trap, None
        if trap.action == "cut":
            self.cut()
        elif trap.action == "swallow":
            self.swallow()
        trap.sprung.set()
        return trap.action != "swallow"

    def close(self) -> None:
        self._closing = True
        self.cut()
        self._listener.close()


class Trap:
    """Watches PostgreSQL's wire protocol (simple queries, as psycopg2 sends them) on each
    connection for a transaction that sends `armed_by`. Without `then`, it springs on that very
    chunk; with `then` (b"COMMIT"), on the server's answer to the next chunk holding `then`."""

    def __init__(self, armed_by: bytes, then: bytes | None, action: str):
        self.armed_by = armed_by
        self.then = then
        self.action = action  # cut, close (that connection only) or swallow
        self.sprung = threading.Event()
        self._armed: set[socket.socket] = set()
        self._waiting: set[socket.socket] = set()

    def springs(self, source: socket.socket, sink: socket.socket, chunk: bytes, clients) -> bool:
        if source not in clients:
            return sink in self._waiting  # the server's answer to what the trap waits for
        if self.armed_by in chunk:
            if self.then is None:
                return True
            self._armed.add(source)
        if source in self._armed and self.then in chunk:
            self._waiting.add(source)
        return False
