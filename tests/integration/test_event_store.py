"""casework's event store on real PostgreSQL, in a database of its own: a follower never
skips an event, verify-log names tampering, and projections rebuilt from zero equal the
ones kept up to date live."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import psycopg2
import psycopg2.extensions
import pytest
from sqlalchemy import column, table, text

from services.casework.adapters import bulk_copy, event_store
from services.casework.adapters.bulk_copy import copy_rows
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.case_repository import encode
from services.casework.adapters.projections import catch_up, projections
from services.casework.domain import events as ev
from services.casework.domain.case import Case
from services.casework.domain.post_urls import normalise_url

KETUA = {"id": str(uuid.uuid4()), "role": "ketua", "work_unit": None}
ANGGOTA = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": None}
ANGGOTA_2 = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": None}
BKPPD = {"id": str(uuid.uuid4()), "role": "bkppd", "work_unit": None}


AT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def new_case(n: int, rng: random.Random, at: datetime = AT) -> Case:
    return Case.open(str(uuid.uuid4()), ev.CaseOpened(
        case_number=f"NTR-2026-{n:05d}", source="team", complaint_id=None,
        opened_at="2026-11-01T00:00:00+00:00",
        reported={"name": f"ASN {n}", "nip": None, "work_unit": rng.choice(["Dinas Pendidikan", "Bappeda", None]),
                  "kecamatan": rng.choice(["Mandau", "Bengkalis", "Rupat"])},
        platform=rng.choice(["facebook", "tiktok", "instagram"]), post_urls=[], account_handle=None,
        occurred_at="2026-10-30T00:00:00+00:00",
        violation_types=rng.sample(["share", "like_comment", "post_support"], 2),
        description=f"Kasus uji nomor {n} membagikan unggahan kampanye.",
        reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False}), at=at)


LIFE = [("assign", KETUA, {"assignee_id": ANGGOTA["id"], "assignee_name": "Anggota", "assignee_work_unit": None}),
        ("start_verification", ANGGOTA, {}),
        ("propose_violation", ANGGOTA,
         {"finding": "Terbukti.", "legal_basis": "PP 94/2021", "sanction_level": "ringan"}),
        ("confirm_violation", ANGGOTA_2, {}),
        ("forward_to_bkppd", KETUA, {}),
        ("record_sanction", BKPPD,
         {"sanction_type": "teguran_lisan", "decree_number": "800/1", "decree_date": "2026-11-20"})]


def store(conn, case: Case, expected: int, commit: bool = False) -> list:
    """The case's new events, appended after `expected` (which a test may get wrong on purpose);
    with `commit`, as a unit of work's last statement, sent with its COMMIT (decision 0026)."""
    stored = event_store.append(conn, uuid.UUID(case.case_id), expected, [encode(r, {}) for r in case.pending],
                                commit=commit)
    case.collect_events()
    return stored


