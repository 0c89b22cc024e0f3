"""`netra show`'s text: the case file in words (stages, violation types, sanctions, events, people's
names; times in WIB), never the codes, ids or Unix times the API carries for scripts (`--json`)."""

from __future__ import annotations

from netra_cli.output import _indented, cell, day, fields, table, wib
from netra_cli.words import Words

# The only reporter facts the case file may show: flags, never who (that takes a disclosure).
REPORTER_FLAGS = (("anonymous", "anonim"), ("identity_sealed", "identitas tersegel"),
                  ("contact_consent", "bersedia dihubungi"))
COPY_WORDS = {"thumbnail": "gambar kecil", "sanitized": "salinan bersih", "original": "salinan asli",
              "decree": "SK"}


def case_file(case: dict, words: Words | None = None) -> str:
    """The whole case file as sections; the reporter appears only as flags."""
    w = words or Words()
    parts = [_header(case, w), _reported(case), _violation(case, w), _reporter(case)]
    parts += [_decisions(case, w), _evidence(case, w), _conversation(case), _disclosures(case, w), _retention(case),
              _links(case, w), _timeline(case, w), _access(case, w)]
    return "\n\n".join(p for p in parts if p)


def _header(case: dict, w: Words) -> str:
    assignee = case.get("assignee") or {}
    mine = case.get("my_commands", case.get("allowed_commands"))
    lines = [f"Kasus {case['case_number']}"]
    lines += fields([
        ("Tahap", f"{w.status(case['status'])} (versi {case['version']})"),
        ("Sumber", w.source(case.get("source"))),
        ("Dibuka", wib(case.get("opened_at"))),
        ("Masuk tahap ini", wib(case.get("stage_entered_at"))),
        ("Batas waktu", f"{wib(case.get('due_at'))}{'  TERLAMBAT' if case.get('overdue') else ''}"),
        ("Petugas", w.person(assignee.get("id")) if assignee and w.team else cell(assignee.get("name"))),
        ("Yang boleh Anda jalankan", w.commands(mine)),
    ])
    return "\n".join(lines)


def _reported(case: dict) -> str:
    reported = case.get("reported") or {}
    return "\n".join(["ASN yang dilaporkan", *fields([
        ("Nama", cell(reported.get("name"))), ("NIP", cell(reported.get("nip"))),
        ("Jabatan", cell(reported.get("position"))), ("Unit kerja", cell(reported.get("work_unit"))),
        ("Kecamatan", cell(reported.get("kecamatan")))], "  ")])


def _violation(case: dict, w: Words) -> str:
    return "\n".join(["Dugaan pelanggaran", *fields([
        ("Platform", w.platform(case.get("platform"))), ("Akun", cell(case.get("account_handle"))),
        ("Waktu kejadian", wib(case.get("occurred_at"))),
        ("Jenis", "; ".join(w.violation(v) for v in case.get("violation_types") or []) or "-"),
        ("Uraian", cell(case.get("description"))),
        *(("Tautan", url) for url in case.get("post_urls") or [])], "  ")])


def _reporter(case: dict) -> str:
    reporter = case.get("reporter") or {}
    flags = ", ".join(f"{label}: {cell(reporter.get(key))}" for key, label in REPORTER_FLAGS if key in reporter)
    return (f"Pelapor: {flags or '-'}\n  Identitas pelapor tidak pernah ditampilkan di sini; hanya penerima\n"
            "  pengungkapan yang disetujui dapat membacanya dengan `netra read-identity`.")


def _decisions(case: dict, w: Words) -> str:
    parts = []
    for key, title in (("proposal", "Usulan temuan"), ("finding", "Temuan (dikonfirmasi)")):
        if case.get(key):
            item = case[key]
            parts.append("\n".join([title, *fields([
                ("Temuan", cell(item.get("finding"))), ("Dasar hukum", cell(item.get("legal_basis"))),
                ("Tingkat sanksi", w.sanction_level(item.get("sanction_level"))),
                ("Diusulkan oleh", w.person(item.get("proposed_by"))),
                *([("Dikonfirmasi oleh", w.person(item.get("confirmed_by")))] if "confirmed_by" in item else [])],
                "  ")]))
    if case.get("dismissal"):
        item = case["dismissal"]
        parts.append("\n".join(["Tidak dilanjutkan", *fields([
            ("Alasan", w.dismissal(item.get("reason"))), ("Catatan", cell(item.get("note"))),
            ("Duplikat dari", cell(item.get("duplicate_of")))], "  ")]))
    if case.get("sanction"):
        item = case["sanction"]
        parts.append("\n".join(["Sanksi (keputusan BKPPD)", *fields([
            ("Jenis", w.sanction_type(item.get("sanction_type"))), ("Nomor SK", cell(item.get("decree_number"))),
            ("Tanggal SK", day(item.get("decree_date"))), ("Catatan", cell(item.get("note")))], "  ")]))
    for decree in case.get("decrees") or []:
        parts.append("\n".join(["Berkas SK (PDF, disimpan sebagai bukti)", *fields([
            ("SHA-256", cell(decree.get("sha256"))), ("Ukuran", f"{decree.get('size')} B"),
            ("Halaman", cell(decree.get("pages"))), ("Diterima", wib(decree.get("received_at"))),
            ("Diunggah oleh", w.person(decree.get("by")))], "  ")]))
    return "\n\n".join(parts)


