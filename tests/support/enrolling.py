"""Enrolling as the holder of an account does: the code from the e-mail notify sent to them, the
authenticator key from the enrolment page, a password of their own."""

from __future__ import annotations

import re

import requests

from tests.support import mail_scan
from tests.support.accounts import TeamClient, log_in, new_password
from tests.support.totp import fresh_code
from tests.support.waiting import eventually

CODE = re.compile(r"#/pendaftaran/([A-Za-z0-9_-]{32,64})")


def mails_to(stack, address: str) -> list:
    return [m for m in mail_scan.load([stack.settings.mail_dir], naming=address)
            if mail_scan.addressed_to(m, [address])]


def subject_of(message) -> str:
    """The subject as one line (a long one is folded in the header)."""
    return " ".join(str(message["Subject"]).split())


def text_of(message) -> str:
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_type() == "text/plain")


def enrolment_codes(stack, address: str) -> list[str]:
    """Every enrolment code mailed to `address`, oldest first."""
    return [found.group(1) for m in mails_to(stack, address) if (found := CODE.search(text_of(m)))]


def wait_for_code(stack, address: str, already: int = 0) -> str:
    """The newest code mailed to `address`, once more than `already` have arrived."""
    return eventually(lambda: (lambda codes: codes[-1] if len(codes) > already else None)(
        enrolment_codes(stack, address)), message=f"an enrolment mail to {address}")


def open_code(stack, code: str) -> requests.Response:
    return requests.post(f"{stack.settings.url('casework')}/api/v1/enrolment/open", json={"code": code}, timeout=10)


def complete(stack, code: str, password: str, otp: str) -> requests.Response:
    return requests.post(f"{stack.settings.url('casework')}/api/v1/enrolment/complete", timeout=30,
                         json={"code": code, "password": password, "otp": otp})


def enrol_with_code(stack, code: str) -> TeamClient:
    """Open the code, set a password and the authenticator it shows, and log in."""
    opened = open_code(stack, code)
    assert opened.status_code == 200, opened.text
    account = opened.json()
    password, secret = new_password(), account["totp_secret"]
    done = complete(stack, code, password, fresh_code(secret))
    assert done.status_code == 200, done.text
    return log_in(stack, account["username"], password, secret)
