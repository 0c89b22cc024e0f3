"""The purge on the real stack (issue 18, item 4): identified complaints with screenshots are filed and
decided, the clock is moved past their period, and the purge runs. Then nothing of the reporter, the
ASN or the screenshot is left in any schema, in the object store's volume files (old versions and
compaction included), in the logs or in the mail sent since; verify-log still passes; the statistics
are the same; and a case on hold went through the same run untouched.

The clock: casework decides with the time of its unit of work (adapters/units.py takes a clock), so
the purge runs here in-process on the stack's database with the clock three years on, for these two
cases only (the stack is shared with other tests, whose decided cases must stay). Everything after
the purge record is the running stack's own work: casework's relay publishes case_purged, evidence,
intake and notify remove their part, casework's projections catch up.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from netra_common.db import DatabaseHandle
from services.casework.adapters import event_store
from services.casework.adapters.retention_schedule import load_schedule
from services.casework.adapters.tables import messaging
from services.casework.adapters.units import PostgresUnits
from services.casework.usecases import retention
from tests.e2e.test_nothing_readable_left import files_holding
from tests.support import complaints
from tests.support.casework import complaint_id_of, step, wait_for_case
from tests.support.evidence import s3
from tests.support.waiting import eventually

# Not Netra's: PostgreSQL's own, and the probe service's (tests/support/probe_service.py), a test
# subscriber that the integration tests start on the same stack and that records every complaint it
# hears, as a consumer outside Netra would (nothing of it runs in production).
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast", "probe")


def identified(marker: str) -> tuple[dict, dict[str, str]]:
    """A complaint naming an ASN and a reporter no other test names; and the words that name them."""
    rng = random.Random(marker)
    # A valid NIP: born 19YY-0M-1D, appointed 20YY-0M, sex 1, a sequence.
    nip = (f"19{rng.randrange(70, 90)}0{rng.randrange(1, 9)}1{rng.randrange(1, 9)}"
           f"20{rng.randrange(10, 20)}0{rng.randrange(1, 9)}1{rng.randrange(100, 999)}")
    says = {"asn": f"Hendra Pusaka {marker}", "nip": nip, "account": f"hendra.{marker}",
            "story": f"Hendra {marker} membagikan unggahan kampanye paslon di grup kantor",
            "reporter": f"Sari Pelapor {marker}", "email": f"sari.{marker}@example.org",
            "phone": f"0812{rng.randrange(10**7, 10**8)}", "nik": f"1403015507{rng.randrange(100000, 999999)}"}
    document = complaints.complaint(
        reported={"name": says["asn"], "nip": nip, "position": "Guru", "work_unit": "Dinas Pendidikan",
                  "kecamatan": "Bengkalis"},
        post_urls=[f"https://www.facebook.com/{says['account']}/posts/9"], account_handle=says["account"],
        description=says["story"],
        reporter={"anonymous": False, "name": says["reporter"], "email": says["email"], "phone": says["phone"],
                  "nik": says["nik"], "consent_contact": True})
    return document, says


def file_and_dismiss(stack, stack_db, ketua, anggota, marker: str) -> tuple[str, dict[str, str], bytes]:
    document, says = identified(marker)
    shot = complaints.png(seed=random.Random(marker).randrange(10**9))
    filed = complaints.file(stack.settings.url("intake"), document, [("bukti.png", shot)])
    assert filed.status_code == 201, filed.text
    complaint_id = complaint_id_of(stack_db, filed.json()["tracking_code"])
    with stack_db.connect() as conn:
        says["sealed"] = conn.execute(text("SELECT sealed_identity FROM intake.complaints WHERE complaint_id = :c"),
                                      {"c": complaint_id}).scalar_one()
    case_id = str(uuid.uuid5(uuid.UUID("6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11"), f"complaint:{complaint_id}"))
    case = wait_for_case(ketua, case_id, screenshots=1)
    version = step(ketua, case_id, case["version"], "assign", assignee_id=anggota.user["user_id"])
    version = step(anggota, case_id, version, "start_verification")
    step(anggota, case_id, version, "dismiss", reason="not_political", note=f"Menurut {says['reporter']}, ragu.")
    return case_id, says, shot


def rows_of_every_schema(stack_db) -> dict[str, str]:
    """Every row of every table, as text, by the table's name (so a finding names where it is)."""
    with stack_db.connect() as conn:
        tables = conn.execute(text(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema NOT IN :system").bindparams(system=SYSTEM_SCHEMAS)).all()
        return {f"{schema}.{table}": "\n".join(str(v) for v in conn.execute(
            text(f'SELECT t::text FROM "{schema}"."{table}" t')).scalars())  # noqa: S608 - names from the catalogue
            for schema, table in tables}


def stored_objects(stack_db, case_id: str) -> list[tuple[str, str]]:
    """The case's screenshots in the object store: original, clean copy, thumbnail."""
    with stack_db.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT o.bucket, o.object_key FROM evidence.stored_objects o JOIN evidence.items i USING (evidence_id) "
            "WHERE i.complaint_id = (SELECT (data->>'complaint_id')::uuid FROM casework.events "
            "WHERE stream_id = :s AND version = 1)"), {"s": case_id}).all()]


