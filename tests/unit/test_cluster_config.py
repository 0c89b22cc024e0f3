"""The cluster's configuration, without starting it: the no-drop policy of every main queue,
the services' multi-host database URL, and nginx's configuration (checked by nginx itself)."""

from __future__ import annotations

import subprocess

from netra_stack.cluster import nginx, rabbit
from netra_stack.cluster.settings import ClusterSettings, multi_host_url
from sqlalchemy.engine import make_url

from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import subscription_pairs


def test_every_main_queue_parks_what_it_gives_up_at_least_once_in_its_own_parked_queue():
    bus = BusSettings(prefix="netra-x")
    policies = {p["pattern"]: p["definition"] for p in rabbit.policies(bus)}
    pairs = list(subscription_pairs())
    assert len(policies) == len(pairs)
    for service, event_type in pairs:
        definition = policies["^" + bus.queue(service, event_type).replace(".", r"\.") + "$"]
        assert definition["dead-letter-routing-key"] == bus.dead_queue(service, event_type)
        assert definition["dead-letter-exchange"] == ""
        # at-least-once dead-lettering is only honoured with reject-publish overflow
        assert definition["dead-letter-strategy"] == "at-least-once"
        assert definition["overflow"] == "reject-publish"
        assert definition["delivery-limit"] > 1


def test_the_services_name_both_postgresql_servers_and_take_the_one_that_writes(tmp_path):
    url = make_url(multi_host_url((27006, 27007), "netra"))
    assert url.query["host"] == ("127.0.0.1:27006", "127.0.0.1:27007")
    assert url.query["target_session_attrs"] == "read-write"
    cluster = ClusterSettings.for_tests(tmp_path)
    assert cluster.stack_settings().db_url == multi_host_url(cluster.pg_ports, cluster.database)
    assert cluster.amqp_uri.count(";") == 2  # every RabbitMQ node, in kombu's failover form


def test_every_port_of_the_cluster_is_its_own(tmp_path):
    ports = list(ClusterSettings.for_tests(tmp_path).listening_ports().values())
    assert len(ports) == len(set(ports))


def test_nginx_takes_the_cluster_configuration_and_sends_each_door_to_both_replicas(tmp_path):
    # make test installs Debian's nginx-light first (make cluster-deps)
    cluster = ClusterSettings.for_tests(tmp_path)
    text = nginx.render(cluster)
    for service, door in cluster.doors.items():
        assert f"listen 127.0.0.1:{door};" in text
        for port in cluster.replica_ports[service]:
            assert f"server 127.0.0.1:{port} " in text
    assert "X-Forwarded-For $remote_addr" in text and "access_log off" in text
    (tmp_path / "logs").mkdir()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "nginx" / sub).mkdir(parents=True)
    (tmp_path / "nginx.conf").write_text(text)
    checked = subprocess.run([nginx.NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-e",
                              str(tmp_path / "logs" / "nginx-error.log")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
