"""One subcommand per case command: POST /api/v1/cases/{id}/{command} with expected_version.

Every command takes CASE (id or case number) and --expected-version; without it the current
version is read first, and the user is told, because that skips the check that nobody changed
the case since they last looked at it.
"""

from __future__ import annotations

import click

from netra_cli import client as api
from netra_cli import output, words
from netra_cli.context import App, note, pass_app
from netra_cli.decrees import decree_file_option, kept_text, send_decree
from netra_cli.vocabulary import DISMISSAL_REASONS, HOLD_REASONS, SANCTION_LEVELS, SANCTION_TYPES

case_argument = click.argument("case")
expected_version_option = click.option(
    "--expected-version", type=click.IntRange(min=1), metavar="N",
    help="Versi kasus yang Anda lihat (dari `netra show`); bila tidak diisi, versi saat ini dibaca dulu.")


def execute(app: App, ref: str, command: str, expected_version: int | None, **body) -> None:
    """Run `command` on the case the user named and say what changed."""
    client = app.client()
    case_id = app.case_id(client, ref)
    if expected_version is None:
        expected_version = api.current_version(client, case_id)
        note(f"Tanpa --expected-version: memakai versi kasus saat ini, {expected_version} (baru dibaca "
             "dari server).")
    answer = api.run_command(client, case_id, command, expected_version,
                             {key: value for key, value in body.items() if value is not None})
    click.echo(output.command_done(command, answer, ref, words.fetch(client, app.session().get("user"))))


def member_id(app: App, value: str) -> str:
    """A user id, or the logged-in user's own id for 'me'."""
    return app.session()["user"]["user_id"] if value == "me" else value


@click.command("assign")
@case_argument
@click.option("--to", "assignee", required=True, metavar="USER_ID|me", help="Id pengguna petugas, atau 'me'.")
@expected_version_option
@pass_app
def assign(app: App, case: str, assignee: str, expected_version: int | None) -> None:
    """Tugaskan kasus kepada seorang petugas.

    Peran: ketua, sekretaris.
    """
    execute(app, case, "assign", expected_version, assignee_id=member_id(app, assignee))


@click.command("start-verification")
@case_argument
@expected_version_option
@pass_app
def start_verification(app: App, case: str, expected_version: int | None) -> None:
    """Mulai verifikasi kasus.

    Peran: ketua, sekretaris, anggota (hanya pada kasus yang ditugaskan kepadanya).
    """
    execute(app, case, "start_verification", expected_version)


@click.command("request-clarification")
@case_argument
@click.option("--question", required=True, help="Pertanyaan untuk pelapor (10-2000 karakter).")
@expected_version_option
@pass_app
def request_clarification(app: App, case: str, question: str, expected_version: int | None) -> None:
    """Minta klarifikasi dari pelapor.

    Peran: ketua, sekretaris, anggota (hanya pada kasus yang ditugaskan kepadanya).
    """
    execute(app, case, "request_clarification", expected_version, question=question)


@click.command("resume-verification")
@case_argument
@click.option("--note", required=True, help="Mengapa verifikasi dilanjutkan tanpa jawaban pelapor (10-2000 karakter).")
@expected_version_option
@pass_app
def resume_verification(app: App, case: str, note: str, expected_version: int | None) -> None:
    """Lanjutkan verifikasi tanpa menunggu jawaban pelapor.

    Mis. pelapor tidak menjawab dalam 7 hari kerja. Jawaban yang datang kemudian tetap tercatat.
    Peran: ketua, sekretaris, anggota (hanya pada kasus yang ditugaskan kepadanya).
    """
    execute(app, case, "resume_verification", expected_version, note=note)


@click.command("propose-violation")
@case_argument
@click.option("--finding", required=True, help="Temuan pelanggaran (10-5000 karakter).")
@click.option("--legal-basis", required=True, help="Dasar hukum, mis. 'PP 94/2021 Pasal 5 huruf n'.")
@click.option("--sanction-level", required=True, type=click.Choice(SANCTION_LEVELS), help="Tingkat sanksi usulan.")
@expected_version_option
@pass_app
def propose_violation(app: App, case: str, finding: str, legal_basis: str, sanction_level: str,
                      expected_version: int | None) -> None:
    """Usulkan bahwa pelanggaran terbukti.

    Peran: ketua, sekretaris, anggota (hanya pada kasus yang ditugaskan kepadanya).
    Usulan harus dikonfirmasi anggota tim yang lain.
    """
    execute(app, case, "propose_violation", expected_version, finding=finding, legal_basis=legal_basis,
            sanction_level=sanction_level)


