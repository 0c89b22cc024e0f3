"""What every service's door refuses before a schema or a database sees it, and how it says so:
the JSON it cannot read, the path, query and headers no route could, the texts nobody means to send."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from io import BytesIO

import pytest
from marshmallow import ValidationError
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.test import EnvironBuilder

from netra_common import inputs, text
from netra_common.errors import ApiError, PerLanguage
from netra_common.fields import Day, Flag, Moment, moment_problem
from netra_common.http_answers import error_response
from netra_common.http_server import DoorRequest


def problems(raw, **kwargs) -> list[tuple[str, str]]:
    with pytest.raises(inputs.UnreadableJson) as refused:
        inputs.parse(raw, **kwargs)
    return [(p.path, p.code) for p in refused.value.problems]


# --- JSON -------------------------------------------------------------------------------


def test_a_hundred_thousand_brackets_are_too_deep_not_a_crash():
    assert problems("[" * 100_000) == [("", "too_deep")]
    assert problems('{"a":' * 5000 + "1" + "}" * 5000) == [("", "too_deep")]
    nested = "x"
    for _ in range(inputs.MAX_DEPTH + 1):
        nested = [nested]
    assert problems(json.dumps({"a": nested})) == [("a" + ".0" * (inputs.MAX_DEPTH - 1), "too_deep")]


def test_strings_no_database_can_hold_are_named_by_where_they_are():
    document = '{"reported": {"name": "Budi\\u0000"}, "post_urls": ["ok", "\\ud800"]}'
    assert problems(document) == [("post_urls.1", "unstorable_text"), ("reported.name", "unstorable_text")]
    assert problems('{"na\\u0000me": 1}') == [("", "key_unreadable")]


@pytest.mark.parametrize("number", ["1e400", "-1e400", str(10**400), str(-(2**63) - 1), str(2**63), "9" * 5000])
def test_numbers_beyond_what_a_column_holds_are_refused_by_field(number):
    assert problems(f'{{"expected_version": {number}}}') == [("expected_version", "number_out_of_range")]


def test_the_largest_bigint_is_still_a_number():
    assert inputs.parse(f'{{"n": {2**63 - 1}, "m": {-(2**63) + 1}}}') == {"n": 2**63 - 1, "m": -(2**63) + 1}


@pytest.mark.parametrize("raw, code", [
    (b'{"name": "\xff"}', "not_utf8"), ("{'name': 1}", "not_json"), ('{"n": NaN}', "not_json"),
    ('{"n": Infinity}', "not_json"), ("", "not_json"), ('{"a": 1} trailing', "not_json")])
def test_what_is_not_json_is_said_to_be_not_json(raw, code):
    assert problems(raw) == [("", code)]


def test_a_field_given_twice_is_refused_not_silently_the_last_one():
    assert problems('{"expected_version": 1, "expected_version": 9}') == [("expected_version", "duplicate_key")]


def test_width_is_bounded_too():
    assert problems(json.dumps({f"k{i}": 1 for i in range(inputs.MAX_MEMBERS + 1)})) == [("", "too_many_members")]
    assert problems(json.dumps({"post_urls": [1] * (inputs.MAX_ITEMS + 1)})) == [("post_urls", "too_many_items")]
    assert problems(json.dumps({"k" * (inputs.MAX_KEY_LENGTH + 1): 1})) == [("", "key_too_long")]


def test_a_document_only_checked_may_hold_what_json_can():
    """A proof handed back to be verified is never stored: NUL and a big number are just data there."""
    assert inputs.parse('{"proof": {"a\\u0000": 10000000000000000000000}}', stored=False) == {
        "proof": {"a\x00": 10**22}}
    assert problems("[" * 100_000, stored=False) == [("", "too_deep")]


def test_each_problem_is_worded_in_both_languages():
    refusal = inputs.UnreadableJson([inputs.Problem("reported.name", "unstorable_text")])
    assert isinstance(refusal.details, PerLanguage)
    assert refusal.details["id"][0]["message"].startswith("'reported.name' berisi karakter NUL")
    assert refusal.details["en"][0]["message"].startswith("'reported.name' contains a NUL")
    assert all(set(words) == {"id", "en"} for words in inputs.WORDS.values())


def request(method="POST", path="/x", **kwargs) -> DoorRequest:
    return DoorRequest(EnvironBuilder(method=method, path=path, **kwargs).get_environ())


def test_a_json_body_must_say_it_is_json_and_fit_the_limit():
    assert inputs.read_json(request(data=b"")) is None
    assert inputs.read_json(request(data=b'{"a": 1}', content_type="application/json; charset=utf-8")) == {"a": 1}
    with pytest.raises(ApiError) as wrong_type:
        inputs.read_json(request(data=b'{"a": 1}', content_type="text/plain"))
    assert wrong_type.value.status == 415
    with pytest.raises(ApiError) as too_large:
        inputs.read_json(request(data=b" " * (inputs.MAX_JSON_BYTES + 1), content_type="application/json"))
    assert too_large.value.status == 413


# --- the address and the headers --------------------------------------------------------


def refused_address(**environ) -> ApiError:
    with pytest.raises(ApiError) as refused:
        inputs.check_address({"PATH_INFO": "/api/v1/cases", "QUERY_STRING": "", **environ})
    return refused.value


@pytest.mark.parametrize("path, code", [("/api/v1/cases/\xff", "not_utf8"), ("/api/v1/cases/\x00", "control_character"),
                                        ("/api/v1/cases/\xc2\x85", "control_character")])
def test_a_path_no_route_could_read_is_a_400(path, code):
    refusal = refused_address(PATH_INFO=path)  # WSGI: the bytes as latin-1
    assert (refusal.status, refusal.code, refusal.details["en"][0]["code"]) == (400, "unreadable_path", code)


@pytest.mark.parametrize("query, name, code", [("status=%00", "status", "control_character"),
                                               ("q=%ff%fe", "q", "not_utf8"), ("q=" + "a" * 2001, "q", "too_long"),
                                               ("a=1&limit=%0a5", "limit", "control_character")])
def test_a_query_parameter_is_refused_by_its_name(query, name, code):
    refusal = refused_address(QUERY_STRING=query)
    assert refusal.code == "unreadable_query" and refusal.details["id"][0] == {
        "field": name, "code": code, "message": refusal.message["id"]}
    assert f"'{name}'" in refusal.message["id"] and f"'{name}'" in refusal.message["en"]


def test_a_header_with_a_control_character_is_refused_by_its_name():
    refusal = refused_address(HTTP_X_RECEIPT="ABCDE\x01")
    assert refusal.code == "unreadable_header" and "'X-Receipt'" in refusal.message["id"]
    inputs.check_address({"PATH_INFO": "/", "HTTP_ACCEPT_LANGUAGE": "id,\ten;q=0.5", "HTTP_X_NAME": "Budi \xe9"})


# --- forms ------------------------------------------------------------------------------


def test_a_form_part_that_is_not_utf8_keeps_its_broken_bytes_visible():
    body = (b'--b\r\nContent-Disposition: form-data; name="message"\r\n\r\nBaik\xff\xfe sekali\r\n--b--\r\n')
    form = request(input_stream=BytesIO(body), content_length=len(body),
                   content_type="multipart/form-data; boundary=b").form
    assert form["message"] == "Baik\udcff\udcfe sekali"
    assert text.problem(form["message"], multiline=True) == text.CONTROL_CHARACTER


def test_a_form_that_cannot_be_parsed_is_refused_in_words():
    body = b'--b\r\nContent-Disposition: form-data; name="\xff"\r\n\r\nx\r\n--b--\r\n'
    unreadable = request(input_stream=BytesIO(body), content_length=len(body),
                         content_type="multipart/form-data; boundary=b")
    with pytest.raises(ApiError) as refused:
        unreadable.get_data(parse_form_data=True)
    assert (refused.value.status, refused.value.code) == (400, "invalid_form")


# --- answers ----------------------------------------------------------------------------


def test_details_come_in_the_readers_language():
    refusal = ApiError(400, "x", {"id": "Salah.", "en": "Wrong."}, details=PerLanguage(id=["satu"], en=["one"]))
    english = request(method="GET", headers={"Accept-Language": "en"})
    assert json.loads(error_response(refusal, english).get_data())["error"] == {
        "code": "x", "message": "Wrong.", "details": ["one"]}
    assert json.loads(error_response(refusal, request(method="GET")).get_data())["error"]["details"] == ["satu"]


def test_a_wrong_method_says_which_are_allowed():
    answer = error_response(MethodNotAllowed(valid_methods=["GET", "HEAD"]), None)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, HEAD"


# --- texts and the patterns the documents publish ----------------------------------------


@pytest.mark.parametrize("multiline", [False, True])
def test_the_published_pattern_and_the_check_agree_on_every_character(multiline):
    pattern = re.compile(text.PATTERNS[multiline])
    disagree = [hex(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF
                and (pattern.fullmatch(chr(cp)) is None) != (text.problem(chr(cp), multiline=multiline) is not None)]
    assert disagree == []


@pytest.mark.parametrize("invisible", sorted(text.BIDI_CONTROLS | text.ZERO_WIDTH))
def test_invisible_formatting_is_refused_in_single_line_texts(invisible):
    assert text.problem(f"Budi{invisible}Santoso") == text.INVISIBLE_CHARACTER
    joined = f"Budi{invisible}Santoso"
    assert text.problem(joined, multiline=True) == (text.INVISIBLE_CHARACTER if invisible in text.BIDI_CONTROLS
                                                   else None)  # emoji are joined with zero-width joiners


def test_a_link_is_an_http_address_of_a_named_host():
    good = ["https://www.facebook.com/example/posts/123", "http://t.me/kanal/5?x=1#y", "https://10.1.2.3:8080/a"]
    bad = ["ftp://x.com/a", "https://localhost/a", "https://x.com/a b", "https://x.com/\u202egnp", "https://x.com\n"]
    assert [bool(re.fullmatch(text.WEB_ADDRESS, u)) for u in good + bad] == [True] * 3 + [False] * 5


# --- fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("loose", ["2024-10-01 09:30:00+07:00", "20241001T093000Z", "2024-10-01T09:30+07:00",
                                   "２０２４-10-01T09:30:00Z", "2024-10-01T09:30:00Z\n"])
def test_a_moment_is_rfc3339_as_the_document_says(loose):
    with pytest.raises(ValidationError):
        Moment().deserialize(loose)
    assert Moment().deserialize("2024-10-01t09:30:00z") == datetime(2024, 10, 1, 9, 30, tzinfo=UTC)


def test_when_an_event_happened_is_judged_without_overflowing():
    assert moment_problem(Moment().deserialize("0001-01-01T00:00:00+23:59")) == "too_old"
    assert moment_problem(Moment().deserialize("9999-12-31T23:59:59-23:59")) == "in_future"
    assert moment_problem(Moment().deserialize("2000-01-01T00:00:00+05:00")) == "too_old"
    assert moment_problem(Moment().deserialize("2024-10-01T09:30:00+07:00")) is None


def test_a_day_and_a_flag_are_what_json_and_the_document_say():
    with pytest.raises(ValidationError):
        Day().deserialize("20261102")
    for loose in (1, "true", "yes"):
        with pytest.raises(ValidationError):
            Flag().deserialize(loose)
    assert Flag().deserialize(False) is False
