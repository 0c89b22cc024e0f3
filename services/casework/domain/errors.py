"""The domain's refusals, as types; casework's error table (api_errors.py) answers each with one
HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules refuse. `code` is stable; the message is for people."""

    code = "refused"

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
