"""verify-log's quicker per-event check is the check it replaced, value for value (decision 0026):
the canonical JSON, the parse, and the text each hash scheme covers; and the operator commands'
start-up imports only what verify-log uses."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.casework.adapters import event_store

# JSON values of every kind PostgreSQL's jsonb can hand back, and some it cannot (NaN, a float's
# exponent, control characters, keys needing escapes): the encoders must agree on all of them.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | TEXT
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                      max_leaves=20)
OBJECTS = st.dictionaries(TEXT, VALUES, max_size=6)
HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_the_quicker_canonical_json_is_canonical(value):
    assert event_store._canonical(value) == event_store.canonical(value)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([{}, {"separators": (",", ":")}, {"ensure_ascii": False}, {"indent": 1}]))
def test_the_quicker_parse_reads_what_json_loads_reads(value, how):
    written = json.dumps(value, **how)
    for text in (written, f" {written}", f"{written}\n", f"{written} x", "\ufeff" + written):
        try:
            expected = ("value", json.loads(text))
        except ValueError as exc:
            expected = ("error", type(exc), str(exc))
        try:
            got = ("value", event_store._parsed(text))
        except ValueError as exc:
            got = ("error", type(exc), str(exc))
        assert repr(got) == repr(expected)  # repr: NaN is not equal to itself


def reference_matches(row: tuple, data, metadata) -> bool:
    """The per-event check as it was before decision 0026's last section, through the public
    functions: the digest of the data, then `_hash_of` of the content."""
    (_, stream_id, version, event_id, event_type, class_version, _, recorded_at, prev_hash, stored,
     scheme, digest, salt, purged) = row
    if scheme == 2 and not purged and (salt is None or event_store.data_digest(data, salt) != digest):
        return False
    if scheme == 1 and purged:
        return True
    return event_store._hash_of(stream_id, version, event_id, event_type, data, metadata, recorded_at, prev_hash,
                                class_version, scheme, digest) == stored


@st.composite
def stored_rows(draw):
    """A row as verify-log reads it, its data and its metadata: its hash and digest right, or not."""
    data, metadata = draw(OBJECTS), draw(OBJECTS)
    scheme, purged = draw(st.sampled_from([1, 2])), draw(st.booleans())
    salt = draw(st.none() | st.text(alphabet="0123456789abcdef", min_size=32, max_size=32))
    fields = {"stream_id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
              "version": draw(st.integers(1, 10**6)), "event_id": str(uuid.uuid4()),
              "event_type": draw(st.sampled_from(["case_opened", "case_assigned"]) | TEXT),
              "class_version": draw(st.integers(1, 4)),
              "recorded_at": (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(microseconds=draw(st.integers(0, 10**13))))
              .isoformat(timespec="microseconds"),
              "prev_hash": draw(st.none() | HEX)}
    digest = event_store.data_digest(data, salt) if salt is not None and draw(st.booleans()) else draw(st.none() | HEX)
    stored = event_store._hash_of(fields["stream_id"], fields["version"], fields["event_id"], fields["event_type"],
                                  data, metadata, fields["recorded_at"], fields["prev_hash"], fields["class_version"],
                                  scheme, digest)
    if draw(st.booleans()):
        stored = draw(HEX)  # a hash its content does not give
    row = (1, fields["stream_id"], fields["version"], fields["event_id"], fields["event_type"],
           fields["class_version"], "", fields["recorded_at"], fields["prev_hash"], stored, scheme, digest, salt,
           purged)
    return row, data, metadata


@settings(max_examples=200, deadline=None)
@given(stored_rows())
def test_the_quicker_check_finds_what_the_check_before_it_found(case):
    row, data, metadata = case
    assert event_store._content_matches(row, data, metadata) == reference_matches(row, data, metadata)
    # verify-log's pass gives the metadata's canonical text, kept from an earlier event with it.
    assert event_store._matches(row, data, event_store.canonical(metadata)) == reference_matches(row, data, metadata)


def test_a_right_hash_of_either_scheme_matches_and_any_change_does_not():
    data, metadata = {"note": "é \u2028 \" \\ \n ✓", "n": [1, 2.5, None, True]}, {"status": "opened", "b": {"a": 1}}
    fields = ("00000000-0000-0000-0000-000000000001", 3, "00000000-0000-0000-0000-000000000002", "case_opened")
    at = "2026-08-03T02:00:00.000000+00:00"
    salt = "ab" * 16
    digest = event_store.data_digest(data, salt)
    for scheme, class_version in ((1, 1), (1, 2), (2, 1), (2, 3)):
        stored = event_store._hash_of(*fields, data, metadata, at, "cd" * 32, class_version, scheme, digest)
        row = (1, *fields, class_version, "", at, "cd" * 32, stored, scheme, digest, salt, False)
        assert event_store._matches(row, data, event_store.canonical(metadata))
        assert not event_store._matches(row, data, event_store.canonical({**metadata, "status": "closed"}))
        assert not event_store._matches(row, {**data, "n": []}, event_store.canonical(metadata))
        assert not event_store._matches(row[:2] + (4,) + row[3:], data, event_store.canonical(metadata))


def test_verify_log_starts_without_the_bus_or_numpy_and_help_still_lists_every_command():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from services.casework import admin; "
         "admin.main(['verify-log', '--help'], standalone_mode=False); "
         "print(sorted(m for m in ('nameko.extensions', 'eventlet', 'numpy', 'argon2', 'services.casework.vault_cli', "
         "'services.casework.adapters.projection_rebuild') if m in sys.modules))"],
        capture_output=True, text=True, check=True)
    assert loaded.stdout.strip().endswith("\n[]") and "verify-log" in loaded.stdout
    from click.testing import CliRunner

    from services.casework.admin import main

    listed = CliRunner().invoke(main, ["--help"])
    for name in ("verify-log", "verify-dossier", "vault-init", "vault-recover", "retention", "subject-report",
                 "access-report", "rebuild-projections", "checkpoint", "ensure-user"):
        assert f"  {name} " in listed.output
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0, name
    assert {"retention", "vault-init", "access-report"} <= set(main.commands)  # a walk over them finds each
    assert "run" in main.commands["retention"].commands
