"""PostgreSQL and RabbitMQ for a machine that has none answering: private instances under the data
folder, stopped with the stack.

Where the settings point at this machine (127.0.0.1 or localhost) and nothing listens on that port,
`make run` (and `make test`, through tests/conftest.py) installs Debian's `postgresql` and
`rabbitmq-server` if their programs are missing, then starts a private server there: PostgreSQL in
`<data>/postgresql` (made by initdb, trust logins on 127.0.0.1 only, no Unix socket), RabbitMQ in
`<data>/rabbitmq` (its own node name, configuration, Erlang cookie and distribution port). A server
that answers, the machine's own or any other, is used as it is and never started, stopped or
changed here; a server elsewhere that does not answer is reported as before (checks.py).

PostgreSQL refuses to run as root; run by root, initdb and postgres run in a user namespace of
their own (`unshare --user`), where they are not root but their files stay root's (0700), so the
data folder stays its owner's alone."""

from __future__ import annotations

import glob
import hashlib
import os
import resource
import signal
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from netra_stack import checks, private
from netra_stack.checks import Unreachable
from netra_stack.processes import ManagedProcess, port_open, wait_until
from netra_stack.settings import StackSettings, free_ports

LOCAL_HOSTS = ("127.0.0.1", "localhost")
RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


def _local_port(url: str, default: int) -> int | None:
    """The port of a URL that names this machine, or None for a server elsewhere."""
    parts = urlsplit(url)
    return (parts.port or default) if parts.hostname in LOCAL_HOSTS else None


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _as_owner(argv: list[str]) -> list[str]:
    """PostgreSQL will not run as root: root runs it in a user namespace where it is not."""
    return ["unshare", "--user", *argv] if os.geteuid() == 0 else argv


class LocalServers:
    """The private servers one data folder holds; `ensure()` starts what is missing, `stop()` stops them."""

    def __init__(self, settings: StackSettings, root: Path, *, progress=None, echo: bool = False):
        self.settings = settings
        self.root = root
        self.progress = progress or (lambda message: None)
        self.echo = echo
        self.started: dict[str, ManagedProcess] = {}

    def ensure(self) -> dict[str, ManagedProcess]:
        pg_port = _local_port(self.settings.pg_url, 5432)
        if pg_port is not None and not port_open(pg_port):
            self._postgres(pg_port)
        amqp_port = _local_port(self.settings.amqp_uri, 5672)
        if amqp_port is not None and not port_open(amqp_port):
            self._rabbitmq(amqp_port)
        return self.started

    def stop(self) -> None:
        for name in ("rabbitmq", "postgresql"):
            process = self.started.pop(name, None)
            if process:
                self.progress(f"stopping the private {name}")
                process.stop()

    # --- installing --------------------------------------------------------------------

    def _install(self, package: str) -> None:
        """Debian's package, with apt-get's own output as progress; root only (else say how)."""
        if os.geteuid() != 0:
            raise Unreachable(f"{package} is not installed and nothing answers where the settings point.\n"
                              f"  Install it with:  sudo apt-get install -y {package}")
        self.progress(f"installing Debian's {package} (once; apt-get's progress follows)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
        if subprocess.run(command, env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
            subprocess.run(command, env=env, check=True)

    # --- PostgreSQL --------------------------------------------------------------------

    def _postgres(self, port: int) -> None:
        binaries = _postgres_bin()
        if binaries is None:
            self._install("postgresql")
            if port_open(port):  # the package started the machine's own server there
                return
            binaries = _postgres_bin()
            if binaries is None:
                raise Unreachable("postgresql was installed but /usr/lib/postgresql/*/bin/postgres is missing")
        data = self.root / "postgresql"
        user = urlsplit(self.settings.pg_url).username or "postgres"
        if not (data / "PG_VERSION").exists():
            self.progress(f"nothing answers on 127.0.0.1:{port}: making a private PostgreSQL in {data}")
            private.folder(data)
            done = subprocess.run(_as_owner([str(binaries / "initdb"), "-D", str(data), "-U", user,
                                             "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                                  capture_output=True, text=True, umask=private.UMASK)
            if done.returncode != 0:
                raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        self.progress(f"starting the private PostgreSQL on 127.0.0.1:{port}")
        process = ManagedProcess(
            "postgresql",
            _as_owner([str(binaries / "postgres"), "-D", str(data), "-p", str(port),
                       "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]),
            log_path=self.root / "logs" / "postgresql.log", echo=self.echo, stop_timeout=30,
            stop_signal=signal.SIGINT)
        process.start()
        self.started["postgresql"] = process
        wait_until(lambda: checks.check_postgres(self.settings.pg_url) is None, timeout=60,
                   what=f"the private PostgreSQL on port {port}", process=process)

    # --- RabbitMQ ----------------------------------------------------------------------

    def _port_of_none_of_ours(self) -> int:
        """A free port the stack's own settings do not name: the services bind theirs only later,
        so a port merely free now may be one of them (it was once: casework found its port taken
        by the private broker's distribution port)."""
        ours = set(self.settings.listening_ports().values())
        return next(port for port in free_ports(len(ours) + 1) if port not in ours)

    def _rabbitmq(self, port: int) -> None:
        if not Path(RABBITMQ_SERVER).exists():
            self._install("rabbitmq-server")
            if port_open(port):
                return
        base = private.folder(self.root / "rabbitmq")
        self.progress(f"nothing answers on 127.0.0.1:{port}: starting a private RabbitMQ in {base}")
        (base / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{port}\n")
        (base / "enabled_plugins").write_text("[].\n")  # no management listener on a shared port
        (base / "rabbitmq-env.conf").write_text("")  # never the machine's (its node name, its port)
        node = "netra-" + hashlib.sha256(str(base.resolve()).encode()).hexdigest()[:10]
        env = {
            **os.environ,
            "HOME": str(base),  # its own Erlang cookie
            "RABBITMQ_NODENAME": f"{node}@localhost",
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_NODE_PORT": str(port),
            "RABBITMQ_DIST_PORT": str(self._port_of_none_of_ours()),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"), "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_LOGS": "-", "RABBITMQ_PID_FILE": str(base / "rabbitmq.pid"),
            "RABBITMQ_PLUGINS_EXPAND_DIR": str(base / "plugins-expand"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }
        # RabbitMQ takes its file-handle budget from the open-files limit it starts with (decision 0001).
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
        if wanted > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        process = ManagedProcess("rabbitmq", [RABBITMQ_SERVER], env=env,
                                 log_path=self.root / "logs" / "rabbitmq.log", echo=self.echo, stop_timeout=60)
        process.start()
        self.started["rabbitmq"] = process
        wait_until(lambda: checks.check_rabbitmq(self.settings.amqp_uri) is None, timeout=120, interval=1,
                   what=f"the private RabbitMQ on port {port}", process=process)
