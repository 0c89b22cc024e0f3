"""The tables every service keeps in its own schema for the bus: outbox and processed messages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


@dataclass(frozen=True)
class MessagingTables:
    schema: str
    outbox: Table
    processed: Table

    @property
    def notify_channel(self) -> str:
        """The LISTEN/NOTIFY channel that wakes this service's outbox relay."""
        return f"{self.schema}_outbox"


def messaging_tables(metadata: MetaData) -> MessagingTables:
    """Define the outbox and processed-messages tables in `metadata`'s schema."""
    outbox = Table(
        "outbox",
        metadata,
        Column("position", BigInteger, Identity(always=True), primary_key=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("message", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text, nullable=True),
    )
    processed = Table(
        "processed_messages",
        metadata,
        Column("consumer", String(128), primary_key=True),
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False,
               server_default=func.now()),
    )
    return MessagingTables(schema=metadata.schema, outbox=outbox, processed=processed)
