"""Tracking codes and receipts: random, readable aloud, forgiving of how people type them."""

from __future__ import annotations

from services.intake.domain.codes import (
    ALPHABET,
    new_receipt,
    new_tracking_code,
    normalise_receipt,
    normalise_tracking_code,
)


def test_codes_use_groups_of_unambiguous_characters():
    code = new_tracking_code()
    assert [len(g) for g in code.split("-")] == [4, 4, 4]
    assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("ILOU") & set(code)
    assert [len(g) for g in new_receipt().split("-")] == [5, 5, 5, 5, 5]


def test_codes_are_not_repeated():
    assert len({new_tracking_code() for _ in range(2000)}) == 2000


def test_a_code_typed_loosely_is_understood():
    assert normalise_tracking_code(" k7qm 3xta-9prw ") == "K7QM-3XTA-9PRW"
    assert normalise_tracking_code("K7QM-3XTA-9PRO") == "K7QM-3XTA-9PR0"
    assert normalise_tracking_code("k7qm3xtal1i0") == "K7QM-3XTA-1110"


def test_a_code_of_the_wrong_length_or_alphabet_is_not_a_code():
    assert normalise_tracking_code("K7QM-3XTA") is None
    assert normalise_tracking_code("K7QM-3XTA-9PR!") is None
    assert normalise_receipt("") is None
