"""Random valid lives of a case, for the property that replaying its stored events gives exactly the
live case: every team command (by the people the permission matrix and the assignee rule let run
it), what other services report (evidence, views, the reporter's replies), deadlines passing,
disclosures asked, decided and read, and time moving forward between units of work.

`play` runs one life on a live case through a store (a unit of work per step, with that step's
time) and checks after each step that the stored events replay to the live case, field by field,
and that a command the rules refuse leaves the case exactly as it was. Its choices come from a
`Chooser`: hypothesis's data (`Drawn`, which explores and shrinks) or a seeded random generator
(`Seeded`, the same lives every run whatever else the test session imported).
"""

from __future__ import annotations

import copy
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

from netra_common.contracts.reference import SANCTION_LEVELS, SANCTION_TYPES
from services.casework.domain import events as ev
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case, Recorded
from services.casework.domain.commands import COMMANDS, TEAM_COMMANDS
from services.casework.domain.errors import DomainError
from services.casework.domain.lifecycle import DISMISSAL_REASONS
from services.casework.domain.permissions import PERMISSIONS
from services.casework.domain.retention import HOLD_REASONS, OUTCOMES, Schedule

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

T = TypeVar("T")
# Any text a person could type (no control characters, which the API refuses, nor lone surrogates).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=24)
LETTERS = "aeiou bkmnrst AEIOU éñçü 你好 ٱلعربية 🙂'\"\\/<>&%"


class Chooser(Protocol):
    def pick(self, options: Sequence[T], label: str = "") -> T: ...

    def number(self, low: int, high: int, label: str = "") -> int: ...

    def words(self) -> str: ...


class Drawn:
    """Choices drawn from hypothesis's data: explored, and shrunk to the smallest life that fails."""

    def __init__(self, data: st.DataObject):
        self.data = data

    def pick(self, options: Sequence[T], label: str = "") -> T:
        return self.data.draw(st.sampled_from(list(options)), label=label or None)

    def number(self, low: int, high: int, label: str = "") -> int:
        return self.data.draw(st.integers(low, high), label=label or None)

    def words(self) -> str:
        return self.data.draw(TEXT)


