"""Debian's nginx in front of both replicas of each public service (deploy/cluster/nginx.conf.template)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from netra_stack import private
from netra_stack.processes import ManagedProcess
from netra_stack.settings import PROJECT_ROOT

from .settings import ClusterSettings

TEMPLATE = PROJECT_ROOT / "deploy" / "cluster" / "nginx.conf.template"
NGINX = "/usr/sbin/nginx"


def render(cluster: ClusterSettings) -> str:
    upstreams, servers = [], []
    for service, door in cluster.doors.items():
        replicas = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
                             for port in cluster.replica_ports[service])
        upstreams.append(f"    upstream {service} {{\n{replicas}\n        keepalive 8;\n    }}\n")
        servers.append(f"""    server {{
        listen 127.0.0.1:{door};
        client_max_body_size 27m;
        client_body_timeout 60s;
        proxy_request_buffering on;
        location / {{
            proxy_pass http://{service};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto http;
            proxy_read_timeout 120s;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
        }}
    }}
""")
    text = TEMPLATE.read_text().replace("@DIR@", str(cluster.data_dir))
    # Run by root, the workers would be www-data, who may not write in the cluster's private folder.
    text = text.replace("@USER@", "user root;\n" if os.geteuid() == 0 else "")
    return text.replace("@UPSTREAMS@", "\n".join(upstreams)).replace("@SERVERS@", "\n".join(servers))


def installed() -> bool:
    return Path(NGINX).exists() or shutil.which("nginx") is not None


def process(cluster: ClusterSettings) -> ManagedProcess:
    if not installed():
        raise RuntimeError("nginx is missing: `make cluster-deps` installs Debian's nginx-light")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        private.folder(cluster.data_dir / "nginx" / sub)
    config = cluster.data_dir / "nginx.conf"
    config.write_text(render(cluster))
    check = subprocess.run([NGINX, "-t", "-q", "-c", str(config), "-e", str(cluster.log_dir / "nginx-error.log")],
                           capture_output=True, text=True, env={**os.environ})
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused {config}: {check.stderr.strip()}")
    return ManagedProcess("nginx", [NGINX, "-c", str(config), "-e", str(cluster.log_dir / "nginx-error.log")],
                          log_path=cluster.log_dir / "nginx.log", stop_timeout=10)
