"""GET /readyz answers 503 naming what is missing while a service's database, broker or object
store does not answer, and 200 again once it does; /healthz stays 200 (alive) throughout.

The four services of the session stack are restarted once, together, to reach PostgreSQL, RabbitMQ
and S3 through proxies the test cuts (tests/support/proxy.py), and restarted direct afterwards."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually

SERVICES = ("intake", "casework", "evidence", "notify")
WITH_OBJECT_STORE = {"intake", "evidence"}


def _proxied(url: str) -> tuple[TcpProxy, str]:
    parts = urlsplit(url)
    proxy = TcpProxy(parts.port, parts.hostname)
    return proxy, url.replace(f"{parts.hostname}:{parts.port}", proxy.endpoint, 1)


def _restart_all(stack, extra: dict | None) -> None:
    for service in SERVICES:
        stack.stop_service(service)
    for service in SERVICES:
        stack.start_service(service, extra)
    for service in SERVICES:
        stack.wait_healthy(service)


@pytest.fixture(scope="module")
def links(stack):
    database, db_url = _proxied(stack.settings.db_url)
    broker, amqp_uri = _proxied(stack.settings.amqp_uri)
    s3_host, s3_port = stack.settings.s3_endpoint.rsplit(":", 1)
    store = TcpProxy(int(s3_port), s3_host)
    proxies = {"database": database, "broker": broker, "object_store": store}
    try:
        _restart_all(stack, {"NETRA_DB_URL": db_url, "NETRA_AMQP_URI": amqp_uri,
                             "NETRA_S3_ENDPOINT": store.endpoint})
        yield proxies
    finally:
        for proxy in proxies.values():
            proxy.close()
        _restart_all(stack, None)


def readiness(stack, service: str) -> requests.Response:
    return requests.get(f"{stack.settings.url(service)}/readyz", timeout=15)


def test_every_service_is_ready_when_its_dependencies_answer(stack, links):
    for service in SERVICES:
        answer = eventually(lambda s=service: readiness(stack, s).status_code == 200 and readiness(stack, s),
                            timeout=30, message=f"{service} ready")
        assert answer.json() == {"status": "ready", "service": service, "missing": {}}


@pytest.mark.parametrize("dependency", ["database", "broker", "object_store"])
def test_a_cut_dependency_makes_its_services_not_ready_and_says_which(stack, links, dependency):
    concerned = WITH_OBJECT_STORE if dependency == "object_store" else set(SERVICES)
    links[dependency].cut()
    try:
        for service in SERVICES:
            answer = readiness(stack, service)
            if service in concerned:
                assert answer.status_code == 503, (service, answer.text)
                body = answer.json()
                assert body["status"] == "not_ready" and list(body["missing"]) == [dependency], body
                assert "tidak menjawab" in body["missing"][dependency]
            else:
                assert answer.status_code == 200, (service, answer.text)
            # liveness checks nothing: the process is alive, so it says so
            assert requests.get(f"{stack.settings.url(service)}/healthz", timeout=5).status_code == 200
    finally:
        links[dependency].restore()
    for service in SERVICES:
        eventually(lambda s=service: readiness(stack, s).status_code == 200, timeout=60,
                   message=f"{service} ready again once {dependency} answers")
