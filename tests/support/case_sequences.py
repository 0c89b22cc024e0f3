"""Random valid lives of a case, for the property that replaying its stored events gives exactly the
live case: every team command (by the people the permission matrix and the assignee rule let run
it), what other services report (evidence, views, the reporter's replies), deadlines passing,
disclosures asked, decided and read, and time moving forward between units of work.

`play` runs one life on a live case through a store (a unit of work per step, with that step's
time) and checks after each step that the stored events replay to the live case, field by field,
and that a command the rules refuse leaves the case exactly as it was.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from hypothesis import strategies as st

from netra_common.contracts.reference import SANCTION_LEVELS, SANCTION_TYPES
from services.casework.domain import events as ev
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case, Recorded
from services.casework.domain.commands import COMMANDS, TEAM_COMMANDS
from services.casework.domain.errors import DomainError
from services.casework.domain.lifecycle import DISMISSAL_REASONS
from services.casework.domain.permissions import PERMISSIONS

REPORTED_UNIT = "Dinas Pendidikan"
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # a Monday morning in Bengkalis
CALENDAR = WorkingCalendar(frozenset({datetime(2026, 11, 20).date(), datetime(2026, 12, 25).date()}))


def person(user_id: str, role: str, work_unit: str | None, state: str = "active") -> dict:
    return {"id": user_id, "name": f"Orang {user_id}", "role": role, "work_unit": work_unit, "state": state}


# Accounts as the use cases would find them; the people among them act (actors have no state).
ACCOUNTS = [
    person("k1", "ketua", "Diskominfo"), person("k2", "ketua", None), person("s1", "sekretaris", "Bappeda"),
    person("a1", "anggota", "Diskominfo"), person("a2", "anggota", "Inspektorat"),
    person("a3", "anggota", " dinas  pendidikan "),  # the reported ASN's own unit: recused
    person("b1", "bkppd", "BKPPD"), person("ad", "admin", None),
    person("a4", "anggota", None, "invited"), person("a5", "anggota", None, "awaiting_confirmation"),
    person("a6", "anggota", None, "inactive"),
]
PEOPLE = [{"id": a["id"], "role": a["role"], "work_unit": a["work_unit"]} for a in ACCOUNTS if a["state"] == "active"]
BY_ID = {a["id"]: a for a in ACCOUNTS}

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=24)
MAYBE_TEXT = st.none() | TEXT
# Between two units of work: often moments, sometimes days (deadlines pass), never backwards.
PAUSES = st.one_of(st.integers(0, 90).map(lambda s: timedelta(seconds=s)),
                   st.integers(1, 600).map(lambda m: timedelta(minutes=m)),
                   st.integers(1, 12).map(lambda d: timedelta(days=d)))


class Store(Protocol):
    def save(self, case: Case, at: datetime) -> list[Recorded]: ...

    def load(self, case_id: str) -> Case | None: ...


def state(case: Case) -> dict[str, Any]:
    return {f.name: copy.deepcopy(getattr(case, f.name)) for f in fields(case)}


def differences(replayed: Case | None, live: Case) -> dict[str, tuple[Any, Any]]:
    if replayed is None:
        return {"case": (None, "the live case")}
    a, b = state(replayed), state(live)
    return {name: (a[name], b[name]) for name in a if a[name] != b[name]}


# --- what may happen next ------------------------------------------------------------------------


def openings() -> st.SearchStrategy[ev.CaseOpened]:
    public = st.builds(lambda identity, contact: ev.CaseOpened(
        case_number="NTR-2026-00001", source="public", complaint_id=str(uuid.uuid4()), opened_at=START.isoformat(),
        reported={"name": "Budi", "nip": "198703152010011002", "work_unit": REPORTED_UNIT},
        platform="facebook", post_urls=["https://www.facebook.com/budi/posts/1"], account_handle="budi",
        occurred_at="2026-10-30T09:30:00+07:00", violation_types=["share", "like_comment"],
        description="Membagikan unggahan kampanye.",
        reporter={"anonymous": not identity, "identity_sealed": identity, "contact_consent": contact}),
        st.sampled_from([True, True, True, False]), st.booleans())
    team = st.just(ev.CaseOpened(
        case_number="NTR-2026-00002", source="team", complaint_id=None, opened_at=START.isoformat(),
        reported={"name": "Sari", "nip": None, "work_unit": "Bappeda"}, platform="tiktok", post_urls=[],
        account_handle=None, occurred_at="2026-10-31T20:00:00+07:00", violation_types=["post_support"],
        description="Mengunggah video kampanye.", reporter={"anonymous": True, "identity_sealed": False,
                                                            "contact_consent": False}, actor=dict(PEOPLE[0])))
    return st.one_of(public, public, team)


def may_run(actor: dict, command: str, case: Case) -> bool:
    """What the API's gate and the assignee rule let through to the case (the case decides the rest),
    as the table of commands says."""
    row = COMMANDS[command]
    if actor["role"] not in row.roles:
        return False
    return not (actor["role"] == "anggota" and row.assignee_only and case.assignee_id != actor["id"])


def _request_ids(case: Case) -> st.SearchStrategy[str]:
    """Mostly a request waiting for a decision; sometimes one decided already, or none at all."""
    pending = [i for i, d in case.disclosures.items() if d.state == "pending"]
    return st.sampled_from([*pending * 4, *case.disclosures, "no-such-request"])


def _account(user_id: str | None) -> dict | None:
    return dict(BY_ID[user_id]) if user_id in BY_ID else None


def command_arguments(data: st.DataObject, case: Case, command: str, at: datetime) -> dict:  # noqa: C901
    draw = data.draw
    match command:
        case "assign":
            assignee = draw(st.sampled_from([a for a in ACCOUNTS if a["role"] in ("ketua", "sekretaris", "anggota")
                                             and a["state"] == "active"]))
            return {"assignee_id": assignee["id"], "assignee_name": assignee["name"],
                    "assignee_work_unit": assignee["work_unit"]}
        case "request_clarification":
            return {"question": draw(TEXT), "message_id": str(uuid.uuid4())}
        case "resume_verification" | "reject_proposal":
            return {"note": draw(TEXT)}
        case "propose_violation":
            return {"finding": draw(TEXT), "legal_basis": draw(TEXT),
                    "sanction_level": draw(st.sampled_from([*SANCTION_LEVELS, "bukan_tingkat"]))}
        case "dismiss":
            return {"reason": draw(st.sampled_from([*DISMISSAL_REASONS, "bosan"])), "note": draw(MAYBE_TEXT),
                    "duplicate_of": draw(st.sampled_from([None, "NTR-2026-00007"]))}
        case "record_sanction":
            return {"sanction_type": draw(st.sampled_from(list(SANCTION_TYPES))), "decree_number": draw(TEXT),
                    "decree_date": "2026-12-01", "note": draw(MAYBE_TEXT)}
        case "close":
            return {"note": draw(MAYBE_TEXT)}
        case "reopen":
            return {"reason": draw(TEXT)}
        case "request_disclosure":
            # Mostly people who could read it, sometimes anyone at all.
            anyone = st.sampled_from([*ACCOUNTS, None])
            return {"request_id": str(uuid.uuid4()), "reason": draw(TEXT),
                    "recipient": draw(st.one_of(st.sampled_from([BY_ID[i] for i in ("k2", "s1", "a2", "b1")]), anyone))}
        case "approve_disclosure":
            request_id = draw(_request_ids(case))
            named = case.disclosures[request_id].request.recipient_id if request_id in case.disclosures else None
            return {"request_id": request_id, "recipient": _account(named),
                    "valid_until": at + timedelta(hours=draw(st.integers(1, 72)))}
        case "deny_disclosure":
            return {"request_id": draw(_request_ids(case)), "note": draw(TEXT)}
    return {}


# The commands that move a case along its path are drawn more often than the ones that end it or
# that any stage allows (disclosures), so that lives reach the late stages too.
ALONG_THE_PATH = ("assign", "start_verification", "request_clarification", "resume_verification",
                  "propose_violation", "confirm_violation", "reject_proposal", "forward_to_bkppd",
                  "record_sanction")


def weight(case: Case, command: str) -> int:
    waiting = any(d.state == "pending" for d in case.disclosures.values())
    if command == "assign" and case.assignee_id:
        return 1  # a reassignment now and then
    if waiting and command in ("approve_disclosure", "deny_disclosure"):
        return 8 if command == "approve_disclosure" else 2
    return 4 if command in ALONG_THE_PATH else 1


def team_command(data: st.DataObject, case: Case, at: datetime) -> Callable[[], object] | None:
    possible = [c.name for c in TEAM_COMMANDS if case.status in c.stages and any(may_run(p, c.name, case)
                                                                                  for p in PEOPLE)]
    if not possible:
        return None
    weighted = [c for c in possible for _ in range(weight(case, c))]
    command = data.draw(st.sampled_from(weighted), label="command")
    actor = data.draw(st.sampled_from([p for p in PEOPLE if may_run(p, command, case)]), label="actor")
    arguments = command_arguments(data, case, command, at)
    return lambda: getattr(case, command)(actor, **arguments, at=at)


def report(data: st.DataObject, case: Case, at: datetime) -> Callable[[], object]:
    """What intake and evidence say of the complaint; sometimes again (a redelivery)."""
    draw = data.draw
    approved = any(d.state == "approved" for d in case.disclosures.values())
    kind = draw(st.sampled_from(["evidence", "rejected", "viewed", "reply", "overdue",
                                 *["read_identity"] * (5 if approved else 1)]))
    evidence_id = draw(st.sampled_from(["e1", "e2", str(uuid.uuid4())]))
    if kind == "evidence":
        return lambda: case.attach_evidence(ev.EvidenceAttached(
            evidence_id=evidence_id, upload_id=f"u-{evidence_id}", sha256="ab" * 32, size=draw(st.integers(1, 10**7)),
            content_type="image/png", received_at=at.isoformat(),
            perceptual_hash=draw(st.sampled_from([None, "c517fae8b2635581"])), width=800, height=None), at=at)
    if kind == "rejected":
        return lambda: case.note_rejected_upload(ev.EvidenceRejected(
            upload_id=draw(st.sampled_from(["u9", "u10"])), reason_code="not_an_image"), at=at)
    if kind == "viewed":
        viewer = draw(st.sampled_from(PEOPLE))
        return lambda: case.record_view(ev.EvidenceViewed(
            evidence_id=evidence_id, copy="sanitized", member_id=viewer["id"], member_role=viewer["role"],
            purpose=draw(TEXT), grant_id=str(uuid.uuid4()), viewed_at=at.isoformat()), at=at)
    if kind == "reply":
        return lambda: case.record_reply(ev.ReporterReplied(
            message_id=draw(st.sampled_from(["r1", "r2", str(uuid.uuid4())])), body=draw(TEXT),
            replied_at=at.isoformat()), at=at)
    if kind == "overdue":
        return lambda: case.mark_overdue(CALENDAR, at=at)
    named = [d.request.recipient_id for d in case.disclosures.values() if d.state == "approved"]
    reader = draw(st.sampled_from([p for p in PEOPLE if p["role"] in PERMISSIONS["read_identity"]
                                   and (p["id"] in named or not named)]))
    return lambda: case.read_identity(reader, at=at)


# --- one life ------------------------------------------------------------------------------------


def play(data: st.DataObject, store: Store, max_steps: int = 40) -> Case:
    at = START
    live = Case.open(str(uuid.uuid4()), data.draw(openings(), label="opening"), at=at)
    store.save(live, at)
    for _ in range(data.draw(st.integers(0, max_steps), label="steps")):
        at += data.draw(PAUSES, label="pause")
        team_acts = data.draw(st.integers(0, 3), label="the team acts") > 0
        step = (team_command(data, live, at) if team_acts else None) or report(data, live, at)
        before = state(live)
        try:
            step()
        except DomainError:
            assert state(live) == before, "a refused command changed the case"
            continue
        store.save(live, at)
        replayed = store.load(live.case_id)
        assert not differences(replayed, live), differences(replayed, live)
    return live
