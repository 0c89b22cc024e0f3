"""`netra`: the group, logging in and out, and reading cases (list, show, identity).

Case commands are in casecommands.py; statistics, exports and evidence in exports.py; accounts,
their audit log and enrolling in accountcommands.py; BKPPD's decree (SK) as a PDF in decrees.py; the
team's own screenshots in screenshots.py.
"""

from __future__ import annotations

import json
import sys

import click

from netra_cli import casefile, output, session, words
from netra_cli.accountcommands import ACCOUNT_COMMANDS
from netra_cli.casecommands import CASE_COMMANDS
from netra_cli.click_words import speak_indonesian
from netra_cli.client import ApiError, Unreachable
from netra_cli.context import App, Failure, NetraGroup, otp_code, pass_app
from netra_cli.decrees import DECREE_COMMANDS
from netra_cli.exports import EXPORT_COMMANDS
from netra_cli.screenshots import SCREENSHOT_COMMANDS, first_look, kept_text, screenshot_option, send_screenshots
from netra_cli.vocabulary import (
    KECAMATAN,
    LARGEST_OFFSET,
    LARGEST_PAGE,
    PLATFORMS,
    SORTS,
    STATUSES,
    VIOLATION_TYPES,
)

EPILOG = """\b
Server: --url atau env NETRA_URL (bawaan http://127.0.0.1:8001).
Sesi: --session-file atau env NETRA_SESSION_FILE (bawaan ~/.config/netra/session.json).
Kode keluar: 0 berhasil, 1 ditolak server, 2 salah pemakaian, 3 belum masuk/sesi berakhir,
4 server tidak dapat dihubungi.
Contoh: netra login; netra list --assignee me; netra show NTR-2026-00012"""


@click.group(cls=NetraGroup, epilog=EPILOG, context_settings={"max_content_width": 110})
@click.option("--url", metavar="URL", help="Alamat server casework (env NETRA_URL).")
@click.option("--session-file", metavar="FILE", help="Berkas sesi (env NETRA_SESSION_FILE).")
@click.pass_context
def cli(ctx: click.Context, url: str | None, session_file: str | None) -> None:
    """Netra: alat baris perintah tim pemantau netralitas ASN (klien API casework)."""
    ctx.obj = App(url, session_file)


# --- session ----------------------------------------------------------------------------


@cli.command()
@click.option("--username", "-u", help="Nama pengguna (ditanyakan bila tidak diberikan).")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari baris pertama stdin (untuk skrip).")
@click.option("--otp", metavar="CODE", help="Kode OTP 6 digit dari aplikasi authenticator.")
@pass_app
def login(app: App, username: str | None, password_stdin: bool, otp: str | None) -> None:
    """Masuk dengan kata sandi dan kode OTP.

    Token disimpan di berkas sesi (mode 0600) sampai kedaluwarsa atau `netra logout`.
    """
    code = otp_code(otp) if otp else None  # a mistyped --otp fails before the password is asked
    username = username or click.prompt("Nama pengguna")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else \
        click.prompt("Kata sandi", hide_input=True)
    if not password:
        raise click.BadParameter("kata sandi kosong.", param_hint="--password-stdin")
    code = code or otp_code(click.prompt("Kode OTP (6 digit)"))
    answer = app.anonymous().post_json("/api/v1/auth/login", {"username": username, "password": password,
                                                               "otp": code})
    session.save(app.session_file, {"url": app.url, "token": answer["token"],
                                    "expires_at": answer["expires_at"], "user": answer["user"]})
    user = answer["user"]
    click.echo(f"Masuk sebagai {user['username']} ({user['full_name']}, peran {user['role']}) di {app.url}.")
    click.echo(f"Sesi berlaku sampai {output.wib(answer['expires_at'])}; disimpan di {app.session_file}.")


