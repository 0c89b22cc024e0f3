"""notify's pure rules: when to retry, how SMTP answers are classed, webhook signatures,
and the templates (subject line, HTML escaping, dates in WIB)."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest

from netra_common.wib import in_wib
from services.notify import verifier
from services.notify.adapters.smtp import _classify
from services.notify.adapters.webhook import signature
from services.notify.domain.messages import render
from services.notify.domain.retry import DeliveryRefused, RetryPolicy, TemporaryFailure
from services.notify.settings import TEMPLATE_KINDS
from services.notify.usecases import TEMPLATE_DIR

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def test_retry_delays_come_from_configuration():
    assert RetryPolicy.parse("5, 30,120").delays_seconds == (5, 30, 120)
    assert RetryPolicy.parse("").delays_seconds == RetryPolicy().delays_seconds
    assert RetryPolicy.parse("5,30").max_attempts == 3


@pytest.mark.parametrize("value", ["0,5", "-1", "lima", ","])
def test_nonsense_retry_delays_are_refused(value):
    with pytest.raises(ValueError):
        RetryPolicy.parse(value)


def test_a_temporary_failure_is_retried_after_growing_delays_then_given_up():
    policy = RetryPolicy((10, 60))
    status, at, _ = policy.after_failure(1, TemporaryFailure("421"), NOW)
    assert (status, at) == ("retrying", NOW + timedelta(seconds=10))
    status, at, _ = policy.after_failure(2, TemporaryFailure("421"), NOW)
    assert (status, at) == ("retrying", NOW + timedelta(seconds=60))
    status, at, reason = policy.after_failure(3, TemporaryFailure("421 busy"), NOW)
    assert (status, at) == ("dead", None)
    assert "3 attempts" in reason and "421 busy" in reason


def test_a_permanent_failure_goes_to_the_dead_letters_at_once_with_the_reason():
    status, at, reason = RetryPolicy().after_failure(1, DeliveryRefused("SMTP 550: no such user"), NOW)
    assert (status, at) == ("dead", None)
    assert "550" in reason


@pytest.mark.parametrize("exc, kind", [
    (smtplib.SMTPResponseException(451, b"try later"), TemporaryFailure),
    (smtplib.SMTPResponseException(554, b"rejected"), DeliveryRefused),
    (smtplib.SMTPRecipientsRefused({"a@x.id": (550, b"unknown")}), DeliveryRefused),
    (smtplib.SMTPRecipientsRefused({"a@x.id": (452, b"full")}), TemporaryFailure),
    (ConnectionRefusedError(111, "refused"), TemporaryFailure),
    (smtplib.SMTPServerDisconnected("gone"), TemporaryFailure),
])
def test_smtp_4xx_and_lost_connections_are_temporary_5xx_permanent(exc, kind):
    assert isinstance(_classify(exc), kind)


BODY = b'{"case":"NTR-1","event":"forwarded_to_bkppd"}'


def test_a_signed_webhook_verifies_and_a_tampered_one_does_not():
    stamp = str(int(NOW.timestamp()))
    signed = signature("rahasia", stamp, BODY)
    assert verifier.verify("rahasia", stamp, signed, BODY, now=NOW.timestamp())
    assert not verifier.verify("rahasia", stamp, signed, BODY.replace(b"NTR-1", b"NTR-2"), now=NOW.timestamp())
    assert not verifier.verify("lain", stamp, signed, BODY, now=NOW.timestamp())
    assert not verifier.verify("rahasia", str(int(stamp) + 1), signed, BODY, now=NOW.timestamp())


def test_an_old_or_missing_timestamp_fails_verification():
    stamp = str(int(NOW.timestamp()))
    signed = signature("rahasia", stamp, BODY)
    assert not verifier.verify("rahasia", stamp, signed, BODY, now=NOW.timestamp() + verifier.MAX_AGE_SECONDS + 1)
    assert not verifier.verify("rahasia", "", signed, BODY, now=NOW.timestamp())
    assert not verifier.verify("rahasia", stamp, "", BODY, now=NOW.timestamp())


def test_dates_are_written_in_wib_in_indonesian():
    assert in_wib("2026-11-24T13:05:00+00:00") == "24 November 2026, 20.05 WIB"
    assert in_wib("2026-12-31T20:00:00+00:00") == "1 Januari 2027, 03.00 WIB"


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_shipped_template_has_a_subject_line(kind):
    assert (TEMPLATE_DIR / f"{kind}.txt").read_text(encoding="utf-8").startswith("Subject:")


def test_values_are_escaped_in_html_and_left_plain_in_text(tmp_path):
    (tmp_path / "x.txt").write_text("Subject: Kasus $code\n\nIsi: $body\n", encoding="utf-8")
    (tmp_path / "x.html").write_text("<p>$body</p>", encoding="utf-8")
    message = render(tmp_path, "x", {"code": "NTR-1", "body": "<script>alert(1)</script>\nbaris"})
    assert message.subject == "Kasus NTR-1"
    assert "<script>" in message.text
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html and "<br>" in message.html


def test_a_template_without_a_subject_line_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("Halo\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Subject"):
        render(tmp_path, "x", {})
