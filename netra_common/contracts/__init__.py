"""What Netra's services say to each other: the envelope and every event's payload schema.

Nothing else of any service lives here.
"""

from netra_common.contracts.envelope import (
    Envelope,
    EnvelopeSchema,
    InvalidMessage,
    new_envelope,
    parse_envelope,
)
from netra_common.contracts.events import EVENT_SCHEMAS, payload_schema

__all__ = [
    "EVENT_SCHEMAS",
    "Envelope",
    "EnvelopeSchema",
    "InvalidMessage",
    "new_envelope",
    "parse_envelope",
    "payload_schema",
]
