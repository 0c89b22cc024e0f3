"""The HTTP access log: one line a request, naming the route and never the client's address or
the ids in the path (a reporter's IP and a tracking code are both identifying)."""

from __future__ import annotations

import logging
import re

ACCESS_LOG_FORMAT = 'http.request request="%(request_line)s" status=%(status_code)s ' \
    'bytes=%(body_length)s seconds=%(wall_seconds).3f'
# Path segments that are words of the API ("api", "v1", "complaints", "dossier.pdf") stay;
# anything else (a tracking code, a case id, a file name) is not the log's business.
_ROUTE_WORD = re.compile(r"^(v\d+|[a-z][a-z_-]*(\.[a-z]+)?)$")
_REQUEST_LINE = re.compile(r'request="(\S+) (\S+)( [^"]*)?"')


def route_only(path: str) -> str:
    """The request path with its ids and query left out: /api/v1/complaints/:id/messages."""
    segments = path.split("?", 1)[0].split("/")
    return "/".join(s if not s or _ROUTE_WORD.match(s) else ":id" for s in segments)


class RouteOnlyAccessLog(logging.Filter):
    """The access log names the route, never the tracking code or id it was asked about: a
    tracking code is half of what lets someone read a reporter's complaint."""

    def filter(self, record: logging.LogRecord) -> bool:
        line = record.getMessage()
        record.msg = _REQUEST_LINE.sub(lambda m: f'request="{m[1]} {route_only(m[2])}{m[3] or ""}"', line, count=1)
        record.args = None
        return True


ACCESS_LOG = logging.getLogger("netra.http.access")
ACCESS_LOG.addFilter(RouteOnlyAccessLog())
