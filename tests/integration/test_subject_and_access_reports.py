"""The two reports UU 27/2022 asks of casework (issue 18), on real PostgreSQL with casework's schema:
`subject-report --nip` gives what casework holds about one ASN and nothing of the reporter, the team's
viewers or anything sealed; `access-report` lists every case and screenshot one account opened or acted on
in a period, and nothing outside it or of anyone else."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from netra_stack import database
from netra_stack.settings import StackSettings
from sqlalchemy import create_engine, func, insert, select, text, update

from netra_common.db import DatabaseHandle
from netra_common.migrate import upgrade
from services.casework import access_report as access_module
from services.casework import subject_report as subject_module
from services.casework.adapters import case_views as case_views_module
from services.casework.adapters import list_reads
from services.casework.adapters.tables import case_list, case_views, events, messaging, sessions, users

NIP = "198703152010011002"
REPORTER = {"sealed_identity": "SEALED-IDENTITY-BLOB", "sealed_contact": "SEALED-CONTACT-BLOB", "anonymous": False}


@pytest.fixture()
def engine(tmp_path):
    settings = StackSettings.for_tests(tmp_path, database=f"netra_sr_{uuid.uuid4().hex[:8]}")
    database.ensure_database(settings.pg_url, settings.database)
    upgrade("casework", settings.db_url)
    engine = create_engine(settings.db_url, pool_size=2, max_overflow=0)
    yield engine
    engine.dispose()
    database.drop_database(settings.pg_url, settings.database)


def a_member(conn, username: str) -> uuid.UUID:
    user_id = uuid.uuid4()
    conn.execute(insert(users).values(user_id=user_id, username=username, full_name=username.title(), role="anggota"))
    return user_id


def a_case(conn, number: str, nip: str | None, history: list[tuple[str, dict, datetime]]) -> uuid.UUID:
    case_id, opened = uuid.uuid4(), history[0][2]
    conn.execute(insert(case_list).values(
        case_id=case_id, case_number=number, status="closed", source="public", platform="facebook",
        violation_types=["campaign"], reported_name="Hendra Gunawan", reported_nip=nip, opened_at=opened,
        updated_at=history[-1][2], version=len(history)))
    for version, (event_type, data, at) in enumerate(history, start=1):
        conn.execute(insert(events).values(stream_id=case_id, version=version, event_id=uuid.uuid4(),
                                           event_type=event_type, data=data, metadata={}, recorded_at=at,
                                           hash="0" * 64, log_hash="0" * 64))
    return case_id


def test_the_subject_report_tells_an_asn_what_is_held_about_them_and_nothing_of_the_reporter(engine, tmp_path,
                                                                                            monkeypatch):
    t0 = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    viewer = uuid.uuid4()
    with engine.begin() as conn:
        a_case(conn, "NTR-2026-0001", NIP, [
            ("case_opened", {"case_number": "NTR-2026-0001", "source": "public", "reported": {
                "name": "Hendra Gunawan", "nip": NIP, "work_unit": "Dinas Pendidikan"}, "platform": "facebook",
                "post_urls": ["https://facebook.com/hendra.g/posts/4410"], "description": "Poster kampanye.",
                "reporter": REPORTER, "complaint_id": str(uuid.uuid4()), "actor": {"id": "system"}}, t0),
            ("reporter_replied", {"body": "Saya Sari, tetangganya", "message_id": "m1"}, t0 + timedelta(days=1)),
            ("evidence_viewed", {"member_id": str(viewer), "purpose": "Periksa Sari", "evidence_id": "e1"},
             t0 + timedelta(days=2)),
            ("disclosure_requested", {"recipient_name": "Pak Inspektur", "reason": "sidang"}, t0 + timedelta(days=3)),
            ("violation_confirmed", {"finding": "Terbukti membagikan poster", "legal_basis": "PP 94/2021",
                                     "sanction_level": "sedang", "proposed_by": str(viewer)}, t0 + timedelta(days=4)),
        ])
        a_case(conn, "NTR-2026-0002", "199001012015011001", [("case_opened", {"description": "Orang lain"}, t0)])

    report = subject_module.subject_report(engine.connect(), "19870315 201001 1 002")
    assert [c["case_number"] for c in report["cases"]] == ["NTR-2026-0001"]
    history = report["cases"][0]["history"]
    assert [h["event"] for h in history] == ["case_opened", "reporter_replied", "violation_confirmed"]
    assert history[0]["reported"]["name"] == "Hendra Gunawan" and history[2]["finding"] == "Terbukti membagikan poster"
    written = json.dumps(report) + subject_module.as_text(report)
    for never in ("SEALED-IDENTITY-BLOB", "SEALED-CONTACT-BLOB", "Saya Sari", "Periksa Sari", "Pak Inspektur",
                  str(viewer), "Orang lain", "199001012015011001"):
        assert never not in written, never

    monkeypatch.setattr(subject_module, "load_service_config",
                        lambda service: {"NETRA_DB_URL": engine.url.render_as_string(False)})
    done = CliRunner().invoke(subject_module.subject_report_command, ["--nip", NIP, "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [f.rsplit(".", 1)[1] for f in files] == ["json", "txt"]
    assert "NTR-2026-0001" in (tmp_path / "out" / files[1]).read_text()
    refused = CliRunner().invoke(subject_module.subject_report_command, ["--nip", "12345"])
    assert refused.exit_code == 2 and "18 angka" in refused.output


def test_the_access_report_lists_every_case_and_screenshot_an_account_opened_in_the_period(engine, monkeypatch):
    t0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # 09.00 WIB
    with engine.begin() as conn:
        suspect, other = a_member(conn, "anggota.bocor"), a_member(conn, "anggota.lain")
        a_case(conn, "NTR-2026-0011", None, [
            ("case_opened", {"actor": {"id": str(other)}}, t0 - timedelta(days=5)),
            ("evidence_viewed", {"member_id": str(suspect), "evidence_id": "ev-11", "copy": "original",
                                 "purpose": "verifikasi", "actor": {"id": "system"}}, t0),
            ("evidence_viewed", {"member_id": str(other), "evidence_id": "ev-12", "copy": "original"}, t0)])
        a_case(conn, "NTR-2026-0012", None, [
            ("case_opened", {"actor": {"id": str(other)}}, t0 - timedelta(days=5)),
            ("verification_started", {"actor": {"id": str(suspect)}}, t0 + timedelta(hours=3)),
            ("identity_read", {"actor": {"id": str(suspect)}, "request_id": "r1"}, t0 + timedelta(hours=4))])
        a_case(conn, "NTR-2026-0013", None, [  # the day after the period
            ("evidence_viewed", {"member_id": str(suspect), "evidence_id": "ev-13", "copy": "thumbnail"},
             t0 + timedelta(days=1))])
        conn.execute(insert(sessions).values(token_hash="a" * 64, user_id=suspect, created_at=t0 - timedelta(hours=1),
                                             expires_at=t0 + timedelta(hours=8), idle_expires_at=t0))

    monkeypatch.setattr(access_module, "load_service_config",
                        lambda service: {"NETRA_DB_URL": engine.url.render_as_string(False)})
    done = CliRunner().invoke(access_module.access_report_command,
                              ["--account", "anggota.bocor", "--from", "2026-11-10", "--to", "2026-11-10", "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["cases"] == ["NTR-2026-0011", "NTR-2026-0012"]
    assert report["screenshots"] == ["ev-11"]
    assert [a["kind"] for a in report["accesses"]] == ["signed_in", "screenshot_viewed", "case_event", "identity_read"]

    readable = CliRunner().invoke(access_module.access_report_command,
                                  ["--account", str(suspect), "--from", "2026-11-10", "--to", "2026-11-11"])
    assert readable.exit_code == 0 and "NTR-2026-0013" in readable.output
    assert "3 kasus dibuka atau ditindak, 0 kasus tampil di daftar atau pencarian, 2 tangkapan layar" in readable.output
    assert "melihat tangkapan layar NTR-2026-0013" in readable.output
    unknown = CliRunner().invoke(access_module.access_report_command,
                                 ["--account", "tidak.ada", "--from", "2026-11-10", "--to", "2026-11-10"])
    assert unknown.exit_code == 1 and "tidak ada akun" in unknown.output


def test_a_case_file_opened_with_nothing_done_is_listed_by_the_access_report_and_forgotten_after_its_period(engine):
    t0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    with engine.begin() as conn:
        reader, other = a_member(conn, "anggota.pembaca"), a_member(conn, "anggota.lain2")
        seen = a_case(conn, "NTR-2026-0021", None, [("case_opened", {"actor": {"id": str(other)}}, t0)])
        conn.execute(insert(case_views).values(case_id=seen, viewer_id=reader, what="case_file",
                                               viewed_at=t0 + timedelta(hours=1)))
        conn.execute(insert(case_views).values(case_id=seen, viewer_id=other, what="case_file",
                                               viewed_at=t0 + timedelta(hours=1)))
        conn.execute(insert(case_views).values(case_id=seen, viewer_id=reader, what="case_file",
                                               viewed_at=t0 - timedelta(days=800)))
    case_views_module.record(engine, seen, reader, "dossier")  # now: one insert, outside the case's log
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events).where(events.c.stream_id == seen)).scalar() == 1
        assert conn.execute(select(case_list.c.version).where(case_list.c.case_id == seen)).scalar() == 1
        report = access_module.access_report(conn, "anggota.pembaca", t0, t0 + timedelta(days=1))
        assert report["cases"] == ["NTR-2026-0021"]
        assert [a["kind"] for a in report["accesses"]] == ["case_opened"]
        recent = access_module.access_report(conn, str(reader), datetime.now(UTC) - timedelta(hours=1),
                                             datetime.now(UTC) + timedelta(hours=1))
        assert [a["kind"] for a in recent["accesses"]] == ["dossier_opened"]
    with pytest.raises(ValueError):
        case_views_module.record(engine, seen, reader, "identity")

    assert case_views_module.prune(engine, case_views_module.keep_days({})) == 1  # the one 800 days old
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(case_views)).scalar() == 3
    assert case_views_module.keep_days({"NETRA_CASE_VIEWS_KEEP_DAYS": "30"}) == 30


def test_lists_and_searches_are_listed_with_the_cases_shown_and_a_purge_takes_the_words_naming_its_case(engine):
    db = DatabaseHandle(engine, messaging, producer="casework", consumer="casework.test")
    t0 = datetime.now(UTC) - timedelta(minutes=5)
    with engine.begin() as conn:
        reader, other = a_member(conn, "anggota.pencari"), a_member(conn, "anggota.lain3")
        named = a_case(conn, "NTR-2026-0031", NIP, [("case_opened", {"actor": {"id": str(other)}}, t0)])
        plain = a_case(conn, "NTR-2026-0032", None, [("case_opened", {"actor": {"id": str(other)}}, t0)])
        conn.execute(update(case_list).where(case_list.c.case_id == named).values(
            search=func.to_tsvector("indonesian", f"NTR-2026-0031 Hendra Gunawan {NIP} Dinas Pendidikan kampanye")))
    page = {"items": [{"case_id": named}, {"case_id": plain}], "total": 7}
    list_reads.record(db, reader, "console", {"status": "new", "sort": "opened_at", "limit": 2, "offset": 0}, page)
    list_reads.record(db, reader, "api", {"q": "Hendra Gunawan", "sort": "relevance", "limit": 50}, page)
    list_reads.record(db, reader, "cli", {"q": "gunawan tiktok", "limit": 50}, {"items": [], "total": 0})
    list_reads.record(db, reader, "rpc", {"q": "kampanye", "limit": 50}, {"items": [{"case_id": plain}], "total": 1})
    list_reads.record(db, reader, "api", {"q": "Dinas Kesehatan"}, {"items": [], "total": 0})
    list_reads.record(db, reader, "api", {"work_unit": "gunawan", "limit": 50}, {"items": [], "total": 0})
    list_reads.record(db, reader, "api", {"work_unit": "Dinas Pendidikan", "limit": 50}, page)
    list_reads.record(db, other, "console", {"q": "Sari"}, {"items": [{"case_id": plain}], "total": 1})
    with pytest.raises(ValueError):
        list_reads.record(db, reader, "portal", {}, page)
    assert list_reads.door_of("Console") == "console" and list_reads.door_of("anything") == "api"
    start, end = t0, datetime.now(UTC) + timedelta(minutes=1)

    with engine.connect() as conn:
        report = access_module.access_report(conn, "anggota.pencari", start, end)
    assert report["cases_listed"] == ["NTR-2026-0031", "NTR-2026-0032"] and report["cases"] == []
    assert [a["kind"] for a in report["accesses"]] == ["cases_listed", *["cases_searched"] * 4, "cases_listed",
                                                       "cases_listed"]
    listed, searched = report["accesses"][0]["list"], report["accesses"][1]["list"]
    assert listed == {"door": "console", "asked": {"status": "new", "sort": "opened_at", "limit": 2, "offset": 0},
                      "search_words": None, "words_removed": False, "shown": ["NTR-2026-0031", "NTR-2026-0032"],
                      "total": 7}
    assert searched["search_words"] == "Hendra Gunawan" and "q" not in searched["asked"]
    printed = access_module.as_text(report, start, end)
    assert "mencari kasus" in printed and "«Hendra Gunawan»" in printed and "lewat konsol" in printed
    assert "tampil 2 dari 7 kasus: NTR-2026-0031, NTR-2026-0032" in printed
    assert "Sari" not in json.dumps(report)  # another member's search

    with engine.begin() as conn:
        # The name; a word of it with another that finds nothing; a word that would find the case; a word
        # of the name typed as the work unit (a work unit itself is no one's name, and stays).
        assert list_reads.forget_words_naming(conn, named) == 4
    with engine.connect() as conn:
        after = access_module.access_report(conn, str(reader), start, end)
        rows = "\n".join(conn.execute(text("SELECT t::text FROM casework.list_reads t")).scalars())
    assert [(a["list"]["search_words"], a["list"]["words_removed"]) for a in after["accesses"]] == [
        (None, False), (None, True), (None, True), (None, True), ("Dinas Kesehatan", False), (None, False),
        (None, False)]
    assert [a["kind"] for a in after["accesses"]] == [a["kind"] for a in report["accesses"]]
    assert [a["list"]["asked"] for a in after["accesses"][-2:]] == [
        {"work_unit_removed": True, "limit": 50}, {"work_unit": "Dinas Pendidikan", "limit": 50}]
    assert f"limit=50, work_unit={access_module.WORDS_REMOVED};" in access_module.as_text(after, start, end)
    assert after["cases_listed"] == report["cases_listed"]  # who was shown which case stays
    assert access_module.WORDS_REMOVED in access_module.as_text(after, start, end)
    assert "unawan" not in rows and "Sari" in rows

    assert list_reads.prune(engine, 730, now=datetime.now(UTC) + timedelta(days=731)) == 8
