"""evidence's settings from its config: buckets, keyring, retention, grants, quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from netra_common.contracts.decrees import DEFAULT_MAX_BYTES
from netra_common.contracts.quarantine import Opener
from services.evidence.adapters.crypto import Keyring
from services.evidence.domain.grant_policy import GrantPolicy
from services.evidence.domain.quarantine import check_grace


@dataclass(frozen=True)
class Settings:
    quarantine: str
    evidence: str
    derivatives: str
    keyring: Keyring
    quarantine_keys: Opener  # opens what intake sealed into quarantine
    retention: timedelta
    grants: GrantPolicy
    quarantine_grace: timedelta  # how long an upload evidence knows nothing of is kept
    image_slots: int  # images decoded and re-encoded at once in one process
    put_grace: timedelta  # how long an attempt may take between its intent to put and its commit
    decree_max_bytes: int = DEFAULT_MAX_BYTES  # the largest decree (SK) PDF kept
    # How much longer a legal hold locks an original where the store has no S3 legal hold (issue 18).
    hold_extension: timedelta = timedelta(days=365)


def from_config(config: dict) -> Settings:
    slots = int(config["NETRA_EVIDENCE_IMAGE_SLOTS"])
    if slots < 1:
        raise ValueError("NETRA_EVIDENCE_IMAGE_SLOTS must be at least 1")
    return Settings(
        quarantine=config["NETRA_BUCKET_QUARANTINE"],
        evidence=config["NETRA_BUCKET_EVIDENCE"],
        derivatives=config["NETRA_BUCKET_DERIVATIVES"],
        keyring=Keyring.parse(str(config.get("NETRA_EVIDENCE_MASTER_KEYS") or ""),
                              str(config.get("NETRA_EVIDENCE_ACTIVE_KEY_ID") or "")),
        quarantine_keys=Opener.parse(str(config.get("NETRA_QUARANTINE_PRIVATE_KEYS") or "")),
        retention=timedelta(days=float(config["NETRA_EVIDENCE_RETENTION_DAYS"])),
        grants=GrantPolicy.parse(config["NETRA_EVIDENCE_ORIGINAL_ROLES"],
                                 config["NETRA_GRANT_MAX_LIFETIME_SECONDS"]),
        quarantine_grace=check_grace(timedelta(hours=float(config["NETRA_QUARANTINE_GRACE_HOURS"]))),
        image_slots=slots,
        put_grace=timedelta(seconds=float(config["NETRA_EVIDENCE_PUT_GRACE_SECONDS"])),
        decree_max_bytes=int(config.get("NETRA_DECREE_MAX_BYTES") or DEFAULT_MAX_BYTES),
        hold_extension=timedelta(days=float(config.get("NETRA_EVIDENCE_HOLD_EXTENSION_DAYS") or 365)),
    )
