"""The identity vault's key as the office alone can reach it: the offline recovery key (the
development stack keeps it in .netra/vault-recovery.key) opens the copy sealed for recovery.
For tests that must show a box holds what was sealed (docs/decisions/0017)."""

from __future__ import annotations

import base64

from nacl.public import PrivateKey, SealedBox
from sqlalchemy import text


def recovery_key(stack) -> PrivateKey:
    return PrivateKey(base64.b64decode(stack.recovery_key_file.read_text().strip()))


def vault_key_by_recovery(stack, engine) -> PrivateKey:
    with engine.connect() as conn:
        sealed = conn.execute(text("SELECT sealed_for_recovery FROM casework.vault_keys")).scalar_one()
    return PrivateKey(SealedBox(recovery_key(stack)).decrypt(base64.b64decode(sealed)))
