"""A disclosure takes three people, over HTTP: the approver never the recipient (today's failure: a
sekretaris names the ketua, who approves and reads), nobody named who could never read it (refused
at the request and again at the approval, in words), and the reporter's status page says
"disclosed" only for a disclosure that can be read."""

from __future__ import annotations

import pytest

from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.waiting import eventually, stays

REASON = "Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin yang mendesak."


@pytest.fixture(scope="module")
def people(stack):
    return {
        "sekretaris": enrol(stack, "tiga.sekretaris", "sekretaris", work_unit="Diskominfo"),
        "ketua": enrol(stack, "tiga.ketua", "ketua", work_unit="Diskominfo", full_name="Ketua Yang Dinamai"),
        "ketua_lain": enrol(stack, "tiga.ketua.lain", "ketua", work_unit="Diskominfo"),
        "anggota": enrol(stack, "tiga.anggota", "anggota", work_unit="Bappeda", full_name="Anggota Penerima"),
        "admin": enrol(stack, "tiga.admin", "admin"),
    }


@pytest.fixture
def filed(stack, stack_db, ketua):
    """A complaint whose reporter gave their identity, its case open (not forwarded)."""
    intake = stack.settings.url("intake")
    answer = complaints.file(intake, complaints.complaint(reporter=complaints.IDENTIFIED_REPORTER), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, answer["tracking_code"])))
    return {**answer, "case_id": case["case_id"], "intake": intake}


def version(client, case_id: str) -> int:
    return client.get(f"/api/v1/cases/{case_id}").json()["version"]


def ask(requester, case_id: str, recipient):
    return requester.command(case_id, "request_disclosure", version(requester, case_id),
                             recipient_id=recipient.user["user_id"], reason=REASON)


def approve(ketua, case_id: str):
    request_id = ketua.get(f"/api/v1/cases/{case_id}").json()["disclosures"][-1]["request_id"]
    return ketua.command(case_id, "approve_disclosure", version(ketua, case_id), request_id=request_id,
                         valid_for_hours=1)


def nothing_disclosed(filed) -> None:
    page = lambda: complaints.status(filed["intake"], filed["tracking_code"], filed["receipt"]).json()  # noqa: E731
    stays(lambda: page()["identity_disclosures"] == [], duration=3)


def test_the_ketua_a_disclosure_names_cannot_approve_it(people, filed):
    case_id = filed["case_id"]
    assert ask(people["sekretaris"], case_id, people["ketua"]).status_code == 200
    refused = approve(people["ketua"], case_id)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "three_people_required"
    assert "Ketua yang menyetujui tidak boleh menjadi penerima" in refused.json()["error"]["message"]
    assert people["ketua"].post(f"/api/v1/cases/{case_id}/identity").status_code == 403
    nothing_disclosed(filed)
    assert approve(people["ketua_lain"], case_id).status_code == 200  # a third person approves: now it holds
    read = people["ketua"].post(f"/api/v1/cases/{case_id}/identity")
    assert read.status_code == 200 and read.json()["identity"]["name"] == complaints.IDENTIFIED_REPORTER["name"]
    told = eventually(lambda: complaints.status(filed["intake"], filed["tracking_code"], filed["receipt"])
                      .json()["identity_disclosures"], message="the disclosure on the status page")
    assert len(told) == 1 and told[0]["disclosed_to"] == "Tim Pemantau Netralitas ASN"


@pytest.mark.parametrize("who, words", [
    ("oneself", "Peminta tidak boleh menjadi penerima"),
    ("an admin", "admin tidak pernah"),
    ("a member of the reported ASN's work unit", "unit kerja yang sama dengan ASN terlapor"),
    ("BKPPD on a case never forwarded", "belum"),
    ("an account awaiting confirmation", "belum dikonfirmasi ketua"),
    ("a deactivated account", "dinonaktifkan"),
])
def test_a_recipient_who_could_never_read_it_is_refused_at_the_request_in_words(stack, people, filed, who, words):
    named = {
        "oneself": lambda: people["sekretaris"],
        "an admin": lambda: people["admin"],
        "a member of the reported ASN's work unit": lambda: enrol(stack, f"tiga.{len(who)}.pendidikan", "anggota",
                                                                  work_unit="Dinas Pendidikan"),
        "BKPPD on a case never forwarded": lambda: enrol(stack, "tiga.bkppd", "bkppd", work_unit="BKPPD"),
        "an account awaiting confirmation": lambda: enrol(stack, "tiga.menunggu", "anggota", confirmed=False),
        "a deactivated account": lambda: deactivated(people["admin"], enrol(stack, "tiga.pergi", "anggota")),
    }[who]()
    refused = ask(people["sekretaris"], filed["case_id"], named)
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["error"]["message"]
    assert refused.json()["error"]["details"] == {"field": "recipient_id"}
    assert people["sekretaris"].get(f"/api/v1/cases/{filed['case_id']}").json()["disclosures"] == []


def deactivated(admin, member):
    assert admin.post(f"/api/v1/users/{member.user['user_id']}/deactivate").status_code == 200
    return member


def test_a_recipient_who_can_no_longer_read_it_is_refused_again_at_the_approval(people, filed):
    case_id = filed["case_id"]
    assert ask(people["sekretaris"], case_id, people["anggota"]).status_code == 200
    moved = people["admin"].post(f"/api/v1/users/{people['anggota'].user['user_id']}/role", {"role": "admin"})
    assert moved.status_code == 200
    refused = approve(people["ketua_lain"], case_id)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "recipient_not_eligible"
    assert "admin tidak pernah" in refused.json()["error"]["message"]
    nothing_disclosed(filed)
