"""A real Prometheus (Debian's package) scraping a test stack with the project's own scrape
configuration and alert rules (deploy/monitoring/), on a free port, and its HTTP API."""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests
import yaml
from netra_stack.settings import PROJECT_ROOT, free_port

MONITORING = PROJECT_ROOT / "deploy" / "monitoring"
# Seconds, not the production 15 s: a test waits for a few scrapes and rule evaluations.
TEST_INTERVAL = "1s"


def scrape_config_for(settings) -> dict:
    """deploy/monitoring/prometheus.yml with the stack's metrics ports for its targets."""
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    config["global"].update(scrape_interval=TEST_INTERVAL, evaluation_interval=TEST_INTERVAL)
    config["rule_files"] = [str(MONITORING / name) for name in config["rule_files"]]
    for job in config["scrape_configs"]:
        job["static_configs"] = [{"targets": [f"127.0.0.1:{settings.metrics_ports[job['job_name']]}"]}]
    return config


class Prometheus:
    def __init__(self, url: str):
        self.url = url

    def query(self, expr: str) -> list[dict]:
        answer = requests.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=10).json()
        assert answer["status"] == "success", answer
        return answer["data"]["result"]

    def value(self, expr: str) -> float | None:
        """The one figure an expression gives, or None when it gives nothing (yet)."""
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None

    def wait_for(self, expr: str, check, timeout: float = 45) -> float:
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            last = self.value(expr)
            if last is not None and check(last):
                return last
            time.sleep(0.5)
        raise AssertionError(f"{expr} never held (last value: {last})")

    def firing(self, alertname: str) -> list[dict]:
        alerts = requests.get(f"{self.url}/api/v1/alerts", timeout=10).json()["data"]["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == alertname and a["state"] == "firing"]

    def series(self, match: str) -> list[dict]:
        answer = requests.get(f"{self.url}/api/v1/series", params={"match[]": match}, timeout=10).json()
        return answer["data"]


@contextmanager
def running_prometheus(settings, work_dir: Path):
    work_dir.mkdir(parents=True, exist_ok=True)
    config = work_dir / "prometheus.yml"
    config.write_text(yaml.safe_dump(scrape_config_for(settings)))
    port = free_port()
    log = (work_dir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work_dir / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/-/ready", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prometheus did not start: {(work_dir / 'prometheus.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield Prometheus(url)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
        shutil.rmtree(work_dir / "data", ignore_errors=True)
