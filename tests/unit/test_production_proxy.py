"""The production proxy in front of intake agrees with intake: its body limit sits just above
intake's, and intake believes X-Forwarded-For from the address the proxy comes from, only."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import yaml

from netra_common.clients import trusted_networks
from services.intake.service import MAX_BODY_BYTES

PRODUCTION = Path(__file__).resolve().parents[2] / "deploy" / "production"


def nginx() -> str:
    return (PRODUCTION / "nginx" / "intake.conf").read_text()


def test_the_proxy_refuses_bodies_intake_would_refuse_but_not_less():
    megabytes = int(re.search(r"^\s*client_max_body_size (\d+)m;", nginx(), re.M).group(1))
    assert MAX_BODY_BYTES <= megabytes * 1024 * 1024 <= MAX_BODY_BYTES + 2 * 1024 * 1024


def test_the_proxy_says_who_the_client_is_instead_of_passing_on_what_the_client_claims():
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", nginx())
    assert "proxy_add_x_forwarded_for" not in nginx()


def test_intake_trusts_the_gateway_the_host_proxy_comes_from_and_nothing_wider():
    compose = yaml.safe_load((PRODUCTION / "docker-compose.yml").read_text())
    default = re.fullmatch(r"\$\{NETRA_TRUSTED_PROXIES:-(.+)\}",
                           compose["services"]["intake"]["environment"]["NETRA_TRUSTED_PROXIES"]).group(1)
    network = compose["networks"]["default"]["ipam"]["config"][0]
    assert trusted_networks(default) == (ipaddress.ip_network(network["gateway"]),)
    assert ipaddress.ip_address(network["gateway"]) in ipaddress.ip_network(network["subnet"])
    example = dict(line.split("=", 1) for line in (PRODUCTION / "env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert example["NETRA_TRUSTED_PROXIES"] == default
