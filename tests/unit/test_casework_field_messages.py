"""A refused team command names each field in Indonesian, whatever marshmallow said."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from services.casework.api.field_messages import in_indonesian
from services.casework.api.schemas import AssignBody, ProposeViolationBody, RecordSanctionBody


def refusal(schema, body) -> dict:
    with pytest.raises(ValidationError) as refused:
        schema().load(body)
    return in_indonesian(refused.value.messages)


def test_missing_unknown_and_wrongly_typed_fields_are_named_in_indonesian():
    assert refusal(AssignBody, {"expected_version": "dua", "assignee_id": "bukan-id", "catatan": 1}) == {
        "expected_version": ["Harus berupa bilangan bulat."], "assignee_id": ["Bukan id (UUID) yang sah."],
        "catatan": ["Isian ini tidak dikenal."]}
    assert refusal(AssignBody, {}) == {"expected_version": ["Wajib diisi."], "assignee_id": ["Wajib diisi."]}


def test_lengths_ranges_choices_and_dates_keep_their_numbers():
    said = refusal(ProposeViolationBody, {"expected_version": 0, "finding": "pendek", "legal_basis": "PP",
                                          "sanction_level": "keras"})
    assert said["expected_version"] == ["Harus antara 1 dan 2147483647."]
    assert said["finding"] == ["Panjangnya harus 10 sampai 5000 karakter."]
    assert said["sanction_level"] == ["Harus salah satu dari: etik, ringan, sedang, berat."]
    assert refusal(RecordSanctionBody, {"expected_version": 1, "sanction_type": "teguran_tertulis",
                                        "decree_number": "800/BKPPD/2026/17", "decree_date": "kemarin"}) == {
        "decree_date": ["Bukan tanggal yang sah (TTTT-BB-HH)."]}


def test_a_message_already_in_indonesian_passes_unchanged():
    assert in_indonesian({"reason": ["Alasan wajib dipilih dari daftar."], "n": [3]}) == {
        "reason": ["Alasan wajib dipilih dari daftar."], "n": [3]}


def test_control_characters_are_refused_by_name_before_they_reach_the_database():
    """PostgreSQL refuses NUL in text: the body is refused with a message, not a 500."""
    said = refusal(ProposeViolationBody, {"expected_version": 1, "finding": "Membagikan\x00 poster kampanye.",
                                          "legal_basis": "PP 94/2021\x1b", "sanction_level": "ringan"})
    assert said == {"finding": ["Memuat karakter kendali (mis. NUL) yang tidak dapat disimpan; ketik ulang teksnya."],
                    "legal_basis": ["Memuat karakter kendali (mis. NUL) yang tidak dapat disimpan; "
                                    "ketik ulang teksnya."]}
    lines = {"expected_version": 1, "finding": "Baris pertama.\nBaris kedua.", "legal_basis": "PP 94/2021",
             "sanction_level": "ringan"}
    assert ProposeViolationBody().load(lines)["finding"] == "Baris pertama.\nBaris kedua."


def test_a_case_filed_without_a_violation_type_asks_for_one_not_for_characters():
    from services.casework.api.schemas import FileCaseBody

    said = refusal(FileCaseBody, {"reported": {"name": "Hendra"}, "platform": "x", "violation_types": [],
                                  "occurred_at": "2026-03-01T10:00:00+07:00", "description": "Uraian yang cukup."})
    assert said == {"violation_types": ["Pilih paling sedikit satu jenis pelanggaran."]}


@pytest.mark.parametrize("invisible", ["\u202e", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff"])
def test_text_direction_overrides_and_zero_width_characters_are_refused_in_single_line_texts(invisible):
    """"Budi\u202eSantoso" reads as another name; "budi\u200b.santoso" looks like an account it is not."""
    said = refusal(RecordSanctionBody, {"expected_version": 1, "sanction_type": "teguran_tertulis",
                                        "decree_number": f"800/BKPPD{invisible}/2026", "decree_date": "2026-11-02"})
    assert said == {"decree_number": ["Memuat karakter format tak terlihat (pembalik arah teks atau karakter "
                                      "lebar-nol); ketik ulang teksnya."]}


def test_a_numbers_range_stops_where_the_database_column_does():
    said = refusal(AssignBody, {"expected_version": 2**31, "assignee_id": "7f1c0b8e-8a51-4a3e-9a53-3f1b2f0f5d6e"})
    assert said == {"expected_version": ["Harus antara 1 dan 2147483647."]}


def test_the_queue_refuses_a_filter_or_page_it_cannot_mean_instead_of_clamping_it():
    from services.casework.api.schemas import QueueQuery

    said = refusal(QueueQuery, {"limit": "1000", "offset": "-1", "status": "\u202eopened", "overdue": "ya"})
    assert said == {"limit": ["Harus antara 1 dan 200."], "offset": ["Harus antara 0 dan 2147483647."],
                    "status": ["Harus salah satu dari: opened, assigned, under_verification, clarification_requested, "
                               "violation_proposed, violation_confirmed, dismissed, forwarded_to_bkppd, "
                               "sanction_decided, closed."], "overdue": ["Harus true atau false."]}
    assert QueueQuery().load({"overdue": True, "lang": "en"}) == {"overdue": True, "sort": "opened_at",
                                                                  "order": "desc", "limit": 50, "offset": 0}
