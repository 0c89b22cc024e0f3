"""The fault run's experiments, in one place: `make chaos` runs FULL, the short fault test in
`make test` runs SHORT. Each fault blocks until it is over (the link up, the process back)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from netra_stack.settings import SERVICES

from tests.chaos.fault_stack import FaultStack


@dataclass(frozen=True)
class Experiment:
    name: str
    fault: Callable[[FaultStack], None]
    clients: int = 4
    per_client: int = 1000  # in effect: until the fault is over (and three seconds more)
    poison: bool = False  # poison messages of every kind are sent during it


def broker_cut(seconds: float):
    def fault(fs: FaultStack) -> None:
        time.sleep(2)
        fs.broker.cut_for(seconds).wait()
    return fault


def broker_flap(times: int, up: float, down: float):
    def fault(fs: FaultStack) -> None:
        fs.broker.flap(times, up, down).wait()
    return fault


def database_cut(seconds: float):
    def fault(fs: FaultStack) -> None:
        time.sleep(2)
        fs.database.cut_for(seconds).wait()
    return fault


def database_flap(times: int, up: float, down: float):
    def fault(fs: FaultStack) -> None:
        fs.database.flap(times, up, down).wait()
    return fault


def latency(seconds_each_way: float, lasting: float):
    def fault(fs: FaultStack) -> None:
        fs.broker.latency = fs.database.latency = seconds_each_way
        try:
            time.sleep(lasting)
        finally:
            fs.broker.latency = fs.database.latency = 0.0
    return fault


def sigkill(services=SERVICES, apart: float = 4.0):
    """Each service in turn, mid-burst; the supervisor starts it again before the next."""
    def fault(fs: FaultStack) -> None:
        for service in services:
            time.sleep(apart)
            fs.say(f"  SIGKILL {service}")
            fs.kill(service)
            fs.wait_alive(service)
    return fault


def seaweedfs_down(seconds: float):
    def fault(fs: FaultStack) -> None:
        time.sleep(2)
        fs.held_down.add("seaweedfs")
        try:
            fs.kill("seaweedfs")
            time.sleep(seconds)
        finally:
            fs.held_down.discard("seaweedfs")
        fs.wait_alive("seaweedfs")
    return fault


def nothing(fs: FaultStack) -> None:
    time.sleep(3)


FULL = (
    Experiment("broker cut 30 s", broker_cut(30)),
    Experiment("broker flapping 25 x 2 s up / 1 s down", broker_flap(25, 2, 1)),
    Experiment("database cut 20 s", database_cut(20)),
    Experiment("database flapping 10 x 3 s up / 1 s down", database_flap(10, 3, 1)),
    Experiment("100 ms latency each way", latency(0.1, 30)),
    Experiment("SIGKILL each service in turn", sigkill()),
    Experiment("SeaweedFS killed for 30 s", seaweedfs_down(30)),
    Experiment("poison messages of every kind", nothing, poison=True),
)

SHORT = (
    Experiment("broker flapping 4 x 2 s up / 1 s down", broker_flap(4, 2, 1), clients=3, per_client=5),
    Experiment("database cut 8 s", database_cut(8), clients=3, per_client=5),
)
# make test's short cluster drill (tests/cluster) SIGKILLs a replica of every service mid-message;
# `make chaos` still kills each service of a single stack in turn.
