"""The team's API, one implementation for both doors: HTTP (service.py) and nameko RPC.

Every method takes the caller's bearer token first, checks the permission matrix,
and answers with JSON-ready data or an ApiError the caller can act on. The domain's refusals
pass through as they are: the entrypoints answer them from casework's error table (api_errors.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from eventlet import tpool
from marshmallow import Schema, ValidationError

from netra_common.contracts import decrees as decree_words
from netra_common.contracts import grants, screenshots
from netra_common.errors import ApiError, PerLanguage
from netra_common.fields import moment_problem
from services.casework.adapters import (
    accounts,
    case_views,
    contact_withdrawal,
    evidence_copies,
    evidence_door,
    list_reads,
)
from services.casework.adapters.case_repository import CaseRepository
from services.casework.adapters.units import PostgresUnits
from services.casework.adapters.vault import SessionVault
from services.casework.api.access import SignedDoor, forbidden
from services.casework.api.api_errors import CASE_NOT_FOUND
from services.casework.api.field_messages import in_indonesian
from services.casework.api.schemas import COMMAND_BODIES, FileCaseBody, GrantRequestBody, QueueQuery
from services.casework.domain import rules
from services.casework.domain.accounts import ACTIVE
from services.casework.domain.errors import InvalidCommand
from services.casework.domain.next_steps import commands_for
from services.casework.domain.permissions import may
from services.casework.read import case_file, queue
from services.casework.reports import dossier_signing, statistics
from services.casework.usecases import cases, decrees, dossiers
from services.casework.usecases import screenshots as team_screenshots

OCCURRED_AT_WORDS = {
    "too_old": {"id": "Waktu kejadian terlalu lampau (sebelum tahun 2000).", "en": "The event is too long ago "
                "(before 2000)."},
    "in_future": {"id": "Waktu kejadian tidak boleh di masa depan.", "en": "The event cannot be in the future."},
}


def invalid(messages: dict, what: str = "invalid_body") -> ApiError:
    """400: a body (or query) that breaks the schema; `messages` in English by field, as marshmallow
    says them, told in the reader's language."""
    return ApiError(400, what, {"id": "Isian tidak lengkap atau salah.", "en": "Some fields are missing or wrong."},
                    details=PerLanguage(id=in_indonesian(messages), en=messages))


@cache
def _instance(schema: type[Schema]) -> Schema:
    """One instance per schema, made once: making one deep-copies every field (about 80 µs of a
    queue read's CPU), and these schemas keep no state between loads (their hooks only read)."""
    return schema()


def load(schema: type[Schema], body) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", {"id": "Isi permintaan harus objek JSON.",
                                             "en": "The request body must be a JSON object."})
    try:
        return _instance(schema).load(body)
    except ValidationError as exc:
        raise invalid(exc.messages) from None


def load_query(schema: type[Schema], query) -> dict:
    """A query string's parameters, checked as the document states them (400 `invalid_query`)."""
    try:
        return _instance(schema).load(query or {})
    except ValidationError as exc:
        raise invalid(exc.messages, "invalid_query") from None


def _uuid(raw) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise CASE_NOT_FOUND from None