def versions(stack, bucket: str, key: str) -> list:
    return list(s3(stack, "admin").list_objects(bucket, prefix=key, include_version=True))


def case_events(stack_db, case_id: str) -> list:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT version, data, hash FROM casework.events WHERE stream_id = :s "
                                 "ORDER BY version"), {"s": case_id}).all()


def newer_files(folder: Path, since: float) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since]


def test_a_purge_on_the_real_stack_leaves_no_reporter_asn_or_screenshot(stack, stack_db, ketua, anggota):
    marker = uuid.uuid4().hex[:10]
    gone, says, shot = file_and_dismiss(stack, stack_db, ketua, anggota, marker)
    held, held_says, _ = file_and_dismiss(stack, stack_db, ketua, anggota, marker[::-1])
    refused = anggota.command(held, "place_legal_hold", ketua.get(f"/api/v1/cases/{held}").json()["version"],
                              reason="court", note="Surat PN Bengkalis 4/2027")
    assert refused.status_code == 403
    step(ketua, held, ketua.get(f"/api/v1/cases/{held}").json()["version"], "place_legal_hold", reason="court",
         note="Surat PN Bengkalis 4/2027")
    assert ketua.get(f"/api/v1/cases/{held}").json()["retention"]["on_hold"] is True
    eventually(lambda: _listed_as(stack_db, (gone, held), "dismissed"), timeout=60, message="both cases projected")
    before = ketua.get("/api/v1/statistics").json()
    held_before = case_events(stack_db, held)
    says["screenshot_sha256"] = hashlib.sha256(shot).hexdigest()
    objects = stored_objects(stack_db, gone)
    assert len(objects) >= 2 and all(versions(stack, bucket, key) for bucket, key in objects)
    # The scan can fail: before the purge the ASN, the sealed box, the screenshot's digest and the
    # reporter's name the team wrote in its note are there (their e-mail, phone and NIK never are:
    # they are sealed).
    assert {found.split(" in ")[0] for found in what_is_left(stack, stack_db, says, shot, time.time())["database"]} == {
        "asn", "nip", "account", "story", "sealed", "screenshot_sha256", "reporter"}

    # A member searched for the ASN by name, NIP and account: their reads keep the words as typed
    # (decision 0038), so the scan finds the name there too until the purge takes them.
    searched = {}
    for word in ("asn", "nip", "account"):
        page = anggota.get("/api/v1/cases", params={"q": says[word]})
        assert page.status_code == 200 and gone in [item["case_id"] for item in page.json()["items"]], page.text
        searched[word] = _last_list_read(stack_db, anggota.user["user_id"])
    assert says["asn"] in rows_of_every_schema(stack_db)["casework.list_reads"]

    moved = datetime.now(UTC) + timedelta(days=3 * 365)  # past the two years of a dismissal
    units = PostgresUnits(DatabaseHandle(stack_db, messaging, producer="casework", consumer="casework.retention"),
                          clock=lambda: moved)
    purge_started = time.time()
    schedule = load_schedule()
    verdicts = {case: retention.purge_case(units, uuid.UUID(case), schedule) for case in (gone, held)}
    assert verdicts[gone].goes and not verdicts[held].goes and verdicts[held].hold_reason == "court"

    left: dict = {}

    def clean() -> bool:
        left.clear()
        left.update(what_is_left(stack, stack_db, says, shot, purge_started))
        return not left

    try:
        eventually(clean, timeout=120, interval=5, message="nothing of the purged case left anywhere")
    except AssertionError:
        raise AssertionError(f"left after the purge: {left}") from None
    # Every version is deleted, but for what a COMPLIANCE lock still keeps (the lock follows real
    # time, the purge ran three years on): evidence destroyed its data key and deletes it when the
    # lock ends (a leftover), so no key left opens it.
    with stack_db.connect() as conn:
        keyed = conn.execute(text("SELECT count(*) FROM evidence.stored_objects WHERE object_key = ANY(:k)"),
                             {"k": [key for _, key in objects]}).scalar_one()
        leftovers = {tuple(r) for r in conn.execute(text(
            "SELECT bucket, object_key FROM evidence.purge_leftovers WHERE case_id = :c"), {"c": gone})}
    assert keyed == 0, "no data key of the case's objects is left"
    assert not [(bucket, key) for bucket, key in objects
                if versions(stack, bucket, key) and (bucket, key) not in leftovers], \
        "every version of the screenshot's objects is gone, or locked with its key destroyed"
    eventually(lambda: ketua.get("/api/v1/statistics").json() == before, timeout=60,
               message="the statistics unchanged once the projections caught up")

    assert case_events(stack_db, held) == held_before, "the case on hold is untouched"
    found = "\n".join(rows_of_every_schema(stack_db).values())
    assert held_says["asn"] in found and held_says["sealed"] in found
    with stack_db.connect() as conn:
        _, problems = event_store.verify_log(conn)
    assert [str(p) for p in problems if str(p.stream_id) in (gone, held)] == []
    verified = subprocess.run([sys.executable, "-m", "services.casework.admin", "verify-log"], capture_output=True,
                              text=True, env=stack.service_env("casework"), timeout=300)
    assert gone not in verified.stdout and held not in verified.stdout, verified.stdout[-2000:]
    with stack_db.connect() as conn:  # the reads stay, with the case shown; their words are gone
        kept = conn.execute(text("SELECT read_id, search_words, words_removed_at IS NOT NULL, :g = ANY(shown::text[]) "
                                 "FROM casework.list_reads WHERE read_id = ANY(:ids) ORDER BY read_id"),
                            {"g": gone, "ids": list(searched.values())}).all()
    assert [tuple(row[1:]) for row in kept] == [(None, True, True)] * 3
    purged = ketua.get(f"/api/v1/cases/{gone}").json()
    assert purged["retention"]["purged_at"] and purged["reported"]["name"] == "" and purged["description"] == ""
    assert purged["timeline"][-1]["type"] == "case_purged"


