"""`make run`'s supervisor: a process that dies is started again after a growing back-off, and
the console says so in words."""

from __future__ import annotations

from netra_stack.supervisor import Supervisor, how_it_ended


class FakeProcess:
    def __init__(self):
        self.alive = True
        self.starts = 0
        self.process = self

    returncode = None

    def die(self, returncode: int) -> None:
        self.alive = False
        self.returncode = returncode

    def start(self) -> None:
        self.starts += 1
        self.alive = True
        self.returncode = None


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def supervised():
    intake, clock, said = FakeProcess(), Clock(), []
    supervisor = Supervisor(lambda: {"intake": intake}, said.append, first_delay=1, longest_delay=8,
                            healthy_after=60, clock=clock)
    supervisor.tick()
    return intake, clock, said, supervisor


def test_a_dead_service_is_named_with_its_exit_code_and_restarted_after_the_back_off():
    intake, clock, said, supervisor = supervised()
    intake.die(1)
    supervisor.tick()
    assert said == ["intake berhenti (kode 1); dinyalakan ulang dalam 1 detik"]
    clock.now = 0.5
    supervisor.tick()
    assert intake.starts == 0  # the back-off is waited out
    clock.now = 1.0
    supervisor.tick()
    assert intake.starts == 1 and said[-1] == "intake dinyalakan ulang"


def test_the_back_off_doubles_while_it_keeps_dying_up_to_the_cap_then_resets_after_a_healthy_run():
    intake, clock, said, supervisor = supervised()
    delays = []
    for _ in range(6):
        intake.die(1)
        supervisor.tick()
        delays.append(said[-1].rsplit("dalam ", 1)[1])
        clock.now += 10  # past any back-off, but each run is short
        supervisor.tick()
        clock.now += 1
        supervisor.tick()
    assert delays == ["1 detik", "2 detik", "4 detik", "8 detik", "8 detik", "8 detik"]
    clock.now += 61  # ran a while: the next death starts the back-off again
    supervisor.tick()
    intake.die(1)
    supervisor.tick()
    assert said[-1].endswith("dalam 1 detik")


def test_a_killed_process_is_named_with_its_signal():
    assert how_it_ended(-9) == "sinyal SIGKILL"
    assert how_it_ended(2) == "kode 2"


def test_a_living_process_is_left_alone():
    intake, clock, said, supervisor = supervised()
    for step in range(5):
        clock.now = step * 30
        supervisor.tick()
    assert said == [] and intake.starts == 0
