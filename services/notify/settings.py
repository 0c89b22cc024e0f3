"""notify's outbound settings from its config: SMTP, the webhook, retries, addresses, links."""

from __future__ import annotations

from services.notify.adapters.contacts import ContactOpener
from services.notify.adapters.smtp import SmtpSettings
from services.notify.adapters.webhook import WebhookSettings
from services.notify.domain.retry import RetryPolicy
from services.notify.usecases import Outbound


def outbound(config: dict) -> Outbound:
    return Outbound(
        smtp=SmtpSettings.from_config(config),
        webhook=WebhookSettings.from_config(config),
        retry=RetryPolicy.parse(config.get("NETRA_NOTIFY_RETRY_SECONDS")),
        contacts=ContactOpener(config.get("NETRA_NOTIFY_PRIVATE_KEY") or None),
        portal_url=config["NETRA_PORTAL_URL"],
        team_url=config["NETRA_TEAM_URL"],
        bkppd_emails=tuple(a.strip() for a in str(config.get("NETRA_BKPPD_EMAIL") or "").split(",") if a.strip()),
        digest_hour_wib=int(config.get("NETRA_DIGEST_HOUR_WIB", 7)),
    )
