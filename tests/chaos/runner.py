"""`make chaos`: the fault run against an isolated stack (see tests/chaos/experiments.py).

Each experiment runs while several clients file complaints; then the run waits for quiet,
counts from every store and judges: lost = 0, duplicated = 0, parked = only the poison.
At the end `verify-log` and `netra-evidence verify` are run. The table is printed and written
to bench-results/.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import time
import uuid
from pathlib import Path

from netra_stack.settings import PROJECT_ROOT

from tests.chaos import counting, report
from tests.chaos.clients import Burst
from tests.chaos.experiments import FULL, SHORT, Experiment
from tests.chaos.fault_stack import FaultStack, fault_stack
from tests.chaos.poison import send_poison


def say(message: str) -> None:
    print(message, flush=True)  # progress shows at once, also when the output is a file


def run_one(fs: FaultStack, experiment: Experiment, every_poison: list, quiet_timeout: float) -> dict:
    fs.say(f"▶ {experiment.name}: {experiment.clients} clients filing")
    started = time.monotonic()
    tag = f"chaos{uuid.uuid4().hex[:6]}"
    burst = Burst(fs.settings.url("intake"), tag, clients=experiment.clients, per_client=experiment.per_client)
    poison = None
    if experiment.poison:
        poison = send_poison(fs.direct_bus)
        every_poison.append(poison)
    try:
        experiment.fault(fs)
    finally:
        time.sleep(3)  # a few filings after the fault too
        burst.stop()
    filings = burst.wait()
    fs.say(f"  fault over after {time.monotonic() - started:.0f} s; {sum(f.acked for f in filings)}/{len(filings)}"
           " acknowledged; waiting for quiet")
    quiet = counting.wait_for_quiet(fs, filings, quiet_timeout)
    if poison is not None:
        time.sleep(5)  # the failing handler's retries (0.3 + 0.6 + 1.2 s) end in the dead-letter queue
    counts = counting.count(fs, filings, poison, every_poison, quiet)
    problems = []
    if counts.lost:
        problems.append(f"{counts.lost} lost (first: {', '.join(counts.lost_markers[:5])})")
    if counts.duplicated:
        problems.append(f"{counts.duplicated} duplicated")
    if quiet is not None and counts.mails != counts.complaints:
        # Each identified reporter who agreed to contact is told once that the complaint arrived.
        problems.append(f"{counts.mails} mails for {counts.complaints} complaints")
    if counts.parked_other:
        problems.append(f"{counts.parked_other} parked that are not poison")
    if poison is not None and (missing := poison.missing(fs.dead_letters())):
        problems.append("poison not parked/refused: " + ", ".join(missing))
    if quiet is None:
        problems.append(f"not quiet after {quiet_timeout:.0f} s")
    if dead := [n for n, p in fs.stack.all_processes().items() if not p.alive]:
        problems.append("not running at the end: " + ", ".join(dead))
    unacked = [f for f in filings if not f.acked]
    notes = [f"quiet after {quiet} s" if quiet is not None else "", f"{len(fs.restarts)} supervisor notices so far"]
    if unacked:
        notes.append(f"{len(unacked)} not acknowledged ({counts.kept_unacked} of them kept; last problems: "
                     + ", ".join(sorted({f.last_problem or '?' for f in unacked})) + ")")
    if counts.mail_copies > counts.mails:
        notes.append(f"{counts.mail_copies - counts.mails} mail(s) sent again with the same Message-ID")
    if problems:
        notes.append("; ".join(problems))
    row = {"experiment": experiment.name, "filed": counts.filed, "acked": counts.acked, "cases": counts.cases,
           "evidence": counts.evidence, "mails": counts.mails, "parked": counts.parked, "lost": counts.lost,
           "duplicated": counts.duplicated, "verdict": "FAIL" if problems else "PASS",
           "notes": "; ".join(n for n in notes if n), "counts": counts.as_dict(),
           "seconds": round(time.monotonic() - started, 1)}
    fs.say(f"■ {experiment.name}: {row['verdict']} ({row['notes']})")
    return row


def checks(fs: FaultStack) -> list[dict]:
    """verify-log and netra-evidence verify on what the run left, as rows of the table."""
    rows = []
    for name, service, command in (("verify-log", "casework", ["services.casework.admin", "verify-log"]),
                                   ("netra-evidence verify", "evidence", ["services.evidence.admin", "verify"])):
        fs.say(f"▶ {name}")
        done = subprocess.run([sys.executable, "-m", *command], env=fs.stack.service_env(service),
                              capture_output=True, text=True, timeout=900)
        last = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
        rows.append({"experiment": name, "verdict": "PASS" if done.returncode == 0 else "FAIL",
                     "notes": f"exit {done.returncode}: {last}"})
        fs.say(f"■ {name}: {rows[-1]['verdict']} ({rows[-1]['notes']})")
    return rows


def run(experiments, output: Path, quiet_timeout: float, say=say, stack=None) -> list[dict]:
    """The experiments on a new isolated stack, or on `stack` (its services then reach the
    servers through the proxies for the while)."""
    rows: list[dict] = []
    every_poison: list = []
    with fault_stack(output, say, stack) as fs:
        say(f"stack up: {fs.settings.data_dir}")
        for experiment in experiments:
            rows.append(run_one(fs, experiment, every_poison, quiet_timeout))
        rows += checks(fs)
    return rows


def with_clients(experiments, clients: int) -> list[Experiment]:
    """The same experiments with `clients` filing at once (a heavier run: `make chaos ARGS='--clients 16'`)."""
    return [dataclasses.replace(e, clients=clients) for e in experiments]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="make chaos", description="The fault run: broker and database cuts and flapping, latency, SIGKILL of "
        "each service, SeaweedFS away and poison messages, each while clients file complaints; then counts "
        "from every store (lost = 0, duplicated = 0, parked = only the poison).")
    parser.add_argument("--short", action="store_true", help="the short version `make test` runs")
    parser.add_argument("--only", action="append", default=[], metavar="WORDS",
                        help="only the experiments whose name holds WORDS (may be repeated)")
    parser.add_argument("--list", action="store_true", help="list the experiments and stop")
    parser.add_argument("--clients", type=int, metavar="N",
                        help="clients filing at once in every experiment (default: the experiment's own, 3 or 4)")
    parser.add_argument("--quiet-timeout", type=float, default=300, help="seconds to wait for quiet (default 300)")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "bench-results",
                        help="where the table is written (default bench-results/)")
    args = parser.parse_args(argv)
    chosen = [e for e in (SHORT if args.short else FULL)
              if not args.only or any(w.lower() in e.name.lower() for w in args.only)]
    if args.clients is not None:
        if not 1 <= args.clients <= 64:
            parser.error("--clients must be between 1 and 64")
        chosen = with_clients(chosen, args.clients)
    if args.list or not chosen:
        print("\n".join(e.name for e in chosen) or "no experiment matches")
        return 0 if chosen else 2
    rows = run(chosen, PROJECT_ROOT / "test-output", args.quiet_timeout)
    print()
    print(report.table(rows))
    markdown, data = report.write(rows, args.results, "Fault run (make chaos)")
    print(f"\nwritten: {markdown.relative_to(PROJECT_ROOT)} and {data.name}")
    return 0 if all(r["verdict"] == "PASS" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
