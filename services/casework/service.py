"""casework's nameko service: the team's HTTP API and RPC, the events it consumes, its timers."""

from __future__ import annotations

import logging
import os
from datetime import datetime

from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.timer import timer
from werkzeug.wrappers import Response

from netra_common.background import one_replica_at_a_time
from netra_common.bus.consumer import on_event
from netra_common.bus.rpc import rpc
from netra_common.contracts import screenshots as team_screenshots
from netra_common.contracts.decrees import DEFAULT_MAX_BYTES as DEFAULT_DECREE_BYTES
from netra_common.contracts.decrees import refusal as decree_refusal
from netra_common.db import Database
from netra_common.errors import ApiError
from netra_common.http import HealthCheck, api
from netra_common.http_answers import json_response
from netra_common.logging import log_event
from netra_common.outbox import OutboxRelay
from netra_common.text import clean_filename
from netra_common.wib import WIB
from services.casework.account_entrypoints import AccountEntrypoints, body_of, token_of
from services.casework.adapters import case_views, list_reads
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.checkpoint_signing import CheckpointSigner, parse_public_keys
from services.casework.adapters.metrics import figures as metric_figures
from services.casework.adapters.projection_runner import ProjectionRunner
from services.casework.adapters.retention_schedule import load_schedule
from services.casework.adapters.tables import messaging
from services.casework.adapters.units import PostgresUnits
from services.casework.api import openapi
from services.casework.api.api_errors import ERRORS
from services.casework.api.schemas import COMMAND_BODIES
from services.casework.api.team_api import TeamApi
from services.casework.console import site as console
from services.casework.reports import dossier_signing, statistics, statistics_chart, statistics_csv
from services.casework.reports.dossier_seal import public_key
from services.casework.usecases import cases, contact_erasure, logins, retention

log = logging.getLogger(__name__)

# How often the overdue timer looks (read at start: nameko fixes timer intervals then).
OVERDUE_CHECK_SECONDS = float(os.environ.get("NETRA_OVERDUE_CHECK_SECONDS", "60"))
# How often casework asks whether the day's checkpoint of the log is due (taken once in 24 hours).
CHECKPOINT_CHECK_SECONDS = float(os.environ.get("NETRA_CHECKPOINT_CHECK_SECONDS", "600"))
# How often casework asks whether the day's retention run is due (it runs once in a day).
RETENTION_CHECK_SECONDS = float(os.environ.get("NETRA_RETENTION_CHECK_SECONDS", "3600"))
# How often login counters whose window and wait are over are forgotten.
PRUNE_SECONDS = float(os.environ.get("NETRA_RATE_LIMIT_PRUNE_SECONDS", "300"))


class Calendar(DependencyProvider):
    def setup(self):
        self.calendar = load_calendar(self.container.config.get("NETRA_HOLIDAYS_FILE") or None)
        for year, days in self.calendar.thin_years(datetime.now(WIB).date()).items():
            log_event(log, "calendar.incomplete", year=year, listed_days=days,
                      fix="add the year's SKB holidays and cuti bersama to the holiday list")

    def get_dependency(self, worker_ctx):
        return self.calendar


class CheckpointKey(DependencyProvider):
    """casework's own key for the log's checkpoints: without it casework does not start, as a
    forward to BKPPD must carry one (docs/decisions/0016)."""

    def setup(self):
        config = self.container.config
        self.signer = CheckpointSigner(config.get("NETRA_CASEWORK_CHECKPOINT_KEY") or "",
                                       parse_public_keys(config.get("NETRA_CASEWORK_RETIRED_CHECKPOINT_KEYS") or ""))

    def get_dependency(self, worker_ctx):
        return self.signer


