"""Sending mail over SMTP, with STARTTLS or TLS and authentication as configured; a failure is
told apart as temporary (try later) or permanent (give up)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from services.notify.domain.retry import PermanentFailure, TemporaryFailure


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

    @classmethod
    def from_config(cls, config: dict) -> SmtpSettings:
        def flag(key):
            return str(config.get(key, "false")).lower() in ("1", "true", "yes", "on")

        return cls(host=config["NETRA_SMTP_HOST"], port=int(config["NETRA_SMTP_PORT"]),
                   sender=config["NETRA_MAIL_FROM"], starttls=flag("NETRA_SMTP_STARTTLS"),
                   tls=flag("NETRA_SMTP_TLS"), username=config.get("NETRA_SMTP_USERNAME") or None,
                   password=config.get("NETRA_SMTP_PASSWORD") or None,
                   ca_file=config.get("NETRA_SMTP_CA_FILE") or None)


def build(settings: SmtpSettings, to: str, subject: str, text: str, html: str | None,
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


def _classify(exc: Exception) -> Exception:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        code = max(codes) if codes else None
    if isinstance(code, int) and 500 <= code < 600:
        return PermanentFailure(f"SMTP {code}: {exc}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand the message to the server; raises TemporaryFailure or PermanentFailure."""
    context = ssl.create_default_context(cafile=settings.ca_file)
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