@cli.command()
@pass_app
def logout(app: App) -> None:
    """Keluar dan hapus berkas sesi.

    Token diakhiri di server; berkas sesi dihapus apa pun jawaban server.
    """
    try:
        app.session()
    except session.NotLoggedIn:
        # Expired, unreadable or for another server: nothing to tell the server, but tidy up.
        removed = session.delete(app.session_file)
        click.echo("Tidak ada sesi aktif." + (" Berkas sesi lama dihapus." if removed else ""))
        return
    problem = None
    try:
        app.client().post_json("/api/v1/auth/logout")
    except ApiError as exc:
        if exc.status != 401:  # a 401 means the token had ended already: that is logged out too
            problem = output.api_error(exc)
    except Unreachable as exc:
        problem = str(exc)
    # The local copy goes whatever the server said: a token no longer on disk cannot leak from it.
    session.delete(app.session_file)
    if problem:
        raise Failure(f"Berkas sesi dihapus, tetapi server tidak mengonfirmasi logout:\n{problem}")
    click.echo("Anda telah keluar; berkas sesi dihapus.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Cetak jawaban API apa adanya (JSON).")
@pass_app
def whoami(app: App, as_json: bool) -> None:
    """Tampilkan akun yang sedang masuk."""
    me = app.client().get_json("/api/v1/me")
    click.echo(output.as_json(me) if as_json else output.whoami(me, app.session()))


@cli.command()
@click.option("--notify-mode", type=click.Choice(tuple(output.NOTIFY_MODES)),
              help="immediate: tiap kabar langsung dikirim; digest: satu e-mail ringkasan sehari.")
@click.option("--json", "as_json", is_flag=True, help="Cetak jawaban API apa adanya (JSON).")
@pass_app
def preferences(app: App, notify_mode: str | None, as_json: bool) -> None:
    """Lihat atau ubah cara Anda menerima pemberitahuan e-mail."""
    client = app.client()
    me = client.post_json("/api/v1/me/preferences", {"notify_mode": notify_mode}) if notify_mode \
        else client.get_json("/api/v1/me")
    click.echo(output.as_json(me) if as_json else output.preferences(me))


# --- reading cases ----------------------------------------------------------------------


@cli.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Hanya kasus pada tahap ini.")
@click.option("--assignee", metavar="USER_ID|me", help="Hanya kasus petugas ini ('me' = saya).")
@click.option("--platform", type=click.Choice(PLATFORMS), help="Hanya platform ini.")
@click.option("--violation-type", type=click.Choice(VIOLATION_TYPES), help="Hanya jenis pelanggaran ini.")
@click.option("--work-unit", metavar="TEXT", help="Unit kerja ASN memuat teks ini.")
@click.option("--kecamatan", type=click.Choice(KECAMATAN), metavar="NAME", help="Hanya kecamatan ini (mis. Mandau).")
@click.option("--overdue/--not-overdue", default=None, help="Hanya yang terlambat / yang tidak terlambat.")
@click.option("--search", metavar="TEXT", help="Pencarian teks (bahasa Indonesia) atau nomor kasus.")
@click.option("--sort", type=click.Choice(SORTS), help="Urutkan menurut kolom ini (bawaan opened_at).")
@click.option("--asc", is_flag=True, help="Urutan naik (bawaan: turun, terbaru dulu).")
@click.option("--limit", type=click.IntRange(1, LARGEST_PAGE), default=50, show_default=True,
              help="Jumlah per halaman.")
@click.option("--offset", type=click.IntRange(0, LARGEST_OFFSET), default=0, show_default=True,
              help="Lewati sebanyak ini.")
@click.option("--json", "as_json", is_flag=True, help="Cetak jawaban API apa adanya (JSON).")
@pass_app
def list_cases(app: App, as_json: bool, **options) -> None:
    """Daftar kasus (antrean kerja) dengan penyaring."""
    client = app.client()
    page = client.get_json("/api/v1/cases", queue_query(**options))
    click.echo(output.as_json(page) if as_json else output.case_list(page, words.fetch(client)))


