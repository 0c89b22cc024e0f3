"""The whole local system, in order: PostgreSQL and RabbitMQ (private ones where none answers),
checks, secrets, database, S3, mail sink, migrations, bus topology, the development account and the
identity vault it holds, then the four services."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time

import requests
from nacl.public import PrivateKey

from netra_common.bus import topology
from netra_common.bus.settings import BusSettings, parse_delays
from netra_common.migrate import upgrade
from netra_stack import checks, database, private, signing_ca
from netra_stack import secrets as dev_secrets
from netra_stack.processes import ManagedProcess, port_open, wait_until
from netra_stack.seaweed import seaweed_process, wait_ready_and_create_buckets
from netra_stack.servers import LocalServers
from netra_stack.settings import SERVICES, StackSettings

DEV_ACCOUNT = {"username": "ketua", "role": "ketua", "full_name": "Ketua Tim (akun pengembangan)"}


class Stack:
    def __init__(self, settings: StackSettings, *, echo: bool = False, progress=None):
        self.settings = settings
        self.echo = echo
        self.progress = progress or (lambda message: None)
        self.secrets: dict = {}
        self.vault_public_key = ""  # what intake seals to: casework's vault-init prints it
        self.secrets_are_new = False  # made by this start (so never shown before)
        self.keeper: private.Keeper | None = None
        self.infra: dict[str, ManagedProcess] = {}
        self.services: dict[str, ManagedProcess] = {}

    # --- preparing ------------------------------------------------------------------

    @property
    def bus(self) -> BusSettings:
        s = self.settings
        return BusSettings(s.amqp_uri, s.bus_prefix, parse_delays(s.retry_delays_ms))

    def prepare(self, before_migrations=None) -> None:
        """Everything but the services. `before_migrations()` runs once the empty database and the
        S3 buckets exist, before anything is written into them (a restore drill restores there)."""
        s = self.settings
        self.progress("checking PostgreSQL and RabbitMQ")
        # Where none answers on this machine, private ones under the data folder (servers.py).
        private.folder(s.data_dir)
        self.infra.update(LocalServers(s, s.data_dir, progress=self.progress, echo=self.echo).ensure())
        checks.check_postgres(s.pg_url)
        checks.check_rabbitmq(s.amqp_uri)
        checks.check_ports_free(s.listening_ports())
        self._private_data_folder()
        self.secrets_are_new = not dev_secrets.secrets_file(s.data_dir).exists()
        self.secrets = dev_secrets.load_or_create(s.data_dir)
        if database.ensure_database(s.pg_url, s.database):
            self.progress(f"created database {s.database}")
        self.progress("starting SeaweedFS (S3)")
        self._start_infra("seaweedfs", seaweed_process(s, self.secrets))
        self.keeper = private.Keeper(s.data_dir / "seaweedfs").start()
        wait_ready_and_create_buckets(s, self.secrets, self.infra["seaweedfs"])
        self.progress("starting the SMTP sink")
        self._start_infra("smtp-sink", ManagedProcess(
            "smtp-sink",
            [sys.executable, "-m", "netra_stack.smtp_sink", "--port", str(s.smtp_port),
             "--dir", str(s.mail_dir)],
            log_path=s.log_dir / "smtp-sink.log", echo=self.echo))
        wait_until(lambda: port_open(s.smtp_port), timeout=20, what="SMTP sink",
                   process=self.infra["smtp-sink"])
        if before_migrations is not None:
            before_migrations()
        for service in SERVICES:
            self.progress(f"migrating {service}")
            upgrade(service, s.db_url)
        self.progress("declaring the bus topology")
        topology.declare(self.bus)
        self.progress("ensuring the development team account")
        was_reset = self._ensure_dev_account()
        self.progress("setting up the identity vault")
        self._ensure_vault(was_reset)

    def _private_data_folder(self) -> None:
        """Volumes, mail, logs and secrets are the owner's alone; a folder an older version made
        readable to others is tightened first."""
        private.folder(self.settings.data_dir)
        if changed := private.tighten(self.settings.data_dir):
            self.progress(f"made {changed} path(s) in {self.settings.data_dir} readable by you only")

    def _start_infra(self, name: str, process: ManagedProcess) -> None:
        process.start()
        self.infra[name] = process

    def _ensure_dev_account(self) -> bool:
        """The development ketua, with the password and TOTP secret in the secrets file. An account
        already there with them is left as it is (its e-mail and notification choice too); one with
        other credentials (the secrets file was made anew) is reset, which the audit log records."""
        command = [sys.executable, "-m", "services.casework.admin", "ensure-user",
                   "--username", DEV_ACCOUNT["username"], "--role", DEV_ACCOUNT["role"],
                   "--full-name", DEV_ACCOUNT["full_name"], "--password-stdin",
                   "--totp-secret", self.secrets["dev_team_totp_secret"]]
        password = self.secrets["dev_team_password"].encode()
        done = self._run_admin(command, password)
        if done.returncode == 3:
            self.progress("the development account had other credentials: resetting it to the secrets file's")
            done = self._run_admin([*command, "--reset"], password)
        if done.returncode != 0:
            raise RuntimeError(f"ensure-user failed: {done.stderr.decode(errors='replace').strip()}")
        return b" reset:" in done.stdout

    @property
    def recovery_key_file(self):
        """The development vault's recovery key: in production it is printed once and kept offline."""
        return self.settings.data_dir / "vault-recovery.key"

    def _run_admin(self, command: list[str], stdin: bytes | None) -> subprocess.CompletedProcess:
        """An admin command; tried again for a while when the shared PostgreSQL is full for the moment
        (its 100 connections are shared with other stacks and tools: a full server is not a failure of
        this stack, and a stack that failed to start costs every test that needed it)."""
        for wait in (1, 2, 4, 8, 15, 0):
            done = subprocess.run(command, input=stdin, env=self.service_env("casework"), capture_output=True)
            if done.returncode == 0 or b"too many clients" not in done.stderr or not wait:
                return done
            self.progress(f"PostgreSQL has no free connection: trying again in {wait} s")
            time.sleep(wait)
        return done

    def _admin(self, *args: str, stdin: bytes | None = None) -> str:
        done = self._run_admin([sys.executable, "-m", "services.casework.admin", *args], stdin)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout.decode()

    def _ensure_vault(self, dev_account_reset: bool) -> None:
        """The vault, granted to the development ketua; its public key for intake. A vault an older
        stack kept in the secrets file is taken over (its sealed identities stay readable) and the
        key leaves the file; a development account made anew gets the vault back with the recovery key."""
        old_key = self.secrets.get("vault_private_key")
        if self.recovery_key_file.exists():  # a database made anew beside a kept recovery key: it serves again
            recovery = PrivateKey(base64.b64decode(self.recovery_key_file.read_text().strip()))
            where = ["--recovery-public-key", base64.b64encode(bytes(recovery.public_key)).decode()]
        else:
            where = ["--recovery-key-file", str(self.recovery_key_file)]
        said = self._admin("vault-init", "--ketua", DEV_ACCOUNT["username"], *where,
                           *(["--import-private-key-stdin"] if old_key else []),
                           stdin=(old_key + "\n").encode() if old_key else None)
        self.vault_public_key = said.rsplit("vault public key: ", 1)[1].strip()
        if old_key:
            self.secrets.pop("vault_private_key")
            dev_secrets.forget(self.settings.data_dir, "vault_private_key")
        if dev_account_reset and "nothing was changed" in said and self.recovery_key_file.exists():
            self.progress("the development ketua was made anew: granting it the vault with the recovery key")
            self._admin("vault-recover", "--ketua", DEV_ACCOUNT["username"], "--recovery-key-file",
                        str(self.recovery_key_file))

    # --- the services ---------------------------------------------------------------

    def service_env(self, service: str, extra: dict | None = None) -> dict:
        s, keys = self.settings, self.secrets
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "NETRA_DB_URL": s.db_url,
            "NETRA_AMQP_URI": s.amqp_uri,
            "NETRA_BUS_PREFIX": s.bus_prefix,
            "NETRA_RETRY_DELAYS_MS": s.retry_delays_ms,
            "NETRA_S3_ENDPOINT": s.s3_endpoint,
        }
        if service in s.service_ports:
            env[f"NETRA_{service.upper()}_ADDRESS"] = f"127.0.0.1:{s.service_ports[service]}"
        if service in s.metrics_ports:
            env[f"NETRA_{service.upper()}_METRICS_ADDRESS"] = f"127.0.0.1:{s.metrics_ports[service]}"
        if service == "intake":
            env.update(NETRA_INTAKE_S3_ACCESS_KEY=keys["s3"]["intake"]["access_key"],
                       NETRA_INTAKE_S3_SECRET_KEY=keys["s3"]["intake"]["secret_key"],
                       NETRA_VAULT_PUBLIC_KEY=self.vault_public_key,
                       NETRA_NOTIFY_PUBLIC_KEY=keys["notify_public_key"],
                       NETRA_QUARANTINE_PUBLIC_KEY=keys["quarantine_public_key"],
                       NETRA_INTAKE_SIGNING_KEY=keys["intake_signing_key"],
                       NETRA_INTAKE_CLIENT_KEY_SECRET=keys["intake_client_key_secret"])
        elif service == "evidence":
            env.update(NETRA_EVIDENCE_S3_ACCESS_KEY=keys["s3"]["evidence"]["access_key"],
                       NETRA_EVIDENCE_S3_SECRET_KEY=keys["s3"]["evidence"]["secret_key"],
                       NETRA_EVIDENCE_MASTER_KEYS=",".join(
                           f"{kid}:{key}" for kid, key in keys["evidence_master_keys"].items()),
                       NETRA_EVIDENCE_ACTIVE_KEY_ID=keys["evidence_active_key_id"],
                       NETRA_QUARANTINE_PRIVATE_KEYS=keys["quarantine_private_key"],
                       NETRA_GRANT_VERIFY_KEY=keys["grant_verify_key"],
                       NETRA_CONSOLE_ORIGINS=s.url("casework"))
        elif service == "casework":
            env.update(signing_ca.ensure(s.data_dir).env())
            env.update(NETRA_DOSSIER_SIGNING_KEY=keys["dossier_signing_key"],
                       NETRA_GRANT_SIGNING_KEY=keys["grant_signing_key"],
                       NETRA_CASEWORK_CHECKPOINT_KEY=keys["casework_checkpoint_key"],
                       NETRA_EVIDENCE_URL=s.url("evidence"),
                       NETRA_NOTIFY_PUBLIC_KEY=keys["notify_public_key"],
                       NETRA_CASEWORK_CLIENT_KEY_SECRET=keys["casework_client_key_secret"])
        elif service == "notify":
            env.update(NETRA_SMTP_HOST="127.0.0.1", NETRA_SMTP_PORT=str(s.smtp_port),
                       NETRA_BKPPD_EMAIL=s.bkppd_email, NETRA_NOTIFY_PRIVATE_KEY=keys["notify_private_key"],
                       NETRA_BKPPD_WEBHOOK_SECRET=keys["webhook_secret"],
                       NETRA_PORTAL_URL=s.url("intake"), NETRA_TEAM_URL=s.url("casework"))
        env.update(s.extra_env)
        env.update(extra or {})
        return env

    def start_service(self, service: str, extra_env: dict | None = None) -> None:
        process = ManagedProcess(
            service, [sys.executable, "-m", "netra_common.runner", service],
            env=self.service_env(service, extra_env),
            log_path=self.settings.log_dir / f"{service}.log", echo=self.echo)
        process.start()
        self.services[service] = process

    def wait_healthy(self, service: str, timeout: float = 60) -> None:
        url = f"{self.settings.url(service)}/healthz"
        wait_until(lambda: requests.get(url, timeout=2).status_code == 200, timeout=timeout,
                   what=f"{service} at {url}", process=self.services[service])

    def start_services(self, services=SERVICES) -> None:
        for service in services:
            self.progress(f"starting {service}")
            self.start_service(service)
        for service in services:
            self.wait_healthy(service)

    def restart_service(self, service: str, extra_env: dict | None = None) -> None:
        """Stop a service and start it again, with `extra_env` on top of its usual settings."""
        self.stop_service(service)
        self.start_service(service, extra_env)
        self.wait_healthy(service)

    def stop_service(self, service: str) -> None:
        process = self.services.pop(service, None)
        if process:
            process.stop()

    def kill_service(self, service: str) -> None:
        process = self.services.pop(service, None)
        if process:
            process.kill()

    def all_processes(self) -> dict[str, ManagedProcess]:
        return {**self.infra, **self.services}

    def stop(self, *, fast: bool = False) -> None:
        """Stop services first, then what they use. `fast` kills instead (throw-away data)."""
        if not fast:  # all four at once: each may take seconds to finish its work in hand
            for process in self.services.values():
                process.signal(process.stop_signal)
        for service in list(self.services):
            self.stop_service(service)
        for name in ("smtp-sink", "seaweedfs", "rabbitmq", "postgresql"):  # the servers last: all used them
            process = self.infra.pop(name, None)
            if process:
                self.progress(f"stopping {name}")
                process.kill() if fast else process.stop()
        if self.keeper:
            self.keeper.stop()
