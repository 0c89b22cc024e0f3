"""What hands notify's messages over (usecases/ports.Sender): the SMTP server and the webhook."""

from __future__ import annotations

from typing import Any

from services.notify.adapters import smtp, webhook


class SmtpAndWebhook:
    def __init__(self, smtp_settings: smtp.SmtpSettings, webhook_settings: webhook.WebhookSettings):
        self._smtp = smtp_settings
        self._webhook = webhook_settings

    def send_mail(self, address: str, subject: str | None, text: str, html: str | None,
                  message_id: str | None) -> None:
        smtp.send(self._smtp, smtp.build(self._smtp, address, subject, text, html, message_id))  # type: ignore[arg-type]

    def post_webhook(self, payload: dict[str, Any] | None, event_id: str) -> None:
        webhook.post(self._webhook, payload, event_id)  # type: ignore[arg-type]
