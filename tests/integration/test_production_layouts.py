"""deploy/production/ checked offline, without a Docker engine or three machines: Docker Compose's
own `config` over the one-machine file (with a secrets folder made by `netra-stack
production-secrets`), ansible-lint over the three-machine playbooks, `nginx -t` over the TLS doors
(Debian's nginx, installed by `make test-deps`), and no image or package left unpinned."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import compose
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from netra_stack.secrets import production_env, write_production_secrets

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ROOT / "deploy" / "production"
DOCKER_COMPOSE = Path(compose.__file__).parent / "docker-compose"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PINNED_IMAGE = re.compile(r"^[\w./-]+:\d+(\.\d+)+[\w.-]*$")


def test_docker_compose_accepts_the_file_with_a_fresh_secrets_folder(tmp_path):
    secrets = tmp_path / "secrets"
    written = write_production_secrets(secrets)
    named = {Path(s["file"]).name for s in yaml.safe_load((PRODUCTION / "docker-compose.yml").read_text())
             ["secrets"].values()}
    assert named == set(written) - {"POSTGRES_REPLICATION_PASSWORD", "RABBITMQ_ERLANG_COOKIE"}
    done = subprocess.run(
        [str(DOCKER_COMPOSE), "--env-file", "env.example", "-f", "docker-compose.yml", "config", "--quiet"],
        cwd=PRODUCTION, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NETRA_VERSION": "2026.12.1",
             "NETRA_SECRETS": str(secrets)})
    assert done.returncode == 0, done.stderr
    unset = re.findall(r'The "(\w+)" variable is not set', done.stderr)
    assert unset == [], f"variables docker-compose.yml reads that env.example lacks: {unset}"


def test_every_image_and_the_base_image_are_pinned_never_latest():
    services = yaml.safe_load((PRODUCTION / "docker-compose.yml").read_text())["services"]
    images = {name: s["image"] for name, s in services.items()}
    ours = {name for name, image in images.items() if image.startswith("netra:")}
    assert ours and all(images[n].startswith("netra:${NETRA_VERSION:?") for n in ours)
    assert [image for name, image in images.items() if name not in ours and not PINNED_IMAGE.match(image)] == []
    bases = re.findall(r"^FROM\s+(\S+)", (PRODUCTION / "Dockerfile").read_text(), re.M)
    assert bases and all(PINNED_IMAGE.match(b) for b in bases)
    for text in [(PRODUCTION / "docker-compose.yml").read_text(), (PRODUCTION / "Dockerfile").read_text(),
                 (PRODUCTION / "env.example").read_text()]:
        assert not re.search(r"latest", text, re.I)


def test_ansible_lint_passes_the_three_machine_playbooks():
    # Offline: no collection installs, no look for a newer ansible-lint (about 13 s of CPU).
    env = {**os.environ, "ANSIBLE_LINT_NODEPS": "1", "ANSIBLE_LINT_SKIP_VERSION_CHECK": "1"}
    done = subprocess.run([str(Path(sys.executable).parent / "ansible-lint"), "--offline", "--nocolor", "-q",
                           "ansible"], cwd=PRODUCTION, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def self_signed(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "netra.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True)
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))


def test_nginx_accepts_every_door_as_written(tmp_path):
    doors = ("intake.conf", "casework.conf", "evidence.conf")
    for door in ("portal", "team", "evidence"):
        self_signed(tmp_path / "ssl" / door)
    conf = tmp_path / "conf"
    conf.mkdir()
    for name in ("tls.conf", "upstreams.conf", *doors):
        text = (PRODUCTION / "nginx" / name).read_text()
        text = text.replace("/etc/nginx/conf.d/netra/", f"{conf}/").replace("/etc/ssl/netra/", f"{tmp_path}/ssl/")
        (conf / name).write_text(text)
    includes = "".join(f"    include {conf}/{name};\n" for name in ("upstreams.conf", *doors))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{includes}}}\n")
    done = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "[warn]" not in done.stderr, done.stderr


ANSIBLE = PRODUCTION / "ansible"


def unit(text: str) -> dict[str, list[str]]:
    """A systemd unit's settings, each key with every value it is given (LoadCredential repeats)."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            name, value = line.split("=", 1)
            found.setdefault(name, []).append(value)
    return found


