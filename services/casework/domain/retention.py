"""How long a case's personal data is kept, and what a purge leaves of each event (docs/retention.md).

The period follows the case's outcome, counted from its final decision: a dismissal, or BKPPD's
sanction. A case still being worked, or reopened, has no decision and is never purged. A legal
hold keeps a case whatever its period; once lifted, the case is kept at least `after_hold_days`
more, so a purge never follows a lifted hold by surprise. The periods are data
(reference/retention.yaml); this module only reads them.

A purge keeps what the statistics count (case number, dates, stage times, platform, violation
types, work unit, kecamatan, outcome, sanction type) and empties every field that names or
describes a person: the reported ASN's name, NIP, position, account and posts, every free text
(the description, questions and answers, notes, the finding), screenshots' and decrees' digests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from netra_common.contracts.reference import SANCTION_TYPES

DISMISSED = "dismissed"
# A violation BKPPD decided not to sanction (`tidak_dijatuhi_sanksi`), and one outcome per level of
# its sanction (PP 94/2021; moral sanctions for ethics).
SANCTIONED = {"none": "violation_no_sanction", "etik": "sanction_etik", "ringan": "sanction_ringan",
              "sedang": "sanction_sedang", "berat": "sanction_berat"}
OUTCOMES = (DISMISSED, *SANCTIONED.values())

HOLD_REASONS: dict[str, str] = {
    "appeal": "Keberatan atau banding administratif atas keputusan",
    "court": "Permintaan pengadilan atau aparat penegak hukum",
    "audit": "Pemeriksaan Ombudsman, inspektorat atau auditor",
    "subject_request": "Permintaan subjek data (UU PDP) yang sedang dijawab",
    "other": "Alasan lain (tuliskan)",
}


@dataclass(frozen=True)
class Period:
    years: int
    reason: str


@dataclass(frozen=True)
class Schedule:
    """The retention period of each outcome, and how long a case is kept after a hold is lifted."""

    periods: Mapping[str, Period]
    after_hold_days: int

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Schedule:
        periods = data.get("periods") or {}
        missing = [o for o in OUTCOMES if o not in periods]
        if missing:
            raise ValueError(f"the retention schedule names no period for: {', '.join(missing)}")
        built = {}
        for outcome, value in periods.items():
            if outcome not in OUTCOMES:
                raise ValueError(f"the retention schedule names an unknown outcome {outcome!r}")
            years = value.get("years")
            if not isinstance(years, int) or years < 0 or not value.get("reason"):
                raise ValueError(f"retention period {outcome!r} needs whole years (>= 0) and a reason")
            built[outcome] = Period(years, str(value["reason"]).strip())
        after_hold = data.get("after_hold_days", 90)
        if not isinstance(after_hold, int) or after_hold < 0:
            raise ValueError("after_hold_days must be a whole number of days (>= 0)")
        return cls(built, after_hold)

    @property
    def shortest_years(self) -> int:
        """What any outcome keeps at least: how long a screenshot is locked at receipt."""
        return min(p.years for p in self.periods.values())


def add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February, in a year that has none
        return moment.replace(year=moment.year + years, day=28)


def outcome_of(dismissed: bool, sanction_type: str | None) -> str | None:
    if sanction_type is not None:
        level = SANCTION_TYPES.get(sanction_type, {}).get("level", "berat")  # unknown: keep longest
        return SANCTIONED.get(level, SANCTIONED["berat"])
    return DISMISSED if dismissed else None


def keep_until(schedule: Schedule, outcome: str, decided_at: datetime,
               hold_lifted_at: datetime | None = None) -> datetime:
    until = add_years(decided_at, schedule.periods[outcome].years)
    if hold_lifted_at is not None:
        until = max(until, hold_lifted_at + timedelta(days=schedule.after_hold_days))
    return until


# --- what a purge leaves of each event's data ------------------------------------------------

Redaction = Callable[[dict], dict]


def _emptied(*texts: str, nulled: tuple[str, ...] = ()) -> Redaction:
    """Text fields emptied ("" when they are text, None when absent), others set to None."""

    def redact(data: dict) -> dict:
        out = dict(data)
        for key in texts:
            if key in out:
                out[key] = None if out[key] is None else ""
        for key in nulled:
            if key in out:
                out[key] = None
        return out

    return redact


def _case_opened(data: dict) -> dict:
    reported = dict(data.get("reported") or {})
    for key in list(reported):
        if key not in ("work_unit", "kecamatan"):
            reported[key] = "" if key == "name" else None
    return {**_emptied("description", nulled=("account_handle",))(data), "reported": reported, "post_urls": []}


REDACTIONS: dict[str, Redaction] = {
    "case_opened": _case_opened,
    "clarification_requested": _emptied("question"),
    "reporter_replied": _emptied("body"),
    "verification_resumed": _emptied("note"),
    "violation_proposed": _emptied("finding"),
    "violation_confirmed": _emptied("finding"),
    "proposal_rejected": _emptied("note"),
    "case_dismissed": _emptied("note"),
    "sanction_decided": _emptied("note", "decree_number"),
    "case_closed": _emptied("note"),
    "case_reopened": _emptied("reason"),
    "disclosure_requested": _emptied("reason"),
    "disclosure_denied": _emptied("note"),
    "evidence_attached": _emptied("sha256", nulled=("perceptual_hash",)),
    "decree_attached": _emptied("sha256"),
    "evidence_viewed": _emptied("purpose"),
    "decree_viewed": _emptied("purpose", "sha256"),
    "legal_hold_placed": _emptied("note"),
    "legal_hold_lifted": _emptied("note"),
}


def redacted(event_type: str, data: dict) -> dict:
    """The event's data with its personal content removed (the same data if it has none)."""
    redact = REDACTIONS.get(event_type)
    return redact(data) if redact else dict(data)
