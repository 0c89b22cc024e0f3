"""The retention run on real PostgreSQL (issue 18): with the clock moved past a case's period, the
purge leaves no trace of the reporter or the ASN in casework's schema, verify-log still passes,
the statistics are the same, and a case on hold and a case still in its period are untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from netra_stack import database
from sqlalchemy import create_engine, select, text

from netra_common.contracts import parse_envelope
from netra_common.contracts.envelope import new_envelope
from netra_common.db import DatabaseHandle
from netra_common.migrate import upgrade
from services.casework.adapters import checkpoint_check, checkpoints, event_store, purge
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.case_repository import unreadable
from services.casework.adapters.checkpoint_signing import CheckpointSigner, new_seed_b64
from services.casework.adapters.projection_rebuild import drop_beside, replay_beside
from services.casework.adapters.projections import catch_up, projections
from services.casework.adapters.retention_schedule import load_schedule
from services.casework.adapters.tables import case_links, case_list, case_screenshot_near, messaging
from services.casework.adapters.units import PostgresUnits
from services.casework.domain.post_urls import normalise_url
from services.casework.read import queue
from services.casework.reports import statistics
from services.casework.usecases import cases, retention

PG = os.environ.get("NETRA_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
KETUA = {"id": str(uuid.uuid4()), "role": "ketua", "work_unit": None}
ANGGOTA = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": None}
ANGGOTA_2 = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": None}
BKPPD = {"id": str(uuid.uuid4()), "role": "bkppd", "work_unit": None}
T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
SCHEDULE = load_schedule()
SIGNER = CheckpointSigner(new_seed_b64())


@pytest.fixture(scope="module")
def db():
    name = f"netra_ret_{uuid.uuid4().hex[:8]}"
    database.ensure_database(PG, name)
    url = f"{PG}/{name}"
    upgrade("casework", url)
    upgrade("intake", url)  # its migrations make the key store (intake_0012) the vault and purge use
    engine = create_engine(url, pool_size=3, max_overflow=2)
    yield engine, url
    engine.dispose()
    database.drop_database(PG, name)


def units(engine, at: datetime) -> PostgresUnits:
    return PostgresUnits(DatabaseHandle(engine, messaging, producer="casework", consumer="casework.test"),
                         signer=SIGNER, clock=lambda: at)


def file_complaint(engine, who: str, phash: str = "f0f0f0f0f0f0f0f0") -> tuple[uuid.UUID, dict]:
    """An identified complaint about the ASN `who`, with a screenshot (its pHash `phash`); what names them."""
    secrets = {"name": f"{who} Rahmawati", "nip": f"1987031520100{abs(hash(who)) % 90000 + 10000}",
               "account": f"{who.lower()}.rahma", "sealed": f"SEALED-{who}-{uuid.uuid4().hex}",
               "words": f"{who} membagikan unggahan kampanye di grup dinas"}
    complaint_id = str(uuid.uuid4())
    envelope = new_envelope("complaint_submitted", {
        "complaint_id": complaint_id, "submitted_at": T0.isoformat(),
        "reported": {"name": secrets["name"], "nip": secrets["nip"], "position": "Guru",
                     "work_unit": "Dinas Pendidikan", "kecamatan": "Mandau"},
        "platform": "facebook", "post_urls": [f"https://facebook.com/{secrets['account']}/posts/1"],
        "account_handle": secrets["account"], "occurred_at": T0.isoformat(), "violation_types": ["share"],
        "description": secrets["words"], "screenshots": [],
        "reporter": {"anonymous": False, "sealed_identity": secrets["sealed"], "contact_consent": True,
                     "sealed_contact": "SEALED-CONTACT"}}, producer="tests").to_message()
    cases.open_case_from_complaint(units(engine, T0), parse_envelope(envelope))
    shot = new_envelope("evidence_stored", {
        "evidence_id": str(uuid.uuid4()), "upload_id": str(uuid.uuid4()), "complaint_id": complaint_id,
        "sha256": uuid.uuid4().hex * 2, "size": 1234, "content_type": "image/png", "width": 10, "height": 10,
        "received_at": T0.isoformat(), "stored_at": T0.isoformat(), "perceptual_hash": phash},
        producer="tests").to_message()
    cases.record_complaint_followup(units(engine, T0), parse_envelope(shot))
    secrets["sha256"] = shot["payload"]["sha256"]
    return cases.case_id_for_complaint(complaint_id), secrets


def act(engine, case_id: uuid.UUID, at: datetime, *steps) -> None:
    with units(engine, at).unit_of_work() as unit:
        case = unit.cases.get(case_id)
        for command, actor, args in steps:
            getattr(case, command)(actor, **args, at=unit.cases.now)
        cases.save(unit, case)


ASSIGN = ("assign", KETUA, {"assignee_id": ANGGOTA["id"], "assignee_name": "Anggota Satu"})
VERIFY = ("start_verification", ANGGOTA, {})


def dismiss(who: str):
    return ("dismiss", ANGGOTA, {"reason": "not_political", "note": f"Menurut {who}, bukan kampanye."})


def sanction():
    return [("propose_violation", ANGGOTA, {"finding": "Terbukti membagikan.", "legal_basis": "PP 94/2021",
                                            "sanction_level": "ringan"}),
            ("confirm_violation", ANGGOTA_2, {}), ("forward_to_bkppd", KETUA, {}),
            ("record_sanction", BKPPD, {"sanction_type": "teguran_lisan", "decree_number": "800/77/BKPPD",
                                        "decree_date": "2026-03-10"})]


def project(engine) -> None:
    for projection in projections(load_calendar()):
        while catch_up(engine, projection):
            pass


def rebuilt_equal_live(engine) -> None:
    """A rebuild's replay from zero (in memory, decision 0035) gives the rows kept live, a purge
    record met on the way included."""
    calendar = load_calendar()
    for live, fresh in zip(projections(calendar), projections(calendar, "_check"), strict=True):
        replay_beside(engine, live, fresh)
        with engine.connect() as conn:
            for live_table, fresh_table in zip(live.tables, fresh.tables, strict=True):
                assert sorted(map(tuple, conn.execute(select(*fresh_table.c)))) == \
                    sorted(map(tuple, conn.execute(select(*live_table.c)))), live_table.name
        drop_beside(engine, fresh)


def similar_links(conn) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """Every pair of cases linked by near-identical screenshots, as the chair reads them."""
    ketua = SimpleNamespace(role="ketua", work_unit=None)
    case_ids = conn.execute(select(case_list.c.case_id)).scalars().all()
    return {(case_id, link["case_id"]) for case_id in case_ids
            for link in queue.links_of(conn, case_id, ketua) if link["reason"] == "similar_screenshot"}


def everything_in_casework(conn) -> str:
    """Every row of every table of casework's schema, as text."""
    tables = conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'casework' "
                               "AND table_type = 'BASE TABLE'")).scalars().all()
    return "\n".join(str(row) for table in tables
                     for row in conn.execute(text(f'SELECT t::text FROM casework."{table}" t')).scalars())  # noqa: S608


