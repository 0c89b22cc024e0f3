"""casework's OpenAPI document: it names every route the service has, and the team API answers
as it promises (schemathesis, bounded examples, with a throw-away member's token).

Left out: logging in and out (generated passwords would lock real accounts; a logout would end
the token the run uses), and "schema-valid data must be accepted" (a valid-looking command on
a case that does not exist is rightly a 404).
"""

from __future__ import annotations

import re
from pathlib import Path

import requests
import schemathesis

from services.casework.schemas import COMMAND_BODIES
from tests.conftest import enrol
from tests.support.contract import every_answer_as_documented

EXAMPLES_PER_OPERATION = 15
CASEWORK = Path(__file__).resolve().parents[2] / "services" / "casework"


def console_page(path: str) -> bool:
    """The team console's web pages (and `/`, which leads there) are not the API."""
    return path == "/" or path == "/console" or path.startswith("/console/")


def routes_in_the_service() -> set[tuple[str, str]]:
    routes = set()
    declared = "".join(path.read_text() for path in CASEWORK.glob("*.py"))  # service.py and its base classes
    for method, path in re.findall(r'@api\("(\w+)", "([^"]+)"\)', declared):
        if console_page(path):
            continue
        path = re.sub(r"<(\w+)>", r"{\1}", path)
        if path.endswith("{command}"):
            routes |= {(method.lower(), path.replace("{command}", c)) for c in COMMAND_BODIES}
        else:
            routes.add((method.lower(), path))
    return routes - {("get", "/healthz"), ("get", "/openapi.json")}


def test_the_document_names_every_route_the_service_has(stack):
    spec = requests.get(f"{stack.settings.url('casework')}/openapi.json", timeout=10).json()
    documented = {(method, path) for path, operations in spec["paths"].items() for method in operations}
    assert routes_in_the_service() - documented == set()
    assert [path for path in spec["paths"] if console_page(path)] == []
    assert requests.get(f"{stack.settings.url('casework')}/console/", timeout=10).status_code == 200


def test_every_answer_of_the_team_api_is_the_one_the_document_promises(stack):
    member = enrol(stack, "sekretaris.kontrak", "sekretaris", work_unit="Diskominfo")
    token = member.session.headers["Authorization"]
    schema = schemathesis.openapi.from_url(f"{stack.settings.url('casework')}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if not op.path.startswith("/api/v1/auth/")]
    assert len(operations) >= 20
    every_answer_as_documented(operations, lambda: {"Authorization": token}, EXAMPLES_PER_OPERATION)
