"""Composing messages from events and the operator-editable templates (Bahasa Indonesia, WIB).

Each kind has `templates/<kind>.txt` (first line `Subject: ...`) and `templates/<kind>.html`;
values are `$name` placeholders, escaped for HTML. Messages to a reporter carry no case
details at all: only that there is news, and where to read it.
"""

from __future__ import annotations

import html
import json
import string
from dataclasses import dataclass
from pathlib import Path

from netra_common.contracts.reference import PLATFORMS, SANCTION_LEVELS, VIOLATION_TYPES
from netra_common.wib import in_wib
from services.notify.domain.reporter_news import News

STAGE_LABELS = {
    "opened": "penugasan petugas", "assigned": "temuan verifikasi", "under_verification": "temuan verifikasi",
    "violation_proposed": "konfirmasi temuan", "clarification_requested": "jawaban pelapor",
    "violation_confirmed": "penerusan ke BKPPD", "forwarded_to_bkppd": "keputusan sanksi BKPPD",
}


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str | None = None


def render(template_dir: Path, kind: str, values: dict) -> Message:
    raw = (template_dir / f"{kind}.txt").read_text(encoding="utf-8")
    filled = string.Template(raw).safe_substitute(values)
    first, _, body = filled.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"template {kind}.txt must start with a 'Subject:' line")
    html_file = template_dir / f"{kind}.html"
    rendered_html = None
    if html_file.exists():
        escaped = {k: html.escape(str(v)).replace("\n", "<br>") for k, v in values.items()}
        rendered_html = string.Template(html_file.read_text(encoding="utf-8")).safe_substitute(escaped)
    return Message(first.removeprefix("Subject:").strip(), body.lstrip("\n"), rendered_html)


def case_link(team_url: str, case_id) -> str:
    """The case in the team console: a person not logged in logs in and lands on it (the console
    keeps the wanted route through the login). Never an API address: a mail's link opens a page."""
    return f"{team_url.rstrip('/')}/console/#/kasus/{case_id}"


def _lines(items, prefix: str = "  - ") -> str:
    return "\n".join(f"{prefix}{item}" for item in items) or f"{prefix}-"


CHECKPOINT_LABEL = "Titik periksa log (simpan surel ini; bukti bahwa catatan kasus tidak diubah)"


def _seal_lines(payload: dict) -> dict:
    """The dossier's SHA-256 and signature, and the log's signed checkpoint."""
    seal = payload.get("dossier") or {}
    checkpoint = payload.get("checkpoint")
    return {
        "dossier_sha256": seal.get("sha256") or "-",
        "dossier_signature": f"{seal.get('algorithm', '-')}, kunci {seal.get('key_id', '-')}: "
                             f"{seal.get('signature', '-')}",
        "checkpoint": checkpoint_line(checkpoint),
    }


def bkppd_forwarded(payload: dict, case_url: str, template_dir: Path) -> Message:
    reported = payload["reported"]
    evidence = payload.get("evidence") or []
    return render(template_dir, "bkppd_forwarded", {
        "case_number": payload["case_number"],
        "forwarded_at": in_wib(payload["forwarded_at"]),
        "reported_name": reported["name"],
        "reported_nip": reported.get("nip") or "-",
        "reported_position": reported.get("position") or "-",
        "reported_work_unit": reported.get("work_unit") or "-",
        "reported_kecamatan": reported.get("kecamatan") or "-",
        "platform": PLATFORMS.get(payload["platform"], {"id": payload["platform"]})["id"],
        "post_urls": _lines(payload.get("post_urls") or []),
        "violations": _lines(VIOLATION_TYPES.get(v, {"id": v})["id"] for v in payload["violation_types"]),
        "finding": payload["finding"],
        "legal_basis": payload["legal_basis"],
        "sanction_level": SANCTION_LEVELS.get(payload["sanction_level"], {"id": payload["sanction_level"]})["id"],
        "evidence": _lines((f"SHA-256 {e['sha256']} (diterima {in_wib(e['received_at'])})" for e in evidence),
                           prefix="  * ") if evidence else "  (tidak ada tangkapan layar)",
        "case_url": case_url,
        **_seal_lines(payload),
    })