def rendered_backup_units() -> tuple[dict, dict, dict]:
    """roles/backup's two units as Ansible writes them, from group_vars/all.yml (every variable
    they name must be there: StrictUndefined)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    settings = yaml.safe_load((ANSIBLE / "group_vars" / "all.yml").read_text())
    settings["netra_s3_endpoint"] = "10.10.0.11:8333"  # group_vars computes it from the inventory
    templates = Environment(loader=FileSystemLoader(ANSIBLE / "roles" / "backup" / "templates"),
                            undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)  # noqa: S701 - a unit file, not HTML
    return (unit(templates.get_template("netra-backup.service.j2").render(settings)),
            unit(templates.get_template("netra-backup.timer.j2").render(settings)), settings)


def test_the_nightly_backup_timer_runs_the_job_with_its_secrets_and_the_retention_settings():
    service, timer, settings = rendered_backup_units()
    assert timer["OnCalendar"] == ["*-*-* 18:30:00 UTC"] and timer["Persistent"] == ["true"]
    assert service["Type"] == ["oneshot"] and service["User"] == ["netra_backup"]
    assert service["ExecStart"] == [f"/opt/netra/bin/netra-backup nightly --to {settings['netra_backup_dir']} "
                                    f"--keys-to {settings['netra_backup_keys_dir']}"]
    assert settings["netra_backup_dir"] != settings["netra_backup_keys_dir"], "the keys kept apart from the data"
    assert sorted(service["ReadWritePaths"][0].split()) == sorted([settings["netra_backup_dir"],
                                                                   settings["netra_backup_keys_dir"]])
    credentials = dict(value.split(":", 1) for value in service["LoadCredential"])
    assert credentials == {"NETRA_BACKUP_KEY": "/etc/netra/secrets/NETRA_BACKUP_KEY",
                           "NETRA_BACKUP_S3_ACCESS_KEY": "/etc/netra/secrets/NETRA_ADMIN_S3_ACCESS_KEY",
                           "NETRA_BACKUP_S3_SECRET_KEY": "/etc/netra/secrets/NETRA_ADMIN_S3_SECRET_KEY"}
    environment = dict(value.split("=", 1) for value in service["Environment"])
    assert environment["NETRA_SECRETS_DIR"] == "%d"
    assert environment["NETRA_DB_URL"] == "postgresql+psycopg2://netra_backup@/netra?host=/var/run/postgresql"
    assert (environment["NETRA_BACKUP_KEYS_DAYS"], environment["NETRA_BACKUP_DATA_DAYS"],
            environment["NETRA_BACKUP_MONTHLY_YEARS"]) == ("35", "30", "5")
    assert set(environment).isdisjoint(production_env()) and set(environment).isdisjoint(credentials), \
        "no secret in the environment"


def test_the_backup_runs_on_the_primary_with_a_read_only_role_and_the_compose_job_matches():
    plays = yaml.safe_load((ANSIBLE / "site.yml").read_text())
    backup_plays = [play for play in plays if "backup" in play.get("roles", [])]
    assert [play["hosts"] for play in backup_plays] == ["postgres_primary"]
    assert plays.index(backup_plays[0]) > next(i for i, p in enumerate(plays) if "netra" in p.get("roles", []))
    roles_sql = (ANSIBLE / "roles" / "postgresql" / "templates" / "roles.sql.j2").read_text()
    assert "CREATE ROLE netra_backup LOGIN'" in roles_sql and "GRANT pg_read_all_data TO netra_backup;" in roles_sql
    job = yaml.safe_load((PRODUCTION / "docker-compose.yml").read_text())["services"]["backup"]
    assert job["profiles"] == ["backup"] and job["restart"] == "no", "never started by `up`, run by cron"
    assert job["command"] == ["netra-backup", "nightly", "--to", "/backup/data", "--keys-to", "/backup/keys"]
    assert {s if isinstance(s, str) else s["target"] for s in job["secrets"]} == {
        "NETRA_DB_PASSWORD", "NETRA_BACKUP_S3_ACCESS_KEY", "NETRA_BACKUP_S3_SECRET_KEY", "NETRA_BACKUP_KEY"}
    assert job["environment"]["NETRA_BACKUP_KEYS_DAYS"] == "${NETRA_BACKUP_KEYS_DAYS:-35}"
    assert "postgresql-client-15" in (PRODUCTION / "Dockerfile").read_text(), "pg_dump for the job"
