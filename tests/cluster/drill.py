"""`make cluster-drill`: the failover drill under load on the cluster (`make cluster`'s topology).

Several clients file complaints (each with a screenshot) through nginx the whole time, and a
team member moves some of the cases on to BKPPD through nginx, while one at a time:
a RabbitMQ node is SIGKILLed, one replica of each service is SIGKILLed, a SeaweedFS volume
server is SIGKILLed, and the PostgreSQL primary is stopped and the standby promoted. The
supervisor `make run` uses starts killed processes again (never the old primary). Then,
once quiet, every store is counted (tests/chaos/counting.py): lost must be 0, duplicated
effects 0. A client that got 503 (or a dropped connection) and sent the complaint again with
its Idempotency-Key is one filing. The figures are printed and written to
bench-results/cluster-drill.json, with each part's CPU and memory during the drill.
"""

from __future__ import annotations

import argparse
import email
import hashlib
import json
import signal
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import getaddresses
from pathlib import Path

import requests
from netra_stack.cluster import rabbit
from netra_stack.cluster.settings import NODES, ClusterSettings
from netra_stack.cluster.stack import ClusterStack, replica_name
from netra_stack.processes import port_open, wait_until
from netra_stack.settings import PROJECT_ROOT, SERVICES
from netra_stack.supervisor import Supervisor
from sqlalchemy import create_engine, text

from netra_common.bus import deadletters
from services.intake.domain.codes import new_receipt, new_tracking_code
from tests.chaos import counting
from tests.chaos.clients import Burst, Filing
from tests.cluster.usage import Usage
from tests.support.accounts import dev_ketua, enrol
from tests.support.casework import FINDING, case_id_for

NEXT_STEP = {"opened": "assign", "assigned": "start_verification", "under_verification": "propose_violation",
             "violation_proposed": "confirm_violation", "violation_confirmed": "forward_to_bkppd"}
BY_ANGGOTA = ("start_verification", "propose_violation")


def say(message: str) -> None:
    print(message, flush=True)


# --- the view the counting reads (tests/chaos/counting.py's `fault_stack`) ------------------------


class View:
    def __init__(self, stack: ClusterStack):
        self.stack = stack
        self.settings = stack.settings
        self.db = create_engine(stack.settings.db_url, pool_size=2, max_overflow=2, pool_pre_ping=True,
                                connect_args={"connect_timeout": 5})
        self.direct_bus = stack.bus
        self.say = say

    def dead_letters(self) -> list:
        return deadletters.list_dead(self.direct_bus)


# --- the team moving cases on to BKPPD ----------------------------------------------------------


