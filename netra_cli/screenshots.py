"""Screenshots the team hands in for a case: POST /api/v1/cases/{id}/screenshots, multipart, 1-5 files
(docs/decisions/0025). evidence checks and keeps them as it keeps a reporter's, all or none.

`netra file-case --screenshot FILE` (repeatable) looks at each file's kind and size before the case is
filed, so a file that is plainly no screenshot never leaves a case filed without it; `netra
add-screenshot CASE FILE...` hands them in for a case already filed.
"""

from __future__ import annotations

from pathlib import Path

import click

from netra_cli import client as api
from netra_cli.context import App, pass_app

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
KINDS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

screenshot_option = click.option(
    "--screenshot", "screenshots", multiple=True, metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"Tangkapan layar (PNG, JPEG atau WebP, paling besar {MAX_FILE_BYTES // (1024 * 1024)} MB); boleh diulang, "
         f"paling banyak {MAX_FILES}. Diperiksa dan disimpan layanan bukti seperti tangkapan layar pelapor.")


def _is_image(head: bytes) -> bool:
    return head.startswith(KINDS) or (len(head) >= 12 and head[0:4] == b"RIFF" and head[8:12] == b"WEBP")


def first_look(paths: tuple[Path, ...] | list[Path]) -> list[tuple[str, bytes]]:
    """Each file's name and bytes, or a usage error naming the first file that is plainly not a
    screenshot (the server checks everything again, and more)."""
    if len(paths) > MAX_FILES:
        raise click.UsageError(f"paling banyak {MAX_FILES} tangkapan layar sekali kirim.")
    files = []
    for path in paths:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise click.BadParameter(f"berkas “{path.name}” lebih dari {MAX_FILE_BYTES // (1024 * 1024)} MB. "
                                     "Tidak ada yang dikirim.", param_hint="--screenshot")
        data = path.read_bytes()
        if not data:
            raise click.BadParameter(f"berkas “{path.name}” kosong. Tidak ada yang dikirim.", param_hint="--screenshot")
        if not _is_image(data[:16]):
            raise click.BadParameter(f"berkas “{path.name}” bukan gambar PNG, JPEG, atau WebP. Tidak ada yang "
                                     "dikirim.", param_hint="--screenshot")
        files.append((path.name, data))
    return files


def send_screenshots(client: api.Client, case_id: str, files: list[tuple[str, bytes]]) -> dict:
    """Hand the files in; the answer holds the case's new version and each screenshot's SHA-256."""
    parts = [("screenshots", (name, data, "application/octet-stream")) for name, data in files]
    return client.request("POST", f"/api/v1/cases/{case_id}/screenshots", files=parts).json()


def kept_text(answer: dict, files: list[tuple[str, bytes]]) -> str:
    lines = [f"Tangkapan layar {name} tersimpan sebagai bukti: SHA-256 {shot['sha256']}, {shot['size']} byte."
             for (name, _), shot in zip(files, answer["screenshots"], strict=False)]
    return "\n".join([*lines, f"Versi kasus sekarang {answer['version']}."])


@click.command("add-screenshot")
@click.argument("case")
@click.argument("files", nargs=-1, required=True, metavar="FILE...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def add_screenshot(app: App, case: str, files: tuple[Path, ...]) -> None:
    """Tambahkan tangkapan layar (1-5 berkas) ke kasus.

    Peran: ketua, sekretaris, dan anggota yang ditugasi atau mencatat kasus itu; sebelum temuan
    diusulkan. Layanan bukti memeriksa, menyimpan terenkripsi, dan mencatat siapa yang mengunggah,
    sama seperti tangkapan layar pelapor. Satu berkas ditolak, tidak ada yang disimpan.
    """
    looked = first_look(files)
    client = app.client()
    click.echo(kept_text(send_screenshots(client, app.case_id(client, case), looked), looked))


SCREENSHOT_COMMANDS = (add_screenshot,)
