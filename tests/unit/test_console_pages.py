"""The team console as casework serves it: its words and forms follow the domain and the API's
bodies, its page loads scripts only from itself, and its policy lets it reach evidence only."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from marshmallow import validate

from netra_common.errors import ApiError
from services.casework.api.schemas import COMMAND_BODIES
from services.casework.console import site
from services.casework.console.reference import console_reference
from services.casework.domain.events import CASE_EVENTS
from services.casework.domain.lifecycle import DISMISSAL_REASONS, STATUSES
from services.casework.domain.permissions import PERMISSIONS, ROLES
from services.casework.read.queue import SORTS

REFERENCE = console_reference()


def test_every_stage_event_and_role_has_words():
    assert set(REFERENCE["statuses"]) == set(STATUSES)
    assert set(REFERENCE["events"]) == set(CASE_EVENTS)
    assert set(ROLES) <= set(REFERENCE["roles"])
    assert set(REFERENCE["dismissal_reasons"]) == set(DISMISSAL_REASONS)
    assert all(REFERENCE["statuses"].values()) and all(REFERENCE["events"].values())


@pytest.mark.parametrize("command", sorted(COMMAND_BODIES))
def test_each_command_form_has_exactly_the_fields_of_its_body_with_its_rules(command):
    form = REFERENCE["commands"][command]
    schema = COMMAND_BODIES[command]()
    assert [f["name"] for f in form["fields"]] == [n for n in schema.fields if n != "expected_version"]
    assert form["label"] and form["hint"] and form["roles"] == list(PERMISSIONS[command])
    for spec in form["fields"]:
        declared = schema.fields[spec["name"]]
        assert spec["required"] is declared.required and spec["label"]
        for rule in declared.validators:
            if isinstance(rule, validate.OneOf):
                assert [o["value"] for o in spec["options"]] == list(rule.choices)
                assert all(o["label"] != o["value"] for o in spec["options"]), "each choice in words"
            if isinstance(rule, validate.Length):
                assert (spec["minlength"], spec["maxlength"]) == (rule.min or 0, rule.max)
            if isinstance(rule, validate.Range):
                assert (spec["min"], spec["max"]) == (rule.min, rule.max)


def test_the_fields_that_name_a_person_or_a_request_are_picked_not_typed():
    kinds = {(c, f["name"]): f["kind"] for c, form in REFERENCE["commands"].items() for f in form["fields"]}
    assert kinds[("assign", "assignee_id")] == "member"
    assert kinds[("request_disclosure", "recipient_id")] == "member"
    assert kinds[("approve_disclosure", "request_id")] == "disclosure"
    assert kinds[("record_sanction", "decree_date")] == "date"
    assert kinds[("approve_disclosure", "valid_for_hours")] == "number"
    assert kinds[("propose_violation", "finding")] == "textarea"
    assert kinds[("propose_violation", "legal_basis")] == "textarea"
    assert kinds[("record_sanction", "decree_number")] == "text"


def test_the_queue_offers_every_sort_the_api_knows():
    assert [s["value"] for s in REFERENCE["sorts"]] == [*SORTS, "relevance"]


def test_the_policy_names_evidence_for_fetch_and_images_and_nothing_else_outside_self():
    policy = site.policy("http://127.0.0.1:8002/")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["connect-src"] == "'self' http://127.0.0.1:8002"
    assert directives["img-src"] == "'self' blob: http://127.0.0.1:8002"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "http" not in site.policy("")  # no evidence address configured: 'self' alone


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.inline, self.handlers, self.styles, self.links = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        self.styles += ["style"] if "style" in attrs else []
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        if tag == "link":
            self.links.append(attrs.get("href"))

    def handle_data(self, data):
        if self.lasttag == "script" and data.strip():
            self.inline.append(data)


def test_the_page_loads_only_its_own_scripts_and_styles_and_holds_no_inline_code():
    response = site.index({"NETRA_EVIDENCE_URL": "http://127.0.0.1:8002"})
    assert response.headers["Content-Security-Policy"] == site.policy("http://127.0.0.1:8002")
    assert response.headers["Referrer-Policy"] == "no-referrer" and response.headers["X-Frame-Options"] == "DENY"
    page = Page()
    page.feed(response.get_data(as_text=True))
    assert page.scripts and all(src and src.startswith("/console/static/") for src in page.scripts)
    assert all(href.startswith("/console/static/") for href in page.links)
    assert page.inline == [] and page.handlers == [] and page.styles == []
    for src in page.scripts + page.links:
        assert site.static_file({}, src.removeprefix("/console/static/")).status_code == 200


def test_no_script_writes_to_the_console_or_keeps_anything_but_the_token():
    for script in (site.CONSOLE_DIR / "static").glob("*.js"):
        text = script.read_text()
        assert not re.search(r"\bconsole\.(log|info|warn|error|debug|trace|table|dir)\b", text), \
            f"{script.name} logs to the browser console"
        assert not re.search(r"localStorage\s*[.\[]|document\.cookie", text), script.name
        assert len(text.splitlines()) <= 400, f"{script.name} is too long"
        if re.search(r"sessionStorage\s*[.\[]", text):
            assert script.name == "api.js"


def test_a_static_name_that_leaves_the_folder_is_not_found():
    with pytest.raises(ApiError) as missing:
        site.static_file({}, "../site.py")
    assert missing.value.status == 404


def test_the_root_and_the_bare_path_lead_to_the_console():
    answer = site.to_console({})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/console/")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
