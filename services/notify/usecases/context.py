"""What notify's use cases work with: the outside world's settings and where templates are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.notify.adapters import smtp, webhook
from services.notify.adapters.contacts import ContactOpener
from services.notify.domain.retry import RetryPolicy

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Outbound:
    smtp: smtp.SmtpSettings
    webhook: webhook.WebhookSettings
    retry: RetryPolicy
    contacts: ContactOpener
    portal_url: str
    team_url: str
    bkppd_emails: tuple[str, ...]
    digest_hour_wib: int | None = 7  # None: digests go out only by command
    template_dir: Path = TEMPLATE_DIR

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values no stored or printed error may contain."""
        return tuple(s for s in (self.webhook.secret, self.webhook.url, self.smtp.password) if s)
