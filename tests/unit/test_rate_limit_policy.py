"""Growing waits after failed guesses, and a quiet window that forgives."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

import pytest

from netra_common.clients import client_address, trusted_networks
from netra_common.rate_limit import LimitPolicy, Reservation, after_event, after_refund, wait_left

POLICY = LimitPolicy(allowed=3, first_wait=timedelta(seconds=2), longest_wait=timedelta(seconds=10),
                     window=timedelta(minutes=15))
T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def failures(n: int, at=T0):
    state = None
    for _ in range(n):
        state = after_event(state, at, POLICY)
    return state


def test_the_allowed_events_pass_and_the_last_of_them_makes_the_next_wait():
    """allowed=3 means three get an answer: the third sets the wait that refuses the fourth."""
    assert wait_left(failures(2), T0) == 0
    assert wait_left(failures(3), T0) == 2


def test_each_failure_from_the_allowance_on_doubles_the_wait_up_to_the_ceiling():
    waits = [wait_left(failures(n), T0) for n in range(3, 8)]
    assert waits == [2, 4, 8, 10, 10]


def test_a_code_guessed_at_ten_thousand_times_waits_the_ceiling_not_an_overflow():
    """A tracking code's counter goes on counting wrong guesses from every address; its wait must
    stay a wait (a crash here answered 500 to the code's own reporter)."""
    state = failures(10_000)
    assert state.failures == 10_000 and wait_left(state, T0) == 10


def test_a_policy_lets_at_least_one_event_through():
    with pytest.raises(ValueError):
        LimitPolicy(allowed=0, first_wait=timedelta(seconds=1), longest_wait=timedelta(seconds=1),
                    window=timedelta(minutes=1))


def test_a_wait_runs_out():
    state = failures(3)
    assert wait_left(state, T0 + timedelta(seconds=1)) == 1
    assert wait_left(state, T0 + timedelta(seconds=2)) == 0


def test_a_quiet_window_starts_the_count_again():
    state = failures(5)
    later = T0 + timedelta(minutes=16)
    state = after_event(state, later, POLICY)
    assert state.failures == 1 and state.window_started_at == later
    assert wait_left(state, later) == 0


def test_a_window_starts_on_the_minute_not_at_the_moment_of_the_request():
    """A submission's counter must not carry the complaint's submitted_at."""
    at = datetime(2026, 11, 24, 12, 7, 31, 412000, tzinfo=UTC)
    state = after_event(None, at, POLICY)
    assert state.window_started_at == datetime(2026, 11, 24, 12, 7, tzinfo=UTC)
    # The quiet window still runs from that minute.
    assert after_event(state, at + timedelta(minutes=14), POLICY).failures == 2
    assert after_event(state, at + timedelta(minutes=16), POLICY).failures == 1


def test_a_new_window_does_not_cut_a_running_wait_short():
    long_wait = LimitPolicy(allowed=2, first_wait=timedelta(minutes=20), longest_wait=timedelta(hours=1),
                            window=timedelta(minutes=15))
    state = after_event(after_event(None, T0, long_wait), T0, long_wait)
    later = T0 + timedelta(minutes=16)
    assert wait_left(after_event(state, later, long_wait), later) == 4 * 60


def test_a_right_answer_gives_its_reserved_attempt_back():
    before = failures(2)
    reservation = Reservation(before, after_event(before, T0, POLICY))
    assert after_refund(reservation.after, reservation, T0) == before
    # The first attempt of a window, given back, leaves nothing to remember.
    first = Reservation(None, after_event(None, T0, POLICY))
    assert after_refund(first.after, first, T0) is None


def test_a_wait_the_reservation_began_is_lifted_with_it_but_not_one_others_made_since():
    before = failures(2)
    reservation = Reservation(before, after_event(before, T0, POLICY))
    assert wait_left(reservation.after, T0) == 2
    assert wait_left(after_refund(reservation.after, reservation, T0), T0) == 0
    raised_since = after_event(reservation.after, T0, POLICY)
    refunded = after_refund(raised_since, reservation, T0)
    assert refunded.failures == 3 and wait_left(refunded, T0) == 4


def test_a_refund_in_a_later_window_changes_nothing():
    reservation = Reservation(None, after_event(None, T0, POLICY))
    later = T0 + timedelta(minutes=20)
    moved_on = after_event(reservation.after, later, POLICY)
    assert after_refund(moved_on, reservation, later) == moved_on


def test_the_client_is_the_direct_peer_unless_it_is_a_trusted_proxy():
    assert client_address("203.0.113.5", "198.51.100.1", trusted=()) == "203.0.113.5"
    assert client_address("10.0.0.2", "198.51.100.1, 10.0.0.9", trusted_networks("10.0.0.2, 10.0.0.9")) \
        == "198.51.100.1"
    # A client cannot hide behind a forged header: the nearest untrusted hop is taken.
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7", trusted_networks("10.0.0.2")) == "198.51.100.7"
    assert client_address("10.0.0.2", "garbage, 198.51.100.7", trusted_networks("10.0.0.2")) == "198.51.100.7"


def test_trusted_proxies_may_be_named_as_a_network():
    trusted = trusted_networks("172.30.0.0/24, ::1")
    assert trusted == (ipaddress.ip_network("172.30.0.0/24"), ipaddress.ip_network("::1"))
    assert client_address("172.30.0.1", "198.51.100.7", trusted) == "198.51.100.7"
    assert client_address("172.31.0.1", "198.51.100.7", trusted) == "172.31.0.1"
    assert trusted_networks("") == ()
