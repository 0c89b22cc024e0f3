"""Child processes of the stack: started in their own process group, stopped with a bounded wait."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from netra_stack import private


class ManagedProcess:
    def __init__(self, name: str, argv: list[str], *, env: dict | None = None,
                 log_path: Path, echo: bool = False, stop_timeout: float = 10.0,
                 stop_signal: int = signal.SIGTERM):
        self.name = name
        self.stop_signal = stop_signal  # PostgreSQL stops at once on SIGINT, and only when idle on SIGTERM
        self.argv = argv
        self.env = env
        self.log_path = log_path
        self.echo = echo
        self.stop_timeout = stop_timeout
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        private.folder(self.log_path.parent)
        log = private.open_append(self.log_path)  # kept open for the child's lifetime
        self.process = subprocess.Popen(
            self.argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
            umask=private.UMASK,  # whatever it writes (volumes, mail, logs) is its owner's alone
        )
        threading.Thread(target=self._pump, args=(log,), daemon=True).start()

    def _pump(self, log) -> None:
        """Copy the child's output to its log file (and the terminal, prefixed)."""
        prefix = f"{self.name:>9} | ".encode()
        for line in iter(self.process.stdout.readline, b""):
            log.write(line)
            log.flush()
            if self.echo:
                sys.stdout.buffer.write(prefix + line)
                sys.stdout.flush()
        log.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive:
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        if not self.alive:
            return
        self.signal(self.stop_signal)
        try:
            self.process.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait(5)

    def kill(self) -> None:
        """Die at once, as in a crash: no clean-up, no graceful stop."""
        if self.alive:
            self.signal(signal.SIGKILL)
            self.process.wait(5)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


class StopRequested(BaseException):
    """Ctrl-C (or SIGTERM, or SIGHUP) before the stack was up.

    A BaseException, as KeyboardInterrupt is: a step that keeps trying through `except Exception`
    must not take it for one more failed try."""


# Set by `netra-stack run` when a signal comes while it is starting. Start-up steps look at it
# between their tries (wait_until, and each step's progress line) and stop there: raising from
# the signal handler itself could land anywhere, even inside a lock that is then never released,
# and hang the run (seen once in CI: the run never ended after Ctrl-C).
stop_requested = threading.Event()


def stop_if_requested() -> None:
    if stop_requested.is_set():
        raise StopRequested


def wait_until(check, *, timeout: float, interval: float = 0.2, what: str = "condition",
               process: ManagedProcess | None = None):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        stop_if_requested()
        if process is not None and not process.alive:
            raise RuntimeError(f"{process.name} exited while waiting for {what}:\n{process.tail()}")
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 - keep waiting; report the last one
            last_error = exc
        stop_requested.wait(interval)
    detail = f" (last error: {last_error})" if last_error else ""
    tail = f"\n{process.tail()}" if process is not None else ""
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}{detail}{tail}")
