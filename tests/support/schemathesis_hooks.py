"""schemathesis hooks for the contract tests (loaded by path through SCHEMATHESIS_HOOKS).

BKPPD's decree door takes the file's own bytes as `application/pdf`; schemathesis sends such a body
as it sends any binary one."""

import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")
