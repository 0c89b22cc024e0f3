"""The roles of Netra's accounts, and the groups of them the rules name."""

from __future__ import annotations

TEAM = ("ketua", "sekretaris", "anggota")
LEADS = ("ketua", "sekretaris")
ROLES = ("ketua", "sekretaris", "anggota", "bkppd", "admin")
