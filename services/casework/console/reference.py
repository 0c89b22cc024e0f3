"""What the console needs to know to draw its forms and say things in words, as one JSON document.

Each command's form is read off its marshmallow body (schemas.COMMAND_BODIES) and its row in the
table of commands, so a field the API adds or a limit it changes reaches the console without a
second copy to forget.
"""

from __future__ import annotations

from functools import lru_cache

from marshmallow import Schema, fields, validate

from netra_common.contracts.reference import (
    KECAMATAN,
    PLATFORMS,
    SANCTION_LEVELS,
    SANCTION_TYPES,
    VIOLATION_TYPES,
)
from netra_common.contracts.work_units import work_units
from services.casework.api.schemas import COMMAND_BODIES, NOTIFY_MODES
from services.casework.console import words
from services.casework.domain.commands import ASSIGNEE_ONLY_FOR_ANGGOTA, TEAM_COMMANDS, TeamCommand
from services.casework.domain.permissions import PERMISSIONS, ROLES
from services.casework.domain.retention import HOLD_REASONS
from services.casework.read.queue import SORTS
from services.casework.reports import statistics_chart

MEMBER_FIELDS = ("assignee_id", "recipient_id")
# Above this many characters a text gets a multi-line box.
LONG_TEXT = 200


def _level(level: str) -> str:
    return SANCTION_LEVELS[level]["id"] if level in SANCTION_LEVELS else "Tanpa sanksi"


def _labelled(name: str, codes) -> list[dict]:
    """The options of a closed list, each with its words."""
    if name == "sanction_level":
        return [{"value": c, "label": SANCTION_LEVELS[c]["id"]} for c in codes]
    if name == "sanction_type":
        return [{"value": c, "label": SANCTION_TYPES[c]["id"], "group": _level(SANCTION_TYPES[c]["level"])}
                for c in codes]
    if name == "reason":
        labels = HOLD_REASONS if set(codes) == set(HOLD_REASONS) else words.DISMISSAL_REASONS
        return [{"value": c, "label": labels[c]} for c in codes]
    return [{"value": c, "label": c} for c in codes]


def _kind(name: str, field: fields.Field) -> str:
    if isinstance(field, fields.UUID):
        return "member" if name in MEMBER_FIELDS else "disclosure"
    if isinstance(field, fields.Date):
        return "date"
    if isinstance(field, fields.Integer):
        return "number"
    if any(isinstance(v, validate.OneOf) for v in field.validators):
        return "choice"
    longest = max((v.max or 0 for v in field.validators if isinstance(v, validate.Length)), default=0)
    return "textarea" if longest > LONG_TEXT else "text"


def form_field(command: str, name: str, field: fields.Field) -> dict:
    spec = {"name": name, "label": words.FIELDS_BY_COMMAND.get((command, name), words.FIELDS[name]),
            "kind": _kind(name, field), "required": field.required}
    for rule in field.validators:
        if isinstance(rule, validate.Length):
            spec.update(minlength=rule.min or 0, maxlength=rule.max)
        elif isinstance(rule, validate.Range):
            spec.update(min=rule.min, max=rule.max)
        elif isinstance(rule, validate.OneOf):
            spec["options"] = _labelled(name, rule.choices)
    return spec


def command_form(command: TeamCommand, body: type[Schema]) -> dict:
    return {"command": command.name, "label": command.label, "hint": command.hint, "roles": list(command.roles),
            "fields": [form_field(command.name, name, field) for name, field in body().fields.items()
                       if name != "expected_version"]}


def _pairs(mapping: dict) -> list[dict]:
    return [{"value": code, "label": label} for code, label in mapping.items()]


@lru_cache(maxsize=1)
def console_reference() -> dict:
    return {
        "statuses": words.STATUSES,
        "events": words.EVENTS,
        "roles": words.ROLES,
        "commands": {c.name: command_form(c, COMMAND_BODIES[c.name]) for c in TEAM_COMMANDS},
        "assignee_only_for_anggota": list(ASSIGNEE_ONLY_FOR_ANGGOTA),
        "permissions": {action: list(roles) for action, roles in PERMISSIONS.items()},
        "platforms": [{"value": code, "label": label["id"]} for code, label in PLATFORMS.items()],
        "violation_types": [{"value": code, "label": label["id"]} for code, label in VIOLATION_TYPES.items()],
        "kecamatan": list(KECAMATAN),
        "work_units": {group: list(names) for group, names in work_units().items()},
        "sanction_levels": {code: label["id"] for code, label in SANCTION_LEVELS.items()},
        "sanction_types": {code: label["id"] for code, label in SANCTION_TYPES.items()},
        "dismissal_reasons": words.DISMISSAL_REASONS,
        "rejections": words.REJECTIONS,
        "links": words.LINKS,
        "disclosure_states": words.DISCLOSURE_STATES,
        "sources": words.SOURCES,
        "notify_modes": _pairs({mode: words.NOTIFY_MODES[mode] for mode in NOTIFY_MODES}),
        "sorts": _pairs({sort: words.SORTS[sort] for sort in (*SORTS, "relevance")}),
        "dimensions": statistics_chart.TITLES,
        "account_states": words.ACCOUNT_STATES,
        "account_actions": words.ACCOUNT_ACTIONS,
        "actors": words.ACTORS,
        "account_roles": _pairs({role: words.ROLES[role] for role in ROLES}),
    }