class CaseworkService(AccountEntrypoints, HealthCheck):
    name = "casework"
    figures = staticmethod(metric_figures)  # read at each scrape of /metrics
    errors = ERRORS  # what each refusal its doors let through is answered with

    config = Config()
    db = Database(messaging)
    relay = OutboxRelay(messaging)
    calendar = Calendar()
    checkpoint_signer = CheckpointKey()
    projections = ProjectionRunner()

    @property
    def team(self) -> TeamApi:
        return TeamApi(self.db, self.config, self.calendar, self.checkpoint_signer)

    # --- HTTP: the team ---------------------------------------------------------------

    @api("GET", "/api/v1/team")
    def team_directory(self, request):
        return json_response(self.team.directory(token_of(request)))

    # --- HTTP: cases ------------------------------------------------------------------

    @api("GET", "/api/v1/cases")
    def list_cases(self, request):
        door = list_reads.door_of(request.headers.get(list_reads.DOOR_HEADER))
        return json_response(self.team.list_cases(token_of(request), request.args.to_dict(), door))

    @api("POST", "/api/v1/cases")
    def file_case(self, request):
        return json_response(self.team.file_case(token_of(request), body_of(request)), status=201)

    @api("GET", "/api/v1/cases/<case_id>")
    def get_case(self, request, case_id):
        return json_response(self.team.get_case(token_of(request), case_id))

    @api("POST", "/api/v1/cases/<case_id>/identity")
    def read_identity(self, request, case_id):
        return json_response(self.team.read_identity(token_of(request), case_id),
                             headers={"Cache-Control": "no-store"})

    @api("POST", "/api/v1/cases/<case_id>/evidence/<evidence_id>/grants")
    def grant_evidence_view(self, request, case_id, evidence_id):
        return json_response(self.team.grant(token_of(request), case_id, evidence_id, body_of(request)),
                             headers={"Cache-Control": "no-store"})

    @api("GET", "/api/v1/cases/<case_id>/dossier.json")
    def dossier_json(self, request, case_id):
        return json_response(self.team.dossier(token_of(request), case_id))

    @api("GET", "/api/v1/cases/<case_id>/dossier.pdf")
    def dossier_pdf(self, request, case_id):
        pdf, case_number = self.team.dossier_pdf(token_of(request), case_id)
        return Response(pdf, content_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="berkas-kasus-{case_number}.pdf"',
            "Cache-Control": "no-store"})

    @api("GET", "/api/v1/cases/<case_id>/decrees/<decree_id>.pdf")
    def decree_pdf(self, request, case_id, decree_id):
        pdf, filename = self.team.decree_pdf(token_of(request), case_id, decree_id)
        return Response(pdf, content_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff"})

    @api("POST", "/api/v1/cases/<case_id>/decree")
    def attach_decree(self, request, case_id):
        # Read at the door's limit: a larger body is refused without being read whole.
        limit = int(self.config.get("NETRA_DECREE_MAX_BYTES") or DEFAULT_DECREE_BYTES)
        if (request.content_length or 0) > limit:
            raise decree_refusal("too_large", max_bytes=limit)
        request.max_content_length = limit + 1
        return json_response(self.team.attach_decree(token_of(request), case_id, request.mimetype,
                                                     request.get_data()), status=201)

    @api("POST", "/api/v1/cases/<case_id>/screenshots")
    def add_screenshots(self, request, case_id):
        # Who asks is known before a byte of the body is read; a body over the limit is never read whole.
        self.team.member(token_of(request), "add_screenshot")
        if (request.content_length or 0) > team_screenshots.MAX_BODY_BYTES:
            raise team_screenshots.ScreenshotRefused("total")
        request.max_content_length = team_screenshots.MAX_BODY_BYTES
        files = [(clean_filename(part.filename or ""), part.read())
                 for part in request.files.getlist(team_screenshots.PART)]
        return json_response(self.team.add_screenshots(token_of(request), case_id, files), status=201)

    @api("GET", "/api/v1/dossier/public-key")
    def dossier_public_key(self, request):
        """Public, like the proof's key: anyone holding a dossier checks its seal with it (docs/dossier.md)."""
        return json_response(public_key(dossier_signing.sealer(self.config).verify_key))

    # Only the commands there are: /cases/<id>/dossier.json must not also answer POST.
    @api("POST", f"/api/v1/cases/<case_id>/<any({', '.join(COMMAND_BODIES)}):command>")
    def case_command(self, request, case_id, command):
        return json_response(self.team.command(token_of(request), case_id, command, body_of(request)))

    # --- HTTP: statistics -------------------------------------------------------------

    @api("GET", "/api/v1/statistics")
    def statistics(self, request):
        return json_response(self.team.statistics(token_of(request)))

    @api("GET", "/api/v1/statistics.csv")
    def statistics_csv(self, request):
        summary = self.team.statistics(token_of(request), "export_statistics")
        return Response(statistics_csv.as_csv(summary), content_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="statistik-netra.csv"'})

    @api("GET", "/api/v1/statistics/<dimension>.svg")
    def statistics_chart(self, request, dimension):
        if dimension not in statistics.DIMENSIONS:
            raise ApiError(404, "unknown_chart", {"id": "Grafik tidak dikenal.", "en": "Unknown chart."},
                           details={"charts": list(statistics.DIMENSIONS)})
        summary = self.team.statistics(token_of(request))
        return Response(statistics_chart.bar_chart_svg(dimension, summary["counts"][dimension]),
                        content_type="image/svg+xml; charset=utf-8",
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    # --- HTTP: the key checkpoints are signed with (public, like the proof key) ----------

    @api("GET", "/api/v1/checkpoints/public-key")
    def checkpoint_public_key(self, request):
        return json_response(self.checkpoint_signer.public_keys())

    # --- HTTP: the document -----------------------------------------------------------

    @api("GET", "/openapi.json")
    def openapi_document(self, request):
        return json_response(openapi.spec_dict())

    # --- HTTP: the team console (web pages, not the API: the OpenAPI document leaves them out) ---

    @api("GET", "/")
    def console_root(self, request):
        return console.to_console(self.config)

    @api("GET", "/console")
    def console_bare(self, request):
        return console.to_console(self.config)

    @api("GET", "/console/")
    def console_index(self, request):
        return console.index(self.config)

    @api("GET", "/console/reference.json")
    def console_reference(self, request):
        return console.reference(self.config)

    @api("GET", "/console/static/<path:filename>")
    def console_static(self, request, filename):
        return console.static_file(self.config, filename)

    # --- RPC: the same API for other programs ---------------------------------------

    # RPC mirrors the HTTP API, except reading a reporter's identity: its plaintext stays off
    # the bus (reply queues are broker-held), reachable only over HTTP by the named member.

    @rpc
    def rpc_list_cases(self, token, query=None):
        return self.team.list_cases(token, query or {}, "rpc")

    @rpc
    def rpc_get_case(self, token, case_id):
        return self.team.get_case(token, case_id)

    @rpc
    def rpc_file_case(self, token, body):
        return self.team.file_case(token, body)

    @rpc
    def rpc_command(self, token, case_id, command, body):
        return self.team.command(token, case_id, command, body)

    @rpc
    def rpc_statistics(self, token):
        return self.team.statistics(token)

    @rpc
    def rpc_dossier(self, token, case_id):
        return self.team.dossier(token, case_id)

    @rpc
    def rpc_grant(self, token, case_id, evidence_id, body):
        return self.team.grant(token, case_id, evidence_id, body)

    @rpc
    def rpc_team_directory(self, token):
        return self.team.directory(token)

    # --- events and timers ------------------------------------------------------------

    @on_event("complaint_submitted")
    def on_complaint_submitted(self, envelope):
        cases.open_case_from_complaint(PostgresUnits(self.db), envelope)

    @on_event("evidence_stored")
    def on_evidence_stored(self, envelope):
        cases.record_complaint_followup(PostgresUnits(self.db), envelope)

    @on_event("evidence_rejected")
    def on_evidence_rejected(self, envelope):
        cases.record_complaint_followup(PostgresUnits(self.db), envelope)

    @on_event("evidence_viewed")
    def on_evidence_viewed(self, envelope):
        cases.record_complaint_followup(PostgresUnits(self.db), envelope)

    @on_event("reporter_replied")
    def on_reporter_replied(self, envelope):
        cases.record_complaint_followup(PostgresUnits(self.db), envelope)

    @on_event("reporter_contact_erased")
    def on_reporter_contact_erased(self, envelope):
        contact_erasure.forget_contact(self.db, envelope)

    @timer(interval=OVERDUE_CHECK_SECONDS)
    @one_replica_at_a_time("casework.overdue")
    def mark_overdue_cases(self):
        cases.mark_overdue_cases(PostgresUnits(self.db), self.calendar)

    @timer(interval=CHECKPOINT_CHECK_SECONDS)
    @one_replica_at_a_time("casework.daily_checkpoint")
    def take_daily_checkpoint(self):
        cases.take_daily_checkpoint(PostgresUnits(self.db, signer=self.checkpoint_signer))

    @timer(interval=RETENTION_CHECK_SECONDS)
    def run_retention_if_due(self):
        """The daily purge of cases past their retention period (docs/retention.md): one run a day,
        whichever replica asks first (a lock and the last run's time decide)."""
        retention.run(PostgresUnits(self.db), load_schedule(self.config.get("NETRA_RETENTION_FILE") or None),
                      started_by="timer", only_if_due=True)

    @timer(interval=PRUNE_SECONDS)
    @one_replica_at_a_time("casework.prune_login_counters")
    def forget_old_login_counters(self):
        logins.prune(self.db, logins.LoginLimits.from_config(self.config))

    @timer(interval=PRUNE_SECONDS)
    @one_replica_at_a_time("casework.prune_case_views")
    def forget_old_case_views(self):
        """Case-file and list reads are kept NETRA_CASE_VIEWS_KEEP_DAYS (docs/breach-response.md), then
        forgotten."""
        days = case_views.keep_days(self.config)
        case_views.prune(self.db.engine, days)
        list_reads.prune(self.db.engine, days)


SERVICE = CaseworkService
