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
from sqlalchemy import create_engine, insert

from netra_common.migrate import upgrade
from services.casework import access_report as access_module
from services.casework import subject_report as subject_module
from services.casework.adapters.tables import case_list, events, sessions, users

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
    assert "3 case(s), 2 screenshot(s)" in readable.output
    unknown = CliRunner().invoke(access_module.access_report_command,
                                 ["--account", "tidak.ada", "--from", "2026-11-10", "--to", "2026-11-10"])
    assert unknown.exit_code == 1 and "no account" in unknown.output
