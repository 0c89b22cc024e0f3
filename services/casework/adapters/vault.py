"""The identity vault (docs/decisions/0017): sealed boxes kept apart from the case log, and a
private key the server never holds unwrapped.

Intake seals each identity to the vault's public key, and wraps that box with the case's own key
(netra_common/keystore.py, decision 0037); every box sealed again here is wrapped with the same
key, so the purge that destroys it closes them all. The vault's private key exists only sealed
to each ketua's public key (a grant) and to the office's offline recovery key. A ketua approving a
disclosure opens it with their own private key (which only their session's token unwraps), opens
the identity and seals it again to the recipient's public key; the recipient opens that with
their own session. Nothing here is ever logged.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common import keystore
from services.casework.adapters import contact_withdrawal, member_keys
from services.casework.adapters.member_keys import b64, unb64
from services.casework.adapters.tables import disclosed_identities, sealed_identities, vault_grants, vault_keys
from services.casework.domain.errors import DomainError


class VaultClosed(DomainError):
    """This session holds no way into the vault (no grant, or no key in the session)."""

    code = "vault_closed"

    def __init__(self):
        super().__init__({"id": "Anda belum memegang kunci brankas identitas (belum diberi akses oleh ketua lain, "
                                "atau sesi ini dibuka sebelum kunci Anda ada). Masuk kembali; bila tetap ditolak, "
                                "minta ketua yang sudah memegangnya memberi Anda akses.",
                          "en": "You hold no key to the identity vault (no other ketua has granted it yet, or this "
                                "session began before your key existed). Log in again; if it is still refused, ask "
                                "a ketua who holds it to grant you access."})


class NotOpenableByYou(DomainError):
    """What was disclosed to the reader cannot be opened with this session's key."""

    code = "identity_not_openable"

    def __init__(self):
        super().__init__({"id": "Identitas ini tidak dapat dibuka dengan kunci Anda: sesi ini dibuka sebelum kunci "
                                "Anda ada, atau kunci Anda dibuat ulang sejak pengungkapan disetujui. Masuk kembali; "
                                "bila tetap ditolak, ajukan pengungkapan baru.",
                          "en": "This identity cannot be opened with your key: this session began before your key "
                                "existed, or your key was made anew since the disclosure was approved. Log in again; "
                                "if it is still refused, ask for a new disclosure."})


class RecipientHasNoKey(DomainError):
    code = "recipient_has_no_key"

    def __init__(self):
        super().__init__({"id": "Penerima belum punya kunci pribadi (akunnya didaftarkan sebelum brankas memakai "
                                "kunci anggota). Minta penerima masuk sekali, lalu setujui lagi.",
                          "en": "The recipient has no private key yet (their account was enrolled before the vault "
                                "used members' keys). Ask them to log in once, then approve again."},
                         field="recipient_id")


class IdentityDestroyed(DomainError):
    """The case key that wrapped this identity was destroyed by the case's purge (decision 0037)."""

    code = "identity_destroyed"

    def __init__(self):
        super().__init__({"id": "Identitas pelapor sudah dimusnahkan (masa simpan berakhir): kunci kasusnya telah "
                                "dihapus, sehingga tidak ada kunci yang dapat membukanya lagi. (Pada sistem yang baru "
                                "dipulihkan: kunci kasus belum dipulihkan dari cadangan kunci.)",
                          "en": "The reporter's identity has been destroyed (its retention period ended): its case "
                                "key was deleted, so no key can open it any more. (On a system just restored: the "
                                "case keys have not been restored from their backup yet.)"})


class VaultNotReady(DomainError):
    code = "vault_not_ready"

    def __init__(self):
        super().__init__({"id": "Brankas identitas belum disiapkan di server (netra-casework vault-init).",
                          "en": "The identity vault is not set up on the server yet (netra-casework vault-init)."})


def keep_sealed_identity(conn, case_id: uuid.UUID, sealed_identity: str) -> None:
    conn.execute(pg_insert(sealed_identities)
                 .values(case_id=case_id, sealed_identity=sealed_identity)
                 .on_conflict_do_nothing())


