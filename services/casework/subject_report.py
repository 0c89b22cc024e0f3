"""`netra-casework subject-report --nip N`: what Netra's casework holds about one reported civil servant,
for the team to answer their request under UU 27/2022 (UU PDP) through its own legal process (issue 18).

Each case about the NIP, with what the log says of it, field by field from an allow-list: the complaint
as the ASN is concerned (who, which post, what was alleged), the screenshots kept, the stages, the
findings and decisions. Never the reporter's identity or contact (sealed for the vault), the reporter's
own messages, who in the team looked at what, nor whom an identity was disclosed to. Written as JSON
(for the record) and as readable text (to review and attach), both for the team to check before sending."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import create_engine, select

from netra_common.config import load_service_config
from services.casework.adapters.tables import case_list, events

# Of each event, the fields the ASN may be told of; an event type not named here shows only its type and time.
ABOUT_THE_ASN = {
    "case_opened": ("case_number", "source", "opened_at", "reported", "platform", "post_urls", "account_handle",
                    "occurred_at", "violation_types", "description"),
    "evidence_attached": ("evidence_id", "sha256", "size", "content_type", "received_at"),
    "violation_proposed": ("finding", "legal_basis", "sanction_level"),
    "violation_confirmed": ("finding", "legal_basis", "sanction_level"),
    "case_dismissed": ("reason", "note"),
    "sanction_decided": ("sanction_type", "decree_number", "decree_date", "note"),
    "decree_attached": ("decree_id", "pages", "received_at"),
    "case_closed": ("note",),
    "case_reopened": ("reason",),
    "legal_hold_placed": ("reason",),
    "legal_hold_lifted": (),
    "case_purged": ("purged_at", "outcome", "keep_until"),
}
# Never in the report, whatever an event carries (the reporter and the team's own people).
WITHHELD = frozenset({"reporter", "actor", "member_id", "member_role", "purpose", "grant_id", "recipient_id",
                      "recipient_name", "recipient_body", "body", "question", "assignee_id", "assignee_name",
                      "complaint_id", "proposed_by"})
# Views and disclosures say who in the team did what: not the subject's data.
LEFT_OUT = frozenset({"evidence_viewed", "decree_viewed", "identity_read", "disclosure_requested",
                      "disclosure_approved", "disclosure_denied"})


class BadNip(click.BadParameter):
    pass


def nip_digits(given: str) -> str:
    digits = re.sub(r"[\s.\-]", "", given or "")
    if not re.fullmatch(r"\d{18}", digits):
        raise BadNip("NIP harus 18 angka (boleh dengan spasi, titik atau tanda hubung).")
    return digits


def _entry(row) -> dict:
    data = row.data or {}
    entry = {"event": row.event_type, "at": row.recorded_at.astimezone(UTC).isoformat()}
    entry.update({k: data[k] for k in ABOUT_THE_ASN.get(row.event_type, ()) if k in data and k not in WITHHELD})
    return entry


def subject_report(conn, nip: str, now: datetime | None = None) -> dict:
    """Every case about the NIP and what casework holds of it, without the reporter or anything sealed."""
    digits = nip_digits(nip)
    cases = conn.execute(select(case_list.c.case_id, case_list.c.case_number, case_list.c.status,
                                case_list.c.opened_at, case_list.c.updated_at)
                         .where(case_list.c.reported_nip == digits).order_by(case_list.c.opened_at)).all()
    found = []
    for case in cases:
        history = conn.execute(select(events.c.event_type, events.c.data, events.c.recorded_at)
                               .where(events.c.stream_id == case.case_id).order_by(events.c.version)).all()
        found.append({"case_number": case.case_number, "status": case.status,
                      "opened_at": case.opened_at.astimezone(UTC).isoformat(),
                      "updated_at": case.updated_at.astimezone(UTC).isoformat(),
                      "history": [_entry(row) for row in history if row.event_type not in LEFT_OUT]})
    return {"subject": {"nip": digits}, "made_at": (now or datetime.now(UTC)).isoformat(),
            "scope": "casework: kasus, bukti yang tercatat, tahapan, temuan dan keputusan; tanpa identitas "
                     "atau kontak pelapor, pesan pelapor, siapa di tim yang melihat apa, dan apa pun yang disegel.",
            "cases": found}


def as_text(report: dict) -> str:
    lines = ["LAPORAN DATA PRIBADI (UU 27/2022) - NETRA", f"NIP: {report['subject']['nip']}",
             f"Dibuat: {report['made_at']}", f"Cakupan: {report['scope']}",
             "Periksa sebelum dikirim melalui proses hukum tim (PPID).", ""]
    if not report["cases"]:
        lines.append("Tidak ada kasus tentang NIP ini.")
    for case in report["cases"]:
        lines += [f"Kasus {case['case_number']} - status {case['status']}",
                  f"  dibuka {case['opened_at']}, terakhir berubah {case['updated_at']}"]
        for entry in case["history"]:
            details = {k: v for k, v in entry.items() if k not in ("event", "at")}
            lines.append(f"  - {entry['at']} {entry['event']}")
            lines += [f"      {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in details.items()]
        lines.append("")
    return "\n".join(lines) + "\n"


def write(report: dict, folder: Path) -> tuple[Path, Path]:
    stamp = report["made_at"][:10]
    folder.mkdir(parents=True, exist_ok=True)
    as_json = folder / f"subject-report-{stamp}.json"
    readable = folder / f"subject-report-{stamp}.txt"
    as_json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    readable.write_text(as_text(report), encoding="utf-8")
    for path in (as_json, readable):
        path.chmod(0o600)  # personal data: the operator's alone
    return as_json, readable


@click.command("subject-report")
@click.option("--nip", required=True, help="NIP ASN yang meminta (18 angka).")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder tempat berkas JSON dan teks ditulis.")
def subject_report_command(nip, folder):
    """Berkas berisi apa yang disimpan Netra tentang satu NIP (permintaan subjek data, UU PDP), tanpa
    identitas pelapor atau apa pun yang disegel: JSON dan teks yang dapat dibaca, untuk diperiksa tim."""
    try:
        digits = nip_digits(nip)
    except BadNip as exc:
        raise click.BadParameter(str(exc.message), param_hint="--nip") from None
    engine = create_engine(load_service_config("casework")["NETRA_DB_URL"])
    with engine.connect() as conn:
        report = subject_report(conn, digits)
    as_json, readable = write(report, folder)
    click.echo(f"{len(report['cases'])} case(s) about this NIP; written {as_json} and {readable}")