def test_a_follower_sees_every_event_once_in_position_order_while_many_write(casework_db):
    engine, _ = casework_db
    with engine.connect() as conn:
        start = conn.execute(text("SELECT coalesce(max(global_position), 0) FROM casework.events")).scalar()
    written, seen, done = [], [], threading.Event()
    lock = threading.Lock()

    def writer(seed: int):
        rng = random.Random(seed)
        for n in range(25):
            case = new_case(seed * 1000 + n, rng)
            version = 0
            for step in range(rng.randrange(1, len(LIFE) + 1)):
                if step:
                    command, actor, args = LIFE[step - 1]
                    getattr(case, command)(actor, **args, at=AT)
                with engine.begin() as conn:
                    # A third of the writers append alone (one statement in autocommit, 0039), a third
                    # as a unit of work's last statement, sent with its COMMIT (0026), a third with
                    # the COMMIT a round trip of its own (0018).
                    if seed % 3 == 1:
                        conn.execute(text("SELECT 1"))
                    stored = store(conn, case, version, commit=seed % 3 != 2)
                version += len(stored)
                with lock:
                    written.extend(e.global_position for e in stored)

    def follower():
        position = start
        while True:
            finished = done.is_set()
            with engine.connect() as conn:
                batch = event_store.read_all(conn, position, 50)
            seen.extend(e.global_position for e in batch)
            if batch:
                position = batch[-1].global_position
            elif finished:
                return

    reader = threading.Thread(target=follower)
    reader.start()
    writers = [threading.Thread(target=writer, args=(seed,)) for seed in range(1, 9)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join(60)
    assert len(written) > 400
    assert seen == sorted(seen), "the follower saw events out of position order"
    assert len(seen) == len(set(seen)), "the follower saw an event twice"
    assert set(seen) == set(written), "the follower missed events"


def test_a_stale_expected_version_is_refused_with_the_current_one(casework_db):
    engine, _ = casework_db
    case = new_case(99_001, random.Random(1))
    with engine.begin() as conn:
        store(conn, case, 0)
    case.assign(KETUA, assignee_id=ANGGOTA["id"], assignee_name="A", assignee_work_unit=None, at=AT)
    with engine.begin() as conn:
        store(conn, case, 1)
    case.start_verification(ANGGOTA, at=AT)
    with pytest.raises(event_store.StaleVersion) as refused, engine.begin() as conn:
        store(conn, case, 1)
    assert (refused.value.expected, refused.value.current) == (1, 2)
    with pytest.raises(event_store.StaleVersion) as refused, engine.begin() as conn:
        store(conn, case, 1, commit=True)
    assert (refused.value.expected, refused.value.current) == (1, 2)


def test_an_append_sent_with_its_commit_is_committed_and_reports_where_it_went(casework_db):
    """Decision 0026: the unit of work's last append carries its COMMIT; what the unit wrote
    before it commits with it, and the positions come back as from any append."""
    engine, _ = casework_db
    case = new_case(99_002, random.Random(2))
    marker = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS casework.uow_marker (id uuid PRIMARY KEY)"))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO casework.uow_marker VALUES (:m)"), {"m": marker})
        stored = store(conn, case, 0, commit=True)
        with engine.connect() as other:  # seen from outside before the caller's own commit
            found = other.execute(text("SELECT global_position FROM casework.events WHERE stream_id = :s"),
                                  {"s": uuid.UUID(case.case_id)}).scalars().all()
            kept = other.execute(text("SELECT count(*) FROM casework.uow_marker WHERE id = :m"),
                                 {"m": marker}).scalar_one()
    assert [e.global_position for e in stored] == found and kept == 1
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE casework.uow_marker"))


def test_an_append_alone_is_one_statement_that_leaves_the_connection_idle(casework_db):
    """Decision 0039: an append with nothing sent before it in its transaction commits with its
    own statement; the connection is idle after it (the caller's commit sends nothing), and a
    refused one leaves nothing behind and the connection usable."""
    engine, _ = casework_db
    case = new_case(99_003, random.Random(3))
    with engine.begin() as conn:
        stored = store(conn, case, 0, commit=True)
        raw = conn.connection.dbapi_connection
        assert raw.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
        assert not raw.autocommit
        with engine.connect() as other:
            found = other.execute(text("SELECT global_position FROM casework.events WHERE stream_id = :s"),
                                  {"s": uuid.UUID(case.case_id)}).scalars().all()
    assert [e.global_position for e in stored] == found
    case.assign(KETUA, assignee_id=ANGGOTA["id"], assignee_name="A", assignee_work_unit=None, at=AT)
    with pytest.raises(event_store.StaleVersion), engine.begin() as conn:
        try:
            store(conn, case, 0, commit=True)
        finally:
            assert conn.connection.dbapi_connection.get_transaction_status() == \
                psycopg2.extensions.TRANSACTION_STATUS_IDLE
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM casework.events WHERE stream_id = :s"),
                            {"s": uuid.UUID(case.case_id)}).scalar_one() == 1


