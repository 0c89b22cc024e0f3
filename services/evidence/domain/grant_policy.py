"""evidence's own checks on a grant casework signed: casework's signature says who asked,
but evidence still refuses an original to a role that may not see originals, and a grant
that lives longer than a viewing needs (a stolen long-lived grant is a standing key)."""

from __future__ import annotations

from dataclasses import dataclass

from netra_common.contracts.grants import Grant, GrantRefused

CLOCK_SKEW_SECONDS = 60  # casework's clock may run a little ahead of evidence's


@dataclass(frozen=True)
class GrantPolicy:
    original_roles: frozenset[str]
    max_lifetime_seconds: int

    @classmethod
    def parse(cls, roles: str, max_lifetime_seconds) -> GrantPolicy:
        parsed = frozenset(filter(None, (role.strip() for role in str(roles or "").split(","))))
        seconds = int(max_lifetime_seconds)
        if seconds <= 0:
            raise ValueError("NETRA_GRANT_MAX_LIFETIME_SECONDS must be positive")
        return cls(parsed, seconds)


def check(policy: GrantPolicy, grant: Grant, now: float) -> None:
    """Raise GrantRefused unless this (already verified) grant is one evidence honours."""
    if grant.expires_at - grant.issued_at > policy.max_lifetime_seconds:
        raise GrantRefused("the grant is valid for longer than evidence allows")
    if grant.issued_at > now + CLOCK_SKEW_SECONDS:
        raise GrantRefused("the grant was issued in the future")
    if grant.copy == "original" and grant.member_role not in policy.original_roles:
        raise GrantRefused("this role may not see originals")
