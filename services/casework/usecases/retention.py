"""The retention run: purge each case past its period and off hold (docs/retention.md, issue 18).

One case per unit of work: the case is replayed, judged by its own rules (a final decision, its
outcome's period passed, no hold), and purged in the same transaction as its purge record, the
emptied events, the vault's boxes deleted and `case_purged` in the outbox, for evidence, intake
and notify to remove what they hold. One run at a time (a session advisory lock); the daily timer
runs only if no run finished in the last day, so any number of replicas purge once a day.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from netra_common.logging import log_event
from netra_common.wib import WIB
from services.casework.adapters import event_store, purge
from services.casework.adapters.tables import events, retention_runs
from services.casework.adapters.units import PostgresUnits
from services.casework.domain import retention
from services.casework.domain.case import Case

log = logging.getLogger(__name__)
DAILY = timedelta(hours=23)  # a little under a day: a timer that fires late never skips a day


@dataclass(frozen=True)
class Verdict:
    """One decided case as a run judged it."""

    case_id: uuid.UUID
    case_number: str
    outcome: str | None
    decided_at: datetime | None
    keep_until: datetime | None
    hold_reason: str | None
    goes: bool

    def describe(self, schedule: retention.Schedule) -> str:
        """In Indonesian, for the operator: what happens to the case and why."""
        def day(moment):
            return (moment.astimezone(WIB).strftime("%d-%m-%Y") if moment else "-")
        why = (f"hasil {self.outcome}, diputuskan {day(self.decided_at)}, disimpan sampai {day(self.keep_until)}"
               if self.outcome else "belum ada keputusan akhir")
        if self.hold_reason:
            return f"{self.case_number}: DITAHAN ({retention.HOLD_REASONS.get(self.hold_reason, self.hold_reason)}), " \
                   f"tidak dihapus; {why}"
        if self.goes:
            period = schedule.periods[self.outcome].years if self.outcome else "?"
            return f"{self.case_number}: DIHAPUS data pribadinya; {why} (masa retensi {period} tahun)"
        return f"{self.case_number}: disimpan; {why}"


@dataclass
class RunReport:
    dry_run: bool
    ran: bool = True  # False: another run holds the lock, or the day's run is done
    looked_at: int = 0
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def purged(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.goes]

    @property
    def held(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.hold_reason and not v.goes]


def judge(case: Case, schedule: retention.Schedule, now: datetime) -> Verdict:
    return Verdict(uuid.UUID(case.case_id), case.opened_with.case_number, case.outcome, case.decided_at,
                   case.keep_until(schedule), case.hold.reason if case.hold else None,
                   case.due_for_purge(schedule, now))


def _emptied_events(history) -> tuple[dict[int, dict], list[dict]]:
    """Each event a purge changes, by version, with what is left of it; and the record's list."""
    emptied, named = {}, []
    for entry in history:
        left = retention.redacted(entry.event_type, entry.stored.data)
        if left != entry.stored.data:
            emptied[entry.version] = left
            named.append({"version": entry.version, "event_id": str(entry.stored.event_id),
                          "hash": entry.stored.hash, "kept_digest": event_store.kept_digest(left)})
    return emptied, named


def purge_case(units: PostgresUnits, case_id: uuid.UUID, schedule: retention.Schedule, *,
               dry_run: bool = False) -> Verdict | None:
    """Judge one decided case and, unless a dry run, purge it if it is due; its verdict."""
    with units.unit_of_work() as unit:
        found = unit.cases.get_with_history(case_id)
        if found is None:
            return None
        case, history = found
        verdict = judge(case, schedule, unit.cases.now)
        if dry_run or not verdict.goes:
            return verdict
        emptied, named = _emptied_events(history)
        now = unit.cases.now
        case.purge(schedule, named, at=now)
        conn, complaint_id = unit.connection, case.opened_with.complaint_id
        unit.follow_case(case.case_id)
        purge.remove_personal_rows(conn, case_id, complaint_id)
        unit.emit("case_purged", {"case_id": str(case_id), "complaint_id": complaint_id,
                                  "purged_at": now.isoformat()})
        # Not the unit's last statement (decision 0026's commit with the append): the emptied events
        # follow in the same transaction, naming the record the append just stored.
        unit.cases.save(case, {"correlation_id": str(unit.correlation_id), "causation_id": None})
        record = conn.execute(select(events.c.event_id).where(events.c.stream_id == case_id,
                                                              events.c.version == case.version)).scalar_one()
        purge.empty_events(conn, case_id, record, emptied)
    log_event(log, "retention.purged", case_id=case_id, outcome=verdict.outcome, events_emptied=len(emptied))
    return verdict


def run(units: PostgresUnits, schedule: retention.Schedule, *, dry_run: bool = False, started_by: str = "operator",
        only_if_due: bool = False, progress: Callable[[int, int], None] | None = None,
        now: Callable[[], datetime] | None = None) -> RunReport:
    """Judge every decided, unpurged case and purge those due (none on a dry run). With
    `only_if_due` (the timer) nothing runs if a run finished in the last day."""
    report = RunReport(dry_run)
    # The lock is the session's, held on a connection of its own that commits each statement.
    with units.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as holder:
        if not purge.try_run_lock(holder):
            report.ran = False
            return report
        try:
            started = now() if now else holder.execute(select(func.now())).scalar_one()
            if only_if_due and _ran_since(holder, started - DAILY):
                report.ran = False
                return report
            run_id = None if dry_run else _start(holder, started, started_by)
            case_ids = purge.decided_unpurged_cases(holder)
            for done, case_id in enumerate(case_ids, 1):
                verdict = purge_case(units, case_id, schedule, dry_run=dry_run)
                if verdict is not None:
                    report.verdicts.append(verdict)
                report.looked_at = done
                if progress:
                    progress(done, len(case_ids))
            if run_id is not None:
                _finish(holder, run_id, report, now() if now else func.now())
        finally:
            purge.release_run_lock(holder)
    log_event(log, "retention.run", dry_run=dry_run, looked_at=report.looked_at, purged=len(report.purged),
              held=len(report.held), started_by=started_by)
    return report


def _ran_since(conn, since: datetime) -> bool:
    return conn.execute(select(retention_runs.c.run_id).where(retention_runs.c.finished_at >= since)
                        .limit(1)).first() is not None


def _start(conn, started: datetime, started_by: str) -> uuid.UUID:
    run_id = uuid.uuid4()
    conn.execute(retention_runs.insert().values(run_id=run_id, started_at=started, started_by=started_by))
    return run_id


def _finish(conn, run_id: uuid.UUID, report: RunReport, finished) -> None:
    conn.execute(retention_runs.update().where(retention_runs.c.run_id == run_id)
                 .values(finished_at=finished, purged=len(report.purged), held=len(report.held)))
