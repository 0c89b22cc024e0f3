"""How notify tells failures apart (the receiver's "later", the receiver's "never", our own
fault) and that what it keeps of a failure carries no address, credential or secret."""

from __future__ import annotations

import base64
import json
import os
import smtplib
import uuid
from datetime import UTC, datetime

import pytest
from nacl.public import PrivateKey, SealedBox

from netra_common import keystore
from services.notify.adapters import smtp, webhook
from services.notify.adapters.contacts import ContactKeyDestroyed, ContactOpener
from services.notify.domain.redact import redact, safe_url
from services.notify.domain.retry import DeliveryRefused, LocalFailure, RetryPolicy, TemporaryFailure
from tests.support.webhook_receiver import WebhookReceiver

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
ADDRESS = "nurhayati.pelapor@example.id"


# --- what is kept of an error -----------------------------------------------------------


def test_any_email_address_in_an_error_becomes_a_placeholder():
    text = redact("550 5.1.1 <Budi.S+x@mail.example.co.id>: rejected; cc a_b@host, url /u?to=c%40d.id")
    assert "@" not in text and "%40" not in text and "Budi" not in text
    assert text.startswith("550 5.1.1 <[address]>: rejected")


def test_the_address_a_delivery_was_for_goes_even_when_the_server_writes_only_its_local_part():
    text = redact("550 user NURHAYATI.PELAPOR unknown", addresses=[ADDRESS])
    assert "nurhayati" not in text.lower() and text == "550 user [address] unknown"


def test_credentials_in_a_url_and_configured_secrets_are_withheld():
    text = redact("POST https://bkppd:s3kr1t-pass@hook.example.id/in failed; key=rahasia-webhook",
                  secrets=["rahasia-webhook"])
    assert "s3kr1t" not in text and "bkppd:" not in text and "rahasia-webhook" not in text
    assert "https://[credentials]@hook.example.id/in" in text and "[withheld]" in text


def test_a_url_is_named_by_its_host_only():
    assert safe_url("https://u:p@new.bkppd.example.id:8443/hook?token=abc#x") == "https://new.bkppd.example.id:8443/…"
    assert safe_url("/elsewhere?token=abc") == "a path on the same server"
    assert safe_url(None) == "(no location given)"


# --- SMTP -----------------------------------------------------------------------------


def test_a_refused_recipient_is_kept_as_the_code_and_the_words_without_the_address():
    refused = smtplib.SMTPRecipientsRefused(
        {ADDRESS: (550, f"5.1.1 <{ADDRESS}>: Recipient address rejected: User unknown".encode())})
    failure = smtp._classify(refused)
    assert isinstance(failure, DeliveryRefused)
    assert str(failure) == "SMTP 550 5.1.1 <[address]>: Recipient address rejected: User unknown"


def test_a_refused_sender_keeps_the_code_not_the_sender():
    failure = smtp._classify(smtplib.SMTPSenderRefused(553, b"5.7.1 not allowed", "netra@bengkaliskab.go.id"))
    assert isinstance(failure, DeliveryRefused) and "bengkaliskab" not in str(failure) and "553" in str(failure)


def test_a_message_that_cannot_be_built_is_our_own_failure():
    settings = smtp.SmtpSettings("127.0.0.1", 25, "netra@example.id")
    with pytest.raises(LocalFailure, match="cannot be built"):
        smtp.build(settings, ADDRESS, "Subjek\r\nBcc: orang@lain.id", "isi", None, "<x@netra>")


# --- our own failures are dead letters at once ------------------------------------------------


@pytest.mark.parametrize("failure", [
    LocalFailure("the reporter's sealed contact does not open"),
    ValueError("a template value is missing"),
    KeyError("email"),
])
def test_a_local_failure_goes_to_the_dead_letters_at_once_with_its_reason(failure):
    status, at, reason = RetryPolicy((10, 60)).after_failure(1, failure, NOW)
    assert (status, at) == ("dead", None)
    assert reason.startswith("cannot be sent from here, not retried: ") and type(failure).__name__ in reason


def _sealed_for(key: PrivateKey, contact: dict) -> str:
    return base64.b64encode(SealedBox(key.public_key).encrypt(json.dumps(contact).encode())).decode()


def test_a_sealed_contact_opens_with_notifys_key():
    key = PrivateKey.generate()
    opener = ContactOpener(base64.b64encode(bytes(key)).decode())
    assert opener.address(_sealed_for(key, {"email": ADDRESS})) == ADDRESS


