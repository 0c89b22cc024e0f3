"""`netra-stack`: run the whole system on this machine (what `make run` calls)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import click

from netra_cli.click_words import IndonesianGroup
from netra_stack import processes
from netra_stack.checks import Unreachable
from netra_stack.processes import StopRequested
from netra_stack.secrets import secrets_file
from netra_stack.settings import StackSettings
from netra_stack.stack import DEV_ACCOUNT, Stack
from netra_stack.supervisor import Supervisor


@click.group(cls=IndonesianGroup)
def main():
    """Stack lokal Netra: seluruh sistem di mesin ini (yang dijalankan `make run`)."""


@main.command()
def check():
    """Periksa bahwa PostgreSQL dan RabbitMQ bisa dihubungi."""
    from netra_stack import checks

    settings = StackSettings.from_env()
    try:
        checks.check_postgres(settings.pg_url)
        checks.check_rabbitmq(settings.amqp_uri)
    except Unreachable as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo("PostgreSQL and RabbitMQ are reachable.")


@main.command()
def otp():
    """Cetak kode sekali pakai (TOTP) akun pengembangan saat ini."""
    import pyotp

    from netra_stack import secrets as dev_secrets

    keys = dev_secrets.load_or_create(StackSettings.from_env().data_dir)
    click.echo(pyotp.TOTP(keys["dev_team_totp_secret"]).now())


@main.command()
def password():
    """Cetak kata sandi akun pengembangan (tersimpan di secrets.json folder data)."""
    from netra_stack import secrets as dev_secrets

    click.echo(dev_secrets.load_or_create(StackSettings.from_env().data_dir)["dev_team_password"])


@main.command("production-secrets")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def production_secrets(folder):
    """Buat satu set rahasia produksi baru di FOLDER (mis. /etc/netra/secrets), satu berkas per rahasia.

    Juga s3-identities.json (identitas SeaweedFS, tanpa identitas anonim) dan rabbitmq-user.conf.
    Folder yang sudah berisi ditolak: kunci yang sedang dipakai tidak pernah ditimpa, atau bukti
    yang tersimpan tidak bisa dibuka lagi. Tambahkan sendiri NETRA_SMTP_PASSWORD. NETRA_VAULT_PUBLIC_KEY
    tidak dibuat di sini: jalankan `netra-casework vault-init` di server (docs/identity-vault.md).
    """
    from netra_stack import secrets as dev_secrets

    try:
        written = dev_secrets.write_production_secrets(folder)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(written)} berkas rahasia dibuat di {folder} (hanya root yang bisa membuka foldernya).")
    click.echo("Simpan salinannya di brankas rahasia kabupaten; tanpa kunci induk evidence "
               "tidak ada tangkapan layar yang bisa dibaca.")


@main.command()
@click.option("--quiet", is_flag=True, help="Jangan tampilkan log layanan di terminal.")
def run(quiet):
    """Nyalakan SeaweedFS, penampung SMTP dan keempat layanan; Ctrl-C menghentikan semuanya."""
    stack = Stack(StackSettings.from_env(), echo=not quiet, progress=_step)
    _keep_running(stack)


@main.command()
@click.option("--quiet", is_flag=True, help="Jangan tampilkan log layanan di terminal.")
def cluster(quiet):
    """Topologi produksi di mesin ini: 3 node RabbitMQ, PostgreSQL primer + standby, SeaweedFS
    (master, 3 server volume, filer, S3), dua replika tiap layanan, nginx; Ctrl-C menghentikannya."""
    from netra_stack.cluster.settings import ClusterSettings
    from netra_stack.cluster.stack import ClusterStack

    stack = ClusterStack(ClusterSettings.default(), echo=not quiet, progress=_step)
    _keep_running(stack, extra_banner=_cluster_banner)


def _cluster_banner(stack) -> None:
    c = stack.cluster
    click.echo("\n".join([
        "  the cluster (make cluster):",
        f"    RabbitMQ nodes:      {', '.join(f'{c.node(i)} (127.0.0.1:{p})' for i, p in enumerate(c.amqp_ports))}",
        f"    PostgreSQL:          primary 127.0.0.1:{c.pg_ports[0]}, streaming standby 127.0.0.1:{c.pg_ports[1]}",
        f"                         services use {stack.settings.db_url}",
        f"    SeaweedFS:           master 127.0.0.1:{c.seaweed_master[0]}, volumes "
        f"{', '.join(str(p) for p, _ in c.seaweed_volumes)}, filer {c.seaweed_filer[0]}, S3 {c.seaweed_s3[0]}",
        f"    replicas:            {', '.join(f'{s} {a}+{b}' for s, (a, b) in c.replica_ports.items())}",
        f"    nginx:               {', '.join(f'{s} {p}' for s, p in c.doors.items())}",
        ""]))


def _keep_running(stack, extra_banner=None) -> None:
    """Start `stack`, print the banner, keep every process running until a signal; then stop it."""
    stopping = threading.Event()
    started = threading.Event()

    def request_stop(signum, frame):
        stopping.set()
        if not started.is_set():
            if processes.stop_requested.is_set():
                raise StopRequested  # a second Ctrl-C: out of a step that does not come to its end
            processes.stop_requested.set()  # the start-up stops at its next safe point

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGHUP: the terminal closed
        signal.signal(signum, request_stop)
    status = 0
    try:
        stack.prepare()
        stack.start_services()
        started.set()
        _print_banner(stack)
        if extra_banner is not None:
            extra_banner(stack)
        # A process that dies is started again (with a back-off), never the end of the run.
        supervisor = Supervisor(stack.all_processes, lambda m: _say(f"netra: {m}", err=True))
        while not stopping.wait(1.0):
            supervisor.tick()
    except StopRequested:
        _say("netra: stopped while starting.")
    except Unreachable as exc:
        _say(f"netra: {exc}", err=True)
        status = 1
    except Exception as exc:  # noqa: BLE001 - report, then stop what was started
        _say(f"netra: start-up failed: {exc}", err=True)
        status = 1
    finally:
        started.set()  # a second signal while stopping must not cut the stop short
        processes.stop_requested.clear()  # stopping waits too, and must not be cut short either
        _say("netra: stopping ...")
        stack.stop()
        _say("netra: stopped.")
    sys.exit(status)


def _step(message: str) -> None:
    """A start-up (or stop) step's line; a signal while starting ends the start-up here."""
    processes.stop_if_requested()
    _say(f"netra: {message}")


