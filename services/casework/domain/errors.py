"""The domain's refusals, as types; service.py maps each to one HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules refuse. `code` is stable; the message is for people."""

    code = "refused"
    # What kind of refusal it is, where a class says: "rule" (the request breaks a rule), "conflict"
    # (the state of things does not allow it now) or "role". The API maps each to one status.
    kind: str | None = None

    def __init__(self, message: dict[str, str], **details):
        super().__init__(message["en"])
        self.message = message
        self.details = details


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"

    def __init__(self, command: str, status: str, allowed: list[str]):
        allowed_text = ", ".join(allowed) if allowed else "-"
        super().__init__(
            {
                "id": f"Perintah '{command}' tidak dapat dijalankan pada tahap '{status}'. "
                      f"Perintah yang dapat dijalankan: {allowed_text}.",
                "en": f"Command '{command}' is not allowed in state '{status}'. "
                      f"Allowed: {allowed_text}.",
            },
            command=command, status=status, allowed=allowed,
        )


class InvalidCommand(DomainError):
    code = "invalid_command"


class StaleVersion(Exception):
    """Someone else changed the case first: the command was decided on an old version."""

    def __init__(self, expected: int, current: int):
        super().__init__(f"expected version {expected}, current version {current}")
        self.expected = expected
        self.current = current
