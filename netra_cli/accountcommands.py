"""`netra users ...`, `netra audit` and `netra enrol`: the team's accounts from the terminal.

An admin makes and changes accounts (the holder gets a one-time code by e-mail); a ketua confirms
them after checking with the person; the holder enrols with the code. No command ever prints a
password, a code or a key it did not ask the person at the terminal for.
"""

from __future__ import annotations

import sys
import uuid

import click

from netra_cli import output, words
from netra_cli.context import App, Failure, otp_code, pass_app

ROLES = ("ketua", "sekretaris", "anggota", "bkppd", "admin")
STATES = {"invited": "menunggu pendaftaran", "awaiting_confirmation": "menunggu konfirmasi ketua",
          "active": "aktif", "inactive": "dinonaktifkan"}
json_option = click.option("--json", "as_json", is_flag=True, help="Cetak jawaban API apa adanya (JSON).")


def _state(account: dict) -> str:
    return STATES.get(account.get("state"), output.cell(account.get("state")))


def _listing(accounts: list[dict]) -> str:
    rows = [{**a, "state": _state(a)} for a in accounts]
    return output.table(rows, (("username", "Nama pengguna"), ("full_name", "Nama lengkap"), ("role", "Peran"),
                               ("work_unit", "Unit kerja"), ("email", "E-mail"), ("state", "Keadaan"),
                               ("user_id", "Id pengguna")), width=40)


def _facts(account: dict) -> str:
    pairs = [("Nama lengkap", output.cell(account.get("full_name"))),
             ("Nama pengguna", output.cell(account.get("username"))), ("Peran", output.cell(account.get("role"))),
             ("Unit kerja", output.cell(account.get("work_unit"))), ("E-mail", output.cell(account.get("email")))]
    if "state" in account:
        pairs.append(("Keadaan", _state(account)))
    return "\n".join(output.fields(pairs))


def _find(app: App, user: str) -> dict:
    """The account the user named, by id or username, from the list of accounts."""
    accounts = app.client().get_json("/api/v1/users")
    try:
        wanted = str(uuid.UUID(user))
        found = [a for a in accounts if a["user_id"] == wanted]
    except ValueError:
        found = [a for a in accounts if a["username"] == user]
    if not found:
        raise Failure(f"Akun {user} tidak ditemukan.")
    return found[0]


