"""Plain-text views of the API's answers: tables, the case file, statistics; times in WIB.

Pure functions from JSON-ready data to text, so they are tested without a server.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from netra_cli.words import OWN_STATUSES, Words

# Bengkalis keeps Western Indonesia Time, UTC+7 all year (no daylight saving), so a fixed
# offset is exact and needs no tz database on the user's machine. The CLI imports nothing of the
# server's packages, so this is a copy of netra_common.wib.WIB, held to it by a test.
WIB = timezone(timedelta(hours=7), "WIB")
CELL_WIDTH = 32

DIMENSION_TITLES = {"status": "Kasus menurut tahap", "platform": "Kasus menurut platform",
                    "violation_type": "Kasus menurut jenis pelanggaran", "work_unit": "Kasus menurut unit kerja",
                    "week": "Kasus baru per minggu"}
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
    """A stage in words ('Diteruskan ke BKPPD'), never its code."""
    return OWN_STATUSES.get(status or "") or cell(status)


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


def case_list(page: dict, words: Words | None = None) -> str:
    """The work queue as a table (stages and platforms in words) and 'N dari TOTAL kasus'."""
    w = words or Words()
    rows = [{**item, "due_at": wib(item.get("due_at")), "status": w.status(item.get("status")),
             "platform": w.platform(item.get("platform"))} for item in page["items"]]
    shown = f"{len(rows)} dari {page['total']} kasus"
    if page.get("offset"):
        shown += f" (mulai dari urutan ke-{page['offset'] + 1})"
    return f"{table(rows, LIST_COLUMNS)}\n\n{shown}"


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


# --- other answers ----------------------------------------------------------------------


def command_done(command: str, answer: dict, case_label: str, words=None) -> str:
    """What a case command changed, and what this member may run next (in words, with the
    subcommand to type): only what their role may run now, never one that would answer 403."""
    w = words or Words()
    mine = answer.get("my_commands", answer.get("allowed_commands"))
    return (f"Berhasil: {w.command(command)} pada kasus {case_label}.\n"
            f"Tahap sekarang: {w.status(answer.get('status'))} (versi {answer.get('version')}).\n"
            f"Perintah yang boleh berikutnya: {w.commands(mine)}")


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
