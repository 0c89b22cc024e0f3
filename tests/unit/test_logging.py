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


def _record_of(event: str, **fields) -> logging.LogRecord:
    captured = []

    class Keep(logging.Handler):
        def emit(self, record):
            captured.append(record)

    log = logging.getLogger(f"test.records.{event}")
    log.addHandler(Keep())
    log.propagate = False
    log.setLevel(logging.INFO)
    log_event(log, event, **fields)
    return captured[0]


def test_a_line_carries_the_correlation_id_of_what_its_green_thread_handles():
    import eventlet

    from netra_common.logging import set_correlation

    record = _record_of("evidence.stored", evidence_id="e1")
    formatter = EventFormatter(service="evidence")

    def worker(correlation_id):
        set_correlation(correlation_id)
        eventlet.sleep(0)  # the other worker runs in between: its id must not leak here
        return formatter.format(record)

    first, second = eventlet.spawn(worker, "c-1"), eventlet.spawn(worker, "c-2")
    assert first.wait().endswith("evidence.stored evidence_id=e1 correlation_id=c-1")
    assert second.wait().endswith("correlation_id=c-2")
    assert "correlation_id" not in eventlet.spawn(formatter.format, record).wait(), "a new thread has none"


def test_json_lines_are_one_object_with_the_fields_and_the_correlation_id():
    import json

    import eventlet

    from netra_common.logging import set_correlation

    record = _record_of("complaint.filed", complaint_id="k1", email="siti@example.org", screenshots=2)

    def worker():
        set_correlation("c-9")
        return EventFormatter(service="intake", output="json").format(record)

    line = eventlet.spawn(worker).wait()
    entry = json.loads(line)
    assert "\n" not in line
    assert {k: entry[k] for k in ("level", "service", "event", "complaint_id", "screenshots", "correlation_id")} == {
        "level": "INFO", "service": "intake", "event": "complaint.filed", "complaint_id": "k1",
        "screenshots": "2", "correlation_id": "c-9"}
    assert entry["email"] == "[withheld]" and entry["time"].endswith("Z")
    plain = logging.LogRecord("nameko", logging.WARNING, __file__, 1, "a %s line", ("plain",), None)
    assert json.loads(EventFormatter(output="json").format(plain))["message"] == "a plain line"


def test_the_json_setting_reaches_every_services_formatter(monkeypatch):
    import json

    from netra_common.config import SERVICE_NAMES, load_service_config

    monkeypatch.setenv("NETRA_LOG_FORMAT", "json")
    for service in SERVICE_NAMES:
        settings = load_service_config(service)["LOGGING"]["formatters"]["event"]
        formatter = EventFormatter(**{k: v for k, v in settings.items() if k != "()"})
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "outbox.sent count=1", None, None)
        assert json.loads(formatter.format(record))["service"] == service
