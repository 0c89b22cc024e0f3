"""PostgreSQL primary plus a streaming standby from Debian's binaries, on ports of their own.

The primary is made by initdb (trust logins on 127.0.0.1 only, no Unix socket), the standby by
pg_basebackup from it (-R: it streams from the primary and answers reads only). Services name
both in one URL with target_session_attrs=read-write, so when the standby is promoted the next
connection finds it. Run by root, they run in a user namespace of their own, as the private
PostgreSQL of netra_stack/servers.py does; the machine's own server (5432) is never touched.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import psycopg2

from netra_stack import private
from netra_stack.processes import ManagedProcess, wait_until
from netra_stack.servers import _as_owner, _postgres_bin

from .settings import ClusterSettings

ROLES = ("primary", "standby")
# Small on a shared machine: the whole cluster's rows fit many times over (docs/operations.md).
SETTINGS = {"shared_buffers": "32MB", "max_connections": "150", "wal_level": "replica", "max_wal_senders": "5",
            "hot_standby": "on", "wal_keep_size": "256MB", "fsync": "on", "synchronous_commit": "on"}


def binaries() -> Path:
    found = _postgres_bin()
    if found is None:
        raise RuntimeError("PostgreSQL's binaries are missing (/usr/lib/postgresql/*/bin): apt-get install postgresql")
    return found


def data(cluster: ClusterSettings, role: str) -> Path:
    return cluster.data_dir / f"postgresql-{role}"


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_owner(argv), capture_output=True, text=True, umask=private.UMASK)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def init_primary(cluster: ClusterSettings) -> bool:
    folder = data(cluster, "primary")
    if (folder / "PG_VERSION").exists():
        return False
    private.folder(folder)
    _run([str(binaries() / "initdb"), "-D", str(folder), "-U", "postgres", "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8"])
    return True


def init_standby(cluster: ClusterSettings) -> bool:
    """A copy of the running primary that streams from it (standby.signal and primary_conninfo, by -R)."""
    folder = data(cluster, "standby")
    if (folder / "PG_VERSION").exists():
        return False
    private.folder(folder.parent)
    _run([str(binaries() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(cluster.pg_ports[0]), "-U", "postgres",
          "-D", str(folder), "-R", "-X", "stream", "-c", "fast"])
    return True


def process(cluster: ClusterSettings, role: str) -> ManagedProcess:
    port = cluster.pg_ports[ROLES.index(role)]
    options = [x for name, value in SETTINGS.items() for x in ("-c", f"{name}={value}")]
    return ManagedProcess(
        f"postgresql-{role}",
        _as_owner([str(binaries() / "postgres"), "-D", str(data(cluster, role)), "-p", str(port),
                   "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", *options]),
        log_path=cluster.log_dir / f"postgresql-{role}.log", stop_timeout=30, stop_signal=signal.SIGINT)


def connect(port: int, dbname: str = "postgres"):
    return psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname, connect_timeout=5)


def in_recovery(port: int) -> bool:
    conn = connect(port)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery()")
            return bool(cur.fetchone()[0])
    finally:
        conn.close()


def wait_answers(port: int, what: str, proc: ManagedProcess, timeout: float = 60) -> None:
    wait_until(lambda: in_recovery(port) in (True, False), timeout=timeout, what=what, process=proc)


def streaming(cluster: ClusterSettings) -> bool:
    """The primary sees its standby streaming."""
    conn = connect(cluster.pg_ports[0])
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
            return cur.fetchone()[0] >= 1
    finally:
        conn.close()


def promote(port: int) -> None:
    conn = connect(port)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_promote(true, 60)")
    finally:
        conn.close()