@dataclass
class TeamApi(SignedDoor):
    calendar: object
    signer: object = None  # signs the log's checkpoint at a forward (adapters/checkpoint_signing.py)

    # --- who is asking ----------------------------------------------------------------

    def signed_in(self, token: str | None):
        return self.gate.signed_in(token)

    def member(self, token: str | None, action: str):
        return self.gate.member(token, action)

    # --- cases --------------------------------------------------------------------------

    def _visible_case(self, conn, member, case_id):
        case, history = cases.read_case(CaseRepository(conn), _uuid(case_id))
        if member.role == "bkppd" and not case.ever_forwarded:
            raise CASE_NOT_FOUND  # BKPPD does not learn that other cases exist
        if case.recused(member.work_unit):
            raise rules.recused_error()
        return case, history

    def list_cases(self, token: str, query: dict, door: str = "api") -> dict:
        """A page of the queue; who asked, through which door, what and which cases it showed is
        recorded after it was read (breach readiness, docs/decisions/0038)."""
        member = self.member(token, "view_cases")
        asked = load_query(QueueQuery, query)
        if asked.get("q") and not may(member.role, "search_cases"):
            raise forbidden("search_cases")
        filters = dict(asked)
        assignee, order = filters.pop("assignee", None), filters.pop("order")
        queue_filter = queue.QueueFilter(
            **filters, descending=order == "desc",
            assignee_id=member.user_id if assignee == "me" else (uuid.UUID(assignee) if assignee else None))
        with self.db.read() as conn:
            page = queue.work_queue(conn, member, queue_filter)
        list_reads.record(self.db, member.user_id, door, asked, page)
        return page

    def get_case(self, token: str, case_id) -> dict:
        member = self.member(token, "view_cases")
        with self.db.read() as conn:
            case, history = self._visible_case(conn, member, case_id)
            links = queue.links_of(conn, _uuid(case_id), member)
            erased = contact_withdrawal.erased_at(conn, _uuid(case_id))
        shown = case_file.case_file(case, history, self.calendar, links, member)
        if erased is not None:  # the reporter erased their contact (decision 0034): no longer reachable
            shown["reporter"] = {**shown["reporter"], "contact_consent": False,
                                 "contact_erased_at": erased.isoformat()}
        case_views.record(self.db.engine, _uuid(case_id), member.user_id, "case_file")  # breach readiness
        return shown

    def file_case(self, token: str, body) -> dict:
        member = self.member(token, "file_case")
        facts = load(FileCaseBody, body)
        if problem := moment_problem(facts["occurred_at"]):
            raise InvalidCommand(OCCURRED_AT_WORDS[problem], field="occurred_at")
        facts["occurred_at"] = facts["occurred_at"].isoformat()
        case = cases.file_case(PostgresUnits(self.db), member, facts)
        return {"case_id": case.case_id, "case_number": case.facts.case_number, "version": case.version,
                "status": case.status}

    def command(self, token: str, case_id, command: str, body) -> dict:
        if command not in COMMAND_BODIES:
            raise ApiError(404, "unknown_command", {"id": f"Perintah '{command}' tidak dikenal.",
                                                    "en": f"Unknown command '{command}'."},
                           details={"commands": sorted(COMMAND_BODIES)})
        member = self.member(token, command)
        fields = load(COMMAND_BODIES[command], body)
        expected = fields.pop("expected_version")
        with self.db.read() as conn:
            self._visible_case(conn, member, case_id)
        # The seal's key is asked for only by a forward: every other command works without it.
        # An approval re-seals the identity with the approver's own key, which only their token opens.
        forwarding = PostgresUnits(self.db, SessionVault(token, member.user_id), signer=self.signer,
                                   dossier_sealer=lambda conn, cid: (
                                       dossiers.forwarding_summary(conn, dossier_signing.sealer(self.config), cid)))
        case = cases.run_command(forwarding, member, _uuid(case_id), command, expected, fields)
        return {"case_id": case.case_id, "version": case.version, "status": case.status,
                "allowed_commands": case.allowed_commands(),
                "my_commands": commands_for(case, member.user_id, member.role, member.work_unit)}

    def attach_decree(self, token: str, case_id, content_type: str | None, data: bytes) -> dict:
        """BKPPD's decree (SK) as a PDF: the case is asked first, evidence inspects and keeps the file,
        then the case records its digest. HTTP only: a file has no business on the bus."""
        member = self.member(token, "record_sanction")
        max_bytes = int(self.config.get("NETRA_DECREE_MAX_BYTES") or decree_words.DEFAULT_MAX_BYTES)
        with self.db.read() as conn:
            case, _ = self._visible_case(conn, member, case_id)
        case.require_takes_decree(member.as_actor())
        if len(data) > max_bytes:
            raise decree_words.refusal("too_large", max_bytes=max_bytes)
        if content_type != decree_words.MEDIA_TYPE:
            raise decree_words.refusal("not_pdf", max_bytes=max_bytes)
        grant, _ = grants.issue(self.config["NETRA_GRANT_SIGNING_KEY"], evidence_id=str(uuid.uuid4()),
                                copy=grants.DECREE_UPLOAD, member_id=str(member.user_id), member_role=member.role,
                                purpose="Unggah SK keputusan BKPPD", ttl_seconds=120, case_id=case.case_id)
        evidence_url = self.config.get("NETRA_EVIDENCE_INTERNAL_URL") or self.config["NETRA_EVIDENCE_URL"]
        kept = evidence_door.send_decree(evidence_url, grant, data, max_bytes)
        case = decrees.attach_decree(PostgresUnits(self.db), member, _uuid(case_id), kept)
        return {"case_id": case.case_id, "version": case.version, "status": case.status,
                "decree": {k: kept[k] for k in ("decree_id", "sha256", "size", "pages", "received_at")}}

    def add_screenshots(self, token: str, case_id, files: list[tuple[str, bytes]]) -> dict:
        """A team member's screenshots for the case (docs/decisions/0025): the case is asked first, then
        the kind and size of each file; evidence inspects and keeps them all or none, under an upload
        grant for this member and case; then the case records each. HTTP only, like a decree."""
        member = self.member(token, "add_screenshot")
        with self.db.read() as conn:
            case, _ = self._visible_case(conn, member, case_id)
        case.require_takes_screenshots(member.as_actor())
        screenshots.first_look(files)
        grant, _ = grants.issue(self.config["NETRA_GRANT_SIGNING_KEY"], evidence_id=str(uuid.uuid4()),
                                copy=grants.SCREENSHOT_UPLOAD, member_id=str(member.user_id), member_role=member.role,
                                purpose=team_screenshots.UPLOAD_PURPOSE, ttl_seconds=120, case_id=case.case_id)
        evidence_url = self.config.get("NETRA_EVIDENCE_INTERNAL_URL") or self.config["NETRA_EVIDENCE_URL"]
        kept = evidence_door.send_screenshots(evidence_url, grant, files)["screenshots"]
        case = team_screenshots.attach_screenshots(PostgresUnits(self.db), member, _uuid(case_id), kept)
        return {"case_id": case.case_id, "version": case.version, "status": case.status,
                "screenshots": [{k: shot[k] for k in ("evidence_id", "sha256", "size", "content_type", "received_at")}
                                for shot in kept]}

    def decree_pdf(self, token: str, case_id, decree_id) -> tuple[bytes, str]:
        """A kept decree (SK) of the case, opened again: casework grants the view, evidence serves the
        file under it and logs it in custody, the case logs it too; with the file's name (its number)."""
        member = self.member(token, "view_decree")
        with self.db.read() as conn:
            case, _ = self._visible_case(conn, member, case_id)
        decree = decrees.decree_to_open(member, case, str(decree_id))
        if decree is None:
            raise ApiError(404, "decree_not_on_case", {"id": "SK ini tidak ada pada kasus tersebut.",
                                                       "en": "This decree is not on that case."})
        grant, issued = grants.issue(self.config["NETRA_GRANT_SIGNING_KEY"], evidence_id=decree.decree_id,
                                     copy=grants.DECREE_VIEW, member_id=str(member.user_id), member_role=member.role,
                                     purpose=decrees.VIEW_PURPOSE, ttl_seconds=60, case_id=case.case_id)
        evidence_url = self.config.get("NETRA_EVIDENCE_INTERNAL_URL") or self.config["NETRA_EVIDENCE_URL"]
        data = evidence_door.fetch_decree(evidence_url, grant, decree.decree_id, decree.sha256)
        decrees.record_decree_view(PostgresUnits(self.db), member, _uuid(case_id), decree, issued.grant_id)
        return data, f"SK-{case.facts.case_number}-{decree.decree_id[:8]}.pdf"

    def read_identity(self, token: str, case_id) -> dict:
        member = self.member(token, "read_identity")
        with self.db.read() as conn:
            self._visible_case(conn, member, case_id)
        identity = cases.read_identity(PostgresUnits(self.db, SessionVault(token, member.user_id)), member,
                                       _uuid(case_id))
        return {"identity": identity,
                "notice": "Rahasia. Hanya untuk Anda, untuk keperluan yang disetujui; pembacaan ini tercatat."}

    def grant(self, token: str, case_id, evidence_id, body) -> dict:
        fields = load(GrantRequestBody, body)
        member = self.member(token, "view_original_evidence" if fields["copy"] == "original"
                             else "view_evidence")
        with self.db.read() as conn:
            case, _ = self._visible_case(conn, member, case_id)
        if not case.has_evidence(evidence_id):
            raise ApiError(404, "evidence_not_on_case", {"id": "Bukti ini tidak ada pada kasus tersebut.",
                                                         "en": "This evidence is not on that case."})
        token_text, issued = grants.issue(
            self.config["NETRA_GRANT_SIGNING_KEY"], evidence_id=str(evidence_id), copy=fields["copy"],
            member_id=str(member.user_id), member_role=member.role, purpose=fields["purpose"],
            ttl_seconds=int(self.config.get("NETRA_GRANT_TTL_SECONDS", 300)))
        return {"grant": token_text, "expires_at": issued.expires_at, "copy": issued.copy,
                "url": f"{self.config['NETRA_EVIDENCE_URL']}/api/v1/evidence/{evidence_id}/{issued.copy}",
                "how": "Authorization: Grant <grant>"}

    def _sealed_dossier(self, token: str, case_id):
        member = self.member(token, "view_dossier")
        with self.db.read() as conn:
            case, _ = self._visible_case(conn, member, case_id)
            if case.finding is None:
                raise ApiError(409, "no_finding", {"id": "Berkas untuk BKPPD baru tersedia setelah pelanggaran "
                                                         "dikonfirmasi.",
                                                   "en": "The dossier exists once a violation is confirmed."})
            sealed, evidence_ids = dossiers.sealed_dossier(conn, dossier_signing.sealer(self.config), case_id)
        case_views.record(self.db.engine, _uuid(case_id), member.user_id, "dossier")
        return member, sealed, evidence_ids

    def dossier(self, token: str, case_id) -> dict:
        """The dossier as JSON, sealed (Ed25519 over its canonical form, docs/dossier.md)."""
        return self._sealed_dossier(token, case_id)[1]

    def dossier_pdf(self, token: str, case_id) -> tuple[bytes, str]:
        """The dossier as a PDF with each screenshot's clean copy, signed with the office's certificate,
        and the case number (the file is named by it, never by an internal id)."""
        member, sealed, evidence_ids = self._sealed_dossier(token, case_id)
        pictures = evidence_copies.clean_copies(self.config, member, evidence_ids)
        # Laying out and signing a PDF is CPU work: in the thread pool, the hub keeps serving the others.
        return tpool.execute(dossier_signing.signed_pdf, self.config, sealed, pictures), sealed["case_number"]

    # --- statistics ---------------------------------------------------------------------

    def statistics(self, token: str, action: str = "view_statistics") -> dict:
        self.member(token, action)
        with self.db.read() as conn:
            return statistics.summary(conn)

    # --- the team ---------------------------------------------------------------------

    def directory(self, token: str) -> list[dict]:
        """Who is on the team, to assign a case or name a disclosure's recipient: active (enrolled and
        confirmed) team and BKPPD accounts, by name and role only (no username, no e-mail address)."""
        self.member(token, "view_team")
        with self.db.read() as conn:
            members = accounts.all_members(conn)
        return [{"user_id": m.user_id, "full_name": m.full_name, "role": m.role, "work_unit": m.work_unit}
                for m in members if m.state == ACTIVE and m.role != "admin"]

