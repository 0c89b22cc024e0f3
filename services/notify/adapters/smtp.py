"""Sending mail over SMTP, with STARTTLS or TLS and authentication as configured; a failure is
told apart as temporary (try later), permanent (the server refused) or local (we cannot build
it). Failure texts carry the SMTP code and the server's words with any address taken out."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from services.notify.domain.redact import redact
from services.notify.domain.retry import DeliveryRefused, LocalFailure, TemporaryFailure

TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool = False
    tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 20.0
    ca_file: str | None = None  # to trust a private CA (tests, an internal relay)
    allow_plaintext_auth: bool = False  # a relay on this machine, where nothing crosses a network

    @classmethod
    def from_config(cls, config: dict) -> SmtpSettings:
        def flag(key):
            return str(config.get(key, "false")).lower() in TRUE

        settings = cls(host=config["NETRA_SMTP_HOST"], port=int(config["NETRA_SMTP_PORT"]),
                       sender=config["NETRA_MAIL_FROM"], starttls=flag("NETRA_SMTP_STARTTLS"),
                       tls=flag("NETRA_SMTP_TLS"), username=config.get("NETRA_SMTP_USERNAME") or None,
                       password=config.get("NETRA_SMTP_PASSWORD") or None,
                       ca_file=config.get("NETRA_SMTP_CA_FILE") or None,
                       allow_plaintext_auth=flag("NETRA_SMTP_ALLOW_PLAINTEXT_AUTH"))
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse, at start, a login that would send the password over an unencrypted connection."""
        if (self.username or self.password) and not (self.starttls or self.tls) and not self.allow_plaintext_auth:
            raise ValueError(
                "NETRA_SMTP_USERNAME/NETRA_SMTP_PASSWORD are set but neither NETRA_SMTP_STARTTLS nor "
                "NETRA_SMTP_TLS is on, so the password would cross the network in plain text. Turn one "
                "of them on, or set NETRA_SMTP_ALLOW_PLAINTEXT_AUTH=yes for a relay on this machine.")


def build(settings: SmtpSettings, to: str, subject: str, text: str, html: str | None,
          message_id: str) -> EmailMessage:
    """The e-mail; raises LocalFailure if it cannot be made (the same row would fail every time)."""
    try:
        return _build(settings, to, subject, text, html, message_id)
    except Exception as exc:  # noqa: BLE001 - whatever the email package refuses, it refuses for good
        raise LocalFailure(f"the message cannot be built: {type(exc).__name__}: {redact(str(exc), [to])}") from exc


def _build(settings: SmtpSettings, to: str, subject: str, text: str, html: str | None,
           message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # The same Message-ID on a resend lets mail clients fold a rare duplicate away.
    message["Message-ID"] = message_id
    message.set_content(text, charset="utf-8")
    if html:
        message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def _words(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _answer(exc: Exception) -> tuple[int | None, str]:
    """The server's code and words; never str(exc), which for a refused recipient is a dict
    keyed by the address."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        code = max((c for c, _ in answers), default=None)
        return code, "; ".join(_words(words) for _, words in answers)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code, _words(exc.smtp_error)
    return None, f"{type(exc).__name__}: {exc}"


def _classify(exc: Exception) -> Exception:
    code, words = _answer(exc)
    words = redact(words)
    if isinstance(code, int) and 500 <= code < 600:
        return DeliveryRefused(f"SMTP {code} {words}")
    return TemporaryFailure(f"SMTP {code} {words}" if code else words)


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand the message to the server; raises TemporaryFailure, DeliveryRefused or LocalFailure."""
    try:
        context = ssl.create_default_context(cafile=settings.ca_file)
    except (OSError, ValueError) as exc:
        raise LocalFailure(f"NETRA_SMTP_CA_FILE cannot be used ({type(exc).__name__})") from exc
    try:
        if settings.tls:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.starttls and not settings.tls:
                client.starttls(context=context)
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise _classify(exc) from exc
