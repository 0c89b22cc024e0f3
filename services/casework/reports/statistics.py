"""Statistics the team reads, counted in SQL from the read models: never a name, never a reporter.
statistics_csv.py exports them, statistics_chart.py draws them."""

from __future__ import annotations

from sqlalchemy import func, literal_column, select, text

from netra_common.contracts.work_units import same_unit
from services.casework.adapters.tables import case_list, case_stages

DIMENSIONS = ("status", "platform", "violation_type", "work_unit", "week")


def _counts(conn, column) -> list[dict]:
    rows = conn.execute(select(column.label("key"), func.count().label("count"))
                        .group_by(literal_column("key")).order_by(literal_column("key"))).all()
    return [{"key": str(r.key) if r.key is not None else "-", "count": r.count} for r in rows]


def by_listed_unit(rows: list[dict]) -> list[dict]:
    """Each work unit counted once under the closed list's spelling, whatever case or spacing it was
    typed in before intake kept that spelling (netra_common/contracts/work_units.py)."""
    merged: dict[str, int] = {}
    for row in rows:
        key = row["key"] if row["key"] == "-" else (same_unit(row["key"]) or "-")
        merged[key] = merged.get(key, 0) + row["count"]
    return [{"key": key, "count": merged[key]} for key in sorted(merged)]


def counts(conn) -> dict[str, list[dict]]:
    week = func.to_char(func.date_trunc("week", func.timezone("Asia/Jakarta", case_list.c.opened_at)),
                        'IYYY-"W"IW')
    violations = [dict(r) for r in conn.execute(text(
        "SELECT v AS key, count(*) AS count FROM casework.case_list, unnest(violation_types) v "
        "GROUP BY v ORDER BY v")).mappings()]
    return {
        "status": _counts(conn, case_list.c.status),
        "platform": _counts(conn, case_list.c.platform),
        "violation_type": violations,
        "work_unit": by_listed_unit(_counts(conn, func.coalesce(case_list.c.work_unit, "-"))),
        "week": _counts(conn, week),
    }


def time_in_stages(conn) -> list[dict]:
    hours = func.extract("epoch", case_stages.c.left_at - case_stages.c.entered_at) / 3600
    rows = conn.execute(
        select(case_stages.c.stage, func.count().label("left"),
               func.avg(hours).label("average_hours"),
               func.percentile_cont(0.5).within_group(hours).label("median_hours"))
        .where(case_stages.c.left_at.is_not(None)).group_by(case_stages.c.stage)
        .order_by(case_stages.c.stage)).all()
    waiting = dict(conn.execute(select(case_stages.c.stage, func.count())
                                .where(case_stages.c.left_at.is_(None))
                                .group_by(case_stages.c.stage)).all())
    return [{"stage": r.stage, "cases_passed": r.left, "cases_in_stage_now": waiting.get(r.stage, 0),
             "average_hours": round(float(r.average_hours), 2),
             "median_hours": round(float(r.median_hours), 2)} for r in rows] + [
        {"stage": stage, "cases_passed": 0, "cases_in_stage_now": n, "average_hours": None,
         "median_hours": None} for stage, n in sorted(waiting.items())
        if stage not in {r.stage for r in rows}]


def summary(conn) -> dict:
    return {"counts": counts(conn), "time_in_stages": time_in_stages(conn),
            "total_cases": conn.execute(select(func.count()).select_from(case_list)).scalar_one()}