def _inner(conn, stored: str) -> bytes:
    """A stored box without its case key's wrapping (decision 0037)."""
    try:
        return unb64(keystore.open_text(conn, stored))
    except keystore.KeyDestroyed:
        raise IdentityDestroyed() from None


def _wrapped_like(conn, stored: str, box: str) -> str:
    """A box sealed again from `stored`, wrapped with the same case key so the purge closes it too:
    the recipient's and the vault's keys outlive the case."""
    try:
        return keystore.wrap_like(conn, stored, box)
    except keystore.KeyDestroyed:
        raise IdentityDestroyed() from None


def seal_to(public_key_b64: str, secret: bytes) -> str:
    return b64(SealedBox(PublicKey(unb64(public_key_b64))).encrypt(secret))


def public_key(conn) -> str | None:
    return conn.execute(select(vault_keys.c.public_key)).scalar_one_or_none()


# --- the vault key pair and its grants -------------------------------------------------------


@dataclass(frozen=True)
class NewVault:
    public_key: str
    recovery_private_key: str  # shown once, kept offline; never stored here


def create(conn, first_ketua: uuid.UUID, recovery_public_key: str | None = None,
           existing: PrivateKey | None = None) -> NewVault:
    """The vault's key pair, made here (or the one an older installation kept in its environment,
    `existing`) and never stored unwrapped: sealed to the recovery key (a new one unless the office
    made its own offline) and granted to the first ketua."""
    if public_key(conn) is not None:
        raise ValueError("the vault exists already")
    ketua_key = member_keys.public_key_of(conn, first_ketua)
    if ketua_key is None:
        raise ValueError("the first ketua has no key pair yet")
    vault = existing or PrivateKey.generate()
    recovery = None
    if recovery_public_key is None:
        recovery = PrivateKey.generate()
        recovery_public_key = b64(bytes(recovery.public_key))
    conn.execute(vault_keys.insert().values(id=1, public_key=b64(bytes(vault.public_key)),
                                            recovery_public_key=recovery_public_key,
                                            sealed_for_recovery=seal_to(recovery_public_key, bytes(vault))))
    _grant(conn, first_ketua, ketua_key, vault, None, "init")
    return NewVault(b64(bytes(vault.public_key)), b64(bytes(recovery)) if recovery else "")


def _grant(conn, user_id: uuid.UUID, member_public_key: str, vault: PrivateKey, granted_by: uuid.UUID | None,
           how: str) -> None:
    values = {"sealed_vault_key": seal_to(member_public_key, bytes(vault)), "granted_by": granted_by, "how": how}
    conn.execute(pg_insert(vault_grants).values(user_id=user_id, **values)
                 .on_conflict_do_update(index_elements=[vault_grants.c.user_id], set_=values))


def has_grant(conn, user_id: uuid.UUID) -> bool:
    return conn.execute(select(vault_grants.c.user_id).where(vault_grants.c.user_id == user_id)).first() is not None


def holders(conn) -> list[uuid.UUID]:
    return list(conn.execute(select(vault_grants.c.user_id)).scalars())


def _open_vault_key(conn, user_id: uuid.UUID, member_private: PrivateKey | None) -> PrivateKey:
    sealed = conn.execute(select(vault_grants.c.sealed_vault_key)
                          .where(vault_grants.c.user_id == user_id)).scalar_one_or_none()
    if sealed is None or member_private is None:
        raise VaultClosed()
    try:
        return PrivateKey(SealedBox(member_private).decrypt(unb64(sealed)))
    except CryptoError:
        raise VaultClosed() from None  # a grant sealed to an older key pair of this member


def grant(conn, granter_id: uuid.UUID, granter_private: PrivateKey | None, user_id: uuid.UUID) -> None:
    """A ketua who holds the vault gives it to another ketua's public key."""
    vault = _open_vault_key(conn, granter_id, granter_private)
    target = member_keys.public_key_of(conn, user_id)
    if target is None:
        raise RecipientHasNoKey()
    _grant(conn, user_id, target, vault, granter_id, "ketua")


