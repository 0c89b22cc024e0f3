"""The whole log read for a rebuild's replay, as fast as PostgreSQL hands it over.

A replay reads every event once, in global order, and keeps none of them: it needs neither the
hash columns nor a `StoredEvent` (a frozen dataclass of fifteen fields, some microseconds to
make). Here one server-side cursor gives each event's data and metadata as one JSON text (one
`json.loads` instead of two typecasts; the data only of the event types the replay decodes) and
a `ReplayedEvent`, a named tuple with the fields the projections read, under the same names.
The next page is fetched by a second thread while this one's events are applied: psycopg2 lets
go of the interpreter while it waits for PostgreSQL. Measured on 100k events: SQLAlchemy rows
made into `StoredEvent`s, ~29k events/s; this, ~55k events/s (docs/decisions/0035).
"""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Generator
from datetime import datetime
from typing import NamedTuple

# The first page is small: the replay starts on it while PostgreSQL makes the next one, instead
# of waiting for a whole page (some tens of milliseconds) before it can do anything.
FIRST_PAGE = 500
# One statement: one snapshot, so a gap-free prefix of the log (decision 0002).
_IN_ORDER = ("SELECT global_position, stream_id::text, version, event_id::text, event_type, class_version, "
             "'[' || CASE WHEN %(all)s OR event_type = ANY(%(types)s) THEN data::text ELSE '{}' END "
             "|| ',' || metadata::text || ']', recorded_at "
             "FROM casework.events ORDER BY global_position")


class ReplayedEvent(NamedTuple):
    global_position: int
    stream_id: uuid.UUID
    version: int
    event_id: str  # as text: only an error names it (a UUID parsed per event was a tenth of the reading)
    event_type: str
    class_version: int
    data: dict  # {} for an event type the reader was not asked the data of
    metadata: dict
    recorded_at: datetime


def read_in_order(conn, page: int = 5000,
                  data_of: frozenset[str] | None = None) -> Generator[list[ReplayedEvent], None, None]:
    """Every event in global order, `page` at a time, through `conn`'s transaction; the data of
    the event types in `data_of` only (None: of every event)."""
    pages: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    fetcher = threading.Thread(target=_fetch, args=(conn.connection.driver_connection, page, data_of, pages, stop),
                               name="casework-replay-read", daemon=True)
    fetcher.start()
    try:
        while (got := pages.get()) is not None:
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        while fetcher.is_alive():  # let a fetcher blocked on a full queue see the stop
            try:
                pages.get(timeout=0.1)
            except queue.Empty:
                pass
        fetcher.join()


def _fetch(raw, page: int, data_of: frozenset[str] | None, pages: queue.Queue, stop: threading.Event) -> None:
    loads, as_uuid = json.loads, uuid.UUID
    streams: dict[str, uuid.UUID] = {}  # a case's id parsed once, not once per event of it
    try:
        with raw.cursor(name="casework_replay") as cursor:
            cursor.itersize = page
            cursor.execute(_IN_ORDER, {"all": data_of is None, "types": sorted(data_of or ())})
            size = min(page, FIRST_PAGE)
            while not stop.is_set() and (rows := cursor.fetchmany(size)):
                size = page
                # A page's JSON texts parsed in one call: per row, json.loads's own Python cost
                # (two regex matches and three calls) was as much as parsing the text.
                contents = loads("[" + ",".join([row[6] for row in rows]) + "]")
                events = []
                for (position, stream_id, version, event_id, event_type, class_version, _, at), (data, metadata) \
                        in zip(rows, contents, strict=True):
                    case_id = streams.get(stream_id)
                    if case_id is None:
                        case_id = streams[stream_id] = as_uuid(stream_id)
                    events.append(ReplayedEvent(position, case_id, version, event_id,
                                                event_type, class_version, data, metadata, at))
                pages.put(events)
        pages.put(None)
    except BaseException as exc:  # handed to the reader, which raises it
        pages.put(exc)
