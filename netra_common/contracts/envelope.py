"""The envelope every event travels in (docs/architecture.md, "The bus"), and its validation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from netra_common.contracts.events import payload_schema


class InvalidMessage(Exception):
    """A message that does not match its contract. It is parked, never retried."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    event_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{2,63}$"))
    schema_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    producer = fields.String(required=True, validate=validate.Length(min=1, max=64))
    correlation_id = fields.UUID(required=True)
    causation_id = fields.UUID(required=True, allow_none=True)
    payload = fields.Dict(required=True)


# Made once: building a schema deep-copies its fields, and every event in or out needs it.
_ENVELOPE = EnvelopeSchema()


@dataclass(frozen=True)
class Envelope:
    event_id: uuid.UUID
    type: str
    schema_version: int
    occurred_at: datetime
    producer: str
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None
    payload: dict = field(default_factory=dict)

    def to_message(self) -> dict:
        """The JSON-ready form that goes on the wire and into the outbox."""
        return _ENVELOPE.dump(self.__dict__)


def new_envelope(
    event_type: str,
    payload: dict,
    *,
    producer: str,
    correlation_id: uuid.UUID | None = None,
    causation_id: uuid.UUID | None = None,
    schema_version: int = 1,
    occurred_at: datetime | None = None,
) -> Envelope:
    """Build an envelope whose payload already passed its schema (dumped to JSON types)."""
    schema = payload_schema(event_type, schema_version)
    try:
        loaded = schema.load(payload)
    except ValidationError as exc:
        raise InvalidMessage(f"{event_type} v{schema_version} payload invalid: {exc.messages}") from None
    event_id = uuid.uuid4()
    return Envelope(
        event_id=event_id,
        type=event_type,
        schema_version=schema_version,
        occurred_at=occurred_at or datetime.now(UTC),
        producer=producer,
        correlation_id=correlation_id or event_id,
        causation_id=causation_id,
        payload=schema.dump(loaded),
    )


def parse_envelope(body) -> Envelope:
    """Check a received message against the envelope and its payload schema.

    Raises InvalidMessage naming what is wrong; a consumer parks such a message.
    """
    if not isinstance(body, dict):
        raise InvalidMessage(f"message body is {type(body).__name__}, expected a JSON object")
    try:
        data = _ENVELOPE.load(body)
    except ValidationError as exc:
        raise InvalidMessage(f"envelope invalid: {exc.messages}") from exc
    try:
        schema = payload_schema(data["type"], data["schema_version"])
    except KeyError as exc:
        raise InvalidMessage(str(exc.args[0])) from exc
    try:
        schema.load(data["payload"], unknown=EXCLUDE)
    except ValidationError as exc:
        raise InvalidMessage(
            f"{data['type']} v{data['schema_version']} payload invalid: {exc.messages}"
        ) from exc
    # Handlers receive the payload in its JSON form, as it was sent.
    return Envelope(**data)