@pytest.mark.parametrize("path", ["alone", "last", "own_commit"])
def test_two_appends_to_one_stream_that_both_pass_the_check_keep_one(casework_db, path):
    """Migration casework 0026 checks the stream before the append lock: an append that passed
    the check while another append of the same version waited to commit is refused as stale when
    that one commits (its insert fails on the stream's version), by every path, and the stream
    keeps exactly the first one."""
    engine, _ = casework_db
    case = new_case(99_010 + len(path), random.Random(4))
    with engine.begin() as conn:
        store(conn, case, 0)
    case.assign(KETUA, assignee_id=ANGGOTA["id"], assignee_name="A", assignee_work_unit=None, at=AT)
    rival = [encode(r, {}) for r in case.pending]
    holder = engine.connect()
    holder.begin()
    # The first append of version 2, committed later: it holds the append lock until then.
    kept = event_store.append(holder, uuid.UUID(case.case_id), 1, rival)
    outcome: list = []

    def second_append():
        try:
            with engine.begin() as conn:
                if path == "last":
                    conn.execute(text("SELECT 1"))
                event_store.append(conn, uuid.UUID(case.case_id), 1, rival, commit=path != "own_commit")
            outcome.append("appended")
        except event_store.StaleVersion as refused:
            outcome.append((refused.expected, refused.current))

    racer = threading.Thread(target=second_append)
    racer.start()
    with engine.connect() as watcher:  # the second append waits for the lock, past its check
        for _ in range(200):
            waiting = watcher.execute(text(  # this database's: pg_locks shows every database's
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).scalar_one()
            if waiting:
                break
            threading.Event().wait(0.02)
    assert waiting, "the second append never waited for the append lock"
    holder.commit()
    holder.close()
    racer.join(30)
    assert outcome == [(1, 2)]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT version, event_id FROM casework.events WHERE stream_id = :s ORDER BY version"),
                            {"s": uuid.UUID(case.case_id)}).all()
        head = conn.execute(text("SELECT version, head_hash FROM casework.streams WHERE stream_id = :s"),
                            {"s": uuid.UUID(case.case_id)}).one()
    assert [r.version for r in rows] == [1, 2] and rows[1].event_id == kept[0].event_id
    assert tuple(head) == (2, kept[0].hash)


def netra_casework(url: str, *args) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "services.casework.admin", *args],
                          env={**os.environ, "NETRA_DB_URL": url}, capture_output=True, text=True, timeout=300)


def test_verify_log_names_each_event_changed_removed_or_reordered(casework_db):
    engine, url = casework_db
    streams = []
    for n in range(4):
        case = new_case(98_000 + n, random.Random(n))
        with engine.begin() as conn:
            store(conn, case, 0)
        for version, (command, actor, args) in enumerate(LIFE[:3], start=1):
            getattr(case, command)(actor, **args, at=AT)
            with engine.begin() as conn:
                store(conn, case, version)
        streams.append(uuid.UUID(case.case_id))
    assert netra_casework(url, "verify-log").returncode == 0
    changed, removed, reordered, truncated = streams
    with engine.begin() as conn:
        conn.execute(text("UPDATE casework.events SET data = jsonb_set(data, '{finding}', '\"Tidak terbukti.\"') "
                          "WHERE stream_id = :s AND version = 4"), {"s": changed})
        conn.execute(text("DELETE FROM casework.events WHERE stream_id = :s AND version = 2"), {"s": removed})
        conn.execute(text("UPDATE casework.events SET version = -version WHERE stream_id = :s AND version IN (2, 3)"),
                     {"s": reordered})
        conn.execute(text("UPDATE casework.events SET version = CASE version WHEN -2 THEN 3 ELSE 2 END "
                          "WHERE stream_id = :s AND version < 0"), {"s": reordered})
        conn.execute(text("DELETE FROM casework.events WHERE stream_id = :s AND version = 4"), {"s": truncated})
        ids = dict(conn.execute(text("SELECT stream_id::text || ':' || version, event_id::text FROM casework.events "
                                     "WHERE stream_id IN (:a, :b)"), {"a": changed, "b": reordered}).all())
    found = netra_casework(url, "verify-log")
    assert found.returncode == 1
    lines = [line for line in found.stdout.splitlines() if line.startswith("PROBLEM")]
    assert f"PROBLEM stream {changed} version 4 (event {ids[f'{changed}:4']}): content changed" in lines
    assert f"PROBLEM stream {removed} version 2: versions 2..2 missing (removed)" in lines
    assert f"PROBLEM stream {reordered} version 2 (event {ids[f'{reordered}:2']}): content changed" in lines
    assert f"PROBLEM stream {reordered} version 3 (event {ids[f'{reordered}:3']}): content changed" in lines
    assert any(line.startswith(f"PROBLEM stream {truncated} version 4:") and "last events removed" in line
               for line in lines)
    with engine.begin() as conn:  # leave the database as the next test expects it
        conn.execute(text("DELETE FROM casework.events WHERE stream_id IN (:a, :b, :c, :d)"),
                     dict(zip("abcd", streams, strict=True)))
        conn.execute(text("DELETE FROM casework.streams WHERE stream_id IN (:a, :b, :c, :d)"),
                     dict(zip("abcd", streams, strict=True)))