def recover(conn, recovery_private_key_b64: str, user_id: uuid.UUID) -> None:
    """The offline recovery key opens the vault's key, which is granted to the ketua again."""
    if (sealed := conn.execute(select(vault_keys.c.sealed_for_recovery)).scalar_one_or_none()) is None:
        raise VaultNotReady()
    vault = PrivateKey(SealedBox(PrivateKey(unb64(recovery_private_key_b64))).decrypt(unb64(sealed)))
    target = member_keys.public_key_of(conn, user_id)
    if target is None:
        raise RecipientHasNoKey()
    _grant(conn, user_id, target, vault, None, "recovery")


def revoke(conn, user_id: uuid.UUID) -> bool:
    """The member's grant, and identities disclosed to them, are gone; whether there was a grant."""
    conn.execute(delete(disclosed_identities).where(disclosed_identities.c.recipient_id == user_id))
    return conn.execute(delete(vault_grants).where(vault_grants.c.user_id == user_id)).rowcount > 0


# --- a disclosure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionVault:
    """One member's way into the vault for one request: their session's token."""

    token: str
    user_id: uuid.UUID

    def reseal(self, conn, case_id: uuid.UUID, request_id: str, recipient_id: uuid.UUID) -> None:
        """Approving: the identity, opened with the vault's key, sealed again to the recipient alone."""
        recipient_key = member_keys.public_key_of(conn, recipient_id)
        if recipient_key is None:
            raise RecipientHasNoKey()
        vault = _open_vault_key(conn, self.user_id, member_keys.from_session(conn, self.token))
        sealed = conn.execute(select(sealed_identities.c.sealed_identity)
                              .where(sealed_identities.c.case_id == case_id)).scalar_one_or_none()
        if sealed is None:
            raise IdentityDestroyed()  # only a purge removes a case's box once kept
        identity = SealedBox(vault).decrypt(_inner(conn, sealed))
        if contact_withdrawal.erased_at(conn, case_id) is not None:
            # The reporter erased their contact (decision 0034): now that the box is open, the vault's
            # own copy is sealed again without it, and the recipient never receives it.
            identity = _json(contact_withdrawal.without_contact(json.loads(identity)))
            conn.execute(update(sealed_identities).where(sealed_identities.c.case_id == case_id)
                         .values(sealed_identity=_wrapped_like(conn, sealed,
                                                               seal_to(b64(bytes(vault.public_key)), identity))))
        values = {"case_id": case_id, "recipient_id": recipient_id,
                  "sealed_identity": _wrapped_like(conn, sealed, seal_to(recipient_key, identity))}
        conn.execute(pg_insert(disclosed_identities).values(request_id=request_id, **values)
                     .on_conflict_do_update(index_elements=[disclosed_identities.c.request_id], set_=values))

    def open(self, conn, request_id: str) -> dict:
        """Reading: the recipient's own private key (from their session) opens what was sealed to them."""
        found = conn.execute(select(disclosed_identities.c.sealed_identity, disclosed_identities.c.case_id).where(
            disclosed_identities.c.request_id == request_id,
            disclosed_identities.c.recipient_id == self.user_id)).first()
        private = member_keys.from_session(conn, self.token)
        if found is None or private is None:
            raise NotOpenableByYou()
        try:
            identity = json.loads(SealedBox(private).decrypt(_inner(conn, found.sealed_identity)))
        except CryptoError:
            raise NotOpenableByYou() from None
        if contact_withdrawal.erased_at(conn, found.case_id) is not None and (
                stripped := contact_withdrawal.without_contact(identity)) != identity:
            # Disclosed before the reporter erased their contact (decision 0034): never shown again,
            # and the reader's copy is sealed again to them without it.
            identity = stripped
            conn.execute(update(disclosed_identities).where(disclosed_identities.c.request_id == request_id)
                         .values(sealed_identity=_wrapped_like(
                             conn, found.sealed_identity, seal_to(b64(bytes(private.public_key)), _json(identity)))))
        return identity


def _json(identity: dict) -> bytes:
    return json.dumps(identity, ensure_ascii=False, separators=(",", ":")).encode()