def test_a_purge_past_the_period_leaves_nothing_personal_and_the_log_and_statistics_intact(db):
    engine, url = db
    gone, gone_says = file_complaint(engine, "Siti", phash="f0f0f0f0f0f0f0f1")  # one bit from the others'
    held, held_says = file_complaint(engine, "Joko")
    kept, kept_says = file_complaint(engine, "Rina")
    act(engine, gone, T0, ASSIGN, VERIFY, dismiss("Siti"))
    act(engine, held, T0, ASSIGN, VERIFY, dismiss("Joko"))
    act(engine, held, T0 + timedelta(days=30), ("place_legal_hold", KETUA, {"reason": "court",
                                                                           "note": "Surat PN Bengkalis 4/2026"}))
    act(engine, kept, T0, ASSIGN, VERIFY, *sanction())
    project(engine)
    with engine.connect() as conn:
        before = statistics.summary(conn)
        retention_changes = conn.execute(text("SELECT message->'payload' FROM casework.outbox "
                                              "WHERE event_type = 'case_retention_changed'")).scalars().all()
        log_before = conn.execute(text("SELECT log_hash FROM casework.log_head")).scalar()
    assert {(c["case_id"], c["reason"], c["on_hold"]) for c in retention_changes} >= {
        (str(gone), "outcome", False), (str(held), "legal_hold", True), (str(kept), "outcome", False)}

    with engine.connect() as conn:  # linked when read: the same hash, and a hash one bit from it
        assert similar_links(conn) == {(a, b) for a in (gone, held, kept) for b in (gone, held, kept) if a != b}

    moved = T0 + timedelta(days=3 * 365)  # past two years (dismissed), not five (a sanction)
    dry = retention.run(units(engine, moved), SCHEDULE, dry_run=True, now=lambda: moved)
    assert [v.case_id for v in dry.purged] == [gone] and [v.case_id for v in dry.held] == [held]
    assert "DIHAPUS" in dry.purged[0].describe(SCHEDULE) and "DITAHAN" in dry.held[0].describe(SCHEDULE)
    with engine.connect() as conn:
        assert gone_says["name"] in everything_in_casework(conn), "a dry run changed nothing"

    done = retention.run(units(engine, moved), SCHEDULE, now=lambda: moved)
    assert [v.case_id for v in done.purged] == [gone]
    project(engine)
    rebuilt_equal_live(engine)
    with engine.connect() as conn:  # the three screenshots are alike: only the purged case's links went
        assert similar_links(conn) == {(held, kept), (kept, held)}
        assert not conn.execute(select(case_screenshot_near)).all(), "the purged screenshot's hash is kept"
    with engine.connect() as conn:
        found = everything_in_casework(conn)
        for secret in gone_says.values():
            assert secret not in found, f"{secret!r} is still in casework's schema after the purge"
        for says in (held_says, kept_says):
            assert says["name"] in found and says["sealed"] in found
        assert statistics.summary(conn) == before
        checked, problems = event_store.verify_log(conn, readable=unreadable)  # emptied events still fit their class
        assert checked > 20 and [str(p) for p in problems] == []
        # The checkpoint BKPPD got with the forward, taken before the purge, is still extended.
        assert checkpoint_check.check(conn, checkpoints.of_forward(conn, kept), SIGNER.keys) == []
        purged = conn.execute(text("SELECT message->'payload' FROM casework.outbox WHERE event_type = 'case_purged'"))
        assert [p["case_id"] for p in purged.scalars()] == [str(gone)]
        assert conn.execute(text("SELECT log_hash FROM casework.log_head")).scalar() != log_before  # the record
        record = conn.execute(text("SELECT data FROM casework.events WHERE event_type = 'case_purged'")).scalar_one()
        assert record["outcome"] == "dismissed" and len(record["events"]) >= 3

    with engine.connect() as conn:  # what verify-log says of a purge tampered with (rolled back)
        conn.execute(text("UPDATE casework.events SET data = jsonb_set(data, '{platform}', '\"tiktok\"') "
                          "WHERE stream_id = :s AND version = 1"), {"s": gone})
        conn.execute(text("UPDATE casework.events SET purged_by = gen_random_uuid(), data = '{}' "
                          "WHERE stream_id = :s AND version = 2"), {"s": kept})
        _, problems = event_store.verify_log(conn)
        conn.rollback()
    assert {(p.stream_id, p.version, p.problem.split(" (")[0]) for p in problems} == {
        (gone, 1, "content changed"), (kept, 2, "marked purged, but no purge record after it names it")}

    again = retention.run(units(engine, moved), SCHEDULE, now=lambda: moved)
    assert again.purged == [], "a purged case is not purged twice"
    assert not retention.run(units(engine, moved), SCHEDULE, only_if_due=True, now=lambda: moved).ran, \
        "the timer runs once a day"


