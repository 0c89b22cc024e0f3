"""`make run` on a machine where no PostgreSQL or RabbitMQ answers: it starts private ones under its
data folder, on the ports its settings name, runs the whole system on them (a complaint filed at the
portal becomes a case on the team's queue, over the private broker and database) and stops them with
everything else. The machine's own servers are only hidden from it (other ports), never touched."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from netra_stack.processes import port_open
from netra_stack.settings import PROJECT_ROOT, free_ports

from tests.integration.test_make_run import _children_of, _read_until, _stack_env
from tests.support import complaints


def _cases(pg_port: int, database: str) -> int:
    with psycopg2.connect(host="127.0.0.1", port=pg_port, user="postgres", dbname=database,
                          connect_timeout=5) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM casework.case_list")
        return cur.fetchone()[0]


def test_make_run_with_no_server_answering_starts_its_own_and_files_a_complaint(tmp_path):
    env = _stack_env(tmp_path)
    # The private servers' ports, none of the stack's own (chosen one at a time they may be).
    ours = {int(port) for name, value in env.items() if name.startswith("NETRA_") and name.endswith("_PORTS")
            for port in value.split(",")} | {int(value) for name, value in env.items()
                                             if name.startswith("NETRA_") and name.endswith("_PORT")}
    pg_port, amqp_port = [port for port in free_ports(len(ours) + 2) if port not in ours][:2]
    env.update(NETRA_PG_URL=f"postgresql+psycopg2://postgres@127.0.0.1:{pg_port}",
               NETRA_AMQP_URI=f"amqp://guest:guest@127.0.0.1:{amqp_port}/")
    data = Path(env["NETRA_DATA_DIR"])
    process = subprocess.Popen([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        assert _read_until(process, output, "Ctrl-C stops everything", timeout=300), "".join(output)
        said = "".join(output)
        assert f"making a private PostgreSQL in {data / 'postgresql'}" in said
        assert f"starting a private RabbitMQ in {data / 'rabbitmq'}" in said
        for folder in ("postgresql", "rabbitmq"):
            assert stat.S_IMODE((data / folder).stat().st_mode) == 0o700

        intake = f"http://127.0.0.1:{env['NETRA_INTAKE_PORT']}"
        sample = (PROJECT_ROOT / "docs/sample/tangkapan-layar-contoh.png").read_bytes()
        filed = complaints.file(intake, complaints.complaint(), [("contoh.png", sample)])
        assert filed.status_code == 201, filed.text
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _cases(pg_port, env["NETRA_DB_NAME"]) == 0:
            time.sleep(1)
        assert _cases(pg_port, env["NETRA_DB_NAME"]) == 1  # casework heard of it over the private broker

        process.send_signal(signal.SIGINT)
        process.wait(120)
        output.append(process.stdout.read())
        assert process.returncode == 0, "".join(output)
        assert "stopping rabbitmq" in "".join(output) and "stopping postgresql" in "".join(output)
        assert not port_open(pg_port) and not port_open(amqp_port)
        assert not _children_of(env)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)
