"""The tables a projection rebuild fills beside the live ones: same columns, names with a suffix."""

from __future__ import annotations

from sqlalchemy import MetaData, Table

_beside = MetaData(schema="casework")


def beside(table: Table, suffix: str) -> Table:
    """`table` itself without a suffix; else its twin `<name><suffix>` in the same schema (the
    same definition, made once per process and shared by every projection that asks)."""
    if not suffix:
        return table
    key = f"{table.schema}.{table.name}{suffix}"
    if key in _beside.tables:
        return _beside.tables[key]
    return table.to_metadata(_beside, name=table.name + suffix)
