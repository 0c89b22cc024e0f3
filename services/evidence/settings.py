"""evidence's settings from its config: buckets, keyring, retention, the grant key."""

from __future__ import annotations

from datetime import timedelta

from services.evidence.adapters.crypto import Keyring
from services.evidence.usecases import Settings


def from_config(config: dict) -> Settings:
    return Settings(
        quarantine=config["NETRA_BUCKET_QUARANTINE"],
        evidence=config["NETRA_BUCKET_EVIDENCE"],
        derivatives=config["NETRA_BUCKET_DERIVATIVES"],
        keyring=Keyring.parse(str(config.get("NETRA_EVIDENCE_MASTER_KEYS") or ""),
                              str(config.get("NETRA_EVIDENCE_ACTIVE_KEY_ID") or "")),
        retention=timedelta(days=float(config["NETRA_EVIDENCE_RETENTION_DAYS"])),
    )