def queue_query(status=None, assignee=None, platform=None, violation_type=None, work_unit=None,
                kecamatan=None, overdue=None, search=None, sort=None, asc=False, limit=50, offset=0) -> dict:
    """The options of `netra list` as GET /api/v1/cases query parameters (unset ones left out)."""
    query = {"status": status, "assignee": assignee, "platform": platform, "violation_type": violation_type,
             "work_unit": work_unit, "kecamatan": kecamatan, "q": search, "sort": sort,
             "overdue": None if overdue is None else str(overdue).lower(),
             "order": "asc" if asc else None, "limit": limit, "offset": offset}
    return {key: value for key, value in query.items() if value is not None}


@cli.command()
@click.argument("case")
@click.option("--json", "as_json", is_flag=True, help="Cetak jawaban API apa adanya (JSON).")
@pass_app
def show(app: App, case: str, as_json: bool) -> None:
    """Tampilkan berkas kasus beserta riwayatnya.

    CASE adalah id kasus (UUID) atau nomor kasus (mis. NTR-2026-00012). Waktu dalam WIB.
    Identitas pelapor tidak pernah ada di tampilan ini.
    """
    client = app.client()
    found = client.get_json(f"/api/v1/cases/{app.case_id(client, case)}")
    if as_json:
        click.echo(output.as_json(found))  # the API's codes and ids, for scripts
    else:
        click.echo(casefile.case_file(found, words.fetch(client, app.session().get("user"))))


@cli.command("read-identity")
@click.argument("case")
@pass_app
def read_identity(app: App, case: str) -> None:
    """Baca identitas pelapor (rahasia, tercatat).

    Hanya penerima pengungkapan yang disetujui, selama masih berlaku. Identitas hanya
    ditampilkan di layar, tidak pernah ditulis ke berkas atau log.
    """
    client = app.client()
    answer = client.post_json(f"/api/v1/cases/{app.case_id(client, case)}/identity")
    # Shown on the terminal only: never written to a file, never logged.
    click.echo(output.identity(answer))


@cli.command("file-case")
@click.option("--json", "json_file", type=click.File("r", encoding="utf-8"), required=True, metavar="FILE",
              help="Berkas JSON isi kasus ('-' = stdin), menurut skema FileCase di /openapi.json.")
@screenshot_option
@pass_app
def file_case(app: App, json_file, screenshots: tuple) -> None:
    """Buat kasus dari pemantauan tim sendiri.

    Isi kasus dibaca dari berkas JSON (skema FileCase di GET /openapi.json). Dengan --screenshot,
    jenis dan ukuran tiap berkas diperiksa lebih dulu; kasus dibuat, lalu tangkapan layar diserahkan
    ke layanan bukti (diperiksa dan disimpan seperti milik pelapor). Bila layanan bukti menolaknya,
    kasus tetap ada tanpa tangkapan layar itu: tambahkan dengan `netra add-screenshot`.
    """
    try:
        body = json.load(json_file)
    except ValueError as exc:
        raise click.BadParameter(f"bukan JSON yang sah: {exc}", param_hint="--json") from None
    files = first_look(screenshots)  # before anything is filed
    client = app.client()
    created = client.post_json("/api/v1/cases", body)
    click.echo(f"Kasus dibuat: {created['case_number']} (id {created['case_id']}), "
               f"tahap {output.status_text(created['status'])}, versi {created['version']}.")
    if files:
        try:
            answer = send_screenshots(client, created["case_id"], files)
        except ApiError as exc:
            raise Failure(f"Kasus {created['case_number']} sudah dibuat, tetapi tangkapan layar ditolak: "
                          f"{exc.message} Tambahkan yang benar dengan: netra add-screenshot "
                          f"{created['case_number']} FILE") from None
        click.echo(kept_text(answer, files))


for _command in (*CASE_COMMANDS, *DECREE_COMMANDS, *SCREENSHOT_COMMANDS, *EXPORT_COMMANDS, *ACCOUNT_COMMANDS):
    cli.add_command(_command)


def main() -> None:
    """The console script `netra`."""
    speak_indonesian()
    cli(prog_name="netra")


if __name__ == "__main__":
    main()
