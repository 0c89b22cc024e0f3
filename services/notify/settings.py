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
        digest_hour_wib=digest_hour(config.get("NETRA_DIGEST_HOUR_WIB", 7)),
    )


def digest_hour(value) -> int | None:
    """The WIB hour (0-23) from which the daily digest goes out; "off": only by command."""
    # nameko's config reads environment values as YAML, where a bare `off` becomes False.
    if value is False or value is None or str(value).strip().lower() in ("off", "false", "none", ""):
        return None
    hour = int(value)
    if not 0 <= hour <= 23:
        raise ValueError(f"NETRA_DIGEST_HOUR_WIB must be 0-23 or 'off', not {value!r}")
    return hour
