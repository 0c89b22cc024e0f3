"""One place per team command: every place that knows the team's commands agrees with the table of
commands (domain/commands.py): the stages the case checks, the permission matrix, the assignee rule,
the API's bodies and document, the console's forms and words, the case's own methods and next
steps, and the `netra` CLI's copy (which cannot import the table), down to the body it sends."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime, timedelta

import click
import pytest
from click.testing import CliRunner

from netra_cli import casecommands, vocabulary
from netra_cli.main import cli
from services.casework.api.openapi import spec_dict
from services.casework.api.schemas import COMMAND_BODIES, CommandBody
from services.casework.console import words
from services.casework.console.reference import console_reference
from services.casework.domain import commands as table
from services.casework.domain.accounts import TeamMember
from services.casework.domain.case import Case
from services.casework.domain.commands import COMMANDS, TEAM_COMMANDS, Asked
from services.casework.domain.lifecycle import STATUSES
from services.casework.domain.permissions import ASSIGNEE_ONLY_FOR_ANGGOTA, PERMISSIONS, ROLES
from services.casework.domain.rules import require_state

NAMES = [c.name for c in TEAM_COMMANDS]
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def test_each_command_is_one_row_with_what_a_row_must_say():
    assert len(NAMES) == len(set(NAMES)) and list(COMMANDS) == NAMES
    for c in TEAM_COMMANDS:
        assert set(c.stages) <= set(STATUSES) and c.stages, c.name
        assert set(c.roles) <= set(ROLES) - {"admin"} and c.roles, c.name
        assert c.label and c.hint and c.prepare.__doc__, c.name


@pytest.mark.parametrize("command", NAMES)
def test_the_case_checks_the_stages_the_table_gives(command):
    for status in STATUSES:
        if status in COMMANDS[command].stages:
            require_state(command, status, [])
        else:
            with pytest.raises(Exception, match=command):
                require_state(command, status, [])


def test_the_next_steps_of_a_case_are_the_tables_commands_on_its_path():
    for status in STATUSES:
        case = Case("c1", status=status)
        assert case.allowed_commands() == [c.name for c in TEAM_COMMANDS if c.next_step and status in c.stages]
    assert {c.name for c in TEAM_COMMANDS if not c.next_step} == {"request_disclosure", "approve_disclosure",
                                                                  "deny_disclosure", "place_legal_hold",
                                                                  "lift_legal_hold"}


def test_the_permission_matrix_and_the_assignee_rule_are_the_tables():
    assert {name: PERMISSIONS[name] for name in NAMES} == {c.name: c.roles for c in TEAM_COMMANDS}
    assert ASSIGNEE_ONLY_FOR_ANGGOTA == tuple(c.name for c in TEAM_COMMANDS if c.assignee_only)
    assert set(ASSIGNEE_ONLY_FOR_ANGGOTA) == {"start_verification", "request_clarification", "resume_verification",
                                              "propose_violation", "dismiss"}


@pytest.mark.parametrize("command", NAMES)
def test_the_api_takes_the_body_the_table_names_and_documents_it(command):
    body = COMMAND_BODIES[command]
    assert issubclass(body, CommandBody) and body.__name__ == COMMANDS[command].body
    operation = spec_dict()["paths"][f"/api/v1/cases/{{case_id}}/{command}"]["post"]
    assert operation["description"] == f"Roles: {', '.join(COMMANDS[command].roles)}."
    assert list(COMMAND_BODIES) == NAMES


def test_a_row_naming_a_body_schemas_py_does_not_have_fails_at_import():
    from services.casework.api import schemas
    with pytest.raises(LookupError, match="NoSuchBody"):
        schemas._body("NoSuchBody")


@pytest.mark.parametrize("command", NAMES)
def test_the_consoles_form_and_words_are_the_tables(command):
    row, form = COMMANDS[command], console_reference()["commands"][command]
    assert (form["label"], form["hint"], form["roles"]) == (row.label, row.hint, list(row.roles))
    assert words.COMMANDS[command] == (row.label, row.hint)
    for spec in form["fields"]:
        assert spec["label"] == row.field_words.get(spec["name"], words.FIELDS[spec["name"]])
    assert set(row.field_words) <= {spec["name"] for spec in form["fields"]}, "words for a field it has not"
    assert console_reference()["assignee_only_for_anggota"] == list(ASSIGNEE_ONLY_FOR_ANGGOTA)


@pytest.mark.parametrize("command", NAMES)
def test_the_case_has_a_method_for_each_command_taking_an_actor_and_its_time(command):
    method = getattr(Case, command)
    parameters = inspect.signature(method).parameters
    assert list(parameters)[:2] == ["self", "actor"] and parameters["at"].kind is inspect.Parameter.KEYWORD_ONLY


# --- preparations -------------------------------------------------------------------------------


class Directory:
    def __init__(self, *members: TeamMember, cases: dict[str, str] | None = None):
        self.members = {str(m.user_id): m for m in members}
        self.cases = cases or {}

    def member(self, user_id: str) -> TeamMember | None:
        return self.members.get(user_id)

    def case_numbered(self, number: str) -> str | None:
        return self.cases.get(number)


def member(user_id: str, role: str = "anggota", **changes) -> TeamMember:
    import uuid

    return TeamMember(uuid.UUID(int=int(user_id)), f"u{user_id}", f"Orang {user_id}", role, "Bappeda", **changes)


def asked(directory: Directory, case: Case | None = None) -> Asked:
    return Asked(case or Case("c1"), NOW, directory, new_id=lambda: "id-1")


def test_the_assignee_is_named_as_their_account_is_now_and_only_an_active_team_member():
    anggota = member("1")
    assert table.name_assignee({"assignee_id": str(anggota.user_id)}, asked(Directory(anggota))) == {
        "assignee_id": str(anggota.user_id), "assignee_name": "Orang 1", "assignee_work_unit": "Bappeda"}
    for someone in (member("2", "bkppd"), member("3", confirmed=False), member("4", active=False), None):
        directory = Directory(*(m for m in (someone,) if m))
        with pytest.raises(table.NotFit) as refused:
            table.name_assignee({"assignee_id": str(someone.user_id) if someone else "x"}, asked(directory))
        assert refused.value.details == {"field": "assignee_id"} and refused.value.code == "refused"


def test_a_duplicate_names_another_case_that_exists_by_its_number():
    directory = Directory(cases={"NTR-2026-00001": "c0", "NTR-2026-00002": "c1"})
    assert table.name_original({"reason": "duplicate", "duplicate_of": " ntr-2026-00001 "},
                               asked(directory))["duplicate_of"] == "NTR-2026-00001"
    assert table.name_original({"reason": "not_asn", "duplicate_of": None}, asked(directory)) == {
        "reason": "not_asn", "duplicate_of": None}
    for wrong in ("NTR-1999-99999", "NTR-2026-00002"):  # none, or the case itself
        with pytest.raises(table.NotFit, match="no other case"):
            table.name_original({"reason": "duplicate", "duplicate_of": wrong}, asked(directory))


def test_an_approval_lasts_the_hours_asked_at_most_72_from_the_units_time():
    prepared = table.approval_until({"request_id": "r1", "valid_for_hours": 500}, asked(Directory()))
    assert prepared == {"request_id": "r1", "valid_until": NOW + timedelta(hours=72), "recipient": None}


def test_a_disclosure_request_gets_its_id_and_names_the_recipient_as_their_account_is_now():
    recipient = member("5", "bkppd")
    prepared = table.name_recipient({"recipient_id": str(recipient.user_id), "reason": "r"},
                                    asked(Directory(recipient)))
    assert prepared["request_id"] == "id-1" and prepared["recipient"]["role"] == "bkppd"
    assert prepared["recipient"]["state"] == "active" and "recipient_id" not in prepared


def sample(name: str, field) -> object:
    """A valid value of a body's field, from its type and rules (a case number where one is named)."""
    from marshmallow import fields, validate

    if name == "duplicate_of":
        return "NTR-2026-00001"
    if isinstance(field, fields.UUID):
        return "00000000-0000-0000-0000-000000000001"
    if isinstance(field, fields.Date):
        return "2026-12-01"
    rules = {type(rule): rule for rule in field.validators}
    if isinstance(field, fields.Integer):
        return rules[validate.Range].min if validate.Range in rules else 1
    if validate.OneOf in rules:
        return list(rules[validate.OneOf].choices)[0]
    return "x" * max(10, rules[validate.Length].min or 0) if validate.Length in rules else "NTR-2026-00001"


