"""intake's nameko service: the public API and portal, and the status view fed by the others."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from eventlet.semaphore import Semaphore
from marshmallow import ValidationError
from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.timer import timer

from netra_common import inputs
from netra_common.background import one_replica_at_a_time
from netra_common.bus.consumer import on_event
from netra_common.clients import client_address, client_key, trusted_networks
from netra_common.contracts.quarantine import Sealer
from netra_common.db import Database
from netra_common.errors import ApiError
from netra_common.http import HealthCheck, api
from netra_common.http_answers import json_response, language
from netra_common.logging import log_event
from netra_common.outbox import OutboxRelay
from netra_common.rate_limit import LimitPolicy
from netra_common.s3 import ObjectStorage
from services.intake.adapters import complaints as records
from services.intake.adapters import idempotency
from services.intake.adapters.failed_writes import withholds_database_errors
from services.intake.adapters.metrics import figures as metric_figures
from services.intake.adapters.name_sealing import names_key, open_proof_names
from services.intake.adapters.quarantine import Quarantine
from services.intake.adapters.sealing import IdentitySealer
from services.intake.adapters.signing import ProofSigner, parse_public_keys
from services.intake.adapters.stores import PostgresFilingStore, PostgresLookupStore, PostgresProgressStore
from services.intake.adapters.tables import messaging
from services.intake.api import filing_doors, openapi, portal, requests
from services.intake.api.api_errors import ERRORS, NOT_FOUND, PROOF_REQUIRED, RECEIPT_REQUIRED, TOO_LARGE
from services.intake.api.schemas import SignedProofBody
from services.intake.domain.codes import normalise_receipt, normalise_tracking_code
from services.intake.domain.messages import describe_errors
from services.intake.domain.uploads import MAX_TOTAL_BYTES
from services.intake.read import status_page as views
from services.intake.usecases import contact, filing, lookups, progress, retention, validation

log = logging.getLogger(__name__)

# Multipart overhead on top of the screenshots' own limit.
MAX_BODY_BYTES = MAX_TOTAL_BYTES + 1024 * 1024
# How often expired rate-limit rows and kept answers are forgotten, and how often uploads whose
# filing never came are looked for (read at start: nameko fixes timer intervals then).
PRUNE_SECONDS = float(os.environ.get("NETRA_RATE_LIMIT_PRUNE_SECONDS", "300"))
ABANDONED_CHECK_SECONDS = float(os.environ.get("NETRA_UPLOAD_INTENT_CHECK_SECONDS", "60"))

class Keys(DependencyProvider):
    """intake's keys: the vault's public key (sealing), the proof key, the client-key secret (and
    the idempotency salt made from it), evidence's public key for quarantine."""

    def setup(self):
        config = self.container.config
        self.sealer = IdentitySealer(config.get("NETRA_VAULT_PUBLIC_KEY") or "",
                                     config.get("NETRA_NOTIFY_PUBLIC_KEY") or "")
        self.signer = ProofSigner(config.get("NETRA_INTAKE_SIGNING_KEY") or "",
                                  parse_public_keys(config.get("NETRA_INTAKE_RETIRED_PROOF_KEYS") or ""))
        self.client_secret = (config.get("NETRA_INTAKE_CLIENT_KEY_SECRET") or "").encode()
        if not self.client_secret:
            raise ValueError("NETRA_INTAKE_CLIENT_KEY_SECRET is not set")
        self.quarantine_sealer = Sealer(config.get("NETRA_QUARANTINE_PUBLIC_KEY") or "")
        self.idempotency_salt = idempotency.salt_from(self.client_secret)

    def get_dependency(self, worker_ctx):
        return self


class ReceiptChecks(DependencyProvider):
    """How many receipts this process checks at once: Argon2id takes 64 MiB each, and a flood
    of guesses must not take the memory of the whole process."""

    def setup(self):
        self.slots = Semaphore(int(self.container.config["NETRA_LOOKUP_CONCURRENT_CHECKS"]))

    def get_dependency(self, worker_ctx):
        return self.slots


def _policy(config: dict, prefix: str) -> LimitPolicy:
    return LimitPolicy(
        allowed=int(config[f"{prefix}_ALLOWED"]),
        first_wait=timedelta(seconds=float(config[f"{prefix}_FIRST_WAIT_SECONDS"])),
        longest_wait=timedelta(seconds=float(config[f"{prefix}_LONGEST_WAIT_SECONDS"])),
        window=timedelta(seconds=float(config[f"{prefix}_WINDOW_SECONDS"])),
    )


