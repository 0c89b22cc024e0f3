"""BKPPD's side of the webhook, for the tests: an HTTP server that records what arrives and
answers with the status (and headers) the test chooses; with `keep_in`, each body is also kept
as a file, for a later scan."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from netra_stack import private


class WebhookReceiver:
    def __init__(self, keep_in: Path | None = None):
        self.received: list[dict] = []
        self.answer = 200
        self.answer_headers: dict[str, str] = {}
        self.keep_in = keep_in
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.keep({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.answer)
                for name, value in receiver.answer_headers.items():
                    self.send_header(name, value)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/netra"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keep(self, request: dict) -> None:
        with self._lock:
            self.received.append(request)
            if self.keep_in is not None:
                # Kept in the stack's data folder: its owner's alone, like everything there.
                private.folder(self.keep_in)
                private.write_bytes(self.keep_in / f"{len(self.received):05d}-{self.server.server_port}.json",
                                    request["body"])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
