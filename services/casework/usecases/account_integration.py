"""What other services hear of a team account: notify keeps a list of whom it may write to, from
`team_member_changed` (as usecases/integration.py says what they hear of a case)."""

from __future__ import annotations

from typing import Any

from services.casework.domain.accounts import ACTIVE, TeamMember


def member_changed_payload(member: TeamMember) -> dict[str, Any]:
    """Only an active (enrolled, confirmed) account is written to about cases."""
    return {"user_id": str(member.user_id), "full_name": member.full_name, "role": member.role,
            "email": member.email, "active": member.state == ACTIVE, "notify_mode": member.notify_mode}