@click.group(invoke_without_command=True)
@click.pass_context
def users(ctx: click.Context) -> None:
    """Akun tim: daftar, kelola (admin), konfirmasi (ketua).

    Tanpa subperintah: sama dengan `netra users list`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_accounts)


@users.command("list")
@click.option("--state", type=click.Choice(tuple(STATES)), help="Hanya akun dalam keadaan ini.")
@json_option
@pass_app
def list_accounts(app: App, state: str | None = None, as_json: bool = False) -> None:
    """Daftar akun dan keadaannya (admin dan ketua).

    Tidak pernah memuat kata sandi, kode pendaftaran, atau kunci autentikator.
    """
    accounts = app.client().get_json("/api/v1/users", {"state": state} if state else None)
    click.echo(output.as_json(accounts) if as_json else _listing(accounts))


@users.command("create")
@click.option("--username", required=True, help="Huruf kecil, angka, titik, garis bawah, tanda hubung.")
@click.option("--full-name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--email", required=True, help="Ke sini kode pendaftaran dikirim, hanya untuk pemilik akun.")
@click.option("--work-unit", default=None, help="Unit kerja orangnya (untuk pengecualian kasus).")
@json_option
@pass_app
def create(app: App, username: str, full_name: str, role: str, email: str, work_unit: str | None,
           as_json: bool) -> None:
    """Buat akun (admin); pemiliknya menerima kode pendaftaran lewat e-mail."""
    made = app.client().post_json("/api/v1/users", {"username": username, "full_name": full_name, "role": role,
                                                    "email": email, "work_unit": work_unit})
    if as_json:
        click.echo(output.as_json(made))
        return
    click.echo(f"Akun {made['username']} dibuat ({_state(made)}). Kode pendaftaran dikirim ke {made['email']}, "
               f"berlaku sampai {output.wib(made.get('enrolment_expires_at'))}.")


def _change(app: App, user: str, path: str, body: dict | None = None) -> dict:
    account = _find(app, user)
    return app.client().post_json(f"/api/v1/users/{account['user_id']}/{path}", body or {})


@users.command("role")
@click.argument("user")
@click.option("--to", "role", required=True, type=click.Choice(ROLES))
@pass_app
def change_role(app: App, user: str, role: str) -> None:
    """Ubah peran akun USER (admin).

    Semua sesinya berakhir, dan ketua mengonfirmasi akun itu lagi.
    """
    changed = _change(app, user, "role", {"role": role})
    click.echo(f"Peran {changed['username']} sekarang {changed['role']} ({_state(changed)}).")


@users.command("email")
@click.argument("user")
@click.option("--to", "email", required=True)
@pass_app
def change_email(app: App, user: str, email: str) -> None:
    """Ubah e-mail akun USER (admin).

    Semua sesinya berakhir, dan ketua mengonfirmasi akun itu lagi.
    """
    changed = _change(app, user, "email", {"email": email})
    click.echo(f"E-mail {changed['username']} sekarang {changed['email']} ({_state(changed)}).")


@users.command("deactivate")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Jangan bertanya lagi.")
@pass_app
def deactivate(app: App, user: str, yes: bool) -> None:
    """Nonaktifkan akun USER (admin), untuk selamanya.

    Semua sesinya berakhir; orang yang kembali bertugas mendapat akun baru.
    """
    if not yes:
        click.confirm(f"Nonaktifkan {user}? Akun ini tidak dapat dipakai lagi", abort=True)
    changed = _change(app, user, "deactivate")
    click.echo(f"Akun {changed['username']} dinonaktifkan.")


@users.command("reset-enrolment")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Jangan bertanya lagi.")
@pass_app
def reset_enrolment(app: App, user: str, yes: bool) -> None:
    """Atur ulang pendaftaran akun USER (admin).

    Kata sandi dan TOTP-nya dihapus, kode pendaftaran baru dikirim ke e-mailnya,
    dan ketua mengonfirmasi akun itu lagi.
    """
    if not yes:
        click.confirm(f"Hapus kata sandi dan TOTP {user} dan kirim kode pendaftaran baru", abort=True)
    changed = _change(app, user, "reset-enrolment")
    click.echo(f"Pendaftaran {changed['username']} diatur ulang; kode baru dikirim ke {changed['email']}.")


@users.command("confirm")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Sudah dipastikan langsung kepada orangnya; jangan bertanya.")
@pass_app
def confirm(app: App, user: str, yes: bool) -> None:
    """Konfirmasi akun USER (ketua), persis seperti yang ditampilkan.

    Anda menjamin bahwa akun ini milik orang yang disebut, dengan peran, unit kerja, dan e-mail
    itu: pastikan langsung kepada orangnya, bukan lewat admin.
    """
    account = _find(app, user)
    click.echo(_facts(account))
    if not yes:
        click.confirm("Sudah Anda pastikan langsung kepada orangnya bahwa semua di atas benar", abort=True)
    done = app.client().post_json(f"/api/v1/users/{account['user_id']}/confirm",
                                  {"expected_version": account["version"]})
    click.echo(f"Akun {done['username']} dikonfirmasi ({_state(done)}).")


@users.command("grant-vault")
@click.argument("user")
@pass_app
def grant_vault(app: App, user: str) -> None:
    """Beri akses brankas identitas kepada ketua USER (ketua yang memegangnya).

    Kunci brankas disegel untuk kunci pribadi ketua itu; tercatat di log audit dan dikirim ke
    semua ketua (docs/identity-vault.md).
    """
    account = _find(app, user)
    done = app.client().post_json(f"/api/v1/users/{account['user_id']}/vault-grant", {})
    click.echo(f"{done['username']} kini memegang akses brankas identitas.")


@click.command()
@click.option("--account", "user", metavar="USER", help="Hanya akun ini (id atau nama pengguna).")
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@json_option
@pass_app
def audit(app: App, user: str | None, limit: int, offset: int, as_json: bool) -> None:
    """Log audit akun (ketua), terbaru dulu.

    Siapa melakukan apa terhadap akun mana, kapan, dan sebagai apa.
    """
    query = {"limit": limit, "offset": offset}
    if user:
        query["account_id"] = _find(app, user)["user_id"]
    client = app.client()
    page = client.get_json("/api/v1/audit/accounts", query)
    if as_json:
        click.echo(output.as_json(page))  # the API's codes, for scripts
        return
    said = words.fetch(client)
    rows = [{**e, "at": output.wib(e["at"]), "actor": f"{e['actor_name']} ({said.role(e['actor_role'])})",
             "action": said.account_action(e["action"])} for e in page["items"]]
    click.echo(output.table(rows, (("at", "Waktu"), ("actor", "Pelaku"), ("action", "Tindakan"),
                                   ("account_username", "Akun"), ("details", "Rincian")), width=60))
    click.echo(f"\n{len(rows)} dari {page['total']} entri")


@click.command()
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Baca kode (baris 1) dan kata sandi (baris 2) dari stdin, untuk skrip.")
@click.option("--otp", metavar="CODE", help="Kode OTP dari aplikasi autentikator yang baru dipasang.")
@pass_app
def enrol(app: App, from_stdin: bool, otp: str | None) -> None:
    """Daftarkan akun Anda dengan kode dari e-mail pendaftaran.

    Anda menetapkan sendiri kata sandi dan TOTP. Kode tidak pernah menjadi argumen
    perintah (argumen terlihat oleh pengguna lain mesin ini dan tersimpan di riwayat
    shell): ia ditanyakan, atau dibaca dari stdin.
    """
    lines = sys.stdin.read().splitlines() if from_stdin else []
    code = (lines[0] if lines else click.prompt("Kode pendaftaran", hide_input=True)).strip()
    client = app.anonymous()
    account = client.post_json("/api/v1/enrolment/open", {"code": code})
    click.echo(_facts({k: v for k, v in account.items() if k != "state"}))
    click.echo(f"\nKunci autentikator (masukkan ke aplikasi autentikator, jenis berbasis waktu):\n"
               f"  {account['totp_secret']}\n  {account['totp_uri']}\n")
    password = lines[1] if len(lines) > 1 else click.prompt("Kata sandi baru", hide_input=True,
                                                             confirmation_prompt="Ulangi kata sandi")
    code_now = otp_code(otp or click.prompt("Kode OTP dari aplikasi autentikator"))
    done = client.post_json("/api/v1/enrolment/complete", {"code": code, "password": password, "otp": code_now})
    click.echo(done["message"])


@click.command("password")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Baca kata sandi saat ini (baris 1) dan yang baru (baris 2) dari stdin, untuk skrip.")
@click.option("--otp", metavar="CODE", help="Kode OTP dari aplikasi autentikator Anda.")
@pass_app
def password(app: App, from_stdin: bool, otp: str | None) -> None:
    """Ganti kata sandi Anda sendiri.

    Kata sandi saat ini dan kode OTP membuktikan bahwa ini Anda. Sesi Anda yang lain
    berakhir; sesi ini tetap berlaku. Kata sandi tidak pernah menjadi argumen perintah.
    """
    lines = sys.stdin.read().splitlines() if from_stdin else []
    current = lines[0] if lines else click.prompt("Kata sandi saat ini", hide_input=True)
    new = lines[1] if len(lines) > 1 else click.prompt("Kata sandi baru", hide_input=True,
                                                       confirmation_prompt="Ulangi kata sandi baru")
    code_now = otp_code(otp or click.prompt("Kode OTP dari aplikasi autentikator"))
    done = app.client().post_json("/api/v1/me/password",
                                  {"current_password": current, "otp": code_now, "new_password": new})
    click.echo(done["message"])


ACCOUNT_COMMANDS = (users, audit, enrol, password)