def test_one_run_at_a_time_however_many_replicas_ask(db):
    engine, _ = db
    with engine.connect() as other:
        assert purge.try_run_lock(other)
        assert not retention.run(units(engine, T0), SCHEDULE).ran
        purge.release_run_lock(other)
        other.commit()
    assert retention.run(units(engine, T0), SCHEDULE, dry_run=True).ran


def test_the_operator_command_says_what_a_dry_run_would_do_in_indonesian(db):
    _, url = db
    done = subprocess.run([sys.executable, "-m", "services.casework.admin", "retention", "run", "--dry-run"],
                          env={**os.environ, "NETRA_DB_URL": url}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Diperiksa" in done.stdout and "Uji coba: tidak ada yang diubah." in done.stdout


def test_cases_about_the_same_asn_and_post_are_linked_when_read_and_not_after_a_purge(db):
    """Cases sharing an ASN's NIP or a post are found from case_link_keys when read, never stored
    as pairs (decision 0035); a purged case's keys go, and with them its links."""
    engine, _ = db
    ketua = SimpleNamespace(role="ketua", work_unit=None)
    first, says = file_complaint(engine, "Dewi")
    again, _ = file_complaint(engine, "Dewi")  # the same ASN, the same post
    other, _ = file_complaint(engine, "Dewi")
    act(engine, again, T0, ASSIGN, VERIFY, dismiss("Dewi"))
    project(engine)
    post = normalise_url(f"https://facebook.com/{says['account']}/posts/1")

    def by_key(case_id: uuid.UUID) -> set[tuple]:
        with engine.connect() as conn:
            return {(link["case_id"], link["reason"], link["detail"]) for link in queue.links_of(conn, case_id, ketua)
                    if link["reason"] in ("same_asn", "same_post")}
    assert by_key(first) == {(again, "same_asn", says["nip"]), (again, "same_post", post),
                             (other, "same_asn", says["nip"]), (other, "same_post", post)}
    assert (first, "same_asn", says["nip"]) in by_key(other)
    with engine.connect() as conn:
        assert not conn.execute(select(case_links).where(case_links.c.reason.in_(("same_asn", "same_post")))).all()

    moved = T0 + timedelta(days=3 * 365 + 1)  # past the dismissed case's two years
    assert again in [v.case_id for v in retention.run(units(engine, moved), SCHEDULE, now=lambda: moved).purged]
    project(engine)
    assert by_key(first) == {(other, "same_asn", says["nip"]), (other, "same_post", post)}
    assert by_key(again) == set()
    rebuilt_equal_live(engine)
