"""casework's OpenAPI document tells the truth: it names every route of the team API, and
schemathesis, with every check and every phase (its stateful phase files cases and runs their
commands through the document's links), finds nothing, with a logged-in member's token.

Left out: logging out (it would end the token the run uses).
"""

from __future__ import annotations

import pytest
import requests

from services.casework.service import CaseworkService
from tests.conftest import enrol
from tests.support.contract import examples, operations_tested, schemathesis_run, summary
from tests.support.routes import served

# make contract draws the full number; make test fewer, to keep within its time (contract.examples)
EXAMPLES_PER_OPERATION = examples(full=12, quick=3)


def console_page(path: str) -> bool:
    """The team console's web pages (and `/`, which leads there) are not the API."""
    return path == "/" or path == "/console" or path.startswith("/console/")


def test_the_document_names_every_route_casework_serves_and_no_other(stack):
    spec = requests.get(f"{stack.settings.url('casework')}/openapi.json", timeout=10).json()
    documented = {(method, path) for path, operations in spec["paths"].items() for method in operations}
    api = {(method, path) for method, path in served(CaseworkService) if not console_page(path)}
    assert api - {("get", "/openapi.json")} == documented
    assert requests.get(f"{stack.settings.url('casework')}/console/", timeout=10).status_code == 200


@pytest.mark.timeout(1500)
def test_schemathesis_with_every_check_finds_nothing_with_a_members_token(scratch_stack, test_output):
    member = enrol(scratch_stack, "sekretaris.kontrak", "sekretaris", work_unit="Diskominfo")
    casework = scratch_stack.settings.url("casework")
    done = schemathesis_run(f"{casework}/openapi.json", workdir=test_output / "schemathesis",
                            examples=EXAMPLES_PER_OPERATION,
                            headers={"Authorization": member.session.headers["Authorization"]},
                            exclude_paths=("/api/v1/auth/logout",))
    assert done.returncode == 0, summary(done)
    documented = requests.get(f"{casework}/openapi.json", timeout=10).json()["paths"]
    assert operations_tested(done) == sum(len(operations) for operations in documented.values()) - 1  # logout
