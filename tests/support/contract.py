"""Runs schemathesis (`st run --checks all`) against a running service's OpenAPI document.

Every check schemathesis has, every phase (examples, coverage, fuzzing, and the stateful phase
that follows the document's links): each answer must be the one the document promises (status,
content type, headers, body), none may be a server error, a request the document calls invalid
must be refused and one it calls valid must not be refused as malformed, undocumented methods
get 405 with Allow. One setting (schemathesis.toml): 422 counts as accepting a valid request,
since 422 is how both APIs refuse what fits the document but breaks a rule it cannot state
(docs/decisions/0007).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMATHESIS = Path(sys.executable).with_name("st")


def examples(full: int, quick: int) -> int:
    """Examples per operation: `make test` draws `quick` ones, `make contract` (NETRA_CONTRACT=full)
    the `full` number. Every check and every phase run either way; more examples search deeper."""
    return full if os.environ.get("NETRA_CONTRACT") == "full" else quick


def schemathesis_run(document_url: str, *, workdir: Path, examples: int, headers: dict | None = None,
                     exclude_paths: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    args = [str(SCHEMATHESIS), "--config-file", str(HERE / "schemathesis.toml"), "--no-color", "run", document_url,
            "--checks", "all", "--max-examples", str(examples), "--workers", "1", "--generation-database", "none"]
    for name, value in (headers or {}).items():
        args += ["--header", f"{name}: {value}"]
    for path in exclude_paths:
        args += ["--exclude-path", path]
    workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(args, cwd=workdir, capture_output=True, text=True, timeout=1500,
                          env={**os.environ, "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py")})


def summary(done: subprocess.CompletedProcess) -> str:
    """What schemathesis found (its FAILURES section onwards), for an assertion message."""
    out = done.stdout + done.stderr
    start = out.find("FAILURES")
    return out[start - 40:] if start >= 0 else out[-6000:]


def operations_tested(done: subprocess.CompletedProcess) -> int:
    found = re.search(r"Tested: (\d+)", done.stdout)
    return int(found[1]) if found else 0
