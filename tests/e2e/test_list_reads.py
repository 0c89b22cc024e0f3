"""Reads of the case list and its search are recorded (issue 18.6, docs/decisions/0038), on the real
stack: a member lists and searches the queue through the team API, `netra list` and RPC, and
`netra-casework access-report` for that member and day shows each read, through which door, what was
asked and exactly the cases each page showed; another member's report shows none of it. (The console's
reads: tests/browser/test_console_list_reads.py; a purge taking the search words that name its case:
tests/e2e/test_retention_purge_whole.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime

from nameko.standalone.rpc import ClusterRpcProxy

from netra_common.bus.rpc import rpc_client_config
from netra_common.wib import WIB
from tests.conftest import enrol
from tests.e2e.test_netra_cli import in_queue, logged_in, new_case

REPORT = [sys.executable, "-m", "services.casework.admin", "access-report"]


def access_report(stack, account: str, *extra: str) -> subprocess.CompletedProcess:
    today = datetime.now(WIB).date().isoformat()
    done = subprocess.run([*REPORT, "--account", account, "--from", today, "--to", today, *extra],
                          capture_output=True, text=True, env=stack.service_env("casework"), timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def numbers(page: dict) -> list[str]:
    return [item["case_number"] for item in page["items"]]


def test_a_members_lists_and_searches_are_in_their_access_report_with_the_cases_shown(
        stack, ketua, bus_publisher, tmp_path):
    marker = uuid.uuid4().hex[:8]
    asn = f"Rudi Listaksi {marker}"
    message_case = new_case(ketua, bus_publisher, reported={
        "name": asn, "nip": None, "position": "Guru", "work_unit": "Dinas Pendidikan", "kecamatan": "Mandau"})
    in_queue(ketua, message_case)
    reader = enrol(stack, f"anggota.daftar.{marker}", "anggota")
    other = enrol(stack, f"anggota.lain.{marker}", "anggota")

    listed = reader.get("/api/v1/cases", params={"status": "opened", "limit": 3})
    searched = reader.get("/api/v1/cases", params={"q": asn, "sort": "relevance"})
    assert listed.status_code == 200 and searched.status_code == 200, listed.text + searched.text
    assert numbers(searched.json()) == [message_case["case_number"]]
    netra = logged_in(stack, tmp_path, reader.user["username"], reader.password, reader.totp_secret)
    from_cli = json.loads(netra.ok("list", "--search", marker, "--json"))
    assert numbers(from_cli) == [message_case["case_number"]]
    with ClusterRpcProxy(rpc_client_config(stack.bus, stack.settings.amqp_uri), timeout=20) as cluster:
        from_rpc = cluster.casework.rpc_list_cases(reader.token, {"q": asn, "limit": 5})
    assert numbers(from_rpc) == [message_case["case_number"]]
    assert other.get("/api/v1/cases", params={"q": f"lain {marker}"}).status_code == 200

    report = json.loads(access_report(stack, reader.user["username"], "--json").stdout)
    reads = [a for a in report["accesses"] if a["kind"] in ("cases_listed", "cases_searched")]
    assert [(a["kind"], a["list"]["door"]) for a in reads] == [
        ("cases_listed", "api"), ("cases_searched", "api"), ("cases_searched", "cli"), ("cases_searched", "rpc")]
    assert reads[0]["list"]["asked"] == {"status": "opened", "limit": 3, "sort": "opened_at", "order": "desc",
                                         "offset": 0}
    assert reads[0]["list"]["shown"] == numbers(listed.json())
    assert reads[0]["list"]["total"] == listed.json()["total"]
    assert (reads[1]["list"]["search_words"], reads[1]["list"]["shown"]) == (asn, [message_case["case_number"]])
    assert (reads[2]["list"]["search_words"], reads[2]["list"]["shown"]) == (marker, [message_case["case_number"]])
    assert (reads[3]["list"]["asked"]["limit"], reads[3]["list"]["shown"]) == (5, [message_case["case_number"]])
    assert set(report["cases_listed"]) == {*numbers(listed.json()), message_case["case_number"]}

    printed = access_report(stack, reader.user["username"]).stdout
    assert f"mencari kasus  lewat API; saringan: limit=50, offset=0, order=desc, sort=relevance; " \
           f"kata pencarian: «{asn}»; tampil 1 dari 1 kasus: {message_case['case_number']}" in printed
    assert "melihat daftar kasus  lewat API" in printed and "lewat netra (CLI)" in printed

    theirs = json.loads(access_report(stack, other.user["username"], "--json").stdout)
    assert [a["list"]["search_words"] for a in theirs["accesses"] if "list" in a] == [f"lain {marker}"]
    assert asn not in json.dumps(theirs)
