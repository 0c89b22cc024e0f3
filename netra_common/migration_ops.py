"""Operations that several services' migrations share, frozen as of their first use.

Changing what these create would rewrite history: a later change to a shared
table gets its own new migration step instead.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import MetaData

from netra_common.tables import messaging_tables


def create_messaging_tables(schema: str) -> None:
    """Outbox and processed-messages tables (version 1) in `schema`."""
    tables = messaging_tables(MetaData(schema=schema))
    bind = op.get_bind()
    tables.outbox.create(bind)
    tables.processed.create(bind)
    op.create_index(
        "outbox_unsent",
        "outbox",
        ["position"],
        schema=schema,
        postgresql_where=tables.outbox.c.sent_at.is_(None),
    )


def drop_messaging_tables(schema: str) -> None:
    op.drop_table("processed_messages", schema=schema)
    op.drop_table("outbox", schema=schema)
