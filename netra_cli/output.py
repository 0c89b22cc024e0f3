"""Plain-text views of the API's answers: tables, the case file, statistics; times in WIB.

Pure functions from JSON-ready data to text, so they are tested without a server.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

# Bengkalis keeps Western Indonesia Time, UTC+7 all year (no daylight saving), so a fixed
# offset is exact and needs no tz database on the user's machine. The CLI imports nothing of the
# server's packages, so this is a copy of netra_common.wib.WIB, held to it by a test.
WIB = timezone(timedelta(hours=7), "WIB")
CELL_WIDTH = 32

STATUS_LABELS = {
    "opened": "dibuka", "assigned": "ditugaskan", "under_verification": "sedang diverifikasi",
    "clarification_requested": "menunggu klarifikasi pelapor", "violation_proposed": "pelanggaran diusulkan",
    "violation_confirmed": "pelanggaran dikonfirmasi", "dismissed": "tidak dilanjutkan",
    "forwarded_to_bkppd": "diteruskan ke BKPPD", "sanction_decided": "sanksi diputuskan", "closed": "selesai",
}
DIMENSION_TITLES = {"status": "Kasus menurut tahap", "platform": "Kasus menurut platform",
                    "violation_type": "Kasus menurut jenis pelanggaran", "work_unit": "Kasus menurut unit kerja",
                    "week": "Kasus baru per minggu"}
# The only reporter facts the case file may show: flags, never who (that takes a disclosure).
REPORTER_FLAGS = (("anonymous", "anonim"), ("identity_sealed", "identitas tersegel"),
                  ("contact_consent", "bersedia dihubungi"))
LIST_COLUMNS = (("case_number", "Nomor"), ("status", "Tahap"), ("platform", "Platform"),
                ("reported_name", "ASN dilaporkan"), ("work_unit", "Unit kerja"),
                ("assignee_name", "Petugas"), ("due_at", "Batas waktu"), ("overdue", "Terlambat"))


# --- single values ----------------------------------------------------------------------


def wib(value) -> str:
    """An ISO time (any offset; naive means UTC) as 'DD-MM-YYYY HH:MM WIB'; '-' when absent."""
    if value in (None, ""):
        return "-"
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")


def day(value) -> str:
    """A calendar date (YYYY-MM-DD) as 'DD-MM-YYYY'."""
    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return "-" if value in (None, "") else str(value)


def cell(value) -> str:
    """One value as table text: '-' for nothing, ya/tidak for flags, lists joined."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value) or "-"
    return " ".join(str(value).split())  # one line per row, whatever the text holds


