"""Issue 14's table from the figures and the limits of one run: each row its figure, the limit it is
divided by, the ratio and the goal. A figure the run did not measure says so."""

from __future__ import annotations

import os

from tests.perf.limits import Limits
from tests.perf.report import Row, ratio


def _get(figures: dict, *path):
    value = figures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _limit_rows(limits: Limits) -> list[Row]:
    names = {"pg_commit_1": "PostgreSQL INSERT 1 KB + commit, 1 client",
             "pg_commit_4": "PostgreSQL INSERT 1 KB + commit, 4 clients",
             "amqp_confirmed_publish": "RabbitMQ confirmed publish 1 KB",
             "s3_put_200kb_1": "S3 PUT 200 KB, 1 thread", "s3_put_200kb_4": "S3 PUT 200 KB, 4 threads",
             "http_get": "HTTP GET /healthz", "pillow_decode_encode": "Pillow decode + re-encode 720x1280 PNG",
             "argon2_hash": "Argon2id hash (argon2-cffi defaults)"}
    return [Row(f"limit: {names[n]}", f"{limits.median(n)}/s (rounds {limits.rounds[n]})") for n in limits.rounds]


def _filing_rows(figures: dict, limits: Limits) -> list[Row]:
    out = []
    for clients, limit_name in ((1, "s3_put_200kb_1"), (4, "s3_put_200kb_4"), (8, "s3_put_200kb_4")):
        run = _get(figures, "filing", str(clients))
        if run is None:
            out.append(Row(f"filings/s, {clients} client(s)", "not measured"))
            continue
        goal = "≥ 0.5" + (", p95 ≤ 300 ms" if clients == 4 else "")
        out.append(Row(f"filings/s, 1 screenshot of 200 KB, {clients} client(s)",
                       f"{run['per_second']}/s (p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms)",
                       f"S3 PUT {limit_name[-1]} thread(s): {limits.median(limit_name)}/s",
                       ratio(run["per_second"], limits.median(limit_name)), goal))
    out += _filing_cpu_rows(figures)
    visible = _get(figures, "filed_to_case_visible")
    if visible:
        out.append(Row("filed → case on the team's queue (per filing)",
                       f"p50 {visible['p50_ms']} ms, p95 {visible['p95_ms']} ms"))
    return out


def _filing_cpu_rows(figures: dict) -> list[Row]:
    """The figure that stops filing on this machine: CPU per filing over the whole path."""
    out = []
    for clients in ("1", "4", "8"):
        spent = _get(figures, "filing", clients, "cpu_ms_per_filing")
        if not spent:
            continue
        total = sum(spent.values())
        parts = ", ".join(f"{name} {ms}" for name, ms in sorted(spent.items(), key=lambda kv: -kv[1]))
        cores = os.cpu_count() or 1
        bound = f"{cores} cores: at most {round(cores * 1000 / total, 1)} filings/s" if total else ""
        if total and int(clients) > cores:
            bound += f"; {_shared_wait(int(clients), total, cores)}"
        out.append(Row(f"CPU per filing, {clients} client(s) (the stack's processes, downstream included)",
                       f"{round(total, 1)} ms ({parts})", bound,
                       "", "PostgreSQL and RabbitMQ not counted (shared)"))
    return out


def _shared_wait(clients: int, cpu_ms: float, cores: int) -> str:
    """What the latency goal meets when the clients outnumber the cores: each client files again as
    soon as it is answered, so at most cores / CPU filings a second are answered and each filing takes
    clients / that on average (Little's law), the others' CPU included."""
    return f"{clients} clients at once: each filing {round(clients * cpu_ms / cores)} ms on average at least"