@click.command("confirm-violation")
@case_argument
@expected_version_option
@pass_app
def confirm_violation(app: App, case: str, expected_version: int | None) -> None:
    """Konfirmasi usulan pelanggaran.

    Peran: ketua, sekretaris, anggota; tidak pernah oleh pengusulnya sendiri.
    """
    execute(app, case, "confirm_violation", expected_version)


@click.command("reject-proposal")
@case_argument
@click.option("--note", required=True, help="Mengapa usulan ditolak (5-2000 karakter).")
@expected_version_option
@pass_app
def reject_proposal(app: App, case: str, note: str, expected_version: int | None) -> None:
    """Tolak usulan pelanggaran.

    Kasus kembali ke verifikasi. Peran: ketua, sekretaris, anggota; tidak oleh pengusulnya.
    """
    execute(app, case, "reject_proposal", expected_version, note=note)


@click.command("dismiss")
@case_argument
@click.option("--reason", required=True, type=click.Choice(DISMISSAL_REASONS), help="Alasan tidak dilanjutkan.")
@click.option("--note", help="Catatan tambahan.")
@click.option("--duplicate-of", metavar="CASE_NUMBER", help="Kasus asal, bila alasannya duplicate.")
@expected_version_option
@pass_app
def dismiss(app: App, case: str, reason: str, note: str | None, duplicate_of: str | None,
            expected_version: int | None) -> None:
    """Hentikan kasus (tidak dilanjutkan).

    Peran: ketua, sekretaris, anggota (hanya pada kasus yang ditugaskan kepadanya).
    """
    execute(app, case, "dismiss", expected_version, reason=reason, note=note, duplicate_of=duplicate_of)


@click.command("forward")
@case_argument
@expected_version_option
@pass_app
def forward(app: App, case: str, expected_version: int | None) -> None:
    """Teruskan kasus yang terbukti ke BKPPD.

    Peran: ketua. Perintah API: forward_to_bkppd.
    """
    execute(app, case, "forward_to_bkppd", expected_version)


@click.command("record-sanction")
@case_argument
@click.option("--type", "sanction_type", required=True, type=click.Choice(SANCTION_TYPES), help="Jenis sanksi.")
@click.option("--decree-number", required=True, help="Nomor surat keputusan.")
@click.option("--decree-date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Tanggal surat keputusan.")
@click.option("--note", help="Catatan tambahan.")
@decree_file_option
@expected_version_option
@pass_app
def record_sanction(app: App, case: str, sanction_type: str, decree_number: str, decree_date,
                    note: str | None, decree_file, expected_version: int | None) -> None:
    """Catat keputusan sanksi dari BKPPD, bila ada dengan berkas SK (PDF).

    Peran: bkppd. Kasus lalu selesai dengan sendirinya. Dengan --decree-file, SK disimpan lebih dulu;
    bila berkasnya ditolak, keputusan belum dicatat.
    """
    if decree_file is not None:
        # The SK first, so a refused file records nothing; the member's own SK leaves the version they
        # saw good for the decision (the API allows for it).
        client = app.client()
        click.echo(kept_text(send_decree(client, app.case_id(client, case), decree_file), decree_file))
    execute(app, case, "record_sanction", expected_version, sanction_type=sanction_type,
            decree_number=decree_number, decree_date=decree_date.date().isoformat(), note=note)


@click.command("close")
@case_argument
@click.option("--note", help="Catatan penutupan.")
@expected_version_option
@pass_app
def close(app: App, case: str, note: str | None, expected_version: int | None) -> None:
    """Tutup kasus yang dihentikan atau diputus.

    Peran: ketua.
    """
    execute(app, case, "close", expected_version, note=note)


