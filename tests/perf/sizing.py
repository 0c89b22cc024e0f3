"""What Netra needs per case, measured on a stack of its own (docs/operations.md, "Sizing"):
`.venv/bin/python -m tests.perf.sizing 300` files that many complaints with one screenshot each,
waits until every case is opened and every screenshot is in custody, then prints the database's
and the object store's bytes per case, and each service's memory and CPU seconds per complaint.
Not part of `make test`: it takes minutes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import isolated_stack_from
from tests.support import complaints
from tests.support.waiting import eventually

SCHEMAS = ("intake", "evidence", "casework", "notify")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def schema_bytes(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {schema: int(conn.execute(text(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind IN ('r', 'm')"),
                {"s": schema}).scalar_one()) for schema in SCHEMAS}
    finally:
        engine.dispose()


def settled(db_url: str, filed: int) -> bool:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            cases = conn.execute(text("SELECT count(*) FROM casework.case_list")).scalar_one()
            stored = conn.execute(text("SELECT count(*) FROM evidence.items")).scalar_one()
    finally:
        engine.dispose()
    return cases >= filed and stored >= filed


def process_figures(pid: int) -> tuple[int, float]:
    """Resident memory (bytes) and CPU seconds of a process and its children."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])
    return rss, ticks / 100.0


def main(count: int) -> None:
    out = Path("test-output") / "sizing"
    with isolated_stack_from(out) as stack:
        db_url = stack.settings.db_url
        before_db = schema_bytes(db_url)
        before_cpu = {name: process_figures(p.process.pid)[1] for name, p in stack.services.items()}
        intake = stack.settings.url("intake")
        uploaded = 0
        started = time.monotonic()
        for n in range(count):
            shot = complaints.noise_png(480, 360, seed=5000 + n)
            uploaded += len(shot)
            answer = complaints.file(intake, complaints.complaint(description=f"Uji ukuran penyimpanan nomor {n}."),
                                     [("bukti.png", shot)])
            assert answer.status_code == 201, answer.text
        eventually(lambda: settled(db_url, count), timeout=300 + 2 * count, message="every case settled")
        elapsed = time.monotonic() - started
        time.sleep(5)
        after_db = schema_bytes(db_url)
        objects = folder_bytes(stack.settings.data_dir / "seaweedfs")
        print(f"complaints filed: {count} in {elapsed:.0f} s; "
              f"screenshots uploaded: {uploaded / count / 1024:.0f} KiB each")
        for schema in SCHEMAS:
            print(f"database {schema}: {(after_db[schema] - before_db[schema]) / count / 1024:.1f} KiB per case")
        print(f"database total: {(sum(after_db.values()) - sum(before_db.values())) / count / 1024:.1f} KiB per case")
        print(f"object store (SeaweedFS data folder): {objects / count / 1024:.0f} KiB per case, "
              f"{objects / uploaded:.2f} x the bytes uploaded")
        for name, process in stack.services.items():
            rss, cpu = process_figures(process.process.pid)
            per_complaint = (cpu - before_cpu[name]) / count * 1000
            print(f"{name}: {rss / 2**20:.0f} MiB resident, {per_complaint:.0f} ms CPU per complaint")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