def _evidence(case: dict, w: Words) -> str:
    # The evidence id stays: `netra evidence` and `netra grant` take it.
    rows = [{**e, "received_at": wib(e.get("received_at")),
             "size": f"{e['size']} B" if e.get("size") is not None else None,
             # a team member's own screenshot names them (decision 0025); a reporter's stays "pelapor"
             "by": w.person(e["added_by"]) if e.get("added_by") else "pelapor"} for e in case.get("evidence") or []]
    text = "Bukti tangkapan layar\n" + _indented(table(rows, (
        ("evidence_id", "Id bukti"), ("sha256", "SHA-256"), ("content_type", "Jenis"), ("size", "Ukuran"),
        ("received_at", "Diterima"), ("by", "Dari")), width=64))
    rejected = case.get("rejected_uploads") or []
    if rejected:
        text += "\n  Unggahan ditolak: " + "; ".join(w.rejection(r.get("reason_code")) for r in rejected)
    return text


def _conversation(case: dict) -> str:
    messages = case.get("conversation") or []
    if not messages:
        return ""
    who = {"team": "Tim", "reporter": "Pelapor"}
    return "Percakapan dengan pelapor\n" + "\n".join(
        f"  {who.get(m.get('author'), cell(m.get('author')))}: {cell(m.get('body'))}" for m in messages)


def _disclosures(case: dict, w: Words) -> str:
    # The request id stays: `netra approve-disclosure` and `deny-disclosure` take it.
    rows = [{**d, "state": w.disclosure_state(d.get("state")), "valid_until": wib(d.get("valid_until")),
             "requested_by": w.person(d.get("requested_by"))} for d in case.get("disclosures") or []]
    if not rows:
        return ""
    return "Permintaan pengungkapan identitas\n" + _indented(table(rows, (
        ("request_id", "Id permintaan"), ("state", "Keadaan"), ("requested_by", "Diminta oleh"),
        ("recipient_name", "Penerima"), ("recipient_body", "Instansi"), ("valid_until", "Berlaku sampai"),
        ("reads", "Dibaca"), ("reason", "Alasan")), width=40))


HOLD_WORDS = {"appeal": "keberatan/banding", "court": "pengadilan/penegak hukum", "audit": "pemeriksaan",
              "subject_request": "permintaan subjek data", "other": "lainnya"}


def _retention(case: dict) -> str:
    """How long the case is kept (docs/retention.md): its period, a legal hold, a purge."""
    kept = case.get("retention") or {}
    if not kept:
        return ""
    hold = kept.get("hold") or {}
    rows = [("Disimpan sampai", wib(kept.get("keep_until")) if kept.get("keep_until") else "belum diputus")]
    if hold:
        rows.append(("Ditahan (legal hold)", f"{HOLD_WORDS.get(hold.get('reason'), cell(hold.get('reason')))}: "
                                             f"{cell(hold.get('note'))}"))
    if kept.get("purged_at"):
        rows.append(("Data pribadi dihapus", wib(kept.get("purged_at"))))
    return "Retensi\n" + "\n".join(fields(rows))


def _links(case: dict, w: Words) -> str:
    """One line per related case with every reason, in words (never the screenshots' ids)."""
    by_case: dict[str, dict] = {}
    for link in case.get("links") or []:
        entry = by_case.setdefault(link["case_number"], {"status": link.get("status"), "why": []})
        entry["why"].append(link.get("why") or w._of("links", link.get("reason")))
    if not by_case:
        return ""
    return "Kasus terkait\n" + "\n".join(f"  {number} ({w.status(e['status'])}): {'; '.join(e['why'])}"
                                         for number, e in by_case.items())


def _timeline(case: dict, w: Words) -> str:
    rows = [{"at": wib(t.get("at")), "type": w.event(t.get("type")), "status": w.status(t.get("status"))
             if t.get("status") else "-", "actor": w.person(t.get("actor"))} for t in case.get("timeline") or []]
    return "Riwayat (perubahan kasus)\n" + _indented(table(rows, (
        ("at", "Waktu"), ("type", "Peristiwa"), ("status", "Tahap"), ("actor", "Oleh")), width=48))


def _access(case: dict, w: Words) -> str:
    views = case.get("access_log") or []
    if not views:
        return ""
    rows = [{"at": wib(v.get("at")), "what": w.event(v.get("type")) + (
        f" ({COPY_WORDS.get(v['copy'], v['copy'])})" if v.get("copy") else ""),
        "who": w.person(v.get("viewer") or v.get("actor")), "purpose": v.get("purpose")} for v in views]
    return "Catatan akses (siapa melihat)\n" + _indented(table(rows, (
        ("at", "Waktu"), ("what", "Apa"), ("who", "Oleh"), ("purpose", "Keperluan")), width=48))