def problems_found(url: str) -> set[str]:
    return {line for line in netra_casework(url, "verify-log").stdout.splitlines() if line.startswith("PROBLEM")}


def test_verify_log_notices_a_case_removed_whole(casework_db):
    """No gap in its own stream, no head left behind: only the chain through the whole log shows it."""
    engine, url = casework_db
    before = problems_found(url)
    written = []
    for n in range(3):
        case = new_case(97_000 + n, random.Random(n))
        with engine.begin() as conn:
            written.append((uuid.UUID(case.case_id), store(conn, case, 0)))
    (_, first), (removed, _), (after_it, third) = written
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM casework.events WHERE stream_id = :s"), {"s": removed})
        conn.execute(text("DELETE FROM casework.streams WHERE stream_id = :s"), {"s": removed})
    new = problems_found(url) - before
    assert f"PROBLEM stream {after_it} version 1 (event {third[0].event_id}): does not follow position " \
           f"{first[-1].global_position} in the whole log (events removed there, perhaps a whole case, " \
           f"or moved)" in new


def test_verify_log_checks_each_events_metadata_however_few_canonical_texts_it_keeps(casework_db, monkeypatch):
    """verify-log keeps the canonical JSON of each metadata text it met (decision 0026): a metadata
    changed to another event's, or to a text met just before, is still that event's change alone,
    and a log whose metadata all differ is intact, whether it keeps one text or thousands."""
    engine, _ = casework_db
    case = new_case(96_000, random.Random(7))
    stream = uuid.UUID(case.case_id)
    with engine.begin() as conn:
        before = {str(p) for p in event_store.verify_log(conn)[1]}
        event_store.append(conn, stream, 0, [event_store.NewEvent(
            new.event_type, new.class_version, new.data, {**new.metadata, "request": f"r{n}", "note": "é \" ✓"},
            new.recorded_at) for n, new in enumerate([encode(r, {}) for r in case.pending] * 3)])
        case.collect_events()
    for kept in (1, 2, event_store._METADATA_KEPT):
        monkeypatch.setattr(event_store, "_METADATA_KEPT", kept)
        with engine.connect() as conn:
            assert {str(p) for p in event_store.verify_log(conn)[1]} == before, kept
    with engine.begin() as conn:
        conn.execute(text("UPDATE casework.events SET metadata = (SELECT metadata FROM casework.events "
                          "WHERE stream_id = :s AND version = 1) WHERE stream_id = :s AND version = 2"), {"s": stream})
        changed = conn.execute(text("SELECT event_id FROM casework.events WHERE stream_id = :s AND version = 2"),
                               {"s": stream}).scalar_one()
    for kept in (1, 2, event_store._METADATA_KEPT):
        monkeypatch.setattr(event_store, "_METADATA_KEPT", kept)
        with engine.connect() as conn:
            found = {str(p) for p in event_store.verify_log(conn)[1]} - before
        assert found == {f"stream {stream} version 2 (event {changed}): content changed"}, kept
    monkeypatch.undo()
    with engine.begin() as conn:  # leave the database as the next test expects it
        conn.execute(text("DELETE FROM casework.events WHERE stream_id = :s"), {"s": stream})
        conn.execute(text("DELETE FROM casework.streams WHERE stream_id = :s"), {"s": stream})


