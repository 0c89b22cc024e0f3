"""marshmallow pieces every service's HTTP schemas share, each meaning exactly what the OpenAPI
document generated from it says (docs/decisions/0007): a pattern is matched whole, a date-time is
RFC 3339 and nothing looser, and when an event may have happened is one rule."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from marshmallow import ValidationError, fields, validate

EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)
_RFC3339 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                      r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class FullMatch(validate.Regexp):
    """A pattern the whole value must match, as an OpenAPI document means it: Python's `$` would also
    let a trailing line break through. apispec publishes it as the field's `pattern`."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class Moment(fields.AwareDateTime):
    """An RFC 3339 date-time with its offset (`format: date-time`); Python's looser ISO forms (a space
    for the T, no seconds, the basic format) are refused as the document refuses them."""

    def _deserialize(self, value, attr, data, **kwargs):
        shape = _RFC3339.fullmatch(value) if isinstance(value, str) else None
        if shape is None:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        if shape["offset"] is None:  # said apart, since it is the mistake people make
            raise self.make_error("invalid_awareness", awareness="aware", obj_type=self.OBJ_TYPE)
        return super()._deserialize(value.upper(), attr, data, **kwargs)


class Day(fields.Date):
    """A calendar day as `YYYY-MM-DD` (`format: date`), and only that."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if not isinstance(value, str) or _DAY.fullmatch(value) is None:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value, attr, data, **kwargs)


def moment_problem(moment: datetime, now: datetime | None = None) -> str | None:
    """"too_old" (before 2000), "in_future" (later than now, give or take a clock's skew), or None:
    when an event may have happened. Any year RFC 3339 allows may be asked about, so the years are
    compared first: 0001-01-01T00:00:00+23:59 has no UTC time to compare by."""
    now = now or datetime.now(UTC)
    if moment.year < EARLIEST_EVENT.year:
        return "too_old"
    if moment.year > now.year + 1:
        return "in_future"
    if moment < EARLIEST_EVENT:
        return "too_old"
    if moment > now + CLOCK_SKEW:
        return "in_future"
    return None


class Flag(fields.Boolean):
    """true or false as JSON writes them (`type: boolean`), not 1, "yes" or "true"."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