class IntakeService(HealthCheck):
    name = "intake"
    figures = staticmethod(metric_figures)  # read at each scrape of /metrics
    errors = ERRORS

    config = Config()
    db = Database(messaging)
    relay = OutboxRelay(messaging)
    storage = ObjectStorage()
    keys = Keys()
    receipt_checks = ReceiptChecks()

    # --- helpers ----------------------------------------------------------------------

    def _client(self, request) -> str:
        trusted = trusted_networks(str(self.config.get("NETRA_TRUSTED_PROXIES") or ""))
        return client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)

    def _lookup_guard(self, request, tracking_code: str | None) -> lookups.Guard:
        client = client_key(self.keys.client_secret, self._client(request), "lookup")
        return lookups.Guard([client], _policy(self.config, "NETRA_LOOKUP"),
                             soft_keys=(f"code:{tracking_code}",) if tracking_code else ())

    def _find(self, request, tracking_code: str):
        """The complaint and the receipt that opened it, or a 404 (or 429) answer."""
        if "X-Receipt" not in request.headers:
            raise RECEIPT_REQUIRED  # nothing was guessed: not counted
        code = normalise_tracking_code(tracking_code)
        receipt = normalise_receipt(request.headers["X-Receipt"])
        row = lookups.find_for_reporter(PostgresLookupStore(self.db), code, receipt, self._lookup_guard(request, code),
                                        self.receipt_checks)
        if row is None:
            raise NOT_FOUND
        return row, receipt

    @staticmethod
    def _limit_body(request) -> None:
        if (request.content_length or 0) > MAX_BODY_BYTES:
            raise TOO_LARGE
        request.max_content_length = MAX_BODY_BYTES

    def _door(self, idempotent=None, limit: lookups.Guard | None = None) -> filing.Door:
        quarantine = Quarantine(self.storage, self.config["NETRA_BUCKET_QUARANTINE"], self.keys.quarantine_sealer)
        return filing.Door(PostgresFilingStore(self.db), quarantine, idempotent, limit)

    def _idempotent(self, key: str | None, kind: str, fields, files):
        """The request's Idempotency-Key as the store needs it; None without one."""
        lifetime = timedelta(hours=float(self.config["NETRA_IDEMPOTENCY_HOURS"]))
        return filing_doors.idempotent(key, self.keys.idempotency_salt, kind, fields, files, lifetime)

    # --- filing -----------------------------------------------------------------------

    @api("POST", "/api/v1/complaints")
    def submit_complaint(self, request):
        self._limit_body(request)
        guard = lookups.Guard([client_key(self.keys.client_secret, self._client(request), "submit")],
                              _policy(self.config, "NETRA_SUBMIT"))
        key = filing_doors.key_of(request)
        if key is None:  # refused before the body is read; a retry with a key gets its answer first
            lookups.check_not_limited(PostgresLookupStore(self.db), guard)
        # A document that cannot be read is refused at once (a refused request is never remembered
        # under an Idempotency-Key, so it needs no fingerprint).
        document = requests.json_part(request, "complaint")
        files = requests.screenshots(request)
        door = self._door(self._idempotent(key, "complaint", document, files), guard)
        if known := filing.known_answer(door):
            return filing_doors.answer(known)
        if key is not None:
            lookups.check_not_limited(PostgresLookupStore(self.db), guard)
        if document is None:
            raise validation.InvalidInput({"complaint": ["required"]}, "complaint")
        complaint, uploads = validation.validate_complaint(document, files)
        filed = filing.file_complaint(door, self.keys.sealer, self.keys.signer, complaint, uploads)
        return filing_doors.answer(filed)

    # --- following --------------------------------------------------------------------

    @api("GET", "/api/v1/complaints/<tracking_code>")
    def complaint_status(self, request, tracking_code):
        found, receipt = self._find(request, tracking_code)
        with self.db.read() as conn:
            # Read the status again inside the page's snapshot, so it agrees with the timeline.
            row = records.find_by_tracking_code(conn, found.tracking_code)
            page = views.status_page(conn, row, language(request), names_key(receipt, row.complaint_id))
        return json_response(page, headers={"Cache-Control": "no-store"})

    @api("DELETE", "/api/v1/complaints/<tracking_code>/contact")
    def erase_contact(self, request, tracking_code):
        """The reporter withdraws consent to be contacted and erases their contact details (UU 27/2022)."""
        row, _ = self._find(request, tracking_code)
        erased_at = contact.erase_contact(self.db, row.complaint_id)
        return json_response({"contact_erased_at": erased_at}, headers={"Cache-Control": "no-store"})

    @api("GET", "/api/v1/complaints/<tracking_code>/proof")
    def proof(self, request, tracking_code):
        row, receipt = self._find(request, tracking_code)
        if row.proof is None:  # the complaint's retention ended and its proof went with its content
            raise NOT_FOUND
        proof = open_proof_names(names_key(receipt, row.complaint_id), row.proof)
        return json_response(proof, headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="bukti-pengaduan-{row.tracking_code}.json"'})

    @api("POST", "/api/v1/complaints/<tracking_code>/messages")
    def reply(self, request, tracking_code):
        self._limit_body(request)
        key = filing_doors.key_of(request)
        complaint, receipt = self._find(request, tracking_code)
        fields, files = requests.reply_parts(request)
        door = self._door(self._idempotent(key, f"reply:{complaint.tracking_code}", fields, files))
        if known := filing.known_answer(door):
            return filing_doors.answer(known)
        with self.db.read() as conn:
            already = len(records.screenshots_of(conn, complaint.complaint_id))
        body, uploads = validation.validate_reply(fields, files, already)
        sent = filing.reply(door, complaint, receipt, body, uploads, already)
        return filing_doors.answer(sent)

    # --- proofs, reference, documentation ---------------------------------------------

    @api("GET", "/api/v1/proof/public-key")
    def proof_public_key(self, request):
        return json_response(self.keys.signer.public_key())

    @api("POST", "/api/v1/proof/verify")
    def verify_proof(self, request):
        signed = inputs.read_json(request, stored=False)  # checked, never kept
        if signed is None:
            raise PROOF_REQUIRED
        try:
            SignedProofBody().load(signed)
        except ValidationError as exc:
            raise ApiError(400, "invalid_proof", PROOF_REQUIRED.message,
                           details=describe_errors(exc.messages, language(request))) from None
        return json_response({"valid": self.keys.signer.verify(signed)})

    @api("GET", "/api/v1/reference")
    def reference(self, request):
        with self.db.read() as conn:
            units = records.active_work_units(conn)
        return json_response(openapi.reference_lists(units))

    @api("GET", "/openapi.json")
    def openapi_document(self, request):
        return json_response(openapi.spec_dict())

    @api("GET", "/docs")
    def api_docs(self, request):
        return openapi.docs_page()

    # --- the portal -------------------------------------------------------------------

    @api("GET", "/")
    def portal_index(self, request):
        return portal.index()

    @api("GET", "/static/<path:filename>")
    def portal_static(self, request, filename):
        return portal.static_file(filename)

    # --- events and timers ------------------------------------------------------------

    @timer(interval=PRUNE_SECONDS, eager=True)
    @one_replica_at_a_time("intake.prune")
    def forget_expired_limits(self):
        longest = max(_policy(self.config, prefix).window for prefix in ("NETRA_LOOKUP", "NETRA_SUBMIT"))
        if forgotten := lookups.prune(self.db, longest):
            log_event(log, "rate_limits.pruned", rows=forgotten)
        if forgotten := filing.forget_expired_answers(self.db):
            log_event(log, "idempotency.pruned", rows=forgotten)

    @timer(interval=ABANDONED_CHECK_SECONDS)
    @one_replica_at_a_time("intake.abandoned_uploads")
    def remove_abandoned_uploads(self):
        older_than = timedelta(seconds=float(self.config["NETRA_UPLOAD_INTENT_SECONDS"]))
        filing.remove_abandoned_uploads(self.db, self._door().quarantine, older_than)

    @on_event("case_status_changed")
    @withholds_database_errors
    def on_case_status_changed(self, envelope):
        progress.follow_case_status(PostgresProgressStore(self.db), envelope)

    @on_event("evidence_stored")
    @withholds_database_errors
    def on_evidence_stored(self, envelope):
        progress.record_evidence_outcome(PostgresProgressStore(self.db), envelope)

    @on_event("evidence_rejected")
    @withholds_database_errors
    def on_evidence_rejected(self, envelope):
        progress.record_evidence_outcome(PostgresProgressStore(self.db), envelope)

    @on_event("message_to_reporter")
    @withholds_database_errors
    def on_message_to_reporter(self, envelope):
        progress.record_team_message(PostgresProgressStore(self.db), envelope)

    @on_event("identity_disclosed")
    @withholds_database_errors
    def on_identity_disclosed(self, envelope):
        progress.record_identity_disclosure(PostgresProgressStore(self.db), envelope)

    @on_event("case_purged")
    @withholds_database_errors
    def on_case_purged(self, envelope):
        retention.purge(self.db, envelope)


SERVICE = IntakeService
