"""CPU and memory of each part of the cluster while the drill runs, read from /proc.

A part is a ManagedProcess and every process under it (RabbitMQ's script and its Erlang VM,
PostgreSQL's postmaster and its backends: they call setsid(), so a session id would miss them)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def _memory(pid: int) -> int:
    """Proportional set size: shared pages (PostgreSQL's shared buffers, in every backend) divided
    among the processes sharing them, so a part's sum is what it really holds."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _trees(roots: set[int]) -> dict[int, tuple[float, int]]:
    """root pid -> (CPU seconds, memory in bytes) of it and every process under it."""
    processes = _processes()
    totals: dict[int, tuple[float, int]] = {}
    for pid, (_, cpu) in processes.items():
        ancestor, hops = pid, 0
        while ancestor not in roots and ancestor in processes and hops < 20:
            ancestor, hops = processes[ancestor][0], hops + 1
        if ancestor in roots:
            was = totals.get(ancestor, (0.0, 0))
            totals[ancestor] = (was[0] + cpu, was[1] + _memory(pid))
    return totals


class Usage:
    """Samples every `interval` seconds; `summary()` gives each part's mean CPU (% of one core),
    its peak and mean memory (MiB, proportional set size). A part restarted during the drill is followed by
    name: its new process is read from then on."""

    def __init__(self, processes, interval: float = 2.0):
        self.processes = processes  # () -> name -> ManagedProcess
        self.interval = interval
        self.samples: dict[str, list[tuple[float, float, int]]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Usage:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            running = {n: p.process.pid for n, p in list(self.processes().items()) if p.process is not None}
            now, trees = time.monotonic(), _trees(set(running.values()))
            for name, pid in running.items():
                if pid not in trees:
                    continue
                cpu, rss = trees[pid]
                self.samples.setdefault(name, []).append((now, cpu, rss))

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return self.summary()

    def summary(self) -> dict:
        out = {}
        for name, rows in sorted(self.samples.items()):
            cpu_seconds, seconds = 0.0, 0.0
            for (t0, c0, _), (t1, c1, _) in zip(rows, rows[1:], strict=False):
                if c1 >= c0:  # a restart starts its CPU count again: that step is left out
                    cpu_seconds += c1 - c0
                    seconds += t1 - t0
            memory = [rss for _, _, rss in rows]
            out[name] = {"cpu_percent": round(100 * cpu_seconds / seconds, 1) if seconds else None,
                         "memory_mib_mean": round(sum(memory) / len(memory) / 2**20, 1),
                         "memory_mib_peak": round(max(memory) / 2**20, 1)}
        return out
