"""The probe service's tables and marker, importable without starting (or patching) anything."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import UUID

from netra_common.tables import messaging_tables

metadata = MetaData(schema="probe")
messaging = messaging_tables(metadata)
effects = Table(
    "effects", metadata,
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("description", String, nullable=False),
    Column("at", DateTime(timezone=True), server_default=func.now()),
)
FAIL_MARKER = "PROBE-FAIL"
SLOW_MARKER = "PROBE-SLOW"
FAIL_AFTER_COMMIT_MARKER = "PROBE-COMMIT-THEN-FAIL"
