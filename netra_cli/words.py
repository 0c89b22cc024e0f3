"""Codes in words for the CLI's text views: the labels the server's console uses
(/console/reference.json, built by casework from its own lists) and the team's names
(/api/v1/team), so `netra show` says "Sedang diverifikasi", "Pemotongan tunjangan kinerja ..." and
"Budi (Anggota)", never `under_verification`, `potong_tukin_6` or a person's id. `--json` keeps the
codes: it prints the API's answer as it is.

Without the server's words (an older server, or a role that may not list the team), a code is still
said in the CLI's own words where it has them, and a person by their role, never by their id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netra_cli import client as api

OWN_STATUSES = {
    "opened": "Dibuka", "assigned": "Ditugaskan", "under_verification": "Sedang diverifikasi",
    "clarification_requested": "Menunggu klarifikasi pelapor", "violation_proposed": "Pelanggaran diusulkan",
    "violation_confirmed": "Pelanggaran dikonfirmasi", "dismissed": "Tidak dilanjutkan",
    "forwarded_to_bkppd": "Diteruskan ke BKPPD", "sanction_decided": "Sanksi diputuskan", "closed": "Selesai",
}
OWN_ROLES = {"ketua": "Ketua", "sekretaris": "Sekretaris", "anggota": "Anggota", "bkppd": "BKPPD",
             "admin": "Admin", "system": "Sistem"}


def _pairs(items) -> dict[str, str]:
    if isinstance(items, dict):
        return {str(k): str(v) for k, v in items.items()}
    return {str(i["value"]): str(i["label"]) for i in items or [] if isinstance(i, dict) and "value" in i}


@dataclass
class Words:
    reference: dict = field(default_factory=dict)
    team: list[dict] = field(default_factory=list)
    me: dict | None = None

    def _of(self, kind: str, code, fallback: dict | None = None) -> str:
        if code in (None, ""):
            return "-"
        return _pairs(self.reference.get(kind)).get(str(code)) or (fallback or {}).get(str(code)) or str(code)

    def status(self, code) -> str:
        return self._of("statuses", code, OWN_STATUSES)

    def event(self, code) -> str:
        return self._of("events", code)

    def role(self, code) -> str:
        return self._of("roles", code, OWN_ROLES)

    def platform(self, code) -> str:
        return self._of("platforms", code)

    def violation(self, code) -> str:
        return self._of("violation_types", code)

    def sanction_level(self, code) -> str:
        return self._of("sanction_levels", code)

    def sanction_type(self, code) -> str:
        return self._of("sanction_types", code)

    def dismissal(self, code) -> str:
        return self._of("dismissal_reasons", code)

    def rejection(self, code) -> str:
        return self._of("rejections", code)

    def disclosure_state(self, code) -> str:
        return self._of("disclosure_states", code)

    def source(self, code) -> str:
        return self._of("sources", code)

    def account_action(self, code) -> str:
        return self._of("account_actions", code)

    def command(self, code) -> str:
        spec = (self.reference.get("commands") or {}).get(code) or {}
        return str(spec.get("label") or code)

    def commands(self, codes) -> str:
        """Each command as its button's words with the CLI's subcommand, e.g. 'Mulai verifikasi
        (netra start-verification)'."""
        return "; ".join(f"{self.command(c)} (netra {CLI_NAMES.get(c, c.replace('_', '-'))})"
                         for c in codes or []) or "tidak ada"

    def person(self, who) -> str:
        """A member by name and role ('Anda' for the reader), from an id or an actor {id, role}."""
        if not who:
            return "-"
        member_id, role = (who.get("id"), who.get("role")) if isinstance(who, dict) else (who, None)
        if member_id == "system" or role == "system":
            return "Sistem"
        if self.me and member_id == self.me.get("user_id"):
            return f"Anda ({self.me.get('full_name')})"
        found = next((m for m in self.team if m.get("user_id") == member_id), None)
        if found:
            return f"{found['full_name']} ({self.role(found.get('role'))})"
        return f"seorang {self.role(role).lower()}" if role else "anggota tim"


# The CLI's subcommand where it is not the API command's name with dashes (vocabulary.CASE_COMMANDS).
CLI_NAMES = {"forward_to_bkppd": "forward"}


def fetch(client: api.Client, me: dict | None = None) -> Words:
    """The server's words and the team's names; what cannot be had is left to the fallbacks."""
    words = Words(me=me)
    try:
        words.reference = client.get_json("/console/reference.json")
    except (api.ApiError, ValueError):
        pass
    try:
        words.team = client.get_json("/api/v1/team")
    except (api.ApiError, ValueError):
        pass  # a role that may not list the team reads people by their role
    return words
