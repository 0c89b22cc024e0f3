"""The words the team API accepts, so `--help` lists them and a typo is caught before the request.

A copy of casework's vocabulary (its OpenAPI document publishes the enums); the end-to-end
tests compare these with the running API so the two cannot drift apart unnoticed. The case
commands are casework's table of commands (services/casework/domain/commands.py), which the CLI
cannot import: tests/unit/test_team_commands.py holds this copy, each subcommand's roles and the
body it sends to that table.
"""

from __future__ import annotations

STATUSES = ("opened", "assigned", "under_verification", "clarification_requested", "violation_proposed",
            "violation_confirmed", "dismissed", "forwarded_to_bkppd", "sanction_decided", "closed")
PLATFORMS = ("facebook", "instagram", "x", "tiktok", "youtube", "whatsapp", "telegram", "website", "other")
VIOLATION_TYPES = ("post_support", "share", "like_comment", "photo_with_candidate", "campaign_attribute",
                   "group_membership", "state_facility", "other")
SANCTION_LEVELS = ("etik", "ringan", "sedang", "berat")
SANCTION_TYPES = ("pernyataan_tertutup", "pernyataan_terbuka", "teguran_lisan", "teguran_tertulis",
                  "pernyataan_tidak_puas", "potong_tukin_6", "potong_tukin_9", "potong_tukin_12",
                  "turun_jabatan", "bebas_jabatan", "pemberhentian", "tidak_dijatuhi_sanksi")
DISMISSAL_REASONS = ("not_asn", "not_political", "insufficient_evidence", "outside_period", "duplicate", "other")
KECAMATAN = ("Bantan", "Bandar Laksamana", "Bathin Solapan", "Bengkalis", "Bukit Batu", "Mandau", "Pinggir",
             "Rupat", "Rupat Utara", "Siak Kecil", "Talang Muandau")
SORTS = ("opened_at", "updated_at", "due_at", "case_number", "status", "relevance")
CHART_DIMENSIONS = ("status", "platform", "violation_type", "work_unit", "week")
# The work queue's page: the API refuses a larger limit, or an offset past a PostgreSQL integer.
LARGEST_PAGE, LARGEST_OFFSET = 200, 2**31 - 1

# CLI subcommand -> the API's command (POST /api/v1/cases/{id}/{command}).
CASE_COMMANDS = {
    "assign": "assign", "start-verification": "start_verification",
    "request-clarification": "request_clarification", "resume-verification": "resume_verification",
    "propose-violation": "propose_violation",
    "confirm-violation": "confirm_violation", "reject-proposal": "reject_proposal", "dismiss": "dismiss",
    "forward": "forward_to_bkppd", "record-sanction": "record_sanction", "close": "close", "reopen": "reopen",
    "request-disclosure": "request_disclosure", "approve-disclosure": "approve_disclosure",
    "deny-disclosure": "deny_disclosure", "hold": "place_legal_hold", "release-hold": "lift_legal_hold",
}
# Why the ketua may hold a case past its retention period (casework's domain/retention.py).
HOLD_REASONS = ("appeal", "court", "audit", "subject_request", "other")
