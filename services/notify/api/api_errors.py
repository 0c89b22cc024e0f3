"""notify's error table (docs/decisions/0013), consulted by its entrypoints (NotifyService.errors).

It is empty, and that is a decision, not an omission: notify has no door that asks anyone for
anything (GET /healthz alone), so none of its exceptions is ever a caller's answer. Its delivery
failures are judged by domain/retry.RetryPolicy (try again, or park with the reason), and an event
for someone it has not heard of yet (planning.NotKnownYet) goes back to the bus to be retried.
tests/unit/test_service_errors.py names each of them, and fails for a new one until someone
decides whether a caller could ever see it.
"""

from __future__ import annotations

from netra_common.error_table import ErrorTable

ERRORS = ErrorTable()
