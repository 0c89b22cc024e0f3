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


def test_the_access_log_names_the_route_never_the_tracking_code_or_ids(caplog):
    from netra_common.http_access_log import ACCESS_LOG, route_only

    assert route_only("/api/v1/complaints/7KQM-4D2X-9HTA/messages?lang=en") == "/api/v1/complaints/:id/messages"
    assert route_only("/api/v1/cases/6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11/dossier.pdf") == \
        "/api/v1/cases/:id/dossier.pdf"
    assert route_only("/static/portal.js") == "/static/portal.js"
    with caplog.at_level(logging.INFO, logger=ACCESS_LOG.name):
        ACCESS_LOG.info('http.request request="GET /api/v1/complaints/7KQM-4D2X-9HTA HTTP/1.1" status=404 '
                        'bytes=120 seconds=0.004')
    assert caplog.messages == ['http.request request="GET /api/v1/complaints/:id HTTP/1.1" status=404 '
                               'bytes=120 seconds=0.004']