def checkpoint_line(signed: dict | None) -> str:
    """The log's signed checkpoint as one line BKPPD keeps, its JSON as verify-log reads it
    (docs/checkpoints.md); nothing from a casework that sent none."""
    if not signed:
        return ""
    return (CHECKPOINT_LABEL + ": "
            + json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def team_message(kind: str, payload: dict, recipient_name: str, team_url: str, template_dir: Path) -> Message:
    """new_case, case_assigned, reporter_reply, case_overdue: for team members, in WIB."""
    values = {"recipient_name": recipient_name, "case_number": payload.get("case_number") or "-",
              "team_url": team_url,
              "case_url": case_link(team_url, payload["case_id"]) if payload.get("case_id") else f"{team_url}/console/"}
    if kind == "case_overdue":
        values.update(stage_label=STAGE_LABELS.get(payload["stage"], payload["stage"]),
                      due_at=in_wib(payload["due_at"]), assignee=payload.get("assignee_name") or "belum ditunjuk")
    for key in ("changed_at", "assigned_at", "replied_at"):
        if payload.get(key):
            values["at"] = in_wib(payload[key])
    return render(template_dir, kind, values)


def reporter_message(kind: str, portal_url: str, template_dir: Path, news: News | None = None) -> Message:
    """reporter_update (with its `news`: received, examined, decided) or reporter_question: what kind
    of change it is and a pointer to the status page, nothing of the complaint itself."""
    values = {"portal_url": portal_url}
    if news is not None:
        values.update(headline=news.headline, words=news.words)
    return render(template_dir, kind, values)


def digest(recipient_name: str, items: list[tuple[str, str]], day: str, template_dir: Path) -> Message:
    return render(template_dir, "digest", {
        "recipient_name": recipient_name, "day": day, "count": len(items),
        "items": "\n\n".join(f"* {subject}\n{text.strip()}" for subject, text in items)})


def disclosure_approved(case_number: str, valid_until: str, recipient_name: str, team_url: str,
                        template_dir: Path, case_id=None) -> Message:
    """For the person a disclosure names: that it is approved, until when, and how to read it.
    Never the identity itself."""
    return render(template_dir, "disclosure_approved", {
        "recipient_name": recipient_name, "case_number": case_number, "valid_until": in_wib(valid_until),
        "team_url": team_url, "case_url": case_link(team_url, case_id) if case_id else f"{team_url}/console/"})


ROLE_LABELS = {"ketua": "Ketua", "sekretaris": "Sekretaris", "anggota": "Anggota", "bkppd": "BKPPD", "admin": "Admin"}
ACTOR_LABELS = {"admin": "admin", "ketua": "ketua", "self": "pemilik akun", "server": "operator server"}
STATE_LABELS = {"invited": "menunggu pendaftaran oleh pemiliknya", "awaiting_confirmation": "menunggu konfirmasi ketua",
                "active": "aktif", "inactive": "dinonaktifkan"}
# action: (what was done, as a subject's title)
ACCOUNT_ACTIONS = {
    "created": ("membuat akun untuk", "Akun baru"),
    "role_changed": ("mengubah peran akun", "Peran akun diubah"),
    "email_changed": ("mengubah alamat e-mail akun", "E-mail akun diubah"),
    "deactivated": ("menonaktifkan akun", "Akun dinonaktifkan"),
    "enrolment_reset": ("mengatur ulang pendaftaran (kata sandi dan TOTP) akun", "Pendaftaran akun diatur ulang"),
    "enrolled": ("menetapkan sendiri kata sandi dan TOTP akun", "Pendaftaran akun selesai"),
    "confirmed": ("mengonfirmasi akun", "Akun dikonfirmasi"),
    "created_on_server": ("membuat akun di server untuk", "Akun dibuat di server"),
    "reset_on_server": ("mengatur ulang akun di server milik", "Akun diatur ulang di server"),
    "bootstrap_ketua": ("membuat ketua pertama di server:", "Ketua pertama dibuat"),
    "vault_init": ("menyiapkan brankas identitas di server dan memberi kuncinya kepada", "Brankas identitas disiapkan"),
    "vault_granted": ("memberi akses brankas identitas kepada", "Akses brankas identitas diberikan"),
    "vault_recovered": ("memakai KUNCI PEMULIHAN brankas identitas untuk memberi akses kepada",
                        "Kunci pemulihan brankas dipakai"),
    "password_changed": ("mengganti sendiri kata sandi akun", "Kata sandi akun diganti"),
    "totp_changed": ("mengganti sendiri aplikasi autentikator (TOTP) akun", "Autentikator akun diganti"),
}
FIELD_LABELS = {"role": "peran", "email": "e-mail", "work_unit": "unit kerja", "full_name": "nama"}
AWAITING_ADVICE = ("Akun ini menunggu konfirmasi ketua. Sebelum mengonfirmasi, pastikan langsung kepada "
                   "orangnya (bukan lewat admin) bahwa nama, peran, unit kerja, dan e-mail di atas benar: ketua "
                   "yang mengonfirmasi menjamin bahwa akun ini milik orang itu.")
OTHER_ADVICE = "Jika Anda tidak mengenal perubahan ini, periksa log audit akun dan hubungi ketua tim yang lain."


def _account_changes(payload: dict) -> str:
    changes = payload.get("changes") or {}
    if payload["action"] == "confirmed" and isinstance(changes.get("confirmed"), dict):
        facts = changes["confirmed"]
        role = ROLE_LABELS.get(facts.get("role"), facts.get("role"))
        return (f"dikonfirmasi sebagai {facts.get('full_name')}, {role}, unit kerja {facts.get('work_unit') or '-'}, "
                f"e-mail {facts.get('email') or '-'}")
    moved = [f"{FIELD_LABELS.get(k, k)} {v.get('from') or '-'} -> {v.get('to') or '-'}" for k, v in changes.items()
             if isinstance(v, dict) and "from" in v]
    return "; ".join(moved) or "-"


def account_changed(payload: dict, recipient_name: str, team_url: str, template_dir: Path) -> Message:
    """For every ketua (and the holder's former address): who did what to which account, and what
    to check before confirming one."""
    action_text, title = ACCOUNT_ACTIONS.get(payload["action"], (payload["action"], "Perubahan akun"))
    actor = f"{payload['actor_name']} ({ACTOR_LABELS.get(payload['actor_role'], payload['actor_role'])})"
    return render(template_dir, "account_changed", {
        "recipient_name": recipient_name, "title": title, "actor": actor, "action_text": action_text,
        "at": in_wib(payload["at"]), "full_name": payload["full_name"], "username": payload["username"],
        "role": ROLE_LABELS.get(payload["role"], payload["role"]), "work_unit": payload.get("work_unit") or "-",
        "email": payload.get("email") or "-", "state": STATE_LABELS.get(payload["state"], payload["state"]),
        "changes": _account_changes(payload),
        "advice": AWAITING_ADVICE if payload["state"] == "awaiting_confirmation" else OTHER_ADVICE,
        "team_url": team_url})


def enrolment(payload: dict, team_url: str, template_dir: Path) -> Message:
    """The invitation to enrol. The code itself stays a placeholder (${enrolment_code}) in what is
    stored: it is opened from its sealed box and filled in only in the message as it is sent."""
    return render(template_dir, "enrolment", {"full_name": payload["full_name"],
                                              "expires_at": in_wib(payload["expires_at"]), "team_url": team_url})