@pytest.mark.parametrize("command", NAMES)
def test_what_a_valid_request_is_prepared_into_is_what_the_cases_method_takes(command):
    """The body, its preparation and the aggregate's method fit together for every command."""
    body = COMMAND_BODIES[command]()
    fields = body.load({name: sample(name, field) for name, field in body.fields.items()})
    fields.pop("expected_version")
    directory = Directory(member("1"), cases={"NTR-2026-00001": "c0"})
    prepared = COMMANDS[command].prepare(fields, asked(directory))
    inspect.signature(getattr(Case, command)).bind(Case("c1"), {"id": "k1", "role": "ketua"}, **prepared, at=NOW)


# --- the CLI's copy -------------------------------------------------------------------------------


def test_the_clis_commands_are_the_tables():
    assert vocabulary.CASE_COMMANDS == {c.cli_name: c.name for c in TEAM_COMMANDS}
    assert [c.name for c in casecommands.CASE_COMMANDS] == [c.cli_name for c in TEAM_COMMANDS]


ROLE_WORDS = r"(?:ketua|sekretaris|anggota|bkppd)"


@pytest.mark.parametrize("command", TEAM_COMMANDS, ids=NAMES)
def test_each_cli_command_says_who_may_run_it_as_the_table_does(command):
    help_text = " ".join(cli.commands[command.cli_name].help.split())
    roles = re.search(rf"Peran: ({ROLE_WORDS}(?:, {ROLE_WORDS})*)", help_text)
    assert roles and tuple(roles[1].split(", ")) == command.roles, help_text
    assert ("hanya pada kasus yang ditugaskan kepadanya" in help_text) is command.assignee_only


def _value(param: click.Parameter) -> str:
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    if isinstance(param.type, click.IntRange):
        return str(param.type.min or 1)
    if isinstance(param.type, click.DateTime):
        return "2026-12-01"
    return "00000000-0000-0000-0000-000000000001"


@pytest.mark.parametrize("command", TEAM_COMMANDS, ids=NAMES)
def test_each_cli_command_sends_the_body_the_api_takes(command, monkeypatch):
    sent = []
    monkeypatch.setattr(casecommands, "execute", lambda app, ref, name, expected, **body: sent.append((name, body)))
    subcommand = cli.commands[command.cli_name]
    arguments = ["NTR-2026-00001", "--expected-version", "3"]
    for param in subcommand.params:
        if isinstance(param, click.Option) and param.required:
            arguments += [param.opts[0], _value(param)]
    result = CliRunner().invoke(cli, [command.cli_name, *arguments])
    assert result.exit_code == 0, result.output
    [(name, body)] = sent
    assert name == command.name
    assert set(body) == set(COMMAND_BODIES[command.name]().fields) - {"expected_version"}
