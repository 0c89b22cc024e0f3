"""The commands a member may run on a case now: the case's next steps (its stage) narrowed to those
this member's role runs, on a case assigned to them where an anggota must be, never the second half
of a two-person rule they began, never on a case they are recused from. What the console's forms and
the CLI's "Perintah yang boleh berikutnya" offer, so neither offers one that then answers 403 or 422.
"""

from __future__ import annotations

from services.casework.domain.case import Case
from services.casework.domain.commands import COMMANDS

# The second member's half of the two-person rule: never by the one who proposed.
SECOND_MEMBER = ("confirm_violation", "reject_proposal")


def commands_for(case: Case, member_id: object, role: str, work_unit: str | None) -> list[str]:
    if case.recused(work_unit):
        return []
    me = str(member_id)
    offered = []
    for name in case.allowed_commands():
        command = COMMANDS[name]
        if role not in command.roles:
            continue
        if role == "anggota" and command.assignee_only and case.assignee_id != me:
            continue
        if name in SECOND_MEMBER and case.proposed_by == me:
            continue
        offered.append(name)
    return offered
