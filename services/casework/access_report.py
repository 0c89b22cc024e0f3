"""`netra-casework access-report --account X --from D --to D`: for a breach (UU 27/2022; docs/breach-response.md),
every case and screenshot one account opened or acted on in a period, from the records that show it:

- the case log's views (evidence_viewed, decree_viewed: evidence's custody log as casework recorded it,
  with the grant and the purpose given) and identity reads (identity_read);
- every other event of the log the account caused (it had the case open to do it);
- its sign-ins (sessions) and what it did to accounts (the account audit log);
- every case file and dossier it opened (casework.case_views, kept NETRA_CASE_VIEWS_KEEP_DAYS), even with
  nothing viewed or done in it (docs/breach-response.md);
- every page of the case list and every search it read, with the filters, the search words and the cases
  the page showed (casework.list_reads, kept as long; docs/decisions/0038).

Printed in Indonesian for the team and the PPID; `--json` keeps the codes (`kind`, `door`)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import and_, create_engine, or_, select

from netra_common.config import load_service_config
from netra_common.wib import WIB, in_wib
from services.casework.adapters import case_views, list_reads
from services.casework.adapters.tables import account_audit, case_list, events, sessions, users

VIEWS = ("evidence_viewed", "decree_viewed")


# How the printed report says each kind of access (`--json` keeps the codes).
KIND_WORDS = {
    "signed_in": "masuk", "case_opened": "membuka berkas kasus", "dossier_opened": "membuka berkas untuk BKPPD",
    "screenshot_viewed": "melihat tangkapan layar", "decree_viewed": "melihat SK",
    "identity_read": "membaca identitas pelapor", "case_event": "bertindak pada kasus",
    "account_action": "mengubah akun", "cases_listed": "melihat daftar kasus", "cases_searched": "mencari kasus",
}
DOOR_WORDS = {"api": "API", "console": "konsol", "cli": "netra (CLI)", "rpc": "RPC"}
WORDS_REMOVED = "(dihapus bersama kasus yang dimusnahkan)"


class UnknownAccount(click.ClickException):
    pass


@dataclass(frozen=True)
class Access:
    at: datetime
    kind: str  # a key of KIND_WORDS
    case_number: str | None
    what: str
    screenshot: str | None = None
    listed: dict | None = None  # a list read: door, asked, search words, the case numbers shown, total

    def as_dict(self) -> dict:
        found = {"at": self.at.astimezone(UTC).isoformat(), "kind": self.kind, "case_number": self.case_number,
                 "what": self.what}
        return {**found, "list": self.listed} if self.listed is not None else found


def find_account(conn, account: str):
    try:
        where = users.c.user_id == uuid.UUID(account)
    except ValueError:
        where = users.c.username == account
    row = conn.execute(select(users.c.user_id, users.c.username, users.c.full_name, users.c.role).where(where)).first()
    if row is None:
        raise UnknownAccount(f"tidak ada akun {account!r}")
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
            what = f"bukti {data.get('evidence_id')} ({data.get('copy')}), tujuan: {data.get('purpose')}"
            found.append(Access(row.recorded_at, "screenshot_viewed", row.case_number, what,
                                screenshot=str(data.get("evidence_id"))))
        elif row.event_type == "decree_viewed":
            found.append(Access(row.recorded_at, "decree_viewed", row.case_number,
                                f"SK {data.get('decree_id')}, tujuan: {data.get('purpose')}"))
        elif row.event_type == "identity_read":
            found.append(Access(row.recorded_at, "identity_read", row.case_number,
                                f"identitas pelapor (permintaan {data.get('request_id')})"))
        else:
            found.append(Access(row.recorded_at, "case_event", row.case_number, row.event_type))
    return found


def _sign_ins_and_account_actions(conn, user_id: uuid.UUID, start: datetime, end: datetime) -> list[Access]:
    signed = conn.execute(select(sessions.c.created_at, sessions.c.end_reason).where(
        sessions.c.user_id == user_id, sessions.c.created_at >= start, sessions.c.created_at < end)).all()
    acted = conn.execute(select(account_audit.c.at, account_audit.c.action, account_audit.c.account_username).where(
        account_audit.c.actor_id == user_id, account_audit.c.at >= start, account_audit.c.at < end)).all()
    return ([Access(s.created_at, "signed_in", None,
                    f"sesi (berakhir: {s.end_reason or 'masih terbuka atau kedaluwarsa'})") for s in signed]
            + [Access(a.at, "account_action", None, f"{a.action} pada akun {a.account_username}") for a in acted])


def _case_reads(conn, user_id: uuid.UUID, start: datetime, end: datetime) -> list[Access]:
    return [Access(v.viewed_at, "case_opened" if v.what == "case_file" else "dossier_opened", v.case_number,
                   "berkas kasus (ASN, unggahan, uraian; tanpa pelapor)" if v.what == "case_file"
                   else "berkas kasus untuk BKPPD")
            for v in case_views.views_of(conn, user_id, start, end)]


def _asked_words(asked: dict) -> str:
    return ", ".join(f"work_unit={WORDS_REMOVED}" if key == "work_unit_removed" else f"{key}={value}"
                     for key, value in sorted(asked.items())) or "-"


def _list_reads(conn, user_id: uuid.UUID, start: datetime, end: datetime) -> list[Access]:
    found = []
    for read in list_reads.reads_of(conn, user_id, start, end):
        searched = read["search_words"] is not None or read["words_removed_at"] is not None
        words = WORDS_REMOVED if read["words_removed_at"] else f"«{read['search_words']}»"
        what = (f"lewat {DOOR_WORDS.get(read['door'], read['door'])}; saringan: {_asked_words(read['asked'])}; "
                + (f"kata pencarian: {words}; " if searched else "")
                + f"tampil {len(read['shown'])} dari {read['total']} kasus: {', '.join(read['shown']) or '-'}")
        listed = {"door": read["door"], "asked": read["asked"], "search_words": read["search_words"],
                  "words_removed": read["words_removed_at"] is not None, "shown": read["shown"],
                  "total": read["total"]}
        found.append(Access(read["read_at"], "cases_searched" if searched else "cases_listed", None, what,
                            listed=listed))
    return found


def access_report(conn, account: str, start: datetime, end: datetime) -> dict:
    """What the account opened, listed and did between `start` (inclusive) and `end` (exclusive), oldest
    first. `cases`: those it opened or acted on; `cases_listed`: those a list or search showed it."""
    who = find_account(conn, account)
    found = sorted(_case_events(conn, who.user_id, start, end) + _case_reads(conn, who.user_id, start, end)
                   + _list_reads(conn, who.user_id, start, end)
                   + _sign_ins_and_account_actions(conn, who.user_id, start, end), key=lambda a: a.at)
    return {"account": {"user_id": str(who.user_id), "username": who.username, "full_name": who.full_name,
                        "role": who.role},
            "from": start.isoformat(), "to": end.isoformat(),
            "cases": sorted({a.case_number for a in found if a.case_number}),
            "cases_listed": sorted({number for a in found if a.listed for number in a.listed["shown"]}),
            "screenshots": sorted({a.screenshot for a in found if a.screenshot}),
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
    """Setiap kasus dan tangkapan layar yang dibuka satu akun dalam satu masa, setiap daftar dan pencarian
    kasus yang dibacanya (dengan kasus yang tampil), dan apa yang dilakukannya (untuk menilai kebocoran
    data: docs/breach-response.md)."""
    if last.date() < first.date():
        raise click.BadParameter("--to tidak boleh sebelum --from", param_hint="--to")
    start, end = _day_start(first.date()), _day_start(last.date()) + timedelta(days=1)
    engine = create_engine(load_service_config("casework")["NETRA_DB_URL"])
    with engine.connect() as conn:
        report = access_report(conn, account, start, end)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(as_text(report, start, end))


def as_text(report: dict, start: datetime, end: datetime) -> str:
    """The report in Indonesian, one line an access (the codes stay in `--json`)."""
    who = report["account"]
    lines = [f"{who['username']} ({who['full_name']}, {who['role']}) dari {in_wib(start)} sampai {in_wib(end)}"]
    for access in report["accesses"]:
        case = f" {access['case_number']}" if access["case_number"] else ""
        lines.append(f"{in_wib(access['at'])}  {KIND_WORDS.get(access['kind'], access['kind'])}{case}  "
                     f"{access['what']}")
    lines.append(f"{len(report['cases'])} kasus dibuka atau ditindak, {len(report['cases_listed'])} kasus tampil "
                 f"di daftar atau pencarian, {len(report['screenshots'])} tangkapan layar, "
                 f"{len(report['accesses'])} catatan")
    return "\n".join(lines)
