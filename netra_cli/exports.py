"""What the team takes away: statistics, CSV, charts, the dossier, and screenshots with a grant."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import click

from netra_cli import client as api
from netra_cli import image_files, output
from netra_cli.context import App, Failure, note, pass_app
from netra_cli.vocabulary import CHART_DIMENSIONS

output_option = click.option("--output", "-o", "target", required=True, metavar="FILE",
                             type=click.Path(dir_okay=False, writable=True, allow_dash=True),
                             help="Berkas tujuan ('-' = stdout).")


def write_output(path: str, data: bytes, private: bool = False) -> None:
    """Write `data` to `path` ('-' is stdout). Private files (case data) are created 0600."""
    if path == "-":
        click.get_binary_stream("stdout").write(data)
        return
    target = Path(path)
    mode = 0o600 if private else 0o666  # 0666 still passes through the user's umask
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(handle, "wb") as out:
        if private:
            os.fchmod(out.fileno(), 0o600)  # an existing file keeps its old mode otherwise
        out.write(data)
    note(f"Disimpan ke {target} ({len(data)} byte).")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Cetak jawaban API apa adanya (JSON).")
@pass_app
def stats(app: App, as_json: bool) -> None:
    """Statistik kasus dan waktu di tiap tahap.

    Jumlah kasus per tahap, platform, jenis pelanggaran, unit kerja dan minggu; tanpa nama.
    """
    summary = app.client().get_json("/api/v1/statistics")
    click.echo(output.as_json(summary) if as_json else output.statistics(summary))


@click.group()
def export() -> None:
    """Ekspor statistik, grafik, atau berkas kasus.

    Statistik (CSV), grafik (SVG), berkas kasus untuk BKPPD (JSON/PDF).
    """


@export.command("stats")
@output_option
@pass_app
def export_stats(app: App, target: str) -> None:
    """Ekspor statistik sebagai CSV."""
    write_output(target, app.client().get_bytes("/api/v1/statistics.csv"))


@export.command("chart")
@click.argument("dimension", type=click.Choice(CHART_DIMENSIONS))
@output_option
@pass_app
def export_chart(app: App, dimension: str, target: str) -> None:
    """Ekspor grafik batang (SVG) untuk satu dimensi statistik."""
    write_output(target, app.client().get_bytes(f"/api/v1/statistics/{dimension}.svg"))


@export.command("dossier")
@click.argument("case")
@click.option("--format", "kind", type=click.Choice(("json", "pdf")), default="pdf", show_default=True,
              help="Format berkas.")
@output_option
@pass_app
def export_dossier(app: App, case: str, kind: str, target: str) -> None:
    """Ekspor berkas kasus untuk BKPPD (JSON/PDF).

    Tersedia setelah pelanggaran dikonfirmasi. Berkas dibuat dengan mode 0600.
    """
    client = app.client()
    data = client.get_bytes(f"/api/v1/cases/{app.case_id(client, case)}/dossier.{kind}")
    write_output(target, data, private=True)  # it names the reported ASN


def _grant(client: api.Client, case_id: str, evidence_id: str, purpose: str, original: bool) -> dict:
    return client.post_json(f"/api/v1/cases/{case_id}/evidence/{evidence_id}/grants",
                            {"purpose": purpose, "copy": "original" if original else "sanitized"})


evidence_arguments = [
    click.argument("case"), click.argument("evidence_id"),
    click.option("--purpose", required=True, help="Untuk apa bukti dilihat (5-500 karakter; tercatat)."),
    click.option("--original", is_flag=True, help="Unggahan asli, bukan salinan bersih (ketua, sekretaris, BKPPD)."),
]


def with_evidence_arguments(function):
    for decorate in reversed(evidence_arguments):
        function = decorate(function)
    return function


@click.command()
@with_evidence_arguments
@pass_app
def grant(app: App, case: str, evidence_id: str, purpose: str, original: bool) -> None:
    """Minta grant untuk melihat tangkapan layar.

    Mencetak grant dan URL-nya; kirim sebagai header `Authorization: Grant <grant>`.
    """
    client = app.client()
    click.echo(output.grant(_grant(client, app.case_id(client, case), evidence_id, purpose, original)))


@click.command()
@with_evidence_arguments
@output_option
@pass_app
def evidence(app: App, case: str, evidence_id: str, purpose: str, original: bool, target: str) -> None:
    """Unduh satu tangkapan layar ke berkas.

    Meminta grant baru lalu mengunduh salinannya; untuk --original, SHA-256 dicocokkan
    dengan catatan kasus. Akhiran --output menentukan format (.png, .jpg/.jpeg, .webp): salinan
    bersih diubah ke format itu; yang asli tidak pernah diubah, jadi akhiran yang salah ditolak.
    """
    wanted = image_files.format_named_by(target)  # before a grant: a wrong name costs no view
    client = app.client()
    case_id = app.case_id(client, case)
    granted = _grant(client, case_id, evidence_id, purpose, original)
    served = api.fetch_with_grant(granted["url"], granted["grant"])
    digest = hashlib.sha256(served).hexdigest()
    if original:
        _check_custody(client, case_id, evidence_id, digest)
    try:
        data = image_files.as_format(served, wanted, original=original)
    except click.ClickException as exc:
        raise Failure(exc.message) from None
    write_output(target, data, private=True)
    note(f"SHA-256 yang diterima dari evidence: {digest}")


def _check_custody(client: api.Client, case_id: str, evidence_id: str, digest: str) -> None:
    """The original must hash to what the case recorded when it was received."""
    recorded = {e["evidence_id"]: e["sha256"] for e in client.get_json(f"/api/v1/cases/{case_id}")["evidence"]}
    if recorded.get(evidence_id) != digest:
        raise Failure(f"SHA-256 unduhan TIDAK cocok dengan catatan kasus ({recorded.get(evidence_id)}).")
    note("SHA-256 cocok dengan catatan kasus.")


EXPORT_COMMANDS = (stats, export, grant, evidence)
