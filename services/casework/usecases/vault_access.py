"""Who holds the identity vault (docs/decisions/0017): the server's operator sets it up for the
first ketua, a ketua who holds it grants it to another active ketua, and the office's offline
recovery key grants it again when no ketua can. Each is an account event: in the audit log and in
every ketua's mail (usecases/account_management.announce)."""

from __future__ import annotations

from nacl.public import PrivateKey

from services.casework.adapters import accounts, member_keys, vault
from services.casework.adapters.account_audit import Actor
from services.casework.domain import accounts as rules
from services.casework.domain.accounts import ACTIVE, TeamMember
from services.casework.usecases.account_management import AccountNotFound, announce


class NotAnActiveKetua(rules.AccountRefused):
    code = "not_an_active_ketua"

    def __init__(self):
        super().__init__({"id": "Akses brankas identitas hanya untuk ketua yang aktif (terdaftar dan dikonfirmasi "
                                "ketua lain).",
                          "en": "The identity vault is only for an active ketua (enrolled and confirmed)."},
                         field="user_id")


def _active_ketua(conn, user_id) -> TeamMember:
    accounts.lock_accounts(conn)
    member = accounts.find_member(conn, user_id, lock=True)
    if member is None:
        raise AccountNotFound(user_id)
    if member.role != "ketua" or member.state != ACTIVE:
        raise NotAnActiveKetua()
    return member


def grant(db, ketua: TeamMember, token: str, user_id) -> TeamMember:
    """A ketua holding the vault, logged in, grants it to another active ketua."""
    with db.unit_of_work() as uow:
        conn = uow.connection
        if ketua.user_id == user_id:
            raise rules.OwnAccount("memberi akses brankas kepada", "grant the vault to")
        target = _active_ketua(conn, user_id)
        vault.grant(conn, ketua.user_id, member_keys.from_session(conn, token), target.user_id)
        announce(uow, Actor.member(ketua), "vault_granted", target)
    return target


def init(uow, username: str, operator: str, recovery_public_key: str | None,
         existing: PrivateKey | None = None) -> vault.NewVault:
    """The vault's key pair, made on the server for its first ketua (who must have a key pair)."""
    conn = uow.connection
    row = accounts.find_by_username(conn, username)
    if row is None:
        raise AccountNotFound(username)
    ketua = _active_ketua(conn, row.user_id)
    made = vault.create(conn, ketua.user_id, recovery_public_key, existing)
    announce(uow, Actor.server(operator), "vault_init", ketua, {"vault_public_key": made.public_key})
    return made


def recover(uow, username: str, operator: str, recovery_private_key: str) -> TeamMember:
    """The offline recovery key grants the vault to an active ketua again: told to every ketua."""
    conn = uow.connection
    row = accounts.find_by_username(conn, username)
    if row is None:
        raise AccountNotFound(username)
    ketua = _active_ketua(conn, row.user_id)
    vault.recover(conn, recovery_private_key, ketua.user_id)
    announce(uow, Actor.server(operator), "vault_recovered", ketua)
    return ketua
