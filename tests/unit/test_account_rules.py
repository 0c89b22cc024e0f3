"""Accounts as the rules see them: states, who confirms, what undoes a confirmation, passwords,
and taking turns at logging in."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.casework.domain import accounts as rules
from services.casework.domain.accounts import TeamMember
from services.casework.domain.logins import take_turn

KETUA = TeamMember(uuid.uuid4(), "ketua.satu", "Ketua Satu", "ketua", "Diskominfo", "k1@example.id")
ANGGOTA = TeamMember(uuid.uuid4(), "anggota.satu", "Anggota Satu", "anggota", "Diskominfo", "a1@example.id",
                     confirmed=False, version=3)


@pytest.mark.parametrize("member, state", [
    (ANGGOTA, "awaiting_confirmation"),
    (replace(ANGGOTA, confirmed=True), "active"),
    (replace(ANGGOTA, enrolled=False), "invited"),
    (replace(ANGGOTA, active=False, confirmed=True), "inactive"),
    (replace(ANGGOTA, role="admin"), "active"),  # no ketua confirms an admin: it can never disclose
    (replace(ANGGOTA, role="bkppd"), "awaiting_confirmation"),
])
def test_an_account_is_active_only_once_enrolled_and_if_it_can_disclose_confirmed(member, state):
    assert member.state == state


def test_a_ketua_confirms_an_account_awaiting_it_as_they_saw_it_but_never_their_own():
    rules.require_may_confirm(KETUA, ANGGOTA, expected_version=3)
    with pytest.raises(rules.OwnAccount):
        rules.require_may_confirm(KETUA, replace(KETUA, confirmed=False), expected_version=1)
    with pytest.raises(rules.AccountChanged) as stale:
        rules.require_may_confirm(KETUA, ANGGOTA, expected_version=2)
    assert stale.value.details == {"expected_version": 2, "current_version": 3}
    for not_waiting in (replace(ANGGOTA, confirmed=True), replace(ANGGOTA, enrolled=False),
                        replace(ANGGOTA, active=False)):
        with pytest.raises(rules.NotAwaitingConfirmation):
            rules.require_may_confirm(KETUA, not_waiting, expected_version=3)


@pytest.mark.parametrize("change", [{"role": "ketua"}, {"email": "lain@example.id"}, {"work_unit": "Bappeda"},
                                    {"full_name": "Orang Lain"}])
def test_changing_what_a_ketua_confirmed_undoes_the_confirmation(change):
    assert rules.undoes_confirmation(ANGGOTA, replace(ANGGOTA, **change))
    assert not rules.undoes_confirmation(ANGGOTA, replace(ANGGOTA, notify_mode="digest"))


def test_an_admin_changes_other_peoples_accounts_and_only_those_in_use():
    admin = replace(KETUA, user_id=uuid.uuid4(), role="admin")
    rules.require_changeable(ANGGOTA, admin, "mengubah", "change")
    with pytest.raises(rules.OwnAccount):
        rules.require_changeable(admin, admin, "mengubah", "change")
    with pytest.raises(rules.AccountInactive):
        rules.require_changeable(replace(ANGGOTA, active=False), admin, "mengubah", "change")


@pytest.mark.parametrize("password", ["pendek-1", "x" * 257, "sandi\x00rahasia-panjang", "aaaaabbbbbbbbbbb",
                                      "ini-anggota.satu-123"])
def test_a_password_is_long_plain_and_not_the_username(password):
    with pytest.raises(rules.WeakPassword):
        rules.require_good_password(password, "anggota.satu")


def test_a_good_password_passes():
    rules.require_good_password("kuda-laut-berenang-7", "anggota.satu")


def test_no_answer_about_an_account_holds_a_secret():
    for view in (ANGGOTA.public(), ANGGOTA.own(), ANGGOTA.listed()):
        assert not {"password", "password_hash", "totp_secret", "code"} & set(view)


T0 = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
PACE, LONGEST = timedelta(seconds=1), timedelta(seconds=5)


def test_logins_take_turns_first_come_first_served_and_a_long_queue_sends_the_late_away():
    slot, next_free = take_turn(T0, None, PACE, LONGEST)
    assert (slot, next_free) == (T0, T0 + PACE)
    turns = []
    for _ in range(5):
        slot, next_free = take_turn(T0, next_free, PACE, LONGEST)
        turns.append(slot)
    assert turns == [T0 + PACE * i for i in range(1, 6)]
    assert take_turn(T0, next_free, PACE, LONGEST) == (None, next_free)
    assert take_turn(T0 + timedelta(minutes=1), next_free, PACE, LONGEST)[0] == T0 + timedelta(minutes=1)
