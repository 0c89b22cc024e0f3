"""The public complaint contract: every rule, and what intake says when one is broken."""

from __future__ import annotations

import copy

import pytest
from marshmallow import ValidationError

from services.intake.api.schemas import ComplaintSchema, ReplySchema
from services.intake.domain.messages import FIELD_LABELS, MESSAGES, RULES, describe_errors, status_of
from services.intake.domain.uploads import MAX_FILE_BYTES, check_uploads
from services.intake.usecases.validation import InvalidInput, validate_reply
from tests.support import complaints

IDENTIFIED = complaints.IDENTIFIED_REPORTER


def refusals(document, lang: str = "id") -> dict:
    with pytest.raises(ValidationError) as refused:
        ComplaintSchema().load(document)
    return {e["field"]: e for e in describe_errors(refused.value.messages, lang)}


def with_change(path: str, value):
    """The example complaint with one field (dotted path) set; value ... deletes it."""
    document = complaints.complaint(reporter=copy.deepcopy(IDENTIFIED)) \
        if path.startswith("reporter.") else complaints.complaint()
    *parents, last = path.split(".")
    target = document
    for part in parents:
        target = target[part]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return document


def test_the_example_from_domain_md_is_accepted():
    loaded = ComplaintSchema().load(complaints.complaint())
    assert loaded["reported"]["nip"] == "198703152010011002"
    assert loaded["occurred_at"].utcoffset().total_seconds() == 7 * 3600


def test_an_identified_reporter_is_accepted_and_their_phone_tidied():
    document = complaints.complaint(reporter={**IDENTIFIED, "phone": "0812-3456-7890"})
    assert ComplaintSchema().load(document)["reporter"]["phone"] == "081234567890"


def test_spaces_around_values_are_dropped_and_empty_optional_fields_mean_absent():
    document = complaints.complaint()
    document["reported"] = {"name": "  Budi  ", "nip": "", "position": " ", "kecamatan": None}
    loaded = ComplaintSchema().load(document)["reported"]
    assert loaded == {"name": "Budi", "nip": None, "position": None, "work_unit": None,
                      "kecamatan": None}


def test_a_nip_written_with_separators_is_understood():
    document = with_change("reported.nip", "19870315 201001 1 002")
    assert ComplaintSchema().load(document)["reported"]["nip"] == "198703152010011002"


@pytest.mark.parametrize("written", ["1403 0155 0790 0001", "1403.0155.0790.0001", "140301-550790-0001"])
def test_a_nik_written_with_separators_is_understood_like_a_nip(written):
    document = with_change("reporter.nik", written)
    assert ComplaintSchema().load(document)["reporter"]["nik"] == "1403015507900001"


def test_a_nik_of_separators_alone_means_absent():
    document = with_change("reporter.nik", " . - ")
    assert ComplaintSchema().load(document)["reporter"]["nik"] is None


def test_a_nik_in_full_width_digits_is_refused():
    found = refusals(with_change("reporter.nik", "１４０３０１５５０７９００００１"))
    assert found["reporter.nik"]["code"] == "nik_length"