class Seeded:
    """Choices from a seeded random generator: the same lives every run."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, options: Sequence[T], label: str = "") -> T:
        return self.rng.choice(list(options))

    def number(self, low: int, high: int, label: str = "") -> int:
        return self.rng.randint(low, high)

    def words(self) -> str:
        return "".join(self.rng.choice(LETTERS) for _ in range(self.rng.randint(1, 24)))


def maybe_words(c: Chooser) -> str | None:
    return c.words() if c.pick([True, False]) else None


def pause(c: Chooser) -> timedelta:
    """Between two units of work: often moments, sometimes days (deadlines pass), never backwards."""
    unit = c.pick(["seconds", "minutes", "days"], "pause")
    return timedelta(**{unit: c.number(*{"seconds": (0, 90), "minutes": (1, 600), "days": (1, 12)}[unit])})



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


def opening(c: Chooser) -> ev.CaseOpened:
    if c.pick(["public", "public", "team"], "source") == "team":
        return ev.CaseOpened(
            case_number="NTR-2026-00002", source="team", complaint_id=None, opened_at=START.isoformat(),
            reported={"name": "Sari", "nip": None, "work_unit": "Bappeda"}, platform="tiktok", post_urls=[],
            account_handle=None, occurred_at="2026-10-31T20:00:00+07:00", violation_types=["post_support"],
            description="Mengunggah video kampanye.", actor=dict(PEOPLE[0]),
            reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False})
    identity = c.pick([True, True, True, False], "identity on file")
    return ev.CaseOpened(
        case_number="NTR-2026-00001", source="public", complaint_id=str(uuid.uuid4()), opened_at=START.isoformat(),
        reported={"name": "Budi", "nip": "198703152010011002", "work_unit": REPORTED_UNIT},
        platform="facebook", post_urls=["https://www.facebook.com/budi/posts/1"], account_handle="budi",
        occurred_at="2026-10-30T09:30:00+07:00", violation_types=["share", "like_comment"],
        description="Membagikan unggahan kampanye.",
        reporter={"anonymous": not identity, "identity_sealed": identity, "contact_consent": c.pick([True, False])})


def may_run(actor: dict, command: str, case: Case) -> bool:
    """What the API's gate and the assignee rule let through to the case (the case decides the rest),
    as the table of commands says."""
    row = COMMANDS[command]
    if actor["role"] not in row.roles:
        return False
    return not (actor["role"] == "anggota" and row.assignee_only and case.assignee_id != actor["id"])


def request_id(c: Chooser, case: Case) -> str:
    """Mostly a request waiting for a decision; sometimes one decided already, or none at all."""
    pending = [i for i, d in case.disclosures.items() if d.state == "pending"]
    return c.pick([*pending * 4, *case.disclosures, "no-such-request"], "request")


def _account(user_id: str | None) -> dict | None:
    return dict(BY_ID[user_id]) if user_id in BY_ID else None


TEAM_ACCOUNTS = [a for a in ACCOUNTS if a["role"] in ("ketua", "sekretaris", "anggota") and a["state"] == "active"]
# A disclosure mostly names someone who could read it, sometimes anyone at all (or no account).
RECIPIENTS = [*[BY_ID[i] for i in ("k2", "s1", "a2", "b1")] * 3, *ACCOUNTS, None]


def command_arguments(c: Chooser, case: Case, command: str, at: datetime) -> dict:  # noqa: C901
    match command:
        case "assign":
            assignee = c.pick(TEAM_ACCOUNTS, "assignee")
            return {"assignee_id": assignee["id"], "assignee_name": assignee["name"],
                    "assignee_work_unit": assignee["work_unit"]}
        case "request_clarification":
            return {"question": c.words(), "message_id": str(uuid.uuid4())}
        case "resume_verification" | "reject_proposal":
            return {"note": c.words()}
        case "propose_violation":
            return {"finding": c.words(), "legal_basis": c.words(),
                    "sanction_level": c.pick([*SANCTION_LEVELS, "bukan_tingkat"], "level")}
        case "dismiss":
            return {"reason": c.pick([*DISMISSAL_REASONS, "bosan"], "reason"), "note": maybe_words(c),
                    "duplicate_of": c.pick([None, "NTR-2026-00007"], "duplicate of")}
        case "record_sanction":
            return {"sanction_type": c.pick(list(SANCTION_TYPES), "sanction"), "decree_number": c.words(),
                    "decree_date": "2026-12-01", "note": maybe_words(c)}
        case "close":
            return {"note": maybe_words(c)}
        case "reopen":
            return {"reason": c.words()}
        case "request_disclosure":
            return {"request_id": str(uuid.uuid4()), "reason": c.words(), "recipient": c.pick(RECIPIENTS, "recipient")}
        case "approve_disclosure":
            asked = request_id(c, case)
            named = case.disclosures[asked].request.recipient_id if asked in case.disclosures else None
            return {"request_id": asked, "recipient": _account(named),
                    "valid_until": at + timedelta(hours=c.number(1, 72, "hours"))}
        case "deny_disclosure":
            return {"request_id": request_id(c, case), "note": c.words()}
        case "place_legal_hold":
            return {"reason": c.pick([*HOLD_REASONS, "bosan"], "hold reason"), "note": c.words()}
        case "lift_legal_hold":
            return {"note": c.words()}
    return {}


PURGE_AT_ONCE = Schedule.from_data({"periods": {o: {"years": 0, "reason": "lives"} for o in OUTCOMES},
                                    "after_hold_days": 0})


# The commands that move a case along its path are drawn more often than the ones that end it or
# that any stage allows (disclosures), so that lives reach the late stages too.
ALONG_THE_PATH = ("assign", "start_verification", "request_clarification", "resume_verification",
                  "propose_violation", "confirm_violation", "reject_proposal", "forward_to_bkppd",
                  "record_sanction")


def weight(case: Case, command: str) -> int:
    """How often a command is drawn among those possible: the path's steps and a disclosure's steps
    (on a case with an identity, once asked) more often than a reassignment or an ending."""
    waiting = any(d.state == "pending" for d in case.disclosures.values())
    if command == "assign" and case.assignee_id:
        return 1  # a reassignment now and then
    if command == "request_disclosure" and (case.facts.reporter or {}).get("identity_sealed"):
        return 1 if waiting else 3
    if waiting and command in ("approve_disclosure", "deny_disclosure"):
        return 8 if command == "approve_disclosure" else 3
    return 4 if command in ALONG_THE_PATH else 1


def team_command(c: Chooser, case: Case, at: datetime) -> Callable[[], object] | None:
    possible = [t.name for t in TEAM_COMMANDS if case.status in t.stages and any(may_run(p, t.name, case)
                                                                                  for p in PEOPLE)]
    if not possible:
        return None
    command = c.pick([name for name in possible for _ in range(weight(case, name))], "command")
    actor = c.pick([p for p in PEOPLE if may_run(p, command, case)], "actor")
    arguments = command_arguments(c, case, command, at)
    return lambda: getattr(case, command)(actor, **arguments, at=at)


def report(c: Chooser, case: Case, at: datetime) -> Callable[[], object]:
    """What intake and evidence say of the complaint; sometimes again (a redelivery)."""
    asked = case.status == "clarification_requested"  # the reporter is more likely to write now
    awaited = case.status == "forwarded_to_bkppd" or case.sanction is not None  # BKPPD's SK may come in
    kind = c.pick(["evidence", "rejected", "viewed", *["reply"] * (4 if asked else 1), "overdue", "read_identity",
                   *["decree"] * (3 if awaited else 1), *(["decree_viewed"] * 2 if case.decrees else []),
                   *(["purge"] if case.decided_at and not case.purged else [])], "report")
    if kind == "purge":  # the retention run, under a schedule that keeps nothing past the decision
        return lambda: case.purge(PURGE_AT_ONCE, [], at=at)
    evidence_id = c.pick(["e1", "e2", str(uuid.uuid4())], "evidence")
    if kind == "evidence":
        attached = ev.EvidenceAttached(
            evidence_id=evidence_id, upload_id=f"u-{evidence_id}", sha256="ab" * 32, size=c.number(1, 10**7),
            content_type="image/png", received_at=at.isoformat(),
            perceptual_hash=c.pick([None, "c517fae8b2635581"]), width=800, height=None)
        return lambda: case.attach_evidence(attached, at=at)
    if kind == "rejected":
        rejected = ev.EvidenceRejected(upload_id=c.pick(["u9", "u10"]), reason_code="not_an_image")
        return lambda: case.note_rejected_upload(rejected, at=at)
    if kind == "viewed":
        viewer = c.pick(PEOPLE, "viewer")
        viewed = ev.EvidenceViewed(evidence_id=evidence_id, copy="sanitized", member_id=viewer["id"],
                                   member_role=viewer["role"], purpose=c.words(), grant_id=str(uuid.uuid4()),
                                   viewed_at=at.isoformat())
        return lambda: case.record_view(viewed, at=at)
    if kind == "reply":
        reply = ev.ReporterReplied(message_id=c.pick(["r1", "r2", str(uuid.uuid4())], "message"), body=c.words(),
                                   replied_at=at.isoformat())
        return lambda: case.record_reply(reply, at=at)
    if kind == "overdue":
        return lambda: case.mark_overdue(CALENDAR, at=at)
    if kind == "decree_viewed":  # someone opens a kept SK again (casework decided they may)
        kept, viewer = c.pick(case.decrees, "decree"), c.pick(PEOPLE, "viewer")
        viewed = ev.DecreeViewed(decree_id=kept.decree_id, sha256=kept.sha256, purpose=c.words(),
                                 grant_id=str(uuid.uuid4()), actor=viewer)
        return lambda: case.record_decree_view(viewed, at=at)
    if kind == "decree":  # BKPPD hands in its SK as a PDF (refused by the case unless awaited or decided)
        decree = ev.DecreeAttached(decree_id=str(uuid.uuid4()), sha256="cd" * 32, size=c.number(1, 10**7),
                                   pages=c.number(1, 9), received_at=at.isoformat())
        bkppd = c.pick([p for p in PEOPLE if p["role"] == "bkppd"], "bkppd")
        return lambda: case.attach_decree(bkppd, decree, at=at)
    reader = c.pick([p for p in PEOPLE if p["role"] in PERMISSIONS["read_identity"]], "reader")
    return lambda: case.read_identity(reader, at=at)


def reading(c: Chooser, case: Case, at: datetime) -> Callable[[], object] | None:
    """The person an approved disclosure names reads the identity while it is valid."""
    named = [d.request.recipient_id for d in case.disclosures.values()
             if d.state == "approved" and datetime.fromisoformat(d.valid_until) > at]
    if not named:
        return None
    reader = next(p for p in PEOPLE if p["id"] == c.pick(named, "reader"))
    return lambda: case.read_identity(reader, at=at)


def next_step(c: Chooser, case: Case, at: datetime) -> Callable[[], object]:
    """Mostly the team acts; a named recipient reads while they may; otherwise other services report."""
    kind = c.pick(["team", "team", "team", "read", "report", "report"], "who acts")
    step = team_command(c, case, at) if kind == "team" else reading(c, case, at) if kind == "read" else None
    return step or report(c, case, at)


# --- one life ------------------------------------------------------------------------------------


def play(c: Chooser, store: Store, max_steps: int = 40) -> Case:
    at = START
    live = Case.open(str(uuid.uuid4()), opening(c), at=at)
    store.save(live, at)
    for _ in range(c.number(0, max_steps, "steps")):
        at += pause(c)
        step = next_step(c, live, at)
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
