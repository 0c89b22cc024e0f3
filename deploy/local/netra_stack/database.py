"""Creates (and for tests, drops) the stack's PostgreSQL database."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql


def _admin_connection(pg_url: str):
    parts = urlsplit(pg_url)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432,
                            user=parts.username or "postgres", password=parts.password,
                            dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    return conn


def ensure_database(pg_url: str, name: str) -> bool:
    """Create the database if it is missing; True if it was created."""
    conn = _admin_connection(pg_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone():
                return False
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()


def drop_database(pg_url: str, name: str) -> None:
    conn = _admin_connection(pg_url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        conn.close()
