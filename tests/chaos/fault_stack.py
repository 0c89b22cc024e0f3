"""An isolated stack whose services reach RabbitMQ and PostgreSQL through fault proxies, kept
running by the supervisor `make run` uses, for the fault run (`make chaos`) and its short test.

The proxies stand between the services and the shared servers, which are never stopped: a
"broker cut" is the proxy dropping every connection. The harness itself counts through direct
connections, so what it reads does not depend on the fault it stages.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from netra_stack.settings import SERVICES, StackSettings
from netra_stack.supervisor import Supervisor
from sqlalchemy import create_engine

from netra_common.bus import deadletters
from netra_common.bus.settings import BusSettings
from tests.conftest import isolated_stack_from
from tests.support.proxy import TcpProxy


def _proxied(url: str, default_port: int) -> tuple[TcpProxy, str]:
    parts = urlsplit(url)
    proxy = TcpProxy(parts.port or default_port, parts.hostname or "127.0.0.1")
    host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    return proxy, url.replace(host, proxy.endpoint, 1)


class FaultStack:
    """What an experiment may touch: the two proxies, the services and SeaweedFS, the stores."""

    def __init__(self, stack, broker: TcpProxy, database: TcpProxy, direct: StackSettings, say):
        self.stack = stack
        self.broker = broker
        self.database = database
        self.db = create_engine(direct.db_url, pool_size=2, max_overflow=2, pool_pre_ping=True)
        self.direct_bus = BusSettings(direct.amqp_uri, stack.bus.prefix, stack.bus.retry_delays_ms)
        self.say = say
        self.held_down: set[str] = set()  # processes the supervisor must leave dead for now
        self.restarts: list[str] = []

    @property
    def settings(self):
        return self.stack.settings

    def dead_letters(self) -> list:
        return deadletters.list_dead(self.direct_bus)

    def supervised(self) -> dict:
        return {n: p for n, p in self.stack.all_processes().items() if n not in self.held_down}

    def kill(self, name: str) -> None:
        """SIGKILL a service or SeaweedFS, as a crash would; the supervisor starts it again."""
        self.stack.all_processes()[name].signal(signal.SIGKILL)

    def wait_alive(self, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if name in self.stack.services:
                try:
                    self.stack.wait_healthy(name, timeout=2)
                    return
                except (RuntimeError, TimeoutError):
                    pass
            elif self.stack.all_processes()[name].alive:
                return
            time.sleep(0.5)
        raise TimeoutError(f"{name} did not come back within {timeout:.0f} s")


@contextmanager
def fault_stack(output: Path, say, stack=None):
    """A new isolated stack behind the proxies; or, given a running `stack`, its four services
    restarted to reach RabbitMQ and PostgreSQL through them (and restarted back afterwards):
    one stack fewer, so one topology fewer on the shared broker."""
    base = stack.settings if stack is not None else StackSettings.for_tests(output / "unused")
    broker, amqp_uri = _proxied(base.amqp_uri, 5672)
    database, pg_url = _proxied(base.pg_url, 5432)
    try:
        if stack is None:
            with isolated_stack_from(output, pg_url=pg_url, amqp_uri=amqp_uri) as new:
                direct = StackSettings.for_tests(output / "unused", database=new.settings.database)
                with _supervised(new, broker, database, direct, say) as running:
                    yield running
        else:
            proxied = {"NETRA_AMQP_URI": amqp_uri, "NETRA_DB_URL": f"{pg_url}/{stack.settings.database}"}
            try:
                for service in SERVICES:
                    stack.restart_service(service, proxied)
                with _supervised(stack, broker, database, stack.settings, say) as running:
                    yield running
            finally:
                for service in SERVICES:
                    stack.restart_service(service)
    finally:
        broker.close()
        database.close()


@contextmanager
def _supervised(stack, broker: TcpProxy, database: TcpProxy, direct: StackSettings, say):
    """The stack's processes kept running by `make run`'s supervisor while the experiments run."""
    running = FaultStack(stack, broker, database, direct, say)
    supervisor = Supervisor(running.supervised, lambda m: (running.restarts.append(m), say(f"  {m}")),
                            first_delay=1.0, longest_delay=8.0, healthy_after=20.0)
    stop = threading.Event()

    def supervise() -> None:
        while not stop.wait(0.5):
            supervisor.tick()

    watcher = threading.Thread(target=supervise, daemon=True)
    watcher.start()
    try:
        yield running
    finally:
        stop.set()
        watcher.join()
        running.db.dispose()
