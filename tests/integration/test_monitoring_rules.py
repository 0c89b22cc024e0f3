"""deploy/monitoring/'s Prometheus configuration and alert rules, checked and unit-tested by
promtool (Debian's prometheus package, installed by `make test-deps`)."""

from __future__ import annotations

import subprocess

from tests.support.monitoring import MONITORING


def promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["promtool", *args], cwd=MONITORING, capture_output=True, text=True, timeout=60)


def test_the_alert_rules_are_valid():
    done = promtool("check", "rules", "alerts.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_alert_fires_when_it_should_and_only_then():
    done = promtool("test", "rules", "alerts_test.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_scrape_configuration_is_valid():
    done = promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_its_runbook_in_the_operations_guide():
    import yaml

    from tests.support.monitoring import PROJECT_ROOT

    guide = (PROJECT_ROOT / "docs" / "operations.md").read_text().lower()
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())["groups"][0]["rules"]
    for rule in rules:
        assert f"### {rule['alert'].lower()}" in guide, rule["alert"]