CASES = [
    ("reported", ..., "reported", "required"),
    ("reported.name", ..., "reported.name", "required"),
    ("reported.name", "B", "reported.name", "too_short"),
    ("reported.name", "B" * 201, "reported.name", "too_long"),
    ("reported.nip", "12345", "reported.nip", "nip_length"),
    ("reported.nip", "198702302010011002", "reported.nip", "nip_birth_date"),
    ("reported.nip", "198703152010131002", "reported.nip", "nip_appointment_date"),
    ("reported.nip", "198703152001011002", "reported.nip", "nip_appointment_too_early"),
    ("reported.nip", "198703152010013002", "reported.nip", "nip_sex"),
    ("reported.position", "x" * 201, "reported.position", "too_long"),
    ("reported.work_unit", "x" * 201, "reported.work_unit", "too_long"),
    ("reported.kecamatan", "Pekanbaru", "reported.kecamatan", "not_in_list"),
    ("reported.hobby", "x", "reported.hobby", "unknown_field"),
    ("platform", ..., "platform", "required"),
    ("platform", "myspace", "platform", "not_in_list"),
    ("platform", "other", "platform_other", "required_for_other"),
    ("post_urls", ["ftp://example.org/x"], "post_urls.0", "url_invalid"),
    ("post_urls", ["https://x.org/a", "bukan tautan"], "post_urls.1", "url_invalid"),
    ("post_urls", [f"https://x.org/{i}" for i in range(11)], "post_urls", "too_many"),
    ("post_urls", "https://x.org/", "post_urls", "invalid_type"),
    ("account_handle", "x" * 201, "account_handle", "too_long"),
    ("occurred_at", ..., "occurred_at", "required"),
    ("occurred_at", "kemarin", "occurred_at", "invalid_datetime"),
    ("occurred_at", "2024-10-01T09:30:00", "occurred_at", "timezone_required"),
    ("occurred_at", "2099-01-01T00:00:00+07:00", "occurred_at", "in_future"),
    ("occurred_at", "1999-12-31T00:00:00+07:00", "occurred_at", "too_old"),
    ("violation_types", ..., "violation_types", "required"),
    ("violation_types", [], "violation_types", "choose_at_least_one"),
    ("violation_types", ["hate_speech"], "violation_types.0", "not_in_list"),
    ("violation_types", ["share", "share"], "violation_types", "duplicates"),
    ("violation_types", ["other"], "violation_other", "required_for_other"),
    ("description", ..., "description", "required"),
    ("description", "pendek", "description", "too_short"),
    ("description", "x" * 5001, "description", "too_long"),
    ("reporter", ..., "reporter", "required"),
    ("reporter.anonymous", ..., "reporter.anonymous", "required"),
    ("reporter.anonymous", "maybe", "reporter.anonymous", "invalid_type"),
    ("reporter.name", ..., "reporter.name", "required"),
    ("reporter.email", "bukan-email", "reporter.email", "email_invalid"),
    ("reporter.phone", "12345", "reporter.phone", "phone_invalid"),
    ("reporter.nik", "1403", "reporter.nik", "nik_length"),
    ("reporter.nik", "0003011505900001", "reporter.nik", "nik_region"),
    ("reporter.nik", "1403013205900001", "reporter.nik", "nik_birth_date"),
    ("reporter.nik", "1403011505900000", "reporter.nik", "nik_sequence"),
    ("reporter.consent_contact", "ya", "reporter.consent_contact", "invalid_type"),
    ("extra", True, "extra", "unknown_field"),
]


@pytest.mark.parametrize("path, value, field, code", CASES,
                         ids=[f"{c[0]}={str(c[1])[:20]}" for c in CASES])
def test_each_rule_names_the_field_in_both_languages(path, value, field, code):
    found = refusals(with_change(path, value))
    assert found[field]["code"] == code
    indonesian = found[field]["message"]
    english = refusals(with_change(path, value), "en")[field]["message"]
    assert indonesian != english
    # Messages name the field by its label, not its key.
    base = ".".join(p for p in field.split(".") if p in FIELD_LABELS or not p.isdigit())
    if base in FIELD_LABELS:
        assert indonesian.startswith(FIELD_LABELS[base]["id"])
        assert english.startswith(FIELD_LABELS[base]["en"])


def test_an_identified_reporter_needs_a_way_to_be_reached():
    found = refusals(complaints.complaint(reporter={"anonymous": False, "name": "Siti"}))
    assert found["reporter.email"]["code"] == "contact_required"


def test_an_anonymous_reporter_cannot_also_give_identity():
    found = refusals(complaints.complaint(reporter={"anonymous": True, "name": "Siti",
                                                    "phone": "081234567890"}))
    assert {found["reporter.name"]["code"], found["reporter.phone"]["code"]} == {
        "identity_with_anonymous"}


def test_every_problem_is_reported_at_once():
    document = complaints.complaint(platform="myspace", description="x")
    del document["reported"]["name"]
    assert set(refusals(document)) == {"platform", "description", "reported.name"}


def test_every_message_code_and_field_has_both_languages():
    for catalogue in (MESSAGES, FIELD_LABELS):
        for entry in catalogue.values():
            assert set(entry) == {"id", "en"} and all(entry.values())


def test_a_reply_needs_words():
    with pytest.raises(ValidationError):
        ReplySchema().load({"message": "   "})
    assert ReplySchema().load({"message": " Ini tautannya. "})["message"] == "Ini tautannya."


# --- files ---------------------------------------------------------------------------

PNG = complaints.png(seed=3)


def test_up_to_five_real_images_are_taken():
    accepted, errors = check_uploads([(f"s{i}.png", PNG) for i in range(5)])
    assert len(accepted) == 5 and errors == []
    assert accepted[0].content_type == "image/png"


