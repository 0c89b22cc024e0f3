"""NIP and NIK: the formats docs/domain.md ("NIP and NIK") gives, checked without I/O."""

from __future__ import annotations

import re
from datetime import date

# ASCII digits only: `\d` would also take Arabic-Indic or full-width digits, which no
# register holds and which int() would quietly read as if they were 0-9.
_DIGITS = re.compile(r"^[0-9]+$")


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def nip_problem(nip: str) -> str | None:
    """Why `nip` is not a valid NIP, or None if it is.

    18 digits: birth date YYYYMMDD, CPNS appointment YYYYMM, sex 1/2, sequence NNN.
    The appointment month must be at least 18 years after the birth date.
    """
    if len(nip) != 18 or not _DIGITS.match(nip):
        return "length"
    born = _real_date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if born is None:
        return "birth_date"
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1900:
        return "appointment_date"
    # The appointment month counts as its last possible day: born 2000-05-20 may be
    # appointed in 2018-05, when they turn 18.
    if (year, month) < (born.year + 18, born.month):
        return "appointment_too_early"
    if nip[14] not in "12":
        return "sex"
    return None


def nik_problem(nik: str) -> str | None:
    """Why `nik` is not a valid NIK, or None if it is.

    16 digits: province 2, regency 2, district 2, birth date DDMMYY (day + 40 for
    women), sequence 4 (not 0000).
    """
    if len(nik) != 16 or not _DIGITS.match(nik):
        return "length"
    if nik[0:2] == "00" or nik[2:4] == "00" or nik[4:6] == "00":
        return "region"
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    # The century is not in a NIK; a date valid in either century is accepted.
    if _real_date(2000 + year2, month, day) is None and _real_date(1900 + year2, month, day) is None:
        return "birth_date"
    if nik[12:16] == "0000":
        return "sequence"
    return None
