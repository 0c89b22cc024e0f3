"""Log lines are events with fields; fields that could identify a reporter never get through."""

from __future__ import annotations

import logging

from netra_common.logging import EventFormatter, format_fields, log_event


def test_fields_are_written_as_key_value_pairs_quoted_when_needed():
    assert format_fields({"case_id": "c1", "note": "two words"}) == 'case_id=c1 note="two words"'


def test_identifying_fields_are_withheld_whatever_the_caller_passes():
    line = format_fields({"email": "siti@example.org", "phone": "0812", "nik": "1403",
                          "receipt": "AAAA", "name": "Siti", "case_id": "c1"})
    assert "siti" not in line.lower() and "0812" not in line and "AAAA" not in line
    assert line.count("[withheld]") == 5 and "case_id=c1" in line


def test_an_event_is_logged_on_one_line(caplog):
    log = logging.getLogger("test.events")
    with caplog.at_level(logging.INFO):
        log_event(log, "case.assigned", case_id="c1", actor="u1")
    assert caplog.messages == ["case.assigned case_id=c1 actor=u1"]


def test_the_formatter_stamps_utc_time_level_and_service():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "outbox.sent count=1", None, None)
    line = EventFormatter(service="intake").format(record)
    assert line.endswith("INFO intake x: outbox.sent count=1")
    assert line[:4].isdigit() and "Z " in line