def truncate(text: str, width: int = CELL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def status_text(status: str | None) -> str:
    label = STATUS_LABELS.get(status or "")
    return f"{status} ({label})" if label else cell(status)


def as_json(value) -> str:
    """The API's own answer, for --json (scripts read this, so keys stay as the API names them)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


# --- tables -----------------------------------------------------------------------------


def table(rows: list[dict], columns, width: int = CELL_WIDTH) -> str:
    """A left-aligned text table of `rows` with (key, header) `columns`; '(kosong)' when empty."""
    if not rows:
        return "(kosong)"
    cells = [[truncate(cell(row.get(key)), width) for key, _ in columns] for row in rows]
    headers = [header for _, header in columns]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def fields(pairs, indent: str = "") -> list[str]:
    """'label : value' lines, labels aligned."""
    pairs = list(pairs)
    width = max((len(label) for label, _ in pairs), default=0)
    return [f"{indent}{label.ljust(width)} : {value}" for label, value in pairs]


def case_list(page: dict) -> str:
    """The work queue as a table and 'N dari TOTAL kasus'."""
    rows = [{**item, "due_at": wib(item.get("due_at"))} for item in page["items"]]
    shown = f"{len(rows)} dari {page['total']} kasus"
    if page.get("offset"):
        shown += f" (mulai dari urutan ke-{page['offset'] + 1})"
    return f"{table(rows, LIST_COLUMNS)}\n\n{shown}"


# --- the case file ----------------------------------------------------------------------


def case_file(case: dict) -> str:
    """The whole case file as sections; the reporter appears only as flags."""
    parts = [_header(case), _reported(case), _violation(case), _reporter(case)]
    parts += [_decisions(case), _evidence(case), _conversation(case), _disclosures(case), _links(case),
              _timeline(case)]
    return "\n\n".join(p for p in parts if p)


def _header(case: dict) -> str:
    assignee = case.get("assignee") or {}
    lines = [f"Kasus {case['case_number']}  (id {case['case_id']})"]
    lines += fields([
        ("Tahap", f"{status_text(case['status'])}, versi {case['version']}"),
        ("Sumber", cell(case.get("source"))),
        ("Dibuka", wib(case.get("opened_at"))),
        ("Masuk tahap ini", wib(case.get("stage_entered_at"))),
        ("Batas waktu", f"{wib(case.get('due_at'))}{'  TERLAMBAT' if case.get('overdue') else ''}"),
        ("Petugas", f"{assignee['name']} ({assignee['id']})" if assignee else "-"),
        ("Perintah yang boleh", cell(case.get("allowed_commands"))),
    ])
    return "\n".join(lines)


def _reported(case: dict) -> str:
    reported = case.get("reported") or {}
    return "\n".join(["ASN yang dilaporkan", *fields([
        ("Nama", cell(reported.get("name"))), ("NIP", cell(reported.get("nip"))),
        ("Jabatan", cell(reported.get("position"))), ("Unit kerja", cell(reported.get("work_unit"))),
        ("Kecamatan", cell(reported.get("kecamatan")))], "  ")])


def _violation(case: dict) -> str:
    return "\n".join(["Dugaan pelanggaran", *fields([
        ("Platform", cell(case.get("platform"))), ("Akun", cell(case.get("account_handle"))),
        ("Waktu kejadian", wib(case.get("occurred_at"))), ("Jenis", cell(case.get("violation_types"))),
        ("Uraian", cell(case.get("description"))),
        *(("Tautan", url) for url in case.get("post_urls") or [])], "  ")])


def _reporter(case: dict) -> str:
    reporter = case.get("reporter") or {}
    flags = ", ".join(f"{label}: {cell(reporter.get(key))}" for key, label in REPORTER_FLAGS if key in reporter)
    return (f"Pelapor: {flags or '-'}\n  Identitas pelapor tidak pernah ditampilkan di sini; hanya penerima\n"
            "  pengungkapan yang disetujui dapat membacanya dengan `netra read-identity`.")


def _decisions(case: dict) -> str:
    parts = []
    for key, title in (("proposal", "Usulan temuan"), ("finding", "Temuan (dikonfirmasi)")):
        if case.get(key):
            item = case[key]
            parts.append("\n".join([title, *fields([
                ("Temuan", cell(item.get("finding"))), ("Dasar hukum", cell(item.get("legal_basis"))),
                ("Tingkat sanksi", cell(item.get("sanction_level"))),
                ("Diusulkan oleh", cell(item.get("proposed_by"))),
                *([("Dikonfirmasi oleh", cell(item.get("confirmed_by")))] if "confirmed_by" in item else [])],
                "  ")]))
    if case.get("dismissal"):
        item = case["dismissal"]
        parts.append("\n".join(["Tidak dilanjutkan (dismissal)", *fields([
            ("Alasan", cell(item.get("reason"))), ("Catatan", cell(item.get("note"))),
            ("Duplikat dari", cell(item.get("duplicate_of")))], "  ")]))
    if case.get("sanction"):
        item = case["sanction"]
        parts.append("\n".join(["Sanksi (keputusan BKPPD)", *fields([
            ("Jenis", cell(item.get("sanction_type"))), ("Nomor SK", cell(item.get("decree_number"))),
            ("Tanggal SK", day(item.get("decree_date"))), ("Catatan", cell(item.get("note")))], "  ")]))
    return "\n\n".join(parts)


def _evidence(case: dict) -> str:
    rows = [{**e, "received_at": wib(e.get("received_at")),
             "size": f"{e['size']} B" if e.get("size") is not None else None} for e in case.get("evidence") or []]
    text = "Bukti tangkapan layar\n" + _indented(table(rows, (
        ("evidence_id", "Id bukti"), ("sha256", "SHA-256"), ("content_type", "Jenis"), ("size", "Ukuran"),
        ("received_at", "Diterima")), width=64))
    rejected = case.get("rejected_uploads") or []
    if rejected:
        text += "\n  Unggahan ditolak: " + ", ".join(f"{r['upload_id']} ({r['reason_code']})" for r in rejected)
    return text


def _conversation(case: dict) -> str:
    messages = case.get("conversation") or []
    if not messages:
        return ""
    who = {"team": "Tim", "reporter": "Pelapor"}
    return "Percakapan dengan pelapor\n" + "\n".join(
        f"  {who.get(m.get('author'), cell(m.get('author')))}: {cell(m.get('body'))}" for m in messages)


def _disclosures(case: dict) -> str:
    rows = [{**d, "valid_until": wib(d.get("valid_until"))} for d in case.get("disclosures") or []]
    if not rows:
        return ""
    return "Permintaan pengungkapan identitas\n" + _indented(table(rows, (
        ("request_id", "Id permintaan"), ("state", "Keadaan"), ("recipient_name", "Penerima"),
        ("recipient_body", "Instansi"), ("valid_until", "Berlaku sampai"), ("reads", "Dibaca"),
        ("reason", "Alasan")), width=40))


def _links(case: dict) -> str:
    links = case.get("links") or []
    if not links:
        return ""
    return "Kasus terkait\n" + _indented(table(links, (
        ("case_number", "Nomor"), ("status", "Tahap"), ("reason", "Alasan"), ("detail", "Rincian"))))


def _timeline(case: dict) -> str:
    rows = [{"version": t.get("version"), "at": wib(t.get("at")), "type": t.get("type"),
             "status": t.get("status"), "actor": (t.get("actor") or {}).get("role")}
            for t in case.get("timeline") or []]
    return "Riwayat\n" + _indented(table(rows, (
        ("version", "Versi"), ("at", "Waktu"), ("type", "Peristiwa"), ("status", "Tahap"), ("actor", "Oleh"))))


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


# --- other answers ----------------------------------------------------------------------


def command_done(command: str, answer: dict, case_label: str) -> str:
    """What a case command changed, and what may come next."""
    return (f"Berhasil: {command} pada kasus {case_label}.\n"
            f"Tahap sekarang: {status_text(answer.get('status'))}, versi {answer.get('version')}.\n"
            f"Perintah yang boleh berikutnya: {cell(answer.get('allowed_commands'))}")


def whoami(me: dict, session: dict) -> str:
    return "\n".join(fields([
        ("Nama pengguna", cell(me.get("username"))), ("Nama lengkap", cell(me.get("full_name"))),
        ("Peran", cell(me.get("role"))), ("Unit kerja", cell(me.get("work_unit"))),
        ("Id pengguna", cell(me.get("user_id"))), ("Server", cell(session.get("url"))),
        ("Sesi berlaku sampai", wib(session.get("expires_at")))]))


NOTIFY_MODES = {"immediate": "langsung, setiap ada kabar", "digest": "ringkasan harian (satu e-mail sehari)"}


def preferences(me: dict) -> str:
    return "\n".join(fields([
        ("E-mail", cell(me.get("email"))),
        ("Pemberitahuan", NOTIFY_MODES.get(me.get("notify_mode"), cell(me.get("notify_mode"))))]))


BAR_WIDTH = 30


def bar(count: int, largest: int) -> str:
    """A bar of blocks as long as `count` is against the largest (at least one block if any)."""
    if count <= 0 or largest <= 0:
        return ""
    return "\u2588" * max(1, round(BAR_WIDTH * count / largest))


def statistics(stats: dict) -> str:
    """Counts per dimension and time in each stage; the API never puts names in these."""
    parts = [f"Jumlah kasus: {stats.get('total_cases', 0)}"]
    for dimension, rows in (stats.get("counts") or {}).items():
        title = DIMENSION_TITLES.get(dimension, dimension)
        charted = [{**row, "bar": bar(row.get("count") or 0, max((r.get("count") or 0) for r in rows))}
                   for row in rows]
        parts.append(f"{title}\n" + _indented(table(charted, (("key", dimension), ("count", "Jumlah"),
                                                              ("bar", "")), width=48)))
    parts.append("Waktu di tiap tahap (jam)\n" + _indented(table(stats.get("time_in_stages") or [], (
        ("stage", "Tahap"), ("cases_passed", "Sudah lewat"), ("cases_in_stage_now", "Sedang di tahap"),
        ("average_hours", "Rata-rata"), ("median_hours", "Median")))))
    return "\n\n".join(parts)


def grant(answer: dict) -> str:
    return "\n".join(fields([
        ("Izin (grant)", cell(answer.get("grant"))), ("Salinan", cell(answer.get("copy"))),
        ("Berlaku sampai", wib(answer.get("expires_at"))), ("URL", cell(answer.get("url"))),
        ("Cara memakai", f"header {cell(answer.get('how'))}")]))


def identity(answer: dict) -> str:
    """The disclosed identity under its confidentiality notice (shown on screen only)."""
    notice = answer.get("notice") or "Rahasia."
    person = answer.get("identity") or {}
    lines = [f"*** {notice} ***", *fields((str(k), cell(v)) for k, v in person.items()), f"*** {notice} ***"]
    return "\n".join(lines)


# --- errors -----------------------------------------------------------------------------


def api_error(exc, case_label: str | None = None) -> str:
    """The API's refusal: its Indonesian message, HTTP status and code, and what to do next."""
    lines = [f"Galat dari server (HTTP {exc.status}, {exc.code}): {exc.message}"]
    details = exc.details if isinstance(exc.details, dict) else {}
    if exc.code == "stale_version":
        again = f"netra show {case_label}" if case_label else "netra show CASE"
        lines.append(f"Versi kasus saat ini: {details.get('current_version', '?')} "
                     f"(Anda mengirim --expected-version {details.get('expected_version', '?')}). "
                     f"Jalankan `{again}` lagi, periksa perubahannya, lalu ulangi perintah.")
    elif exc.code == "unauthenticated":
        lines.append("Sesi tidak berlaku lagi. Jalankan `netra login`.")
    elif exc.code in ("invalid_body", "invalid_query") and details:
        lines += [f"  {name}: {_messages(problem)}" for name, problem in details.items()]
    elif details and exc.code not in ("transition_not_allowed", "too_many_attempts", "login_busy"):
        # (those messages already name what is allowed, or how long to wait)
        lines.append(f"Rincian: {json.dumps(details, ensure_ascii=False)}")
    return "\n".join(lines)


def _messages(problem) -> str:
    if isinstance(problem, dict):
        return "; ".join(f"{key}: {_messages(value)}" for key, value in problem.items())
    if isinstance(problem, list):
        return "; ".join(_messages(p) for p in problem)
    return str(problem)
