"""deploy/production stays in step with the services: every setting a service needs and has
no usable default for is given to it (as a setting, or as a secret file), every variable the
compose file reads is in env.example, and `netra-stack production-secrets` makes each secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from netra_stack.secrets import production_env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ROOT / "deploy" / "production"
SERVICES = ("intake", "evidence", "casework", "notify")
# Empty by default on purpose: the feature is off, or the built-in choice is used.
OPTIONAL = {"NETRA_SMTP_CA_FILE", "NETRA_HOLIDAYS_FILE", "NETRA_RETENTION_FILE",
            "NETRA_NOTIFY_TEMPLATE_DIR", "NETRA_TRUSTED_PROXIES",
            "NETRA_BKPPD_WEBHOOK_URL"}
# Set per service in the compose file's shared block, or by the setup job.
SHARED = {"NETRA_AMQP_URI", "NETRA_S3_ENDPOINT", "NETRA_DB_URL"}
# Written by the operator into the secrets folder, not made by production-secrets.
OPERATORS = {"NETRA_SMTP_PASSWORD", "NETRA_DOSSIER_SIGNING_KEY_PASSPHRASE"}


def compose() -> dict:
    return yaml.safe_load((PRODUCTION / "docker-compose.yml").read_text())


def without_default(config_file: Path) -> set[str]:
    """The NETRA_ variables a config.yaml reads with an empty default."""
    return set(re.findall(r"\$\{(NETRA_[A-Z0-9_]+):\}", config_file.read_text()))


def env_example() -> dict[str, str]:
    lines = (PRODUCTION / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_given_every_setting_it_has_no_default_for(service):
    needed = without_default(ROOT / "services" / service / "config.yaml") - OPTIONAL - SHARED
    spec = compose()["services"][service]
    secrets = {s if isinstance(s, str) else s["target"] for s in spec["secrets"]}
    given = set(spec["environment"]) | secrets
    assert needed <= given, f"{service} lacks {sorted(needed - given)} in docker-compose.yml"


def test_every_variable_the_compose_file_reads_is_in_env_example():
    read = set(re.findall(r"\$\{([A-Z0-9_]+)(?::-[^}]*)?\}", (PRODUCTION / "docker-compose.yml").read_text()))
    assert read - set(env_example()) == set()


def test_no_secret_is_a_setting_and_every_secret_a_service_mounts_is_made():
    made = set(production_env())
    assert made.isdisjoint(env_example()), "secrets are files, never env.example's settings"
    mounted = {s if isinstance(s, str) else s["source"] for spec in compose()["services"].values()
               for s in spec.get("secrets", [])}
    assert mounted - made - OPERATORS == {"rabbitmq-user.conf", "s3-identities.json"}


def test_production_secrets_fill_every_secret_and_are_fresh_each_time():
    first, second = production_env(), production_env()
    assert all(first.values()) and all(first[k] != second[k] for k in first if k != "NETRA_EVIDENCE_ACTIVE_KEY_ID")
    assert first["NETRA_EVIDENCE_MASTER_KEYS"].startswith(first["NETRA_EVIDENCE_ACTIVE_KEY_ID"] + ":")
