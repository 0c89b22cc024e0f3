"""intake's OpenAPI document tells the truth: it names every route intake serves (but its web pages),
and schemathesis, with every check and every phase, finds nothing against the running service (a
stack of its own, scratch_stack: what it files stays out of the other tests' way)."""

from __future__ import annotations

import pytest
import requests

from services.intake.service import IntakeService
from tests.support.contract import examples, operations_tested, schemathesis_run, summary
from tests.support.routes import served

# make contract draws the full number; make test fewer, to keep within its time (contract.examples)
EXAMPLES_PER_OPERATION = examples(full=25, quick=10)
# The portal, its files, the readable API page and the document itself: pages, not the API.
PAGES = {("get", "/"), ("get", "/static/{filename}"), ("get", "/docs"), ("get", "/openapi.json")}


def test_the_document_names_every_route_intake_serves_and_no_other(stack):
    spec = requests.get(f"{stack.settings.url('intake')}/openapi.json", timeout=10).json()
    documented = {(method, path) for path, operations in spec["paths"].items() for method in operations}
    assert served(IntakeService) - PAGES == documented


@pytest.fixture
def lookups_unlimited(scratch_stack):
    """Generated lookups all come from 127.0.0.1: let them be answered rather than all waited (429)."""
    scratch_stack.restart_service("intake", {"NETRA_LOOKUP_ALLOWED": "1000000", "NETRA_SUBMIT_ALLOWED": "1000000"})
    yield
    scratch_stack.restart_service("intake")


@pytest.mark.timeout(1500)
def test_schemathesis_with_every_check_finds_nothing(scratch_stack, test_output, lookups_unlimited):
    done = schemathesis_run(f"{scratch_stack.settings.url('intake')}/openapi.json",
                            workdir=test_output / "schemathesis",
                            examples=EXAMPLES_PER_OPERATION)
    assert done.returncode == 0, summary(done)
    assert operations_tested(done) == len(served(IntakeService) - PAGES)
