"""Growing waits after failed guesses, and a quiet window that forgives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.intake.adapters.rate_limits import client_address
from services.intake.domain.rate_limit import LimitPolicy, after_event, wait_left

POLICY = LimitPolicy(allowed=3, first_wait=timedelta(seconds=2), longest_wait=timedelta(seconds=10),
                     window=timedelta(minutes=15))
T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def failures(n: int, at=T0):
    state = None
    for _ in range(n):
        state = after_event(state, at, POLICY)
    return state


def test_the_allowed_failures_cost_no_wait():
    assert wait_left(failures(3), T0) == 0


def test_each_failure_past_the_allowance_doubles_the_wait_up_to_the_ceiling():
    waits = [wait_left(failures(n), T0) for n in range(4, 9)]
    assert waits == [2, 4, 8, 10, 10]


def test_a_wait_runs_out():
    state = failures(4)
    assert wait_left(state, T0 + timedelta(seconds=1)) == 1
    assert wait_left(state, T0 + timedelta(seconds=2)) == 0


def test_a_quiet_window_starts_the_count_again():
    state = failures(5)
    later = T0 + timedelta(minutes=16)
    state = after_event(state, later, POLICY)
    assert state.failures == 1 and state.window_started_at == later
    assert wait_left(state, later) == 0


def test_the_client_is_the_direct_peer_unless_it_is_a_trusted_proxy():
    assert client_address("203.0.113.5", "198.51.100.1", trusted=set()) == "203.0.113.5"
    assert client_address("10.0.0.2", "198.51.100.1, 10.0.0.9", trusted={"10.0.0.2", "10.0.0.9"}) \
        == "198.51.100.1"
    # A client cannot hide behind a forged header: the nearest untrusted hop is taken.
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7", trusted={"10.0.0.2"}) == "198.51.100.7"
