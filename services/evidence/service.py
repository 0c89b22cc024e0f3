"""evidence's nameko service: custody of screenshots as they arrive, and views under grants."""

from __future__ import annotations

import logging
import os
import uuid

from nameko.dependency_providers import Config
from nameko.timer import timer
from werkzeug.wrappers import Response

from netra_common.background import one_replica_at_a_time
from netra_common.bus.consumer import on_event
from netra_common.contracts import screenshots
from netra_common.contracts.decrees import MEDIA_TYPE, DecreeRefused
from netra_common.contracts.grants import COPIES
from netra_common.cors import parse_origins, preflight
from netra_common.db import Database
from netra_common.http import HealthCheck, api
from netra_common.http_answers import json_response
from netra_common.outbox import OutboxRelay
from netra_common.s3 import ObjectStorage
from netra_common.text import clean_filename
from services.evidence import settings as evidence_settings
from services.evidence.adapters.metrics import figures as metric_figures
from services.evidence.adapters.tables import messaging
from services.evidence.api.api_errors import ERRORS, NOT_A_PDF_REQUEST, grant_refused
from services.evidence.usecases import custody, decrees, inventory, retention, team_uploads

log = logging.getLogger(__name__)

# How often quarantine is swept and failed puts reconciled (read at start: nameko fixes timers then).
HOUSEKEEPING_SECONDS = float(os.environ.get("NETRA_EVIDENCE_HOUSEKEEPING_SECONDS", "3600"))

# The team console's origins (casework's web address): their browsers fetch screenshots here.
CONSOLE_ORIGINS = "NETRA_CONSOLE_ORIGINS"


class EvidenceService(HealthCheck):
    name = "evidence"
    figures = staticmethod(metric_figures)  # read at each scrape of /metrics
    errors = ERRORS

    config = Config()
    db = Database(messaging)
    relay = OutboxRelay(messaging)
    storage = ObjectStorage()

    @property
    def settings(self) -> evidence_settings.Settings:
        return evidence_settings.from_config(self.config)

    @on_event("complaint_submitted")
    def on_complaint_submitted(self, envelope):
        custody.take_into_custody(self.db, self.storage, self.settings, envelope)

    @on_event("reporter_replied")
    def on_reporter_replied(self, envelope):
        custody.take_into_custody(self.db, self.storage, self.settings, envelope)

    @on_event("case_retention_changed")
    def on_case_retention_changed(self, envelope):
        retention.follow_retention(self.db, self.storage, self.settings, envelope)

    @on_event("case_purged")
    def on_case_purged(self, envelope):
        retention.purge_case(self.db, self.storage, self.settings, envelope)

    @api("OPTIONS", "/api/v1/evidence/<evidence_id>/<copy>")
    def view_preflight(self, request, evidence_id, copy):
        # The grant travels in the Authorization header, so the console's browser asks first.
        return preflight(request, parse_origins(self.config.get(CONSOLE_ORIGINS)), methods=("GET",),
                         headers=("Authorization",))

    @api("GET", "/api/v1/evidence/<evidence_id>/<copy>", cors=CONSOLE_ORIGINS)
    def view(self, request, evidence_id, copy):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "grant" or not token or copy not in COPIES:
            raise grant_refused("missing")
        shown = custody.view(self.db, self.storage, self.settings, self.config["NETRA_GRANT_VERIFY_KEY"],
                             token.strip(), uuid.UUID(evidence_id), copy)
        return Response(shown.content, content_type=shown.content_type, headers={
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Content-Disposition": f'inline; filename="{shown.filename}"'})

    @api("POST", "/api/v1/decrees")
    def keep_decree(self, request):
        """A decree (SK) for a case, from casework under an upload grant it signed (never from a browser)."""
        settings = self.settings
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "grant" or not token:
            raise grant_refused("missing")
        if (request.content_length or 0) > settings.decree_max_bytes:
            raise DecreeRefused("too_large", max_bytes=settings.decree_max_bytes)
        if request.mimetype != MEDIA_TYPE:
            raise NOT_A_PDF_REQUEST
        request.max_content_length = settings.decree_max_bytes + 1  # a chunked body is cut off there too
        kept = decrees.keep_decree(self.db, self.storage, settings, self.config["NETRA_GRANT_VERIFY_KEY"],
                                   token.strip(), request.get_data())
        return json_response(kept.as_dict(), status=201)

    @api("POST", "/api/v1/screenshots")
    def keep_screenshots(self, request):
        """Screenshots a team member hands in for a case, from casework under an upload grant it signed
        for that member and case (never from a browser): kept together or not at all."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "grant" or not token:
            raise grant_refused("missing")
        if (request.content_length or 0) > screenshots.MAX_BODY_BYTES:
            raise screenshots.ScreenshotRefused("total")
        request.max_content_length = screenshots.MAX_BODY_BYTES  # a chunked body is cut off there too
        files = [(clean_filename(part.filename or ""), part.read())
                 for part in request.files.getlist(screenshots.PART)]
        kept = team_uploads.keep_screenshots(self.db, self.storage, self.settings,
                                             self.config["NETRA_GRANT_VERIFY_KEY"], token.strip(), files)
        return json_response(kept, status=201)

    @api("GET", "/api/v1/decrees/<decree_id>")
    def view_decree(self, request, decree_id):
        """A kept decree (SK), to casework under a view grant it signed for the case (never to a browser)."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "grant" or not token:
            raise grant_refused("missing")
        content = decrees.view_decree(self.db, self.storage, self.settings, self.config["NETRA_GRANT_VERIFY_KEY"],
                                      token.strip(), uuid.UUID(decree_id))
        return Response(content, content_type=MEDIA_TYPE, headers={
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'attachment; filename="SK-{decree_id}.pdf"'})

    @timer(interval=HOUSEKEEPING_SECONDS)
    @one_replica_at_a_time("evidence.housekeeping")
    def keep_house(self):
        """Clear quarantine, and remove what evidence's own attempts that never committed put."""
        settings = self.settings
        custody.sweep_quarantine(self.db.engine, self.storage, settings, settings.quarantine_grace)
        inventory.reconcile(self.db.engine, self.storage, settings, everything=False)
        retention.remove_due_leftovers(self.db.engine, self.storage)


SERVICE = EvidenceService