def test_a_contact_wrapped_with_its_case_key_opens_while_the_key_lives_and_not_after_the_purge():
    key = PrivateKey.generate()
    opener = ContactOpener(base64.b64encode(bytes(key)).decode())
    key_id, case_key = uuid.uuid4(), os.urandom(32)
    wrapped = keystore.wrap_text(key_id, case_key, _sealed_for(key, {"email": ADDRESS}))
    store = {key_id: case_key}
    assert opener.address(wrapped, store.get) == ADDRESS
    with pytest.raises(LocalFailure):  # notify's key alone does not open it
        opener.address(wrapped)
    del store[key_id]  # the case's purge (decision 0037)
    with pytest.raises(ContactKeyDestroyed, match="purged") as raised:
        opener.address(wrapped, store.get)
    assert "nurhayati" not in str(raised.value) and case_key.hex() not in str(raised.value)
    status, _, reason = RetryPolicy().after_failure(1, raised.value, NOW)
    assert status == "dead" and "ContactKeyDestroyed" in reason  # never retried; the record says why


@pytest.mark.parametrize("key_b64, sealed, cause", [
    (None, "x", "NETRA_NOTIFY_PRIVATE_KEY is not set"),
    ("own", "other", "does not open"),
    ("own", "garbage", "does not open"),
    ("own", "not-base64", "malformed"),
    ("own", "no-email", "malformed"),
    ("own", None, "no sealed contact"),
])
def test_a_contact_that_cannot_be_opened_is_a_local_failure_that_names_the_cause_only(key_b64, sealed, cause):
    own, other = PrivateKey.generate(), PrivateKey.generate()
    sealed = {"x": "x", "other": _sealed_for(other, {"email": ADDRESS}), "garbage": "bm90IGEgYm94",
              "not-base64": "a",
              "no-email": _sealed_for(own, {"mail": ADDRESS}), None: None}[sealed]
    opener = ContactOpener(base64.b64encode(bytes(own)).decode() if key_b64 else None)
    with pytest.raises(LocalFailure, match=cause) as raised:
        opener.address(sealed)
    assert "nurhayati" not in str(raised.value)


# --- webhooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("status, kind", [
    (200, None), (202, None), (204, None),
    (408, TemporaryFailure), (429, TemporaryFailure), (500, TemporaryFailure), (503, TemporaryFailure),
    (400, DeliveryRefused), (401, DeliveryRefused), (404, DeliveryRefused), (410, DeliveryRefused),
    (301, DeliveryRefused), (302, DeliveryRefused), (307, DeliveryRefused), (308, DeliveryRefused),
])
def test_webhook_408_429_and_5xx_are_temporary_other_4xx_and_3xx_permanent(status, kind):
    failure = webhook.classify(status, "https://x.example.id/y")
    assert failure is None if kind is None else isinstance(failure, kind)


def test_a_redirect_is_named_without_the_credentials_or_token_of_its_location():
    failure = webhook.classify(301, "https://user:pw@baru.bkppd.example.id/hook?token=abc")
    assert "redirect to https://baru.bkppd.example.id/…" in str(failure) and "not followed" in str(failure)
    assert "pw" not in str(failure) and "token" not in str(failure)


@pytest.fixture
def receivers():
    first, second = WebhookReceiver(), WebhookReceiver()
    yield first, second
    first.close()
    second.close()


def test_a_webhook_answered_with_a_redirect_is_not_followed(receivers):
    asked, elsewhere = receivers
    asked.answer, asked.answer_headers = 307, {"Location": elsewhere.url}
    with pytest.raises(DeliveryRefused, match="HTTP 307: a redirect to http://127.0.0.1"):
        webhook.post(webhook.WebhookSettings(asked.url, "rahasia"), {"case": "NTR-1"}, "e-1")
    assert len(asked.received) == 1 and elsewhere.received == []


def test_a_webhook_without_an_answer_is_temporary_and_its_error_has_no_url(receivers):
    asked, _ = receivers
    url = asked.url.replace("/netra", "/netra?token=abc")
    asked.close()
    with pytest.raises(TemporaryFailure) as raised:
        webhook.post(webhook.WebhookSettings(url, "rahasia", timeout=2), {"case": "NTR-1"}, "e-1")
    assert "token" not in str(raised.value) and "127.0.0.1" not in str(raised.value)


def test_a_webhook_that_is_not_configured_is_a_local_failure():
    with pytest.raises(LocalFailure):
        webhook.post(webhook.WebhookSettings(None, None), {}, "e-1")
