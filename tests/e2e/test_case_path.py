"""A case's path over the team's API: two people at once, two people to confirm, BKPPD's
decision reaching the reporter, reopening, deadlines, related cases, search."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine

from services.casework.adapters.case_repository import CaseRepository
from services.casework.domain import events as ev
from services.casework.domain.case import Case
from tests.conftest import enrol, mail_messages
from tests.support import complaints, events
from tests.support.casework import (
    FINDING,
    case_id_for,
    complaint_id_of,
    step,
    to_confirmed,
    to_forwarded,
    wait_for_case,
)
from tests.support.screenshots import screenshot, variant
from tests.support.waiting import eventually, stays


def new_case(ketua, bus_publisher, **payload) -> dict:
    message = events.complaint_submitted()
    message["payload"].update(payload)
    bus_publisher.publish_event(message)
    return wait_for_case(ketua, case_id_for(message["payload"]["complaint_id"]))


def test_two_members_acting_on_the_same_version_one_wins_the_other_gets_409(ketua, anggota, bus_publisher):
    case = new_case(ketua, bus_publisher)
    answers, barrier = [], threading.Barrier(2)

    def act(client, assignee):
        barrier.wait()
        answers.append(client.command(case["case_id"], "assign", case["version"], assignee_id=assignee))

    threads = [threading.Thread(target=act, args=(ketua, anggota.user["user_id"])),
               threading.Thread(target=act, args=(ketua, ketua.user["user_id"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409]
    stale = next(a for a in answers if a.status_code == 409).json()["error"]
    assert stale["code"] == "stale_version"
    assert stale["details"] == {"expected_version": case["version"], "current_version": case["version"] + 1}


def test_the_member_who_proposed_cannot_also_confirm(ketua, anggota, bus_publisher):
    case = new_case(ketua, bus_publisher)
    version = step(ketua, case["case_id"], case["version"], "assign", assignee_id=anggota.user["user_id"])
    version = step(anggota, case["case_id"], version, "start_verification")
    version = step(anggota, case["case_id"], version, "propose_violation", **FINDING)
    refused = anggota.command(case["case_id"], "confirm_violation", version)
    # A rule the member's role does not decide: 422 (docs/decisions/0007), the code names it.
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "second_member_required"
    done = ketua.command(case["case_id"], "confirm_violation", version)
    assert done.status_code == 200 and done.json()["status"] == "violation_confirmed"


def test_a_refused_transition_names_the_stage_and_what_is_allowed(ketua, bus_publisher):
    case = new_case(ketua, bus_publisher)
    refused = ketua.command(case["case_id"], "forward_to_bkppd", case["version"])
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert error["details"] == {"command": "forward_to_bkppd", "status": "opened", "allowed": ["assign", "dismiss"]}
    assert "tahap 'opened'" in error["message"]


def test_bkppds_decision_closes_the_case_and_reaches_the_reporter_in_general_words(stack, stack_db, ketua, anggota):
    intake = stack.settings.url("intake")
    filed = complaints.file(intake, complaints.complaint(), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    version = to_forwarded(ketua, anggota, case["case_id"], case["version"])
    bkppd = enrol(stack, "bkppd.putus", "bkppd", work_unit="BKPPD")
    decided = bkppd.command(case["case_id"], "record_sanction", version, sanction_type="teguran_tertulis",
                            decree_number="800/BKPPD/2026/117", decree_date="2026-11-30")
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "closed"
    final = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    assert final["sanction"]["decree_number"] == "800/BKPPD/2026/117"

    def told():
        page = complaints.status(intake, filed["tracking_code"], filed["receipt"]).json()
        stages = [t["status"] for t in page["timeline"]]
        return page if "sanction_decided" in stages and page["status"] == "closed" else None

    page = eventually(told, message="the decision on the status page")
    labels = [t["label"] for t in page["timeline"]]
    assert "BKPPD telah memutuskan sanksi" in labels and "Selesai" in labels
    assert "800/BKPPD" not in str(page) and "teguran" not in str(page).lower()


def test_a_dismissed_case_is_reopened_with_a_reason(ketua, bus_publisher):
    case = new_case(ketua, bus_publisher)
    version = step(ketua, case["case_id"], case["version"], "dismiss", reason="insufficient_evidence")
    version = step(ketua, case["case_id"], version, "reopen",
                   reason="Pelapor lain mengirim tangkapan layar yang jelas.")
    reopened = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    assert reopened["status"] == "opened" and reopened["version"] == version
    assert reopened["timeline"][-1]["type"] == "case_reopened"


def test_an_overdue_case_is_marked_and_the_ketua_is_told(stack, ketua):
    enrol(stack, "ketua.dua", "ketua", email="ketua.dua@bengkaliskab.go.id", full_name="Hj. Ketua Kedua")
    # A case opened on a Monday three weeks ago and never assigned (1 working day allowed).
    opened_at = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    case = Case.open(str(uuid.uuid4()), ev.CaseOpened(
        case_number=f"NTR-2026-9{uuid.uuid4().int % 10000:04d}", source="team", complaint_id=None,
        opened_at=opened_at.isoformat(), reported={"name": "Tertunda"}, platform="tiktok", post_urls=[],
        account_handle=None, occurred_at=opened_at.isoformat(), violation_types=["share"],
        description="Kasus yang terlupakan.", reporter={"anonymous": True, "identity_sealed": False}), at=opened_at)
    engine = create_engine(stack.settings.db_url)
    with engine.begin() as conn:  # the case repository stores the time the case was opened at
        CaseRepository(conn).save(case, {})
    engine.dispose()

    marked = eventually(lambda: (c := ketua.get(f"/api/v1/cases/{case.case_id}").json())["overdue"] and c,
                        timeout=30, message="the overdue mark")
    assert marked["timeline"][-1]["type"] == "case_overdue"
    assert marked["due_at"].startswith("2026-11-03T23:59:59")
    listed = ketua.get("/api/v1/cases", params={"overdue": "true", "limit": 200}).json()["items"]
    assert case.case_id in {c["case_id"] for c in listed}

    def mail():  # other tests may have enrolled more ketua with an address: look at this one's
        return [m for m in mail_messages(stack) if case.facts.case_number in m and "melewati batas waktu" in m
                and "ketua.dua@bengkaliskab.go.id" in m]

    mails = eventually(mail, message="the ketua's e-mail")
    stays(lambda: len(mail()) == 1, duration=3)  # told once, not once per timer tick
    assert "penugasan petugas" in mails[0]


def test_cases_about_the_same_asn_post_or_screenshot_are_linked(stack, stack_db, ketua, bus_publisher):
    nip, url = "199001012015031001", f"https://www.facebook.com/bupati/posts/{uuid.uuid4().int % 10**9}"
    first = new_case(ketua, bus_publisher, reported={"name": "Ahmad", "nip": nip}, post_urls=[url])
    same_asn = new_case(ketua, bus_publisher, reported={"name": "Ahmad R.", "nip": nip})
    same_post = new_case(ketua, bus_publisher, post_urls=[url.replace("www.", "m.") + "?mibextid=x"])

    def links():
        found = {(link["case_id"], link["reason"]) for link in
                 ketua.get(f"/api/v1/cases/{first['case_id']}").json()["links"]}
        return found if len(found) >= 2 else None

    assert eventually(links, message="the links") >= {(same_asn["case_id"], "same_asn"),
                                                      (same_post["case_id"], "same_post")}

    intake = stack.settings.url("intake")
    post = screenshot(seed=4242)
    a = complaints.file(intake, complaints.complaint(), [("a.png", post)]).json()
    b = complaints.file(intake, complaints.complaint(post_urls=[]), [("b.jpg", variant(post, crop=0.02))]).json()
    case_a = case_id_for(complaint_id_of(stack_db, a["tracking_code"]))
    case_b = case_id_for(complaint_id_of(stack_db, b["tracking_code"]))
    eventually(lambda: any(link["case_id"] == case_b and link["reason"] == "similar_screenshot"
                           for link in ketua.get(f"/api/v1/cases/{case_a}").json().get("links", [])),
               message="the near-identical screenshots linked")


def test_a_case_dismissed_as_a_duplicate_names_a_real_other_case_and_is_linked_to_it(ketua, bus_publisher):
    original, copy = new_case(ketua, bus_publisher), new_case(ketua, bus_publisher)
    for wrong in ("NTR-1999-99999", copy["case_number"]):
        refused = ketua.command(copy["case_id"], "dismiss", copy["version"], reason="duplicate", duplicate_of=wrong)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["details"] == {"field": "duplicate_of"}
    step(ketua, copy["case_id"], copy["version"], "dismiss", reason="duplicate",
         duplicate_of=f" {original['case_number'].lower()} ")
    dismissed = ketua.get(f"/api/v1/cases/{copy['case_id']}").json()
    assert dismissed["dismissal"]["duplicate_of"] == original["case_number"]
    eventually(lambda: {"case_id": original["case_id"], "reason": "duplicate"}.items() <= next(
        (link for link in ketua.get(f"/api/v1/cases/{copy['case_id']}").json()["links"]
         if link["reason"] == "duplicate"), {}).items(), message="the link to the original")


def test_the_team_goes_on_without_the_reporters_answer(ketua, anggota, bus_publisher):
    case = new_case(ketua, bus_publisher)
    version = step(ketua, case["case_id"], case["version"], "assign", assignee_id=anggota.user["user_id"])
    version = step(anggota, case["case_id"], version, "start_verification")
    version = step(anggota, case["case_id"], version, "request_clarification",
                   question="Apakah Anda masih menyimpan tautan unggahannya?")
    short = anggota.command(case["case_id"], "resume_verification", version, note="")
    assert short.status_code == 400 and "note" in short.json()["error"]["details"]
    resumed = anggota.command(case["case_id"], "resume_verification", version,
                              note="Pelapor tidak menjawab dalam 7 hari kerja; bukti sudah cukup.")
    assert resumed.status_code == 200 and resumed.json()["status"] == "under_verification"


def test_a_screenshot_viewed_meanwhile_does_not_make_a_members_command_stale(ketua, bus_publisher):
    """Who looked is on the record, but it does not change what the member decided on."""
    message = events.complaint_submitted()
    bus_publisher.publish_event(message)
    complaint_id = message["payload"]["complaint_id"]
    case = wait_for_case(ketua, case_id_for(complaint_id))
    seen = case["version"]
    bus_publisher.publish_event(events.evidence_viewed(complaint_id, ketua.user["user_id"], "ketua"))
    eventually(lambda: ketua.get(f"/api/v1/cases/{case['case_id']}").json()["version"] == seen + 1,
               message="the view on the case")
    done = ketua.command(case["case_id"], "dismiss", seen, reason="not_political")
    assert done.status_code == 200, done.text
    assert done.json()["version"] == seen + 2


def test_the_queue_is_searched_in_indonesian_and_filtered(ketua, anggota, bus_publisher):
    word = f"Kelurahan{uuid.uuid4().hex[:6]}"
    case = new_case(ketua, bus_publisher, description=f"ASN {word} membagikan poster kampanye calon bupati.",
                    platform="tiktok")
    eventually(lambda: ketua.get("/api/v1/cases", params={"q": word}).json()["total"] == 1, message="indexed")
    found = ketua.get("/api/v1/cases", params={"q": f"{word} dibagikan"}).json()
    assert [c["case_id"] for c in found["items"]] == [case["case_id"]]
    assert ketua.get("/api/v1/cases", params={"q": f"{word} disukai"}).json()["total"] == 0
    to_confirmed(ketua, anggota, case["case_id"], case["version"])

    def filtered():
        page = ketua.get("/api/v1/cases", params={"status": "violation_confirmed", "platform": "tiktok",
                                                  "assignee": anggota.user["user_id"], "limit": 200}).json()
        return page if case["case_id"] in {c["case_id"] for c in page["items"]} else None

    filtered = eventually(filtered, message="the queue filtered (projections follow the log)")
    assert all(c["platform"] == "tiktok" and c["status"] == "violation_confirmed" for c in filtered["items"])
    new_case(ketua, bus_publisher)
    page = eventually(lambda: (p := ketua.get("/api/v1/cases", params={
        "limit": 2, "offset": 0, "sort": "case_number", "order": "asc"}).json()) and len(p["items"]) == 2 and p,
        message="two cases to page through")
    assert page["items"][0]["case_number"] < page["items"][1]["case_number"] and page["total"] >= 2


def test_the_queue_filters_by_violation_type_work_unit_and_kecamatan(ketua, bus_publisher):
    unit = f"Puskesmas Uji {uuid.uuid4().hex[:6]}"
    wanted = new_case(ketua, bus_publisher, violation_types=["state_facility"],
                      reported={"name": "Rina", "work_unit": unit, "kecamatan": "Rupat Utara"})
    new_case(ketua, bus_publisher, violation_types=["share"],
             reported={"name": "Rina", "work_unit": unit, "kecamatan": "Bantan"})

    def found(**params):
        return {c["case_id"] for c in ketua.get("/api/v1/cases", params={**params, "limit": 200}).json()["items"]}

    eventually(lambda: len(found(work_unit=unit)) == 2, message="both cases in the queue")
    assert found(work_unit=unit, violation_type="state_facility") == {wanted["case_id"]}
    assert found(work_unit=unit, kecamatan="Rupat Utara") == {wanted["case_id"]}
    assert found(work_unit=unit, kecamatan="Rupat Utara", violation_type="share") == set()


def test_an_anggota_works_only_on_the_cases_assigned_to_them(stack, ketua, anggota, bus_publisher):
    other = enrol(stack, "anggota.lain", "anggota", work_unit="Bappeda")
    case = new_case(ketua, bus_publisher)
    version = step(ketua, case["case_id"], case["version"], "assign", assignee_id=anggota.user["user_id"])
    for command, body in (("start_verification", {}), ("dismiss", {"reason": "not_political"})):
        refused = other.command(case["case_id"], command, version, **body)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_allowed", refused.text
    assert anggota.command(case["case_id"], "start_verification", version).status_code == 200


def test_commands_run_over_rpc_as_over_http(stack, ketua, bus_publisher):
    """The same command, the same permissions and the same refusals (a stale version, a stage that does
    not allow it, a case that is not there: casework's error table), over nameko RPC."""
    from nameko.exceptions import RemoteError
    from nameko.standalone.rpc import ClusterRpcProxy

    from netra_common.bus.rpc import rpc_client_config

    case = new_case(ketua, bus_publisher)
    token = ketua.session.headers["Authorization"].split()[1]
    with ClusterRpcProxy(rpc_client_config(stack.bus, stack.settings.amqp_uri), timeout=20) as cluster:
        done = cluster.casework.rpc_command(token, case["case_id"], "assign",
                                            {"expected_version": case["version"], "assignee_id": ketua.user["user_id"]})
        try:
            cluster.casework.rpc_command(token, case["case_id"], "dismiss",
                                         {"expected_version": case["version"], "reason": "not_political"})
            stale = None
        except RemoteError as exc:
            stale = exc
        with pytest.raises(RemoteError) as too_early:
            cluster.casework.rpc_command(token, case["case_id"], "forward_to_bkppd",
                                         {"expected_version": done["version"]})
        with pytest.raises(RemoteError) as missing:
            cluster.casework.rpc_get_case(token, str(uuid.uuid4()))
    assert done["status"] == "assigned" and done["version"] == case["version"] + 1
    assert stale is not None and "stale_version" in str(stale)
    assert "ApiError transition_not_allowed" in str(too_early.value)
    assert "ApiError case_not_found" in str(missing.value)
    assert ketua.get(f"/api/v1/cases/{case['case_id']}").json()["status"] == "assigned"


def test_the_commands_offered_are_those_this_member_may_run_now_and_each_runs(stack, ketua, anggota, bus_publisher):
    """my_commands: the case's next steps narrowed to the reader's role, the assignee where an anggota
    must be, the two-person rule and recusal; what the console's forms and the CLI offer. Each offered
    one then runs (never a 403 or a 422 for who the member is)."""
    unit = f"Dinas Uji Tawaran {uuid.uuid4().hex[:6]}"
    case = new_case(ketua, bus_publisher, reported={"name": "Tono", "work_unit": unit, "kecamatan": "Bantan"})
    mine = lambda member: member.get(f"/api/v1/cases/{case['case_id']}").json()["my_commands"]  # noqa: E731
    assert mine(ketua) == ["assign", "dismiss"]
    recused = enrol(stack, f"ketua.unit.{uuid.uuid4().hex[:6]}", "ketua", work_unit=unit)
    # A member from the reported ASN's own unit is excluded from the case: it is not even shown them.
    assert recused.get(f"/api/v1/cases/{case['case_id']}").status_code == 403
    assert recused.command(case["case_id"], "assign", case["version"],
                           assignee_id=anggota.user["user_id"]).status_code == 403

    version = step(ketua, case["case_id"], case["version"], "assign", assignee_id=anggota.user["user_id"])
    assert mine(anggota) == ["start_verification", "dismiss"]
    version = step(anggota, case["case_id"], version, "start_verification")
    answer = anggota.command(case["case_id"], "propose_violation", version, **FINDING)
    assert answer.status_code == 200, answer.text
    # The proposer is offered neither half of the second member's decision; the ketua is offered both.
    assert answer.json()["my_commands"] == mine(anggota) == ["dismiss"]
    assert mine(ketua) == ["assign", "confirm_violation", "reject_proposal", "dismiss"]
    step(ketua, case["case_id"], answer.json()["version"], "confirm_violation")
