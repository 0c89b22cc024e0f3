"""notify's deliveries, recipients and hand-over in memory (usecases/ports.py), for recording,
delivering and the digests in milliseconds.

It keeps what the PostgreSQL tables promise: one delivery per event, recipient and channel; only a
pending or retrying delivery that is due is handed over; a digest run per recipient, made again only
after the cutoff (or with force). A recording unit that raises leaves nothing behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from netra_common.contracts.envelope import Envelope
from tests.support.fake_rollback import undone_on_error


@dataclass(frozen=True)
class FakeMember:
    full_name: str
    role: str
    email: str | None = "anggota@bengkaliskab.go.id"
    active: bool = True
    notify_mode: str = "immediate"
    user_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class FakeContact:
    sealed_contact: str | None


@dataclass
class FakeDelivery:
    delivery_id: uuid.UUID
    event_id: uuid.UUID
    recipient: str
    channel: str
    kind: str
    status: str
    created_at: datetime
    address: str | None = None
    address_sealed: str | None = None
    subject: str | None = None
    body_text: str | None = None
    body_html: str | None = None
    payload: dict[str, Any] | None = None
    next_attempt_at: datetime | None = None
    message_id: str | None = None
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    case_id: uuid.UUID | None = None  # what the message was about, for a purge (notify_0010)
    complaint_id: uuid.UUID | None = None


def keep_news(news: dict[str, tuple[str, int | None]], complaint_id: object, milestone: str,
              case_version: int | None) -> bool:
    """What adapters/recipients.reporter_hears keeps, in a dict: complaint -> (last news, version)."""
    last, version = news.get(str(complaint_id), (None, None))
    if case_version is not None and version is not None and case_version <= version:
        return False
    news[str(complaint_id)] = (milestone, case_version)
    return last != milestone


class FakeRecipients:
    def __init__(self, store: FakeNotifyStore):
        self._store = store

    def reachable_members(self, roles: Iterable[str]) -> list[FakeMember]:
        wanted = set(roles)
        return [m for m in self._store.members.values() if m.active and m.email and m.role in wanted]

    def member(self, user_id: object) -> FakeMember | None:
        return next((m for m in self._store.members.values() if str(m.user_id) == str(user_id)), None)

    def reporter_contact(self, complaint_id: object) -> FakeContact | None:
        if str(complaint_id) not in self._store.contacts:
            return None
        return FakeContact(self._store.contacts[str(complaint_id)])

    def reporter_hears(self, complaint_id: object, milestone: str, case_version: int | None) -> bool:
        return keep_news(self._store.news, complaint_id, milestone, case_version)


class FakeRecordingUnit:
    def __init__(self, store: FakeNotifyStore, cause: Envelope):
        self._store = store
        self._cause = cause
        self.undo: list[Callable[[], None]] = []
        self.recipients = FakeRecipients(store)

    def first_delivery(self) -> bool:
        handled, event_id = self._store.handled, self._cause.event_id
        if event_id in handled:
            return False
        handled.add(event_id)
        self.undo.append(lambda: handled.discard(event_id))
        return True

    def add_delivery(self, **values: Any) -> uuid.UUID | None:
        once = (values["event_id"], values["recipient"], values["channel"])
        if any((d.event_id, d.recipient, d.channel) == once for d in self._store.deliveries_by_id.values()):
            return None
        delivery = FakeDelivery(created_at=self._store.clock(), **values)
        self._store.deliveries_by_id[delivery.delivery_id] = delivery
        self.undo.append(lambda: self._store.deliveries_by_id.pop(delivery.delivery_id))
        return delivery.delivery_id

    def remember_complaint(self, complaint_id: str, sealed_contact: str | None) -> None:
        self._store.contacts.setdefault(complaint_id, sealed_contact)

    def remember_member(self, row: Mapping[str, Any]) -> None:
        self._store.members[row["user_id"]] = FakeMember(
            row["full_name"], row["role"], row["email"], row["active"], row["notify_mode"], row["user_id"])


class FakeDeliveryUnit:
    def __init__(self, store: FakeNotifyStore):
        self._store = store
        self.recipients = FakeRecipients(store)

    def next_due(self, now: datetime, delivery_id: uuid.UUID | None = None) -> FakeDelivery | None:
        due = [d for d in self._store.deliveries_by_id.values()
               if d.status in ("pending", "retrying") and d.next_attempt_at is not None and d.next_attempt_at <= now
               and delivery_id in (None, d.delivery_id)]
        return min(due, key=lambda d: d.next_attempt_at or now, default=None)

    def case_key(self, key_id: uuid.UUID) -> bytes | None:
        return self._store.case_keys.get(key_id)

    def record_attempt(self, row: Any, attempt: int, at: datetime, values: dict[str, Any]) -> None:
        delivery = self._store.deliveries_by_id[row.delivery_id]
        delivery.attempts = attempt
        for name, value in values.items():
            setattr(delivery, name, value)
        self._store.attempts.append((row.delivery_id, attempt, values["status"], values["last_error"]))

    def queued_until(self, cutoff: datetime) -> list[FakeDelivery]:
        queued = [d for d in self._store.deliveries_by_id.values() if d.status == "queued" and d.created_at <= cutoff]
        return sorted(queued, key=lambda d: (d.recipient, d.created_at))

    def give_up(self, ids: list[uuid.UUID], why: str) -> None:
        for delivery_id in ids:
            delivery = self._store.deliveries_by_id[delivery_id]
            delivery.status, delivery.last_error, delivery.next_attempt_at = "dead", why, None

    def claim_digest(self, recipient: str, now: datetime, cutoff: datetime, force: bool) -> bool:
        last = self._store.digest_runs.get(recipient)
        if last is not None and not force and not last < cutoff:
            return False
        self._store.digest_runs[recipient] = now
        return True

    def add_digest(self, recipient: str, address: str, subject: str, text: str, html: str | None,
                   folded: list[uuid.UUID], now: datetime) -> uuid.UUID:
        delivery_id = uuid.uuid4()
        self._store.deliveries_by_id[delivery_id] = FakeDelivery(
            delivery_id, uuid.uuid4(), recipient, "email", "digest", "pending", created_at=now, address=address,
            subject=subject, body_text=text, body_html=html,
            next_attempt_at=datetime.now(UTC),  # the database's now(), as the real table has it
            message_id=f"<{delivery_id}@netra>")
        for folded_id in folded:
            self._store.deliveries_by_id[folded_id].status = "digested"
            self._store.deliveries_by_id[folded_id].sent_at = now
        return delivery_id


class FakeNotifyStore:
    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.clock = clock
        self.members: dict[uuid.UUID, FakeMember] = {}
        self.contacts: dict[str, str | None] = {}
        self.news: dict[str, tuple[str, int | None]] = {}
        self.handled: set[uuid.UUID] = set()
        self.deliveries_by_id: dict[uuid.UUID, FakeDelivery] = {}
        self.attempts: list[tuple[uuid.UUID, int, str, str | None]] = []
        self.digest_runs: dict[str, datetime] = {}
        self.case_keys: dict[uuid.UUID, bytes] = {}  # the key store, for wrapped contacts

    def add_member(self, member: FakeMember) -> FakeMember:
        self.members[member.user_id] = member
        return member

    def with_status(self, status: str) -> list[FakeDelivery]:
        return [d for d in self.deliveries_by_id.values() if d.status == status]

    @contextmanager
    def unit_of_work(self, cause: Envelope) -> Iterator[FakeRecordingUnit]:
        with undone_on_error(FakeRecordingUnit(self, cause)) as unit:
            yield unit

    @contextmanager
    def deliveries(self) -> Iterator[FakeDeliveryUnit]:
        yield FakeDeliveryUnit(self)


@dataclass
class FakeSender:
    """Hands nothing over: records what it was given, and fails with what `failures` holds first."""

    mails: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # address, subject, Message-ID
    posts: list[str] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    def send_mail(self, address: str, subject: str | None, text: str, html: str | None,
                  message_id: str | None) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.mails.append((address, subject, message_id))

    def post_webhook(self, payload: dict[str, Any] | None, event_id: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append(event_id)