def _evidence_rows(figures: dict, limits: Limits) -> list[Row]:
    burst = _get(figures, "evidence")
    single = limits.median("pillow_decode_encode")
    if not burst:
        return [Row("screenshots through evidence", "not measured", f"Pillow, 1 thread: {single}/s", "", "≥ 0.6")]
    every = burst["pillow_every_core"]
    rate = burst["per_second"]
    return [Row(f"screenshots 720x1280 through evidence (check, hash, encrypt, store, clean copy, thumbnail, "
                f"perceptual hash), a burst of {burst['screenshots']} from its queue",
                f"{rate}/s ({burst['stored']} stored, {burst['rejected']} refused; "
                f"evidence CPU {burst['evidence_cpu_ms_per_screenshot']} ms each{_stack_bound(burst, every)})",
                f"Pillow decode + re-encode, {every['threads']} threads: {every['per_second']}/s "
                f"(1 thread: {single}/s)",
                f"{ratio(rate, every['per_second'])} (1 thread: {ratio(rate, single)})",
                "≥ 0.6, on every core; a burst waits in the queue, never fails")]


def _stack_bound(burst: dict, every: dict) -> str:
    """What the whole stack's CPU per screenshot allows on this machine's cores: the ratio's ceiling."""
    stack_ms = burst.get("stack_cpu_ms_per_screenshot")
    if not stack_ms:
        return ""
    at_most = round(every["threads"] * 1000 / stack_ms, 1)
    return (f"; the stack's CPU {stack_ms} ms each, so {every['threads']} cores take at most {at_most}/s, "
            f"{ratio(at_most, every['per_second'])} of Pillow")


def _append_rows(figures: dict, limits: Limits) -> list[Row]:
    out = []
    for writers in (1, 4):
        netra, peer = _get(figures, "append", "netra", str(writers)), _get(figures, "append", "peer", str(writers))
        # The raw commits measured beside the appends, on their database, when the run has them.
        beside = _get(figures, "append", "raw", str(writers))
        raw = beside or limits.median(f"pg_commit_{writers}")
        peer_text = f"{peer}/s" if peer else "not measured (make bench-deps)"
        out.append(Row(f"event append ~1 KB, {writers} writer(s), {writers} stream(s), each append its own "
                       "transaction (one round trip, 0039)", f"{netra}/s",
                       f"raw {raw}/s{' (in the same rounds, same database)' if beside else ''}; "
                       f"eventsourcing {peer_text}",
                       f"{ratio(netra, raw)} raw, {ratio(netra, peer)}× peer",
                       "≥ 0.7 raw, ≥ 1.5× peer" if writers == 1 else "≥ 1.5× peer"))
        for path, how in (("netra_last", "after a SELECT 1 in its transaction, sent with its COMMIT (a command's "
                                         "unit of work, 0026; the SELECT's round trip included)"),
                          ("netra_0018", "COMMIT a round trip of its own (0018, for comparison)")):
            other = _get(figures, "append", path, str(writers))
            if other:
                out.append(Row(f"event append ~1 KB, {writers} writer(s), {how}", f"{other}/s",
                               f"raw {raw}/s; eventsourcing {peer_text}",
                               f"{ratio(other, raw)} raw, {ratio(other, peer)}× peer"))
    return out


def _log_rows(figures: dict) -> list[Row]:
    out = []
    for size, measured in sorted((_get(figures, "log") or {}).items(), key=lambda kv: int(kv[0])):
        reading = measured["read_all_per_second"]
        stopped = measured["rebuild"].get("stopped", {})
        for name, per_second in measured["rebuild"].items():
            if name == "stopped":
                continue
            cut = stopped.get(name)
            note = (f" (stopped after {cut['after_s']:.0f} s at {cut['events']} of {cut['of']} events)"
                    if cut else "")
            out.append(Row(f"projection rebuild {name}, {size} events", f"{per_second} events/s{note}",
                           f"reading all events: {reading}/s", ratio(per_second, reading),
                           "≥ 20,000 events/s, linear"))
        out.append(_verify_row(size, measured))
    out += _verify_growth(_get(figures, "log") or {})
    return out or [Row("projection rebuild / verify-log", "not measured")]


