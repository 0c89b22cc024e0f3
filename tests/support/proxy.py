"""A TCP proxy the tests control: cut every connection, refuse new ones, throttle bytes, delay
them, or swallow them (a link that takes everything and answers nothing).

Stands between a service and RabbitMQ or S3 to stage a network failure or a slow link, or
between a service and PostgreSQL to lose the answer to one transaction's COMMIT.

Faults over time (each returns a `Fault` at once; `.wait()` for its end, `.stop()` ends it early
and leaves the link up):

    proxy.cut_for(30)                  # every connection dropped, new ones refused, for 30 s
    proxy.flap(times=25, up=2, down=1)  # 25 x (2 s up, then 1 s cut), up again at the end
    proxy.latency = 0.1                 # every chunk arrives 100 ms late, each way (0 = none)

Only one timed fault runs at a time on one proxy: starting another first stops the running one.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque


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
        # Seconds added to every chunk, each way. Read per chunk, so it may change at any time.
        self.latency: float = 0.0
        self._fault: Fault | None = None
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
        late: _LateSender | None = None  # made at the first delayed chunk; then used for all, in order
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
                if late is None and self.latency > 0:
                    late = _LateSender(sink)
                if late is not None:
                    late.send(chunk, time.monotonic() + self.latency)
                else:
                    sink.sendall(chunk)
        except OSError:
            pass
        finally:
            if late is not None:
                late.finish()
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

    def cut_for(self, seconds: float) -> Fault:
        """Cut now, and restore after `seconds` (in the background)."""
        return self._start(lambda fault: fault.down(seconds))

    def flap(self, times: int, up: float, down: float) -> Fault:
        """`times` x (stay up `up` s, then cut for `down` s); the link is up when it ends."""

        def run(fault: Fault) -> None:
            for _ in range(times):
                if fault.stopped(up) or fault.down(down):
                    return

        return self._start(run)

    def _start(self, plan) -> Fault:
        if self._fault is not None:
            self._fault.stop()
        self._fault = Fault(self, plan)
        return self._fault

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
        """Act on a sprung trap; True when the connection that sprung it is to be closed. The trap
        says it sprang once its action is done (a test may rely on the cut or the silence then), so
        what the action causes elsewhere (a service's 503 after a cut) can come before: wait for
        `sprung`, never read it once."""
        trap, self._trap = self._trap, None
        if trap.action == "cut":
            self.cut()
        elif trap.action == "swallow":
            self.swallow()
        trap.sprung.set()
        return trap.action != "swallow"

    def close(self) -> None:
        self._closing = True
        if self._fault is not None:
            self._fault.stop()
        self.cut()
        self._listener.close()


class Fault:
    """One timed fault running in the background on a proxy."""

    def __init__(self, proxy: TcpProxy, plan):
        self._proxy = proxy
        self._stop = threading.Event()
        self.done = threading.Event()
        self.cuts = 0  # how many times the link went down so far
        threading.Thread(target=self._run, args=(plan,), daemon=True).start()

    def _run(self, plan) -> None:
        try:
            plan(self)
        finally:
            self._proxy.restore()
            self.done.set()

    def stopped(self, seconds: float) -> bool:
        """Wait `seconds`; True when stop() came first."""
        return self._stop.wait(seconds)

    def down(self, seconds: float) -> bool:
        """Cut the link for `seconds`, then restore it; True when stop() came first."""
        self._proxy.cut()
        self.cuts += 1
        try:
            return self._stop.wait(seconds)
        finally:
            self._proxy.restore()

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    def stop(self) -> None:
        """End the fault now; the link is up when this returns."""
        self._stop.set()
        self.done.wait(10)


class _LateSender:
    """Sends chunks to one socket, each no sooner than its due time, in the order given: latency
    without limiting throughput (chunks in flight overlap, as on a long link)."""

    def __init__(self, sink: socket.socket):
        self._sink = sink
        self._queue: deque[tuple[float, bytes]] = deque()
        self._last_due = 0.0
        self._ready = threading.Condition()
        self._finished = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def send(self, chunk: bytes, due: float) -> None:
        with self._ready:
            # Never before the chunk ahead of it, even if the latency was lowered meanwhile.
            self._last_due = max(due, self._last_due)
            self._queue.append((self._last_due, chunk))
            self._ready.notify()

    def finish(self) -> None:
        """Deliver what is still in flight (the peer closed after sending it), then stop."""
        with self._ready:
            self._finished = True
            self._ready.notify()
        self._thread.join(timeout=max(0.0, self._last_due - time.monotonic()) + 1)

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._finished:
                    self._ready.wait()
                if not self._queue:
                    return
                due, chunk = self._queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._ready.wait(wait)
                    continue
                self._queue.popleft()
            try:
                self._sink.sendall(chunk)
            except OSError:
                return


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