@dataclass
class Forwarder:
    """Takes every `every`-th acknowledged filing (at most `most`) and moves its case on to BKPPD
    through nginx, step by step from whatever the case shows: a step refused or cut off by a
    fault is tried again from the case's state. A 401 is a session one casework replica did not
    know (the two share them through PostgreSQL): counted, and must stay 0."""

    stack: ClusterStack
    burst: Burst
    view: View
    every: int = 5
    most: int = 10
    patience: float = 300.0
    forwarded: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)
    session_refusals: int = 0
    step_retries: int = 0

    def __post_init__(self):
        self.ketua = dev_ketua(self.stack)
        self.anggota = enrol(self.stack, f"drill-{uuid.uuid4().hex[:6]}", "anggota")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def finish(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        taken = 0
        while taken < self.most:
            acked = [f for f in list(self.burst.filings) if f.acked]
            if len(acked) > taken * self.every:
                filing = acked[taken * self.every]
                taken += 1
                self._forward(filing)
            elif self._stop.is_set():
                return
            else:
                time.sleep(1)

    def _complaint_id(self, tracking_code: str, deadline: float) -> str | None:
        while time.monotonic() < deadline:
            try:
                with self.view.db.connect() as conn:
                    found = conn.execute(text("SELECT complaint_id::text FROM intake.complaints "
                                              "WHERE tracking_code = :c"), {"c": tracking_code}).scalar()
                if found:
                    return found
            except Exception:  # noqa: BLE001 - the database may be switching over
                pass
            time.sleep(1)
        return None

    def _forward(self, filing: Filing) -> None:
        deadline = time.monotonic() + self.patience
        complaint_id = self._complaint_id(filing.tracking_code, deadline)
        case_id = case_id_for(complaint_id) if complaint_id else None
        while case_id and time.monotonic() < deadline:
            try:
                shown = self.ketua.get(f"/api/v1/cases/{case_id}")
                if shown.status_code == 401:
                    self.session_refusals += 1
                    self.ketua.log_in_again()
                    continue
                if shown.status_code != 200:
                    time.sleep(1)
                    continue
                case = shown.json()
                if case["status"] == "forwarded_to_bkppd":
                    self.forwarded.append(case_id)
                    return
                if not case["evidence"] and not case["rejected_uploads"]:
                    time.sleep(0.5)  # its screenshot is still on its way
                    continue
                command = NEXT_STEP[case["status"]]
                client = self.anggota if command in BY_ANGGOTA else self.ketua
                body = {"assign": {"assignee_id": self.anggota.user["user_id"]},
                        "propose_violation": FINDING}.get(command, {})
                answer = client.command(case_id, command, case["version"], **body)
                if answer.status_code == 401:
                    self.session_refusals += 1
                    client.log_in_again()
                elif answer.status_code != 200:
                    self.step_retries += 1
                    time.sleep(1)
            except requests.RequestException:
                self.step_retries += 1
                time.sleep(1)
        self.unfinished.append(case_id or filing.tracking_code or filing.marker)


# --- the faults ----------------------------------------------------------------------------------


class Drill:
    def __init__(self, stack: ClusterStack, view: View):
        self.stack = stack
        self.view = view
        self.notices: list[str] = []
        self.supervisor = Supervisor(stack.all_processes, lambda m: (self.notices.append(m), say(f"  {m}")),
                                     first_delay=1.0, longest_delay=8.0, healthy_after=20.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._supervise, daemon=True)
        self._thread.start()

    def _supervise(self) -> None:
        while not self._stop.wait(0.5):
            self.supervisor.tick()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.view.db.dispose()

    def kill(self, name: str) -> None:
        self.stack.all_processes()[name].signal(signal.SIGKILL)

    # Each fault returns once what it broke serves again (the supervisor restarted it, or the
    # standby took over); the seconds that took are "back after".

    def rabbitmq_node(self) -> None:
        # The first node in every client's list: every service's connection moves to another.
        self.kill("rabbitmq-1")
        time.sleep(2)
        wait_until(lambda: rabbit.members(self.stack.cluster, 1).count(self.stack.cluster.node(0)) == 1,
                   timeout=240, interval=2, what="RabbitMQ node 1 back in the cluster")

    def one_replica_each(self) -> None:
        for service in SERVICES:
            self.kill(replica_name(service, 0))
        time.sleep(2)
        for service in SERVICES:
            self.stack.wait_replica(service, 0, timeout=180)

    def volume_server(self) -> None:
        self.kill("seaweed-volume-2")
        time.sleep(2)
        port = self.stack.cluster.seaweed_volumes[1][0]
        wait_until(lambda: port_open(port), timeout=120, what="SeaweedFS volume server 2 back")

    def postgres_primary(self) -> None:
        self.stack.fail_over()


FAULTS = {"rabbitmq-node": Drill.rabbitmq_node, "service-replicas": Drill.one_replica_each,
          "seaweed-volume": Drill.volume_server, "postgres-failover": Drill.postgres_primary}


def window(filings: list[Filing], start: float, end: float) -> dict:
    """What the clients saw between `start` and `end`: refusals by kind, and how long after
    `start` the last one came (the clients' view of the outage)."""
    seen = [(t, what) for f in filings for t, what in list(f.answers) if start <= t < end]
    failed = [(t, what) for t, what in seen if what != "HTTP 201"]
    return {"attempts": len(seen), "refused_503": sum(1 for _, w in failed if w == "HTTP 503"),
            "other_failures": dict(Counter(w for _, w in failed if w != "HTTP 503")),
            "disrupted_seconds": round(max(t for t, _ in failed) - start, 1) if failed else 0.0}


# --- counting what each store holds ---------------------------------------------------------------


def mail_effects(mail_dir: Path, addresses: set[str]) -> tuple[int, int]:
    """(mails, duplicated mails) to `addresses`: a mail is its recipient, subject and text; two of
    them under different Message-IDs are one effect twice (the same Message-ID sent again after a
    crash is one mail, decision 0003)."""
    ids: dict[tuple, set[str]] = {}
    for path in mail_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        to = [address for _, address in getaddresses(message.get_all("To") or []) if address in addresses]
        if not to:
            continue
        part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
        body = hashlib.sha256(part.get_payload(decode=True) or b"").hexdigest()
        ids.setdefault((tuple(to), message["Subject"], body), set()).add(message["Message-ID"] or path.name)
    return len(ids), sum(len(v) - 1 for v in ids.values())


def evidence_duplicates(view: View, filings: list[Filing]) -> int:
    """Screenshots kept more than once for one complaint (each filing sends one)."""
    with view.db.connect() as conn:
        rows = conn.execute(text(
            "SELECT count(*) FROM evidence.items e JOIN intake.complaints c ON c.complaint_id = e.complaint_id "
            "WHERE substring(c.document->>'description' from 'Penanda ([^ .]+)') = ANY(:m) "
            "GROUP BY e.complaint_id HAVING count(*) > 1"), {"m": [f.marker for f in filings]}).all()
    return sum(n - 1 for (n,) in rows)


def wait_forwarded_mails(view: View, forwarded: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    mails = 0
    while time.monotonic() < deadline:
        mails, _ = mail_effects(view.settings.mail_dir, {view.settings.bkppd_email})
        if mails >= forwarded:
            break
        time.sleep(1)
    return mails


# --- checks of "two of everything share the work" --------------------------------------------------


def across_replicas(stack: ClusterStack) -> dict:
    """A session made at casework-1 serves at casework-2; a grant casework signed is honoured by
    either evidence replica; failed lookups at intake-1 count at intake-2 (the limit is in PostgreSQL)."""
    from tests.support.accounts import log_in_as

    found = {}
    secrets = stack.secrets
    one = log_in_as(stack.replica_url("casework", 0), "ketua", secrets["dev_team_password"],
                    secrets["dev_team_totp_secret"])
    me = requests.get(f"{stack.replica_url('casework', 1)}/api/v1/me", timeout=10,
                      headers={"Authorization": f"Bearer {one.token}"})
    found["session_from_casework_1_at_casework_2"] = me.status_code
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    answers = []
    for replica in (0, 0, 0, 0, 0, 0, 1):  # five failures allowed (NETRA_LOOKUP_ALLOWED), then 429
        answers.append(requests.get(f"{stack.replica_url('intake', replica)}/api/v1/complaints/{new_tracking_code()}",
                                    headers={"X-Forwarded-For": address, "X-Receipt": new_receipt()},
                                    timeout=10).status_code)
    found["wrong_lookups_intake_1_then_intake_2"] = answers
    return found


def grants_across(stack: ClusterStack, ketua, case_id: str) -> list[int]:
    """A grant signed by casework (through nginx) fetched at each evidence replica directly."""
    case = ketua.get(f"/api/v1/cases/{case_id}").json()
    evidence_id = case["evidence"][0]["evidence_id"]
    statuses = []
    for replica in (0, 1):
        granted = ketua.post(f"/api/v1/cases/{case_id}/evidence/{evidence_id}/grants",
                             {"copy": "sanitized", "purpose": f"Memeriksa bukti kasus {case['case_number']}"}).json()
        url = granted["url"].replace(stack.settings.url("evidence"), stack.replica_url("evidence", replica))
        statuses.append(requests.get(url, headers={"Authorization": f"Grant {granted['grant']}"},
                                     timeout=30).status_code)
    return statuses


# --- the drill ------------------------------------------------------------------------------------


def run(data_dir: Path, *, clients: int, faults: list[str], between: float, forward: int,
        quiet_timeout: float, progress=say) -> dict:
    cluster = ClusterSettings.for_tests(data_dir)
    stack = ClusterStack(cluster, progress=lambda m: progress(f"  cluster: {m}"))
    started = time.monotonic()
    try:
        stack.prepare()
        stack.start_services()
        up_seconds = round(time.monotonic() - started, 1)
        progress(f"cluster up in {up_seconds} s: {data_dir}")
        return _drill(stack, clients=clients, faults=faults, between=between, forward=forward,
                      quiet_timeout=quiet_timeout, progress=progress) | {"cluster_up_seconds": up_seconds}
    finally:
        stack.stop(fast=True)


def _drill(stack: ClusterStack, *, clients: int, faults: list[str], between: float, forward: int,
           quiet_timeout: float, progress) -> dict:
    view = View(stack)
    drill = Drill(stack, view)
    usage = Usage(stack.all_processes).start()
    tag = f"drill{uuid.uuid4().hex[:6]}"
    burst = Burst(stack.settings.url("intake"), tag, clients=clients, patience_seconds=240)
    forwarder = Forwarder(stack, burst, view, every=3, most=forward)
    rows = []
    try:
        time.sleep(between)  # filing before any fault
        for name in faults:
            progress(f"▶ {name}")
            start = time.monotonic()
            FAULTS[name](drill)
            back = round(time.monotonic() - start, 1)
            time.sleep(between)  # filing goes on after it came back
            rows.append({"fault": name, "back_after_seconds": back,
                         **window(burst.filings, start, time.monotonic())})
            progress(f"■ {name}: back after {back} s; {rows[-1]}")
    finally:
        burst.stop()
        filings = burst.wait()
        forwarder.finish()
    usage_summary = usage.stop()
    progress(f"filing stopped: {sum(f.acked for f in filings)}/{len(filings)} acknowledged; waiting for quiet")
    quiet = counting.wait_for_quiet(view, filings, quiet_timeout)
    counts = counting.count(view, filings, None, [], quiet)
    reporters = {f.email for f in filings}
    reporter_mails, reporter_duplicates = mail_effects(stack.settings.mail_dir, reporters)
    bkppd_mails = wait_forwarded_mails(view, len(forwarder.forwarded), 60)
    _, bkppd_duplicates = mail_effects(stack.settings.mail_dir, {stack.settings.bkppd_email})
    reporters_without_mail = _reporters_without_mail(stack.settings.mail_dir, filings)
    checks = across_replicas(stack)
    if forwarder.forwarded:
        checks["grant_fetched_at_evidence_1_and_2"] = grants_across(stack, forwarder.ketua, forwarder.forwarded[0])
    queues = rabbit.queue_members(stack.cluster, stack.bus)
    quorum = [q for q, (kind, _, _) in queues.items() if kind == "quorum"]
    figures = {
        "filed": len(filings), "acknowledged": counts.acked,
        "refused_503": sum(1 for f in filings for _, w in f.answers if w == "HTTP 503"),
        "recovered": sum(1 for f in filings if f.acked and len(f.answers) > 1),
        "not_acknowledged": len(filings) - counts.acked, "kept_unacknowledged": counts.kept_unacked,
        "complaints": counts.complaints, "cases_opened": counts.cases, "screenshots_stored": counts.evidence,
        "reporter_mails": reporter_mails, "reporters_without_mail": reporters_without_mail,
        "cases_forwarded": len(forwarder.forwarded), "forwarding_unfinished": len(forwarder.unfinished),
        "bkppd_mails": bkppd_mails,
        "lost": counts.lost + reporters_without_mail + max(0, len(forwarder.forwarded) - bkppd_mails),
        "duplicated": counts.duplicated + evidence_duplicates(view, filings) + reporter_duplicates + bkppd_duplicates,
        "parked": len(view.dead_letters()), "quiet_after_seconds": quiet,
        "session_refusals": forwarder.session_refusals, "team_step_retries": forwarder.step_retries,
    }
    drill.close()
    # Competing consumers: each replica handled its share of every service's messages.
    checks["messages_handled_per_replica"] = {
        replica_name(service, i): _count_in(stack.cluster.log_dir / f"{replica_name(service, i)}.log", "bus.handled ")
        for service in SERVICES for i in range(2)}
    return {"figures": figures, "faults": rows, "across_replicas": checks,
            "quorum_queues": {"count": len(quorum),
                              "on_all_three": sum(1 for q in quorum if queues[q][1] == NODES),
                              "with_no_drop_policy": sum(1 for q in quorum if queues[q][2].endswith(".no-drop"))},
            "usage": usage_summary, "supervisor_notices": drill.notices, "lost_markers": counts.lost_markers[:10]}


def _count_in(path: Path, words: str) -> int:
    try:
        return path.read_text(errors="replace").count(words)
    except FileNotFoundError:
        return 0


def _reporters_without_mail(mail_dir: Path, filings: list[Filing]) -> int:
    """Acknowledged filings whose reporter was never told (each identified reporter is told once)."""
    told = set()
    for path in mail_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        told.update(address for _, address in getaddresses(message.get_all("To") or []))
    return sum(1 for f in filings if f.acked and f.email not in told)


def verdict(result: dict) -> list[str]:
    """What is wrong with a drill's result (empty: it passed)."""
    f, problems = result["figures"], []
    if f["lost"] or f["duplicated"]:
        problems.append(f"lost {f['lost']}, duplicated {f['duplicated']}")
    if f["acknowledged"] != f["filed"]:
        problems.append(f"{f['filed'] - f['acknowledged']} filings never acknowledged")
    if not f["acknowledged"] == f["complaints"] == f["cases_opened"] == f["screenshots_stored"]:
        problems.append("acknowledged, complaints, cases and screenshots differ")
    if f["quiet_after_seconds"] is None:
        problems.append("not quiet")
    if f["parked"]:
        problems.append(f"{f['parked']} parked")
    if f["session_refusals"] or f["forwarding_unfinished"]:
        problems.append(f"team: {f['session_refusals']} session refusals, {f['forwarding_unfinished']} unfinished")
    q = result["quorum_queues"]
    if not q["count"] == q["on_all_three"] == q["with_no_drop_policy"] * 2:
        problems.append(f"quorum queues: {q}")
    checks = result["across_replicas"]
    if checks["session_from_casework_1_at_casework_2"] != 200:
        problems.append("a session from casework-1 was refused at casework-2")
    lookups = checks["wrong_lookups_intake_1_then_intake_2"]
    if lookups[0] != 404 or lookups[-1] != 429:
        problems.append(f"the lookup limit did not hold across intake replicas: {checks}")
    if idle := [name for name, n in checks["messages_handled_per_replica"].items() if not n]:
        problems.append(f"replicas that handled no message: {', '.join(idle)}")
    if checks.get("grant_fetched_at_evidence_1_and_2", [200, 200]) != [200, 200]:
        problems.append(f"grants across evidence replicas: {checks['grant_fetched_at_evidence_1_and_2']}")
    return problems


def table(result: dict) -> str:
    f = result["figures"]
    lines = ["", "Cluster drill (make cluster-drill)", "",
             f"  filed {f['filed']}, acknowledged with 201 {f['acknowledged']}, refused with 503 {f['refused_503']}, "
             f"recovered after a retry {f['recovered']}",
             f"  complaints {f['complaints']}, cases opened {f['cases_opened']}, screenshots stored "
             f"{f['screenshots_stored']}, reporter mails {f['reporter_mails']}",
             f"  cases forwarded {f['cases_forwarded']}, BKPPD mails {f['bkppd_mails']}",
             f"  LOST {f['lost']}, DUPLICATED {f['duplicated']}, parked {f['parked']}, quiet after "
             f"{f['quiet_after_seconds']} s", "",
             "  | fault | back after (s) | clients disrupted (s) | 503 | other failures |",
             "  |---|---|---|---|---|"]
    lines += [f"  | {r['fault']} | {r['back_after_seconds']} | {r['disrupted_seconds']} | {r['refused_503']} | "
              f"{r['other_failures'] or '-'} |" for r in result["faults"]]
    lines += ["", "  messages handled per replica: " + ", ".join(
        f"{name} {n}" for name, n in result["across_replicas"]["messages_handled_per_replica"].items())]
    lines += ["", "  part: CPU % of one core (mean), memory MiB (mean / peak, PSS summed over its processes)"]
    lines += [f"    {name:<20} {u['cpu_percent']!s:>6} %  {u['memory_mib_mean']:>7} / {u['memory_mib_peak']}"
              for name, u in result["usage"].items()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make cluster-drill", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="clients filing at once (default 4)")
    parser.add_argument("--only", action="append", choices=sorted(FAULTS), help="only this fault (may repeat)")
    parser.add_argument("--between", type=float, default=15.0,
                        help="seconds of filing before the first fault and after each (default 15)")
    parser.add_argument("--forward", type=int, default=10, help="cases the team forwards to BKPPD (default 10)")
    parser.add_argument("--quiet-timeout", type=float, default=300)
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "bench-results")
    args = parser.parse_args(argv)
    faults = [name for name in FAULTS if not args.only or name in args.only]
    data = PROJECT_ROOT / "test-output" / f"cluster-drill-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    result = run(data, clients=args.clients, faults=faults, between=args.between, forward=args.forward,
                 quiet_timeout=args.quiet_timeout)
    result["problems"] = verdict(result)
    result["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(table(result))
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / "cluster-drill.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\n{'PASS' if not result['problems'] else 'FAIL: ' + '; '.join(result['problems'])}\nwritten: {out}")
    return 0 if not result["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