def what_is_left(stack, stack_db, says: dict[str, str], shot: bytes, since: float) -> dict[str, list[str]]:
    """Where any of the purged case's words, or its screenshot's bytes, still are."""
    words = {k: v.encode() for k, v in says.items()}
    tables = rows_of_every_schema(stack_db)
    left = {"database": [f"{k} in {table}: {_around(rows, v)}" for k, v in says.items()
                         for table, rows in tables.items() if v in rows]}
    for label, needle in files_holding(stack.settings.data_dir / "seaweedfs",
                                       {**words, "screenshot": shot[len(shot) // 2:][:64]}).items():
        left.setdefault("object store", []).append(f"{label} in {needle}")
    # The logs: never the reporter or the ASN. A screenshot's SHA-256 is in evidence's custody lines
    # (logs rotate away; the digest opens nothing): looked for in the schemas, not here.
    logged = {k: v for k, v in words.items() if k != "screenshot_sha256"}
    for label, where in files_holding(stack.settings.log_dir, logged).items():
        left.setdefault("logs", []).append(f"{label} in {where}")
    left["mail since the purge"] = [p.name for p in newer_files(stack.settings.mail_dir, since)
                                    if any(v in p.read_bytes() for v in words.values())]
    return {k: v for k, v in left.items() if v}


def _around(rows: str, word: str, width: int = 120) -> str:
    """The row text around a finding, so a failure says which row holds it."""
    at = rows.index(word)
    return rows[max(at - width, 0):at + len(word) + width].replace("\n", " | ")


def _listed_as(stack_db, case_ids, status: str) -> bool:
    with stack_db.connect() as conn:
        rows = conn.execute(text("SELECT status FROM casework.case_list WHERE case_id = ANY(CAST(:ids AS uuid[]))"),
                            {"ids": list(case_ids)}).scalars().all()
    return len(rows) == len(case_ids) and set(rows) == {status}


def _last_list_read(stack_db, reader_id: str) -> int:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT max(read_id) FROM casework.list_reads WHERE reader_id = :r"),
                            {"r": reader_id}).scalar_one()