def _say(text: str, err: bool = False) -> None:
    """Echo to the terminal; a terminal that has gone (closed window, dropped SSH) must not
    keep the stack from being stopped, so a failed write is dropped."""
    try:
        click.echo(text, err=err)
    except OSError:
        pass


def _shown_once(stack: Stack) -> list[str]:
    """The new account's password and TOTP secret, on the terminal of the run that made them;
    never into a pipe or a file, where a log would keep them."""
    if not (stack.secrets_are_new and sys.stdout.isatty()):
        return []
    return [f"    password (shown this once): {stack.secrets['dev_team_password']}",
            f"    TOTP secret for an authenticator app (shown this once): {stack.secrets['dev_team_totp_secret']}"]


def typed(program: str) -> str:
    """How to type one of the project's commands from here: `.venv/bin/netra-stack` at the project's
    root (a bare `netra-stack` is not on the PATH unless the virtualenv is activated)."""
    path = Path(sys.executable).parent / program
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else str(path)


def _print_banner(stack: Stack) -> None:
    s = stack.settings
    lines = [
        "",
        "Netra is running. Ctrl-C stops everything.",
        "",
        f"  public portal and API (intake): {s.url('intake')}/",
        f"  team console (casework):        {s.url('casework')}/console/",
        f"  team API (casework):            {s.url('casework')}/api/v1/",
        f"  evidence:                       {s.url('evidence')}/healthz",
        f"  notify:                         {s.url('notify')}/healthz",
        f"  S3 (SeaweedFS):                 http://{s.s3_endpoint}",
        f"  mail sink:                      127.0.0.1:{s.smtp_port}, messages kept in {s.mail_dir}",
        f"  logs:                           {s.log_dir}",
        "",
        "  development team account (never use in production):",
        f"    username: {DEV_ACCOUNT['username']}   role: {DEV_ACCOUNT['role']}",
        f"    password:      {typed('netra-stack')} password",
        f"    one-time code: {typed('netra-stack')} otp",
        f"    (both kept in {secrets_file(s.data_dir)}, readable by you only)",
        "    it holds the identity vault; its development recovery key (docs/identity-vault.md):",
        f"    {stack.recovery_key_file}",
        *_shown_once(stack),
        "",
    ]
    click.echo("\n".join(lines))


if __name__ == "__main__":
    main()
