"""What the team takes away: statistics (JSON, CSV, charts), the dossier for BKPPD (JSON and
PDF), the OpenAPI document, the same API over RPC, and cases filed from its own monitoring."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
import requests
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from netra_common.bus.rpc import rpc_client_config
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.waiting import eventually

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def forwarded(stack, stack_db, ketua, anggota):
    intake = stack.settings.url("intake")
    shot = complaints.png(seed=808)
    filed = complaints.file(intake, complaints.complaint(reporter=complaints.IDENTIFIED_REPORTER),
                            [("bukti.png", shot)]).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])), screenshots=1)
    eventually(lambda: ketua.get(f"/api/v1/cases/{case['case_id']}").json()["evidence"], message="evidence")
    to_forwarded(ketua, anggota, case["case_id"], ketua.get(f"/api/v1/cases/{case['case_id']}").json()["version"])
    return ketua.get(f"/api/v1/cases/{case['case_id']}").json()


def test_the_dossier_holds_facts_finding_basis_timeline_and_hashes_but_no_ids_or_identity(ketua, forwarded):
    dossier = ketua.get(f"/api/v1/cases/{forwarded['case_id']}/dossier.json")
    assert dossier.status_code == 200
    body = dossier.json()
    assert body["case_number"] == forwarded["case_number"]
    assert body["finding"]["legal_basis"] == "PP 94/2021 Pasal 5 huruf n"
    assert body["finding"]["recommended_sanction_level"] == "Hukuman disiplin sedang"
    assert [s["sha256"] for s in body["screenshots"]] == [e["sha256"] for e in forwarded["evidence"]]
    assert body["screenshots"][0]["received_at"].endswith("WIB")
    assert [t["step"] for t in body["timeline"]][:2] == ["Kasus dibuka", "Tangkapan layar 1 diterima"]
    assert "Diteruskan ke BKPPD" in [t["step"] for t in body["timeline"]]
    text = dossier.text
    assert not UUID.search(text), "an internal id leaked into the dossier"
    for secret in ("Siti", "siti.rahmawati", "081234567890", "1403015507900001"):
        assert secret not in text
    pdf = ketua.get(f"/api/v1/cases/{forwarded['case_id']}/dossier.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert f"berkas-kasus-{forwarded['case_number']}.pdf" in pdf.headers["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF")


def test_statistics_count_and_time_the_stages_and_export_without_names(ketua, forwarded):
    stats = ketua.get("/api/v1/statistics").json()
    assert stats["total_cases"] >= 1
    assert {row["key"] for row in stats["counts"]["status"]} >= {"forwarded_to_bkppd"}
    assert any(r["stage"] == "violation_confirmed" and r["cases_passed"] >= 1 for r in stats["time_in_stages"])
    exported = ketua.get("/api/v1/statistics.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["section", "key", "count", "average_hours", "median_hours", "cases_in_stage_now"]
    assert {r[0] for r in rows[1:]} >= {"status", "platform", "violation_type", "work_unit", "week", "time_in_stage"}
    assert "Budi Santoso" not in exported.text and forwarded["reported"]["name"] not in exported.text


@pytest.mark.parametrize("dimension", ["status", "platform", "violation_type", "work_unit", "week"])
def test_each_statistic_is_also_a_chart(ketua, forwarded, dimension):
    chart = ketua.get(f"/api/v1/statistics/{dimension}.svg")
    assert chart.status_code == 200 and chart.headers["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(chart.text)
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{namespace}title").text.startswith("Kasus")
    assert root.findall(f"{namespace}rect")[1:], "a chart with bars"


def test_the_team_api_is_described_by_an_openapi_document(stack):
    import requests

    spec = requests.get(f"{stack.settings.url('casework')}/openapi.json", timeout=10).json()
    paths = spec["paths"]
    for command in ("assign", "propose_violation", "confirm_violation", "record_sanction", "approve_disclosure"):
        assert f"/api/v1/cases/{{case_id}}/{command}" in paths
    assert "/api/v1/statistics.csv" in paths and spec["components"]["securitySchemes"]["bearer"]


def test_the_same_api_answers_over_rpc(stack, ketua, forwarded):
    config = rpc_client_config(stack.bus, stack.settings.amqp_uri)
    token = ketua.session.headers["Authorization"].split()[1]
    with ClusterRpcProxy(config, timeout=20) as cluster:
        queue = cluster.casework.rpc_list_cases(token, {"limit": 5})
        case = cluster.casework.rpc_get_case(token, forwarded["case_id"])
        me = cluster.casework.rpc_me(token)
        with pytest.raises(RemoteError) as forbidden:  # the same permissions as over HTTP
            cluster.casework.rpc_create_account(token, {})
        with pytest.raises(RemoteError) as refused:
            cluster.casework.rpc_get_case("not-a-token", forwarded["case_id"])
    assert queue["total"] >= 1
    assert case["case_number"] == forwarded["case_number"]
    assert me["username"] == ketua.user["username"] and me["role"] == "ketua"
    assert "forbidden" in str(forbidden.value)
    assert "unauthenticated" in str(refused.value)


def test_the_team_files_a_case_from_its_own_monitoring(ketua):
    filed = ketua.post("/api/v1/cases", {
        "reported": {"name": "Rahmat Hidayat", "position": "Lurah", "kecamatan": "Mandau"},
        "platform": "instagram", "post_urls": ["https://instagram.com/p/abc"],
        "occurred_at": "2026-11-20T19:00:00+07:00", "violation_types": ["campaign_attribute"],
        "description": "Memasang twibbon pasangan calon pada foto profil akun pribadi."})
    assert filed.status_code == 201, filed.text
    case = ketua.get(f"/api/v1/cases/{filed.json()['case_id']}").json()
    assert case["source"] == "team" and case["reporter"]["identity_sealed"] is False
    refused = ketua.post("/api/v1/cases", {"reported": {"name": "X"}, "platform": "myspace"})
    assert refused.status_code == 400
    details = refused.json()["error"]["details"]
    assert details["platform"][0].startswith("Harus salah satu dari: ") and details["description"] == ["Wajib diisi."]




def test_a_work_unit_is_counted_once_however_it_was_typed_at_the_portal_or_the_console(stack, stack_db, ketua):
    """The closed list (netra_common/contracts/work_units.yaml): "dinas  pendidikan" typed at the portal
    and "DINAS PENDIDIKAN" filed by the team are the listed "Dinas Pendidikan", counted once; a unit not
    on the list stays as it was written ("other", in words)."""
    def counted() -> dict:
        return {r["key"]: r["count"] for r in ketua.get("/api/v1/statistics").json()["counts"]["work_unit"]}

    before = counted()
    intake = stack.settings.url("intake")
    typed = complaints.complaint()
    typed["reported"] = {**typed["reported"], "work_unit": "  dinas  pendidikan "}
    filed = complaints.file(intake, typed, []).json()
    from_portal = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    assert from_portal["reported"]["work_unit"] == "Dinas Pendidikan"
    by_team = ketua.post("/api/v1/cases", {
        "reported": {"name": "Rahmat Hidayat", "work_unit": "DINAS PENDIDIKAN"}, "platform": "facebook",
        "post_urls": ["https://facebook.com/p/unit"], "occurred_at": "2026-11-20T19:00:00+07:00",
        "violation_types": ["share"], "description": "Membagikan konten kampanye di akun pribadi."})
    assert by_team.status_code == 201, by_team.text
    other = ketua.post("/api/v1/cases", {
        "reported": {"name": "Rahmat Hidayat", "work_unit": "UPT  Pasar Desa Uji"}, "platform": "facebook",
        "post_urls": ["https://facebook.com/p/unit2"], "occurred_at": "2026-11-20T19:00:00+07:00",
        "violation_types": ["share"], "description": "Membagikan konten kampanye di akun pribadi."})
    assert ketua.get(f"/api/v1/cases/{other.json()['case_id']}").json()["reported"]["work_unit"] == \
        "UPT Pasar Desa Uji"
    after = eventually(lambda: (c := counted()) and c.get("Dinas Pendidikan", 0) >= before.get("Dinas Pendidikan", 0)
                       + 2 and c, message="both cases counted under the listed unit")
    assert after["Dinas Pendidikan"] == before.get("Dinas Pendidikan", 0) + 2
    assert not [key for key in after if key != "Dinas Pendidikan" and key.casefold() == "dinas pendidikan"]
    # The console offers the same list the portal does.
    listed = requests.get(f"{stack.settings.url('casework')}/console/reference.json", timeout=10).json()
    offered = requests.get(f"{intake}/api/v1/reference", timeout=10).json()["work_units"]
    assert "Dinas Pendidikan" in listed["work_units"]["Dinas"] and "Dinas Pendidikan" in {u["name"] for u in offered}
