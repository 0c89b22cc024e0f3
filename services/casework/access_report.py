"""`netra-casework access-report --account X --from D --to D`: for a breach (UU 27/2022; docs/breach-response.md),
every case and screenshot one account opened or acted on in a period, from the records that show it:

- the case log's views (evidence_viewed, decree_viewed: evidence's custody log as casework recorded it,
  with the grant and the purpose given) and identity reads (identity_read);
- every other event of the log the account caused (it had the case open to do it);
- its sign-ins (sessions) and what it did to accounts (the account audit log).

A case file read without any of these (opened and closed, nothing viewed, nothing done) leaves no record
today: see docs/breach-response.md, "What is not recorded"."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import and_, create_engine, or_, select

from netra_common.config import load_service_config
from netra_common.wib import WIB, in_wib
from services.casework.adapters.tables import account_audit, case_list, events, sessions, users

VIEWS = ("evidence_viewed", "decree_viewed")


class UnknownAccount(click.ClickException):
    pass


@dataclass(frozen=True)
class Access:
    at: datetime
    kind: str  # screenshot_viewed, decree_viewed, identity_read, case_event, signed_in, account_action
    case_number: str | None
    what: str

    def as_dict(self) -> dict:
        return {"at": self.at.astimezone(UTC).isoformat(), "kind": self.kind, "case_number": self.case_number,
                "what": self.what}


def find_account(conn, account: str):
    try:
        where = users.c.user_id == uuid.UUID(account)
    except ValueError:
        where = users.c.username == account
    row = conn.execute(select(users.c.user_id, users.c.username, users.c.full_name, users.c.role).where(where)).first()
    if row is None:
        raise UnknownAccount(f"no account {account!r}")
    return row


def _case_events(conn, user_id: uuid.UUID, start: datetime, end: datetime) -> list[Access]:
    member = str(user_id)
    mine = or_(and_(events.c.event_type.in_(VIEWS), events.c.data["member_id"].astext == member),
               events.c.data["actor"]["id"].astext == member)
    rows = conn.execute(select(events.c.event_type, events.c.data, events.c.recorded_at, case_list.c.case_number)
                        .join(case_list, case_list.c.case_id == events.c.stream_id, isouter=True)
                        .where(mine, events.c.recorded_at >= start, events.c.recorded_at < end)
                        .order_by(events.c.recorded_at)).all()
    found = []
    for row in rows:
        data = row.data or {}
        if row.event_type == "evidence_viewed":
            what = f"evidence {data.get('evidence_id')} ({data.get('copy')}), purpose: {data.get('purpose')}"
            found.append(Access(row.recorded_at, "screenshot_viewed", row.case_number, what))
        elif row.event_type == "decree_viewed":
            found.append(Access(row.recorded_at, "decree_viewed", row.case_number,
                                f"decree {data.get('decree_id')}, purpose: {data.get('purpose')}"))
        elif row.event_type == "identity_read":
            found.append(Access(row.recorded_at, "identity_read", row.case_number,
                                f"the reporter's identity (request {data.get('request_id')})"))
        else:
            found.append(Access(row.recorded_at, "case_event", row.case_number, row.event_type))
    return found


def _sign_ins_and_account_actions(conn, user_id: uuid.UUID, start: datetime, end: datetime) -> list[Access]:
    signed = conn.execute(select(sessions.c.created_at, sessions.c.end_reason).where(
        sessions.c.user_id == user_id, sessions.c.created_at >= start, sessions.c.created_at < end)).all()
    acted = conn.execute(select(account_audit.c.at, account_audit.c.action, account_audit.c.account_username).where(
        account_audit.c.actor_id == user_id, account_audit.c.at >= start, account_audit.c.at < end)).all()
    return ([Access(s.created_at, "signed_in", None, f"session (ended: {s.end_reason or 'open or expired'})")
             for s in signed]
            + [Access(a.at, "account_action", None, f"{a.action} on account {a.account_username}") for a in acted])


def access_report(conn, account: str, start: datetime, end: datetime) -> dict:
    """What the account opened and did between `start` (inclusive) and `end` (exclusive), oldest first."""
    who = find_account(conn, account)
    found = sorted(_case_events(conn, who.user_id, start, end)
                   + _sign_ins_and_account_actions(conn, who.user_id, start, end), key=lambda a: a.at)
    return {"account": {"user_id": str(who.user_id), "username": who.username, "full_name": who.full_name,
                        "role": who.role},
            "from": start.isoformat(), "to": end.isoformat(),
            "cases": sorted({a.case_number for a in found if a.case_number}),
            "screenshots": sorted({a.what.split()[1] for a in found if a.kind == "screenshot_viewed"}),
            "accesses": [a.as_dict() for a in found]}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WIB)


@click.command("access-report")
@click.option("--account", required=True, help="Nama pengguna atau id akun.")
@click.option("--from", "first", required=True, type=click.DateTime(("%Y-%m-%d",)),
              help="Hari pertama (WIB), YYYY-MM-DD.")
@click.option("--to", "last", required=True, type=click.DateTime(("%Y-%m-%d",)),
              help="Hari terakhir (WIB, ikut dihitung), YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Cetak sebagai JSON.")
def access_report_command(account, first, last, as_json):
    """Setiap kasus dan tangkapan layar yang dibuka satu akun dalam satu masa, dan apa yang dilakukannya
    (untuk menilai kebocoran data: docs/breach-response.md)."""
    if last.date() < first.date():
        raise click.BadParameter("--to must not be before --from", param_hint="--to")
    start, end = _day_start(first.date()), _day_start(last.date()) + timedelta(days=1)
    engine = create_engine(load_service_config("casework")["NETRA_DB_URL"])
    with engine.connect() as conn:
        report = access_report(conn, account, start, end)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    who = report["account"]
    click.echo(f"{who['username']} ({who['full_name']}, {who['role']}) from {in_wib(start)} to {in_wib(end)}")
    for access in report["accesses"]:
        case = f" {access['case_number']}" if access["case_number"] else ""
        click.echo(f"{in_wib(access['at'])}  {access['kind']}{case}  {access['what']}")
    click.echo(f"{len(report['cases'])} case(s), {len(report['screenshots'])} screenshot(s), "
               f"{len(report['accesses'])} record(s)")
