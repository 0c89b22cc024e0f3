"""BKPPD's decree (SK) as a PDF: POST /api/v1/cases/{id}/decree, with the file's bytes.

`netra record-sanction --decree-file SK.pdf` hands the file in first and records the decision only
once evidence has kept it, so a file refused leaves nothing recorded; `netra attach-decree` hands
one in later (the SK often comes after its number); `netra decree CASE --output SK.pdf` opens a kept
one again (GET /api/v1/cases/{id}/decrees/{decree_id}.pdf), to defend the decision before an appeal.
"""

from __future__ import annotations

from pathlib import Path

import click

from netra_cli import client as api
from netra_cli.context import App, Failure, pass_app
from netra_cli.exports import write_output

MEDIA_TYPE = "application/pdf"

decree_file_option = click.option(
    "--decree-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="SK.pdf",
    help="Berkas SK (PDF biasa, tanpa kata sandi, paling besar 10 MB); disimpan bersama kasus sebagai bukti.")


def send_decree(client: api.Client, case_id: str, path: Path) -> dict:
    """Hand the file in; the answer holds the case's new version and the decree's SHA-256."""
    return client.request("POST", f"/api/v1/cases/{case_id}/decree", data=path.read_bytes(),
                          headers={"Content-Type": MEDIA_TYPE}).json()


def kept_text(answer: dict, path: Path) -> str:
    decree = answer["decree"]
    return (f"SK {path.name} tersimpan sebagai bukti: SHA-256 {decree['sha256']}, {decree['size']} byte, "
            f"{decree['pages']} halaman (versi kasus sekarang {answer['version']}).")


@click.command("attach-decree")
@click.argument("case")
@click.argument("decree_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="SK.pdf")
@pass_app
def attach_decree(app: App, case: str, decree_file: Path) -> None:
    """Simpan berkas SK (PDF) keputusan BKPPD bersama kasus.

    Peran: bkppd. Selama keputusan ditunggu, atau setelah dicatat. Yang diterima hanya PDF biasa
    (tanpa JavaScript, berkas tersemat atau kata sandi), paling besar 10 MB.
    """
    client = app.client()
    click.echo(kept_text(send_decree(client, app.case_id(client, case), decree_file), decree_file))


@click.command("decree")
@click.argument("case")
@click.option("--decree-id", default=None, metavar="ID",
              help="SK yang mana (lihat `netra show`); tanpa ini, SK terakhir yang diserahkan.")
@click.option("--out", "--output", "-o", "target", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, writable=True, allow_dash=True), help="Berkas tujuan ('-' = stdout).")
@pass_app
def open_decree(app: App, case: str, decree_id: str | None, target: str) -> None:
    """Unduh kembali berkas SK (PDF) kasus, persis seperti diserahkan.

    Peran: bkppd, ketua, sekretaris, dan anggota yang ditugasi kasus itu. Setiap pembukaan tercatat
    pada log pengawasan bukti dan pada kasus. SHA-256 berkas diperiksa sama dengan yang tercatat.
    """
    client = app.client()
    case_id = app.case_id(client, case)
    kept = client.get_json(f"/api/v1/cases/{case_id}").get("decrees") or []
    chosen = [d for d in kept if d["decree_id"] == decree_id] if decree_id else kept[-1:]
    if not chosen:
        raise Failure("Kasus ini tidak memiliki SK tersebut." if decree_id else "Kasus ini belum memiliki berkas SK.")
    data = client.get_bytes(f"/api/v1/cases/{case_id}/decrees/{chosen[0]['decree_id']}.pdf")
    write_output(target, data, private=True)  # it names the sanctioned ASN
    if target != "-":
        click.echo(f"SK disimpan ke {target}: SHA-256 {chosen[0]['sha256']}, {len(data)} byte.", err=True)


DECREE_COMMANDS = (attach_decree, open_decree)
