"""The machine's raw limits, measured in the same run as Netra's figures (issue 14): what the
same PostgreSQL, RabbitMQ, SeaweedFS, HTTP stack, Pillow and Argon2 do with nothing of Netra in
the way. Each is measured for a short while, several times, interleaved with Netra's own figures;
the median of the rounds is the limit a figure is divided by."""

from __future__ import annotations

import io
import statistics
import threading
import time
import uuid
from collections.abc import Callable

import amqp
import psycopg2
import requests
from argon2 import PasswordHasher
from minio import Minio
from PIL import Image

from netra_common.s3 import REGION

SECONDS = 1.5  # per limit and round: short, the machine is shared
EVENT_BYTES = 1024


def rate(work: Callable[[], object], seconds: float = SECONDS, threads: int = 1,
         setup: Callable[[], Callable[[], object]] | None = None) -> float:
    """Operations per second of `work` (or of what `setup` makes, one per thread) on `threads` threads."""
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def run(slot: int) -> None:
        one = setup() if setup else work
        while time.monotonic() < stop:
            one()
            counts[slot] += 1

    started = time.monotonic()
    runners = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    return sum(counts) / (time.monotonic() - started)


def pg_commit(dsn: str, clients: int) -> float:
    """A single-row INSERT of ~1 KB and its commit, one connection per client."""
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, body text NOT NULL)")
    conn.close()
    body = "x" * EVENT_BYTES
    opened = []

    def setup():
        conn = psycopg2.connect(dsn)
        opened.append(conn)
        cur = conn.cursor()

        def one():
            cur.execute("INSERT INTO bench_raw (body) VALUES (%s)", (body,))
            conn.commit()
        return one
    try:
        return rate(lambda: None, threads=clients, setup=setup)
    finally:
        for conn in opened:  # the server's connections are shared: none left open
            conn.close()


def amqp_confirmed(host: str, port: int, user: str, password: str, vhost: str) -> float:
    """A persistent 1 KB message published with publisher confirms to a queue of its own."""
    conn = amqp.Connection(host=f"{host}:{port}", userid=user, password=password, virtual_host=vhost,
                           confirm_publish=True)
    conn.connect()
    try:
        channel = conn.channel()
        queue = f"bench-raw-{uuid.uuid4().hex[:8]}"
        channel.queue_declare(queue, durable=True, auto_delete=False)
        message = amqp.Message(b"x" * EVENT_BYTES, delivery_mode=2)
        try:
            return rate(lambda: channel.basic_publish(message, exchange="", routing_key=queue))
        finally:
            channel.queue_delete(queue)
    finally:
        conn.close()


def s3_put(endpoint: str, access_key: str, secret_key: str, bucket: str, body: bytes, threads: int) -> float:
    """PUT of `body` (200 KB) to SeaweedFS's S3, one client per thread; the objects are removed after."""
    keys: list[str] = []

    def setup():
        client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=False, region=REGION)

        def one():
            key = f"bench-raw/{uuid.uuid4().hex}"
            client.put_object(bucket, key, io.BytesIO(body), len(body))
            keys.append(key)
        return one
    measured = rate(lambda: None, threads=threads, setup=setup)
    client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=False, region=REGION)
    for key in keys:
        client.remove_object(bucket, key)
    return measured


def http_get(url: str) -> float:
    session = requests.Session()
    return rate(lambda: session.get(url, timeout=10).raise_for_status())


def png_720x1280(seed: int = 0) -> bytes:
    """A phone screenshot's size and make-up (flat areas and blocks), as the portal's tests send."""
    from tests.support.complaints import png

    return png(720, 1280, seed=seed)


def pillow_reencode_once(png: bytes) -> None:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        image.save(io.BytesIO(), "PNG")


def pillow_reencode(png: bytes) -> float:
    return rate(lambda: pillow_reencode_once(png))


def argon2_hash() -> float:
    hasher = PasswordHasher()  # the parameters Netra's slow_hash uses
    return rate(lambda: hasher.hash("a-secret-of-twenty-five-ch"), seconds=SECONDS)


class Limits:
    """Rounds of every limit; `median(name)` is the figure a ratio is taken against."""

    def __init__(self, measures: dict[str, Callable[[], float]]):
        self.measures = measures
        self.rounds: dict[str, list[float]] = {name: [] for name in measures}

    def measure_round(self) -> None:
        for name, measure in self.measures.items():
            self.rounds[name].append(round(measure(), 1))
            print(f"  limit {name}: {self.rounds[name][-1]}/s", flush=True)

    def median(self, name: str) -> float:
        return round(statistics.median(self.rounds[name]), 1)

    def as_dict(self) -> dict:
        return {name: {"per_second": self.median(name), "rounds": values} for name, values in self.rounds.items()}
