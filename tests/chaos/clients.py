"""Several reporters filing complaints (each with a screenshot) during a fault, as a careful
client does: one Idempotency-Key per complaint, sent again with the same key after a
connection error, a 5xx, a 409 "still processing" or a 429, until it has a tracking code or
its patience runs out. What each got back is what the counts are checked against."""

from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from tests.support import complaints

RETRIED_STATUSES = {409, 429, 500, 502, 503, 504}


@dataclass
class Filing:
    marker: str  # in the complaint's description: how the stores are searched for it
    email: str  # the reporter's address: how the mail sink is searched
    key: str
    attempts: int = 0
    tracking_code: str | None = None
    last_problem: str | None = None
    # Every attempt: (time.monotonic(), "201" / "HTTP 503" / the exception's name): what a drill
    # reads the refusals during a fault, and how long until filing worked again, from.
    answers: list[tuple[float, str]] = field(default_factory=list)

    @property
    def acked(self) -> bool:
        return self.tracking_code is not None


@dataclass
class Burst:
    """Clients filing one complaint after another until stop() (each finishes the complaint in
    hand) or until each has filed `per_client`."""

    intake_url: str
    tag: str
    clients: int = 4
    per_client: int = 1000
    patience_seconds: float = 150.0
    pace_seconds: float = 0.5
    filings: list[Filing] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.clients)
        self._done = [self._pool.submit(self._client, n) for n in range(self.clients)]

    def stop(self) -> None:
        self._stop.set()

    def wait(self) -> list[Filing]:
        for done in self._done:
            done.result()
        self._pool.shutdown()
        return self.filings

    def _client(self, n: int) -> None:
        address = f"203.0.113.{n + 1}"
        for i in range(self.per_client):
            if self._stop.is_set():
                return
            marker = f"{self.tag}-{n}-{i}-{uuid.uuid4().hex[:8]}"
            filing = Filing(marker=marker, email=f"pelapor.{marker}@example.org", key=str(uuid.uuid4()))
            with self._lock:
                self.filings.append(filing)
            self._file(filing, address, seed=random.randrange(1_000_000))
            time.sleep(self.pace_seconds)

    def _file(self, filing: Filing, address: str, seed: int) -> None:
        reporter = {**complaints.IDENTIFIED_REPORTER, "email": filing.email}
        document = complaints.complaint(
            description=f"Membagikan unggahan kampanye pasangan calon. Penanda {filing.marker}.",
            reporter=reporter)
        shots = [("bukti.png", complaints.png(seed=seed))]
        deadline, pause = time.monotonic() + self.patience_seconds, 0.5
        while time.monotonic() < deadline:
            filing.attempts += 1
            try:
                answer = complaints.file(self.intake_url, document, shots, headers={
                    "Idempotency-Key": filing.key, "X-Forwarded-For": address})
            except requests.RequestException as exc:
                filing.last_problem = type(exc).__name__
                filing.answers.append((time.monotonic(), filing.last_problem))
            else:
                filing.answers.append((time.monotonic(), f"HTTP {answer.status_code}"))
                if answer.status_code == 201:
                    filing.tracking_code = answer.json()["tracking_code"]
                    return
                filing.last_problem = f"HTTP {answer.status_code}"
                if answer.status_code not in RETRIED_STATUSES:
                    return  # refused for what it is: sending it again changes nothing
            time.sleep(pause + random.uniform(0, pause / 2))
            pause = min(pause * 2, 5.0)
