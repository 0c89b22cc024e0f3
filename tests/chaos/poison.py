"""Poison messages of every kind, published straight onto the fault stack's bus, and how to tell
them among the parked messages afterwards.

- unparseable: a body that is not JSON, under a real event type: parked by each consumer of it;
- wrong schema: a complaint_submitted missing required fields: parked by each consumer;
- unknown routing key: an event type nobody subscribes to: the broker hands it back to the
  publisher (publishes are `mandatory`), so nothing is parked and nothing else happens;
- failing handler: a case_status_changed for a complaint notify never heard of: notify's
  handler fails at every attempt, and the message is parked after its retries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kombu import Connection

from netra_common.bus.publisher import ConfirmedPublisher, UndeliverableMessage
from tests.support import events


@dataclass
class Poison:
    marker: str = field(default_factory=lambda: f"racun-{uuid.uuid4().hex[:12]}")
    wrong_schema_id: str = ""
    failing_id: str = ""
    unknown_key_refused: bool = False

    def is_ours(self, letter) -> bool:
        return letter.event_id in (self.wrong_schema_id, self.failing_id) or self.marker in str(letter.body)

    def missing(self, letters) -> list[str]:
        """The kinds that did not end as they should: parked, or (unknown key) refused."""
        parked = {
            "unparseable": any(self.marker in str(d.body) and d.event_id is None for d in letters),
            "wrong schema": any(d.event_id == self.wrong_schema_id for d in letters),
            "failing handler": any(d.event_id == self.failing_id and d.service == "notify" for d in letters),
            "unknown routing key": self.unknown_key_refused,
        }
        return [kind for kind, ok in parked.items() if not ok]


def send_poison(bus) -> Poison:
    poison = Poison()
    publisher = ConfirmedPublisher(bus)
    with Connection(bus.amqp_uri, connect_timeout=10) as connection:
        connection.Producer().publish(
            f"\x00bukan json {{{poison.marker}".encode(), exchange=bus.events_exchange,
            routing_key="complaint_submitted", content_type="application/json", content_encoding="binary")

    wrong = events.complaint_submitted(description=poison.marker)
    del wrong["payload"]["reported"]
    publisher.publish_event(wrong)
    poison.wrong_schema_id = str(wrong["event_id"])

    unknown = {**events.complaint_submitted(description=poison.marker), "type": "tidak_dikenal_siapa_pun"}
    try:
        publisher.publish_event(unknown)
    except UndeliverableMessage:
        poison.unknown_key_refused = True

    failing = events.case_status_changed(str(uuid.uuid4()), "registered", None)
    publisher.publish_event(failing)
    poison.failing_id = str(failing["event_id"])
    return poison