PROJECTED = {"case_list": "SELECT row_to_json(t)::text FROM casework.case_list t ORDER BY case_id",
             "case_stages": "SELECT row_to_json(t)::text FROM casework.case_stages t "
                            "ORDER BY case_id, entered_version",
             "case_links": "SELECT row_to_json(t)::text FROM casework.case_links t "
                           "ORDER BY case_id, linked_case_id, reason",
             # Cases sharing an ASN, a post or a near-identical screenshot are linked from these
             # when read (decision 0035).
             "case_link_keys": "SELECT row_to_json(t)::text FROM casework.case_link_keys t "
                               "ORDER BY kind, key, case_id",
             "case_screenshots": "SELECT row_to_json(t)::text FROM casework.case_screenshots t ORDER BY evidence_id",
             "case_screenshot_near": "SELECT row_to_json(t)::text FROM casework.case_screenshot_near t "
                                     "ORDER BY perceptual_hash, near_hash"}


def snapshot(engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {name: conn.execute(text(query)).scalars().all() for name, query in PROJECTED.items()}


def test_projections_rebuilt_from_zero_equal_the_ones_kept_live(casework_db):
    engine, url = casework_db
    live = projections(load_calendar())
    rng = random.Random(2026)
    base = datetime(2026, 8, 3, 2, 0, tzinfo=UTC)
    cases = [(new_case(70_000 + n, rng, base + timedelta(seconds=n)), 0, 0) for n in range(350)]
    for n in range(350):  # a shared NIP and screenshots link some of the cases
        if n % 50 == 0:
            cases[n][0].facts.reported["nip"] = "198703152010011002"
        if n % 40 == 7:  # the same post, written as each reporter copied it
            cases[n][0].facts.post_urls.append(rng.choice(["https://www.facebook.com/calon.dua/posts/77",
                                                           "https://m.facebook.com/calon.dua/posts/77/?mibextid=Q1"]))
        if n % 30 == 11:  # texts a rebuild's COPY must escape, in its rows and in the search's words
            reported = cases[n][0].facts.reported
            reported["name"] = 'ASN "kutip" \\ garis\tmiring {kurung,koma} NULL \\N é ü 🙂'
            reported["work_unit"] = "Dinas\nBaris baru\r\n"
            cases[n][0].facts.post_urls.append('https://www.facebook.com/calon.tiga/posts/9?q="a,b"&c={d}\\e')
    written = 0
    while cases:
        index = rng.randrange(len(cases))
        case, version, step = cases[index]
        if step:
            if step > len(LIFE):
                cases.pop(index)
                continue
            command, actor, args = LIFE[step - 1]
            at = base + timedelta(hours=1, minutes=written)
            getattr(case, command)(actor, **args, at=at)
            if rng.random() < 0.3:
                case.attach_evidence(ev.EvidenceAttached(
                    evidence_id=str(uuid.uuid4()), upload_id=str(uuid.uuid4()), sha256="ab" * 32, size=10,
                    content_type="image/png", received_at=base.isoformat(),
                    # A few reporters send the same post; most screenshots are of other posts.
                    perceptual_hash=rng.choice(["c517fae8b2635581", "3ae80517b26a5a7e"]) if rng.random() < 0.1
                    else f"{rng.getrandbits(64):016x}"), at=at)
        with engine.begin() as conn:
            stored = store(conn, case, version)
        written += len(stored)
        cases[index] = (case, version + len(stored), step + 1)
        if rng.random() < 0.05:  # the live projections keep up as events arrive
            for projection in live:
                catch_up(engine, projection)
    for projection in live:
        while catch_up(engine, projection):
            pass
    assert written > 2000
    kept_live = snapshot(engine)
    assert all(kept_live[name] for name in ("case_list", "case_stages", "case_link_keys", "case_screenshots"))
    # A post many reporters send: one hash kept by several screenshots (linked when read).
    assert Counter(row.split('"perceptual_hash":"')[1][:16] for row in kept_live["case_screenshots"])[
        "c517fae8b2635581"] > 1
    # The same ASN and the same post: a key kept by several cases (the links are made when read).
    shared = Counter(row.split(',"case_id"')[0] for row in kept_live["case_link_keys"])
    post = normalise_url("https://www.facebook.com/calon.dua/posts/77")
    assert {'{"kind":"nip","key":"198703152010011002"', f'{{"kind":"post","key":"{post}"'} \
        <= {key for key, cases in shared.items() if cases > 1}
    # BKPPD's decision and the close are one append at one time: both stages are kept.
    assert sum('"stage":"closed"' in row for row in kept_live["case_stages"]) == \
        sum('"stage":"sanction_decided"' in row for row in kept_live["case_stages"]) > 0

    rebuilt = netra_casework(url, "rebuild-projections")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilding case_list:" in rebuilt.stderr and "(100%)" in rebuilt.stderr
    assert snapshot(engine) == kept_live


def test_copy_writes_every_text_as_it_was_given(casework_db):
    """What a rebuild COPYs (adapters/bulk_copy.py) reads back unchanged: escapes, arrays, NULLs."""
    engine, _ = casework_db
    tricky = ["tab\there", "line\nbreak", "back\\slash", 'quote "dua"', "{kurung,koma}", "NULL", "\\N", "", "é ü 🙂"]
    at = datetime(2026, 8, 3, 2, 0, 0, 123456, tzinfo=UTC)
    rows = [(n, text_value, [text_value, "b"], n % 2 == 0, at, None) for n, text_value in enumerate(tricky)]
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE copied (n int, t text, a text[], b boolean, at timestamptz, z uuid)"))
        written = copy_rows(conn, table("copied", *(column(c) for c in ("n", "t", "a", "b", "at", "z"))),
                            ("n", "t", "a", "b", "at", "z"), rows)
        back = [tuple(r) for r in conn.execute(text("SELECT n, t, a, b, at, z FROM copied ORDER BY n"))]
    assert written == len(tricky)
    assert back == [(n, t, a, b, at_, z) for n, t, a, b, at_, z in rows]


def test_copy_streams_many_rows_and_raises_a_values_own_error(casework_db):
    """The rows are streamed to PostgreSQL a part at a time (bulk_copy.PART): every row of many parts
    arrives once, in order; a value COPY cannot take stops it with its own error (not as the COPY
    PostgreSQL was told to cancel)."""
    engine, _ = casework_db
    rows = [(n, f"baris {n} " + "x" * (n % 300) + "\t\\") for n in range(5000)]
    assert sum(len(str(n)) + len(t) for n, t in rows) > 3 * bulk_copy.PART
    copied = table("copied_many", column("n"), column("t"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE copied_many (n int, t text) ON COMMIT DROP"))
        assert copy_rows(conn, copied, ("n", "t"), rows) == len(rows)
        assert [tuple(r) for r in conn.execute(text("SELECT n, t FROM copied_many ORDER BY n"))] == rows
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE copied_many (n int, t text) ON COMMIT DROP"))
        with pytest.raises(TypeError, match="not float"):
            copy_rows(conn, copied, ("n", "t"), [*rows, (5000, 1.5)])
        conn.rollback()
