"""After an experiment: wait for quiet, then count from every store what became of each filing."""

from __future__ import annotations

import email
import time
from dataclasses import asdict, dataclass
from email.utils import getaddresses

from kombu import Connection
from sqlalchemy import text

from netra_common.bus import topology
from tests.chaos.clients import Filing

OUTBOXES = ("intake", "evidence", "casework", "notify")


@dataclass
class Counts:
    filed: int
    acked: int
    complaints: int
    cases: int
    evidence: int
    mails: int
    mail_copies: int  # copies of those mails the sink took: more than `mails` after a resend
    parked: int
    parked_other: int  # parked messages that are not this run's poison
    lost: int  # acknowledged, yet missing from intake, casework or evidence
    duplicated: int  # complaints (or cases) kept more than once for one filing
    kept_unacked: int  # kept although the client gave up without a tracking code
    quiet_after: float | None
    lost_markers: list[str]

    def as_dict(self) -> dict:
        return asdict(self)


def _per_marker(conn, markers: list[str]) -> dict[str, list[str]]:
    """Each marker's complaint ids in intake."""
    rows = conn.execute(text(
        "SELECT substring(document->>'description' from 'Penanda ([^ .]+)') AS marker, complaint_id "
        "FROM intake.complaints WHERE substring(document->>'description' from 'Penanda ([^ .]+)') = ANY(:m)"),
        {"m": markers}).all()
    found: dict[str, list[str]] = {}
    for marker, complaint_id in rows:
        found.setdefault(marker, []).append(str(complaint_id))
    return found


def _cases(conn, complaint_ids: list[str]) -> dict[str, int]:
    rows = conn.execute(text("SELECT data->>'complaint_id', count(*) FROM casework.events "
                             "WHERE event_type = 'case_opened' AND data->>'complaint_id' = ANY(:c) GROUP BY 1"),
                        {"c": complaint_ids}).all()
    return dict(rows)


def _evidence(conn, complaint_ids: list[str]) -> dict[str, int]:
    rows = conn.execute(text("SELECT CAST(complaint_id AS text), count(*) FROM evidence.items "
                             "WHERE CAST(complaint_id AS text) = ANY(:c) GROUP BY 1"), {"c": complaint_ids}).all()
    return dict(rows)


def _unsent(conn) -> int:
    """Events not yet relayed, and mails notify has still to send."""
    events = sum(conn.execute(text(f"SELECT count(*) FROM {schema}.outbox WHERE sent_at IS NULL")).scalar_one()  # noqa: S608
                 for schema in OUTBOXES)
    return events + conn.execute(text("SELECT count(*) FROM notify.deliveries "
                                      "WHERE status IN ('pending', 'retrying')")).scalar_one()


def mails_to(mail_dir, addresses: set[str]) -> tuple[int, int]:
    """Distinct mails (by Message-ID) and every copy the sink took. notify hands a mail over
    before it records it sent (decision 0003): a database lost in between sends it again, with
    the same Message-ID, which mail clients take as one message."""
    ids, copies = set(), 0
    for path in mail_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        if any(address in addresses for _, address in getaddresses(message.get_all("To") or [])):
            ids.add(message["Message-ID"] or path.name)
            copies += 1
    return len(ids), copies


def in_flight(bus) -> int:
    """Messages waiting in the bus's main and retry queues (not yet taken by a consumer)."""
    with Connection(bus.amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        return sum(channel.queue_declare(queue=q.name, passive=True)[1] for q in topology.all_queues(bus)
                   if not q.name.endswith(".dead"))


def settled(fs, filings: list[Filing]) -> bool:
    """Every acknowledged filing has its case, its screenshot and its reporter's mail; no outbox
    holds an event, no queue a message, and notify has no mail still to send."""
    acked = [f.marker for f in filings if f.acked]
    with fs.db.connect() as conn:
        found = _per_marker(conn, acked)
        ids = [i for ids in found.values() for i in ids]
        cases, evidence = _cases(conn, ids), _evidence(conn, ids)
        unsent = _unsent(conn)
    if unsent or len(found) < len(acked) or not all(cases.get(i) and evidence.get(i) for i in ids):
        return False
    mails, _ = mails_to(fs.settings.mail_dir, {f.email for f in filings})
    return mails >= len(ids) and in_flight(fs.direct_bus) == 0


def wait_for_quiet(fs, filings: list[Filing], timeout: float) -> float | None:
    """Seconds until settled (and still so two seconds later), or None after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if settled(fs, filings):
                time.sleep(2)
                if settled(fs, filings):
                    return round(time.monotonic() - started, 1)
        except Exception as exc:  # noqa: BLE001 - a store may still be coming back; keep waiting
            fs.say(f"  (still waiting: {type(exc).__name__})")
        time.sleep(1)
    return None


def count(fault_stack, filings: list[Filing], poison, every_poison: list, quiet_after: float | None) -> Counts:
    """`poison`: what this experiment sent (or None); `every_poison`: what the run sent so far,
    still parked and not held against a later experiment."""
    markers = [f.marker for f in filings]
    with fault_stack.db.connect() as conn:
        found = _per_marker(conn, markers)
        ids = [i for ids in found.values() for i in ids]
        cases, evidence = _cases(conn, ids), _evidence(conn, ids)
    letters = fault_stack.dead_letters()
    mails, copies = mails_to(fault_stack.settings.mail_dir, {f.email for f in filings})
    ours = [d for d in letters if poison is not None and poison.is_ours(d)]
    known = [d for d in letters if any(p.is_ours(d) for p in every_poison)]
    lost = [f.marker for f in filings if f.acked and not (
        (kept := found.get(f.marker)) and all(cases.get(i) and evidence.get(i) for i in kept))]
    duplicated = sum(len(kept) - 1 for kept in found.values()) + sum(n - 1 for n in cases.values())
    return Counts(
        filed=len(filings), acked=sum(f.acked for f in filings), complaints=len(ids),
        cases=sum(cases.values()), evidence=sum(evidence.values()),
        mails=mails, mail_copies=copies,
        parked=len(ours), parked_other=len(letters) - len(known), lost=len(lost), duplicated=duplicated,
        kept_unacked=sum(1 for f in filings if not f.acked and f.marker in found), quiet_after=quiet_after,
        lost_markers=lost)
