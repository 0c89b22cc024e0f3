"""One closed list of work units (netra_common/contracts/work_units.py): a name typed in other
capitals, spacing or punctuation is the listed unit; one not listed stays in its own words; the
statistics count each unit once; intake's and casework's doors keep the listed spelling."""

from __future__ import annotations

from netra_common.contracts.work_units import listed_unit, same_unit, work_units
from services.casework.api.schemas import ReportedAsnBody
from services.casework.reports.statistics import by_listed_unit
from services.intake.api.schemas import ReportedSchema


def test_a_listed_unit_typed_otherwise_is_the_listed_unit_and_another_keeps_its_words():
    assert "Dinas Pendidikan" in work_units()["Dinas"]
    for typed in ("dinas pendidikan", "  DINAS   Pendidikan ", "Dinas Pendidikan."):
        assert same_unit(typed) == "Dinas Pendidikan"
    assert same_unit("dinas koperasi usaha kecil dan menengah") == "Dinas Koperasi, Usaha Kecil dan Menengah"
    assert listed_unit("UPT Pasar") is None and same_unit("  UPT   Pasar ") == "UPT Pasar"
    assert same_unit("   ") is None and same_unit(None) is None


def test_the_statistics_count_a_unit_once_whatever_spelling_was_kept_before():
    rows = [{"key": "-", "count": 2}, {"key": "DINAS PENDIDIKAN", "count": 1}, {"key": "Dinas Pendidikan", "count": 3},
            {"key": "dinas  pendidikan", "count": 1}, {"key": "UPT Pasar", "count": 1}]
    assert by_listed_unit(rows) == [{"key": "-", "count": 2}, {"key": "Dinas Pendidikan", "count": 5},
                                    {"key": "UPT Pasar", "count": 1}]


def test_both_doors_keep_the_listed_spelling():
    assert ReportedSchema().load({"name": "Budi", "work_unit": "dinas kesehatan"})["work_unit"] == "Dinas Kesehatan"
    assert ReportedAsnBody().load({"name": "Budi", "work_unit": "DINAS KESEHATAN"})["work_unit"] == "Dinas Kesehatan"
