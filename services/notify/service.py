"""notify's nameko service: tells BKPPD, the team and the reporter what they must know."""

from __future__ import annotations

import os

from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.timer import timer

from netra_common.background import one_replica_at_a_time
from netra_common.bus.consumer import on_event
from netra_common.db import Database
from netra_common.http import HealthCheck
from netra_common.outbox import OutboxRelay
from services.notify import settings, usecases
from services.notify.adapters.metrics import figures as metric_figures
from services.notify.adapters.notify_store import PostgresNotifyStore
from services.notify.adapters.tables import messaging
from services.notify.api.api_errors import ERRORS
from services.notify.usecases import retention

# How often due retries and digests are looked at (nameko fixes timer intervals at start).
TICK_SECONDS = float(os.environ.get("NETRA_NOTIFY_TICK_SECONDS", "5"))


class OutboundSettings(DependencyProvider):
    def setup(self):
        self.outbound = settings.outbound(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.outbound


class NotifyService(HealthCheck):
    name = "notify"
    figures = staticmethod(metric_figures)  # read at each scrape of /metrics
    errors = ERRORS

    config = Config()
    db = Database(messaging)
    relay = OutboxRelay(messaging)
    outbound = OutboundSettings()

    def _handle(self, envelope):
        store = PostgresNotifyStore(self.db)
        for delivery_id in usecases.handle(store, self.outbound, envelope):
            usecases.deliver(store, self.outbound, delivery_id)  # at once; the timer retries

    @on_event("complaint_submitted")
    def on_complaint_submitted(self, envelope):
        self._handle(envelope)

    @on_event("team_member_changed")
    def on_team_member_changed(self, envelope):
        self._handle(envelope)

    @on_event("case_status_changed")
    def on_case_status_changed(self, envelope):
        self._handle(envelope)

    @on_event("case_assigned")
    def on_case_assigned(self, envelope):
        self._handle(envelope)

    @on_event("reporter_reply_recorded")
    def on_reporter_reply_recorded(self, envelope):
        self._handle(envelope)

    @on_event("message_to_reporter")
    def on_message_to_reporter(self, envelope):
        self._handle(envelope)

    @on_event("case_forwarded_to_bkppd")
    def on_case_forwarded(self, envelope):
        self._handle(envelope)

    @on_event("case_overdue")
    def on_case_overdue(self, envelope):
        self._handle(envelope)

    @on_event("identity_disclosed")
    def on_identity_disclosed(self, envelope):
        self._handle(envelope)

    @on_event("account_changed")
    def on_account_changed(self, envelope):
        self._handle(envelope)

    @on_event("enrolment_issued")
    def on_enrolment_issued(self, envelope):
        self._handle(envelope)

    @on_event("case_purged")
    def on_case_purged(self, envelope):
        retention.purge(self.db, envelope)

    @on_event("reporter_contact_erased")
    def on_reporter_contact_erased(self, envelope):
        retention.forget_contact(self.db, envelope)

    @timer(interval=TICK_SECONDS)
    @one_replica_at_a_time("notify.deliver_due")
    def deliver_due(self):
        store = PostgresNotifyStore(self.db)
        usecases.deliver_due(store, self.outbound)
        usecases.send_digests(store, self.outbound)


SERVICE = NotifyService
