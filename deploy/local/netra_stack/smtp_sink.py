"""A development mail server that keeps every message it receives as an .eml file.

    python -m netra_stack.smtp_sink --port 1025 --dir .netra/mail
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import click
from aiosmtpd.controller import Controller


class EmlFolder:
    """aiosmtpd handler: one file per message, written whole before it is named .eml."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self._lock:
            self._count += 1
            stem = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns()}-{self._count:05d}"
        header = (f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
                  f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        tmp = self.folder / f"{stem}.part"
        tmp.write_bytes(header + envelope.original_content)
        tmp.rename(self.folder / f"{stem}.eml")
        return "250 Message accepted for delivery"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=1025, show_default=True, type=int)
@click.option("--dir", "folder", required=True, type=click.Path(path_type=Path),
              help="Folder where each message is kept as an .eml file.")
def main(host, port, folder):
    """Accept mail on HOST:PORT and keep every message in FOLDER."""
    controller = Controller(EmlFolder(folder), hostname=host, port=port)
    controller.start()
    click.echo(f"smtp sink listening on {host}:{port}, keeping mail in {folder}", err=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
