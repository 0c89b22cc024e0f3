"""NIP and NIK as docs/domain.md ("NIP and NIK") defines them."""

from __future__ import annotations

import pytest

from netra_common.identifiers import nik_problem, nip_problem


@pytest.mark.parametrize("nip", ["198703152010011002", "200005202018052001", "196001011985031001"])
def test_valid_nips(nip):
    assert nip_problem(nip) is None


@pytest.mark.parametrize("nip, problem", [
    ("19870315201001100", "length"),
    ("19870315201001100a", "length"),
    ("198702302010011002", "birth_date"),
    ("198703152010131002", "appointment_date"),
    ("198703152004011002", "appointment_too_early"),
    ("200005202018041001", "appointment_too_early"),
    ("198703152010013002", "sex"),
])
def test_invalid_nips_name_their_problem(nip, problem):
    assert nip_problem(nip) == problem


@pytest.mark.parametrize("nik", ["1403011505900001", "1403015507900001", "1471024101000123"])
def test_valid_niks(nik):
    assert nik_problem(nik) is None


@pytest.mark.parametrize("nik, problem", [
    ("140301150590001", "length"),
    ("0003011505900001", "region"),
    ("1403003205900001", "region"),
    ("1403013205900001", "birth_date"),
    ("1403017205900001", "birth_date"),
    ("1403011513900001", "birth_date"),
    ("1403011505900000", "sequence"),
])
def test_invalid_niks_name_their_problem(nik, problem):
    assert nik_problem(nik) == problem


@pytest.mark.parametrize("digits", [
    "١٩٨٧٠٣١٥٢٠١٠٠١١٠٠٢",  # Arabic-Indic
    "１９８７０３１５２０１００１１００２",  # full-width
    "198703152010011០០2",  # two Khmer digits among ASCII ones
])
def test_a_nip_in_other_scripts_digits_is_not_a_nip(digits):
    assert nip_problem(digits) == "length"


@pytest.mark.parametrize("digits", ["١٤٠٣٠١١٥٠٥٩٠٠٠٠١", "１４０３０１１５０５９００００１"])
def test_a_nik_in_other_scripts_digits_is_not_a_nik(digits):
    assert nik_problem(digits) == "length"