@pytest.mark.parametrize("files, code", [
    ([(f"s{i}.png", PNG) for i in range(6)], "screenshot_count:5"),
    ([("big.png", PNG + b"\0" * MAX_FILE_BYTES)], "screenshot_size:big.png,10"),
    ([("catatan.txt", b"hello world, not an image")], "screenshot_type:catatan.txt"),
    ([("halaman.png", b"<html><script>alert(1)</script></html>")], "screenshot_type:halaman.png"),
    ([("kosong.png", b"")], "screenshot_empty:kosong.png"),
    ([(f"s{i}.png", PNG + b"\0" * (6 * 1024 * 1024)) for i in range(5)], "screenshots_total:25"),
])
def test_files_outside_the_limits_are_refused_by_name(files, code):
    _, errors = check_uploads(files)
    assert code in errors
    described = describe_errors({"screenshots": errors})
    assert all(d["field"] == "screenshots" and d["message"].startswith("Tangkapan layar")
               for d in described)


def _field_paths(schema, prefix=""):
    for name, field in schema.fields.items():
        path = f"{prefix}{name}"
        yield path
        if hasattr(field, "schema") and getattr(field, "nested", None):
            yield from _field_paths(field.schema, f"{path}.")


WRONG_SHAPES = [1, 1.5, True, None, "x", [], {}, [1], [None], [[]], [{}], {"a": 1}]


@pytest.mark.parametrize("path", sorted(set(_field_paths(ComplaintSchema()))))
def test_every_field_and_list_item_answers_wrong_shapes_with_a_known_code(path):
    """marshmallow's own English ("Not a valid string.") must never reach a reporter as a code."""
    for value in WRONG_SHAPES:
        try:
            ComplaintSchema().load(with_change(path, value))
        except ValidationError as refused:
            codes = [d["code"] for d in describe_errors(refused.messages)]
            unknown = [c for c in codes if c not in MESSAGES]
            assert unknown == [], f"{path}={value!r} gave {unknown}"


def test_a_violation_type_that_is_not_text_is_named_in_words():
    found = refusals(with_change("violation_types", [1]))
    assert found["violation_types.0"]["code"] == "invalid_type"
    assert found["violation_types.0"]["message"] == "Jenis pelanggaran isinya tidak dalam bentuk yang benar."


def test_a_reply_of_the_wrong_shape_answers_with_a_known_code():
    for value in WRONG_SHAPES:
        try:
            ReplySchema().load({"message": value})
        except ValidationError as refused:
            assert all(d["code"] in MESSAGES for d in describe_errors(refused.messages)), value


# --- characters that cannot be stored ------------------------------------------------

TEXT_FIELDS = ["reported.name", "reported.position", "reported.work_unit", "platform_other",
               "account_handle", "violation_other", "description", "reporter.name", "reporter.phone"]


@pytest.mark.parametrize("path", TEXT_FIELDS)
@pytest.mark.parametrize("hidden", ["\x00", "\x1b", "\x7f", "\ud800"])
def test_a_control_character_in_any_text_is_refused_by_name(path, hidden):
    value = {"reporter.phone": "0812345\x0067890"}.get(path, f"Kalimat yang cukup{hidden} panjang")
    value = value.replace("\x00", hidden)
    document = with_change(path, value)
    if path == "platform_other":
        document["platform"] = "other"
    if path == "violation_other":
        document["violation_types"] = ["other"]
    found = refusals(document)
    assert found[path]["code"] in ("control_character", "phone_invalid")
    assert "hapus karakter itu" in found[path]["message"] or path == "reporter.phone"


@pytest.mark.parametrize("path, value", [("post_urls", ["https://x.org/a\x00b"]),
                                         ("reporter.email", "siti\x00@example.org"),
                                         ("reporter.nik", "140301550790\x000001"),
                                         ("reported.nip", "19870315201001\x001002")])
def test_a_control_character_in_a_link_address_or_number_is_refused(path, value):
    assert refusals(with_change(path, value))


def test_line_breaks_and_tabs_belong_in_long_texts_only():
    story = "Baris pertama.\r\nBaris kedua.\tDengan tab."
    document = complaints.complaint(description=story, violation_types=["other"],
                                    violation_other="Lain:\nmenyebarkan ulang.")
    assert ComplaintSchema().load(document)["description"] == story
    found = refusals(with_change("reported.name", "Budi\nSantoso"))
    assert found["reported.name"]["code"] == "control_character"
    assert found["reported.name"]["message"].startswith("Nama ASN terlapor berisi karakter")
    english = refusals(with_change("reported.name", "Budi\tSantoso"), "en")["reported.name"]["message"]
    assert english.startswith("Reported civil servant's name contains an invisible or broken character")


