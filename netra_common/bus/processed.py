"""Has this consumer's effect for an event already been committed?

Asked only before a message would be parked: a handler that committed its effect (and its
processed-message row) and then failed, or whose every later attempt failed before reaching
its own idempotency check, must have its message acknowledged, never parked for a person to
replay something already done.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select

from netra_common.db import Database
from netra_common.logging import log_event

log = logging.getLogger(__name__)


def effect_committed(container, consumer: str, event_id) -> bool:
    """True when the service's processed-message table holds (consumer, event_id)."""
    try:
        event_id = uuid.UUID(str(event_id))
    except ValueError:
        return False
    for dependency in container.dependencies:
        if not isinstance(dependency, Database):
            continue
        processed = dependency.tables.processed
        try:
            with dependency.engine_provider.engine.connect() as conn:
                row = conn.execute(select(processed.c.event_id).where(
                    processed.c.consumer == consumer, processed.c.event_id == event_id)).first()
        except Exception as exc:  # noqa: BLE001 - cannot tell: park as before, with the reason
            log_event(log, "bus.processed_check_failed", logging.WARNING, error=type(exc).__name__)
            return False
        return row is not None
    return False
