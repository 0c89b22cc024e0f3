"""The identity vault: sealed boxes kept apart from the case log, and the only private key.

Opening happens in one place (`Vault.open`), called only by the disclosure reading,
which the domain allows for the named recipient within an approved time.
"""

from __future__ import annotations

import base64
import json
import uuid

from nacl.public import PrivateKey, SealedBox
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.casework.adapters.tables import sealed_identities


def keep_sealed_identity(conn, case_id: uuid.UUID, sealed_identity: str) -> None:
    conn.execute(pg_insert(sealed_identities)
                 .values(case_id=case_id, sealed_identity=sealed_identity)
                 .on_conflict_do_nothing())


class Vault:
    def __init__(self, private_key_b64: str):
        if not private_key_b64:
            raise ValueError("NETRA_VAULT_PRIVATE_KEY is not set; the vault cannot open identities")
        self._box = SealedBox(PrivateKey(base64.b64decode(private_key_b64)))

    def open(self, conn, case_id: uuid.UUID) -> dict:
        sealed = conn.execute(select(sealed_identities.c.sealed_identity)
                              .where(sealed_identities.c.case_id == case_id)).scalar_one()
        return json.loads(self._box.decrypt(base64.b64decode(sealed)))
