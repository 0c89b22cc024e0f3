"""Disclosing a reporter's identity end to end: a request, an approval by another ketua, a
reading by the named person only, the reporter told to which body; and the plaintext nowhere
else: not in an event, a projection, a table, a log, a message or an e-mail."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.conftest import enrol
from tests.support import complaints, mail_scan
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.waiting import eventually

IDENTITY = {"anonymous": False, "name": "Zulkarnain Batubara", "email": "zul.batubara.saksi@example.net",
            "phone": "082388776655", "nik": "1403012211880004", "consent_contact": True}
PLAINTEXT = ("Zulkarnain", "Batubara", "zul.batubara.saksi", "082388776655", "82388776655", "1403012211880004")


def leaks(haystack: str) -> list[str]:
    return [p for p in PLAINTEXT if p.lower() in haystack.lower()]


def everything_stored(stack) -> list[str]:
    """Every row of every table of every service, except the vault's sealed boxes."""
    engine = create_engine(stack.settings.db_url)
    rows = []
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT table_schema, table_name FROM information_schema.tables WHERE "
                                   "table_schema IN ('intake', 'evidence', 'casework', 'notify')")).all()
        for schema, table in tables:
            if (schema, table) == ("casework", "sealed_identities"):
                continue
            rows += conn.execute(text(f'SELECT row_to_json(t)::text FROM "{schema}"."{table}" t')).scalars().all()  # noqa: S608
    engine.dispose()
    return rows


def test_the_identity_is_disclosed_only_as_approved_and_appears_nowhere_else(stack, stack_db, ketua, anggota):
    intake = stack.settings.url("intake")
    filed = complaints.file(intake, complaints.complaint(reporter=IDENTITY), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    assert case["reporter"] == {"anonymous": False, "identity_sealed": True, "contact_consent": True}
    case_id = case["case_id"]
    version = to_forwarded(ketua, anggota, case_id, case["version"])
    bkppd = enrol(stack, "bkppd.pemeriksa", "bkppd", work_unit="BKPPD", full_name="Pemeriksa BKPPD")
    other_ketua = enrol(stack, "ketua.tiga", "ketua", full_name="Ketua Pengganti")

    asked = ketua.command(case_id, "request_disclosure", version, recipient_id=bkppd.user["user_id"],
                          reason="Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin yang mendesak.")
    assert asked.status_code == 200, asked.text
    request_id = ketua.get(f"/api/v1/cases/{case_id}").json()["disclosures"][0]["request_id"]

    # The ketua who asked may not approve; the named person cannot read before approval.
    own = ketua.command(case_id, "approve_disclosure", asked.json()["version"], request_id=request_id,
                        valid_for_hours=24)
    assert own.status_code == 422 and own.json()["error"]["code"] == "second_member_required"
    assert bkppd.post(f"/api/v1/cases/{case_id}/identity").status_code == 403
    approved = other_ketua.command(case_id, "approve_disclosure", asked.json()["version"], request_id=request_id,
                                   valid_for_hours=24)
    assert approved.status_code == 200, approved.text

    # Only the named person reads it; anyone else, even on the team, is refused.
    read = bkppd.post(f"/api/v1/cases/{case_id}/identity")
    assert read.status_code == 200, read.text
    assert read.json()["identity"] == {k: IDENTITY[k] for k in ("name", "email", "phone", "nik")}
    assert read.headers["Cache-Control"] == "no-store"
    for outsider in (anggota, other_ketua, ketua):
        refused = outsider.post(f"/api/v1/cases/{case_id}/identity")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_allowed"

    # The request and the decision are on the case's timeline, the reading in its access log (a view
    # is not a change of the case); who and when, not what.
    case_file = ketua.get(f"/api/v1/cases/{case_id}").json()
    assert [t["type"] for t in case_file["timeline"]][-2:] == ["disclosure_requested", "disclosure_approved"]
    assert [v["type"] for v in case_file["access_log"]][-1:] == ["identity_read"]
    assert "identity_read" not in [t["type"] for t in case_file["timeline"]]
    file_seen_by_team = ketua.get(f"/api/v1/cases/{case_id}").text
    assert leaks(file_seen_by_team) == []

    # The reporter is told that it happened, and to which body.
    def told():
        page = complaints.status(intake, filed["tracking_code"], filed["receipt"]).json()
        return page["identity_disclosures"] or None

    disclosures = eventually(told, message="the disclosure on the status page")
    assert disclosures[0]["disclosed_to"] == "BKPPD"
    assert disclosures[0]["label"] == "Identitas Anda telah diungkapkan kepada BKPPD setelah disetujui ketua tim."

    # And the plaintext is nowhere it must not be.
    assert [leaks(row) for row in everything_stored(stack) if leaks(row)] == []
    for log in stack.settings.log_dir.glob("*.log"):
        assert leaks(log.read_text(errors="replace")) == [], log.name
    for mail in mail_scan.load([stack.settings.mail_dir]):
        to_reporter = mail_scan.addressed_to(mail, [IDENTITY["email"]])
        assert leaks(mail_scan.readable(mail, without_recipient=to_reporter)) == [], mail["Subject"]
    for member in (ketua, anggota, other_ketua):
        assert leaks(member.get("/api/v1/cases", params={"limit": 200}).text) == []
        assert leaks(member.get("/api/v1/statistics").text) == []