def _verify_growth(logs: dict) -> list[Row]:
    """verify-log's CPU per event between the smallest and the largest log: start-up left out,
    what each further event costs the command (constant: linear growth)."""
    sizes = sorted((int(size), measured["verify_log"]) for size, measured in logs.items()
                   if measured["verify_log"].get("command_cpu_s") is not None)
    if len(sizes) < 2 or sizes[-1][1]["events"] <= sizes[0][1]["events"]:
        return []
    (small, first), (large, last) = sizes[0], sizes[-1]
    per_event = (last["command_cpu_s"] - first["command_cpu_s"]) / (last["events"] - first["events"])
    return [Row(f"verify-log, each event from {small} to {large} (start-up left out)",
                f"{round(per_event * 1e6, 1)} µs of the command's CPU per event "
                f"({round(1 / per_event) if per_event > 0 else '?'} events per CPU-second)", "", "",
                "≥ 50k events/s")]


def _verify_row(size: str, measured: dict) -> Row:
    """verify-log at one log size: the check's rate (the time the command prints) beside the rate
    of only reading the rows it reads; the whole command's, start-up included; CPU and memory."""
    verify, fetch = measured["verify_log"], measured.get("fetch_per_second")
    check = verify.get("check_per_second")
    cpu = verify.get("command_cpu_s")
    value = (f"check {check} events/s; whole command {verify['per_second']} events/s "
             f"({verify.get('command_s')} s)" if check else f"{verify['per_second']} events/s")
    if cpu is not None:
        value += f"; the command's CPU {cpu} s"
    value += f"; peak RSS {verify['peak_rss_mb']} MB (exit {verify['exit']})"
    return Row(f"verify-log, {size} events", value,
               f"reading the same rows, nothing checked: {fetch}/s" if fetch else "",
               ratio(check, fetch) if check else "", "constant memory, ≥ 50k events/s")


def _queue_rows(figures: dict, limits: Limits) -> list[Row]:
    """The team's queue and search at each number of cases (1k, 10k): p95 beside a trivial GET."""
    out = []
    healthz = f"healthz: {round(1000 / limits.median('http_get'), 2)} ms"
    for cases, took in sorted((_get(figures, "queue_at") or {}).items(), key=lambda kv: int(kv[0])):
        for name in ("queue", "search"):
            one = took[name]
            alone = one.get("statement")
            limit = healthz + (f"; the statement alone (in-process, no HTTP): p50 {alone['p50_ms']} ms, "
                               f"p95 {alone['p95_ms']} ms" if alone else "")
            out.append(Row(f"team {name}, {cases} cases", f"p50 {one['p50_ms']} ms, p95 {one['p95_ms']} ms "
                           f"({one['total']} found)", limit, "", "p95 ≤ 20 ms"))
    return out or [Row("team queue / search", "not measured", healthz, "", "p95 ≤ 20 ms")]


def _service_rows(figures: dict, limits: Limits) -> list[Row]:
    out = []
    out += _queue_rows(figures, limits)
    memory = _get(figures, "intake_peak_rss_mb")
    out.append(Row("intake memory at 8 clients (peak RSS)", f"{memory} MB" if memory else "not measured",
                   "", "", "≤ 200 MB"))
    connections = _get(figures, "pg_connections")
    out.append(Row("PostgreSQL connections of one stack after load",
                   f"{connections['after_load']} (pools allow {connections['pools_allow']})" if connections
                   else "not measured", "server max_connections: "
                   f"{connections['server_max'] if connections else '?'}", "", "bounded, configurable"))
    return out


def rows(figures: dict, limits: Limits) -> list[Row]:
    return (_filing_rows(figures, limits) + _append_rows(figures, limits) + _log_rows(figures)
            + _service_rows(figures, limits) + _evidence_rows(figures, limits) + _limit_rows(limits))
