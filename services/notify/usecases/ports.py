"""What notify's use cases ask the outside world, as typed ports (typing.Protocol): whom planning can
write to (Recipients), where recording, delivering and digests keep their deliveries (NotifyStore),
and what hands a message over (Sender). adapters/recipients.py, adapters/notify_store.py and
adapters/senders.py are the real ones; tests/support/fake_notify.py keeps them in memory, so who
hears what, "once per recipient and event" and the digest rules are tested in milliseconds."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from netra_common.contracts.envelope import Envelope


class Member(Protocol):
    """A team member as casework last told notify of them."""

    @property
    def user_id(self) -> uuid.UUID: ...
    @property
    def full_name(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def notify_mode(self) -> str: ...


class ReporterContact(Protocol):
    """A complaint notify has heard of: its reporter's sealed contact, None for nobody to write to."""

    @property
    def sealed_contact(self) -> str | None: ...


class Recipients(Protocol):
    def reachable_members(self, roles: Iterable[str]) -> Sequence[Member]:
        """Active members with an e-mail address, of these roles."""
        ...

    def member(self, user_id: object) -> Member | None: ...

    def reporter_contact(self, complaint_id: object) -> ReporterContact | None: ...

    def reporter_hears(self, complaint_id: object, milestone: str, case_version: int | None) -> bool:
        """Keep `milestone` as the last news of the complaint (the case at `case_version`) and say
        whether it is news to the reporter: False when it is what they last heard, or when a later
        change was already kept (an event arriving late). Holds the complaint's row until the
        transaction ends, so two changes of one case are judged one after the other."""
        ...


# --- recording, delivering and digests (docs/decisions/0014) ----------------------------------


class Delivery(Protocol):
    """A message planned for one recipient of one event, as the deliveries table holds it."""

    @property
    def delivery_id(self) -> uuid.UUID: ...
    @property
    def recipient(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def attempts(self) -> int: ...
    @property
    def address(self) -> str | None: ...
    @property
    def address_sealed(self) -> str | None: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def body_text(self) -> str | None: ...
    @property
    def body_html(self) -> str | None: ...
    @property
    def payload(self) -> dict[str, Any] | None: ...
    @property
    def event_id(self) -> uuid.UUID: ...
    @property
    def message_id(self) -> str | None: ...


class RecordingUnit(Protocol):
    """One event's unit of work: the members and complaints it tells of, and a delivery per message
    it calls for, commit together with the record that the event was handled, or none do."""

    recipients: Recipients

    def first_delivery(self) -> bool: ...

    def add_delivery(self, **values: Any) -> uuid.UUID | None:
        """A new delivery; None if the event already has one for this recipient and channel."""
        ...

    def remember_complaint(self, complaint_id: str, sealed_contact: str | None) -> None: ...

    def remember_member(self, row: Mapping[str, Any]) -> None: ...


class DeliveryUnit(Protocol):
    """One transaction over the deliveries: a due one locked while it is handed over (so two workers
    cannot both send it), the queued ones folded into digests."""

    recipients: Recipients

    def next_due(self, now: datetime, delivery_id: uuid.UUID | None = None) -> Delivery | None: ...

    def case_key(self, key_id: uuid.UUID) -> bytes | None:
        """The case key that wraps a reporter's contact (docs/decisions/0037); None once destroyed."""
        ...

    def record_attempt(self, row: Delivery, attempt: int, at: datetime, values: dict[str, Any]) -> None: ...

    def queued_until(self, cutoff: datetime) -> Sequence[Delivery]:
        """What waits for a digest, queued by `cutoff`, in recipient order."""
        ...

    def give_up(self, ids: list[uuid.UUID], why: str) -> None: ...

    def claim_digest(self, recipient: str, now: datetime, cutoff: datetime, force: bool) -> bool:
        """Record this recipient's digest as made; False if one was made since `cutoff` (unless force)."""
        ...

    def add_digest(self, recipient: str, address: str, subject: str, text: str, html: str | None,
                   folded: list[uuid.UUID], now: datetime) -> uuid.UUID: ...


class NotifyStore(Protocol):
    def unit_of_work(self, cause: Envelope) -> AbstractContextManager[RecordingUnit]: ...

    def deliveries(self) -> AbstractContextManager[DeliveryUnit]: ...


class Sender(Protocol):
    """What hands a message over: raises TemporaryFailure, DeliveryRefused or LocalFailure."""

    def send_mail(self, address: str, subject: str | None, text: str, html: str | None,
                  message_id: str | None) -> None: ...

    def post_webhook(self, payload: dict[str, Any] | None, event_id: str) -> None: ...
