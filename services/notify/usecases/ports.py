"""What notify's planning asks the outside world, as a typed port (typing.Protocol): whom it can
write to. adapters/recipients.py answers from PostgreSQL (PostgresRecipients); the unit tests answer
from memory, so who hears what of each event is tested in milliseconds."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Protocol


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