def test_a_reply_with_a_nul_is_refused_and_one_with_line_breaks_is_taken():
    with pytest.raises(ValidationError) as refused:
        ReplySchema().load({"message": "Ini\x00jawaban"})
    assert describe_errors(refused.value.messages)[0]["code"] == "control_character"
    assert ReplySchema().load({"message": "Satu.\nDua."})["message"] == "Satu.\nDua."


def test_control_and_direction_characters_are_taken_out_of_file_names():
    accepted, errors = check_uploads([("buk\x00ti\u202egnp.exe\x1b.png", PNG)])
    assert errors == [] and accepted[0].filename == "buktignp.exe.png"
    _, errors = check_uploads([("cat\x00atan.txt", b"not an image")])
    assert errors == ["screenshot_type:catatan.txt"]


def test_a_reply_takes_five_files_at_a_time_up_to_twenty_for_the_whole_complaint():
    assert len(validate_reply({"message": "Tambahan."}, [(f"s{i}.png", PNG) for i in range(5)], 15)[1]) == 5
    with pytest.raises(InvalidInput) as refused:
        validate_reply({"message": "Tambahan."}, [(f"s{i}.png", PNG) for i in range(3)], 18)
    described = describe_errors(refused.value.errors)
    assert [d["code"] for d in described] == ["screenshots_per_complaint"]
    assert described[0]["message"] == ("Tangkapan layar satu pengaduan paling banyak 20 berkas seluruhnya; "
                                       "Anda masih dapat menambah 2.")


# --- what breaks the document (400) and what breaks a rule it cannot state (422) ----------

RULE_CASES = [("reported.nip", "198702302010011002"), ("reporter.nik", "1403013205900001"),
              ("occurred_at", "2099-01-01T00:00:00+07:00"), ("description", "          x         ")]


@pytest.mark.parametrize("path, value", RULE_CASES)
def test_a_complaint_that_fits_the_document_but_breaks_a_rule_is_a_422(path, value):
    assert status_of(list(refusals(with_change(path, value)).values())) == 422


def test_one_breach_of_the_document_makes_the_whole_refusal_a_400():
    document = with_change("reported.nip", "198702302010011002")
    document["platform"] = "myspace"
    assert status_of(list(refusals(document).values())) == 400


def test_a_text_of_spaces_is_too_short_by_a_rule_and_one_that_is_short_breaks_the_document():
    blank = refusals(with_change("description", " " * 12))["description"]
    assert (blank["code"], blank["message"]) == ("too_short_trimmed", "Uraian kejadian paling sedikit 10 "
                                                 "karakter, tidak termasuk spasi di awal dan akhir.")
    assert refusals(with_change("description", "pendek"))["description"]["code"] == "too_short"


@pytest.mark.parametrize("invisible", ["\u202e", "\u200b", "\ufeff"])
def test_names_and_handles_with_invisible_formatting_are_refused_by_name(invisible):
    for path in ("reported.name", "account_handle", "reporter.name"):
        found = refusals(with_change(path, f"Budi{invisible}Santoso"))[path]
        assert found["code"] == "invisible_character"
        assert found["message"].endswith("hapus karakter itu.")


def test_a_description_keeps_an_emoji_joined_with_zero_width_joiners_but_not_a_direction_override():
    family = "Foto keluarga \U0001F468\u200d\U0001F469\u200d\U0001F467 dengan atribut pasangan calon."
    assert ComplaintSchema().load(complaints.complaint(description=family))["description"] == family
    assert refusals(complaints.complaint(description="Membagikan \u202eposter\u202c kampanye."))[
        "description"]["code"] == "invisible_character"


@pytest.mark.parametrize("path, pattern_field", [("reported.nip", "nip"), ("reporter.phone", "phone")])
def test_what_an_optional_number_may_be_is_what_the_document_publishes(path, pattern_field):
    import re

    from services.intake.api.openapi import spec_dict

    schemas = spec_dict()["components"]["schemas"]
    owner = schemas["Reported"] if path.startswith("reported") else schemas["Reporter"]["oneOf"][1]
    published = re.compile(owner["properties"][pattern_field]["pattern"])
    for written in ("19870315 201001 1 002", "0812-3456-7890", "+62 (812) 3456 7890", "", " . - ", "12345",
                    "0812 3456 789O"):
        try:
            ComplaintSchema().load(with_change(path, written))
            accepted = True
        except ValidationError as exc:
            accepted = any(e["code"] in RULES for e in describe_errors(exc.messages))
        assert accepted == bool(published.fullmatch(written)), written