@click.command("reopen")
@case_argument
@click.option("--reason", required=True, help="Mengapa dibuka kembali (10-2000 karakter).")
@expected_version_option
@pass_app
def reopen(app: App, case: str, reason: str, expected_version: int | None) -> None:
    """Buka kembali kasus yang dihentikan/selesai.

    Peran: ketua.
    """
    execute(app, case, "reopen", expected_version, reason=reason)


@click.command("request-disclosure")
@case_argument
@click.option("--to", "recipient", required=True, metavar="USER_ID", help="Id pengguna penerima (bukan Anda sendiri).")
@click.option("--reason", required=True, help="Mengapa perlu: urgensi dan akibatnya (20-2000 karakter).")
@expected_version_option
@pass_app
def request_disclosure(app: App, case: str, recipient: str, reason: str, expected_version: int | None) -> None:
    """Minta pengungkapan identitas pelapor.

    Menyebut siapa yang meminta, untuk siapa, dan mengapa. Peran: ketua, sekretaris, anggota.
    Peminta, ketua yang menyetujui, dan penerima harus tiga orang berbeda; penerima harus akun
    tim atau BKPPD yang aktif, bukan dari unit kerja ASN terlapor.
    """
    execute(app, case, "request_disclosure", expected_version, recipient_id=recipient, reason=reason)


@click.command("approve-disclosure")
@case_argument
@click.option("--request", "request_id", required=True, metavar="REQUEST_ID", help="Id permintaan pengungkapan.")
@click.option("--hours", required=True, type=click.IntRange(1, 72), help="Berlaku berapa jam (1-72).")
@expected_version_option
@pass_app
def approve_disclosure(app: App, case: str, request_id: str, hours: int, expected_version: int | None) -> None:
    """Setujui permintaan pengungkapan identitas.

    Peran: ketua, tidak pernah peminta sendiri; berlaku paling lama 72 jam.
    """
    execute(app, case, "approve_disclosure", expected_version, request_id=request_id, valid_for_hours=hours)


@click.command("deny-disclosure")
@case_argument
@click.option("--request", "request_id", required=True, metavar="REQUEST_ID", help="Id permintaan pengungkapan.")
@click.option("--note", required=True, help="Mengapa ditolak (5-2000 karakter).")
@expected_version_option
@pass_app
def deny_disclosure(app: App, case: str, request_id: str, note: str, expected_version: int | None) -> None:
    """Tolak permintaan pengungkapan identitas.

    Peran: ketua.
    """
    execute(app, case, "deny_disclosure", expected_version, request_id=request_id, note=note)


@click.command("hold")
@case_argument
@click.option("--reason", required=True, type=click.Choice(HOLD_REASONS),
              help="Alasan penahanan: appeal (keberatan/banding), court (pengadilan/penegak hukum), audit "
                   "(Ombudsman/inspektorat), subject_request (permintaan subjek data), other.")
@click.option("--note", required=True, help="Dasar penahanan: nomor surat, perkara atau permintaan (5-2000 karakter).")
@expected_version_option
@pass_app
def hold(app: App, case: str, reason: str, note: str, expected_version: int | None) -> None:
    """Tahan kasus (legal hold): datanya tidak dihapus saat masa retensinya habis.

    Penahanan berlaku sampai dilepas dengan `netra release-hold`; tercatat di log kasus.
    Peran: ketua.
    """
    execute(app, case, "place_legal_hold", expected_version, reason=reason, note=note)


@click.command("release-hold")
@case_argument
@click.option("--note", required=True, help="Mengapa penahanan dilepas (5-2000 karakter).")
@expected_version_option
@pass_app
def release_hold(app: App, case: str, note: str, expected_version: int | None) -> None:
    """Lepaskan penahanan (legal hold) kasus.

    Kasus kembali mengikuti jadwal retensinya, dan disimpan sedikitnya 90 hari lagi. Peran: ketua.
    """
    execute(app, case, "lift_legal_hold", expected_version, note=note)


CASE_COMMANDS = (assign, start_verification, request_clarification, resume_verification, propose_violation,
                 confirm_violation, reject_proposal, dismiss, forward, record_sanction, close, reopen,
                 request_disclosure, approve_disclosure, deny_disclosure, hold, release_hold)
