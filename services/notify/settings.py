"""notify's outbound settings from its config: SMTP, the webhook, retries, addresses, links."""

from __future__ import annotations

from pathlib import Path

from services.notify.adapters.contacts import ContactOpener
from services.notify.adapters.smtp import SmtpSettings
from services.notify.adapters.webhook import WebhookSettings
from services.notify.domain.retry import RetryPolicy
from services.notify.usecases import TEMPLATE_DIR, Outbound

# Every kind of message notify sends; an operators' template folder must hold each one.
TEMPLATE_KINDS = tuple(sorted(p.stem for p in TEMPLATE_DIR.glob("*.txt")))


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
        template_dir=template_dir(config.get("NETRA_NOTIFY_TEMPLATE_DIR")),
    )


def template_dir(value) -> Path:
    """The operators' own copy of the templates, or the ones shipped with notify."""
    if not value:
        return TEMPLATE_DIR
    chosen = Path(str(value)).expanduser()
    missing = [f"{kind}.txt" for kind in TEMPLATE_KINDS if not (chosen / f"{kind}.txt").is_file()]
    if missing:
        raise ValueError(f"NETRA_NOTIFY_TEMPLATE_DIR {chosen} lacks {', '.join(missing)}")
    return chosen


def digest_hour(value) -> int | None:
    """The WIB hour (0-23) from which the daily digest goes out; "off": only by command."""
    # nameko's config reads environment values as YAML, where a bare `off` becomes False.
    if value is False or value is None or str(value).strip().lower() in ("off", "false", "none", ""):
        return None
    hour = int(value)
    if not 0 <= hour <= 23:
        raise ValueError(f"NETRA_DIGEST_HOUR_WIB must be 0-23 or 'off', not {value!r}")
    return hour
