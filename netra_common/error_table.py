"""One table per service from the exceptions its use cases raise to the answer the caller gets.

A service names its table as the class attribute `errors` (an `ErrorTable`); the HTTP entrypoints
(netra_common.http) and the RPC entrypoints (netra_common.bus.rpc) look every exception a worker
raised up in it (`table_of`), by class and then by each base class in turn, and answer the `ApiError` the entry
makes. A door then raises the domain's own exceptions and catches none of them: no try/except
ladders, and one place that says which refusal is which status (docs/decisions/0013).

    ERRORS = ErrorTable()
    ERRORS.refusal(409, TransitionNotAllowed, StaleAccount)        # its code, message and details
    ERRORS.fixed(CASE_NOT_FOUND, CaseNotFound)                      # always this answer
    ERRORS.answer_with(too_many, TooManyAttempts)                   # a function of the exception

`unlisted` names the subclasses of a family (a domain's error base classes) that have no entry of
their own, for a test that fails when a new error is added without deciding its answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from netra_common.errors import ApiError

Answer = Callable[[Any], ApiError]


class ErrorTable:
    def __init__(self) -> None:
        self._answers: dict[type[BaseException], Answer] = {}

    def answer_with(self, answer: Answer, *kinds: type[BaseException]) -> None:
        """Each of `kinds` is answered by `answer(exc)`."""
        for kind in kinds:
            if kind in self._answers:
                raise ValueError(f"{kind.__qualname__} is in the error table twice")
            self._answers[kind] = answer

    def fixed(self, error: ApiError, *kinds: type[BaseException]) -> None:
        """Each of `kinds` is answered by `error`, whatever it says."""
        self.answer_with(lambda exc: error, *kinds)

    def refusal(self, status: int, *kinds: type[BaseException]) -> None:
        """Each of `kinds` says its own `code`, `message` ({"id", "en"}) and `details`: answered with
        `status`."""
        self.answer_with(lambda exc: ApiError(status, exc.code, exc.message, details=exc.details or None), *kinds)

    @property
    def kinds(self) -> tuple[type[BaseException], ...]:
        return tuple(self._answers)

    def answer(self, exc: BaseException) -> ApiError | None:
        """The answer for `exc`: its class's entry, else its nearest base class's; None if no entry."""
        if isinstance(exc, ApiError):
            return exc
        for kind in type(exc).__mro__:
            if kind in self._answers:
                return self._answers[kind](exc)
        return None

    def translate(self, exc: BaseException) -> BaseException:
        """The ApiError the table answers for `exc`, or `exc` itself (a fault, not a refusal)."""
        return self.answer(exc) or exc

    def unlisted(self, families: Iterable[type[BaseException]], module_prefix: str = "") -> list[type]:
        """The classes of these families (the bases and all their subclasses, from modules under
        `module_prefix`) that have no entry of their own."""
        found: list[type] = []
        waiting = list(families)
        while waiting:
            kind = waiting.pop()
            waiting.extend(kind.__subclasses__())
            if kind.__module__.startswith(module_prefix) and kind not in self._answers and kind not in found:
                found.append(kind)
        return sorted(found, key=lambda kind: f"{kind.__module__}.{kind.__qualname__}")


NO_ERRORS = ErrorTable()


def table_of(service_cls: type) -> ErrorTable:
    """A service's table (its `errors` attribute), or an empty one."""
    table = getattr(service_cls, "errors", None)
    return table if isinstance(table, ErrorTable) else NO_ERRORS
