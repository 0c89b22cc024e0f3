"""The session file: where `netra login` keeps the bearer token between commands.

The token opens the case files, so the file is readable by its owner only (0600, in a 0700
directory) and is written atomically: a crash never leaves half a token or a looser copy behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_PATH = Path("~/.config/netra/session.json")
FILE_MODE = 0o600
DIR_MODE = 0o700


class NotLoggedIn(Exception):
    """No usable session: absent, expired, unreadable or for another server."""


def session_path(explicit: str | None = None) -> Path:
    """The session file: `explicit`, else env NETRA_SESSION_FILE, else ~/.config/netra/session.json."""
    chosen = explicit or os.environ.get("NETRA_SESSION_FILE") or str(DEFAULT_PATH)
    return Path(chosen).expanduser()


def save(path: Path, session: dict) -> None:
    """Write the session {url, token, expires_at, user} with mode 0600 (directory 0700)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=DIR_MODE, parents=True)
        # mkdir's mode passes through the umask; a directory someone else chose is left alone.
        os.chmod(path.parent, DIR_MODE)
    handle, temporary = tempfile.mkstemp(prefix=".session-", dir=path.parent)  # mkstemp creates 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(session, out, ensure_ascii=False, indent=2)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path, url: str, now: datetime | None = None) -> dict:
    """The stored session for `url`, or NotLoggedIn saying why and what to run."""
    try:
        session = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotLoggedIn("Anda belum masuk. Jalankan `netra login`.") from None
    except (OSError, ValueError):
        raise NotLoggedIn(f"Berkas sesi {path} tidak dapat dibaca. Jalankan `netra login` lagi.") from None
    if not isinstance(session, dict) or not session.get("token"):
        raise NotLoggedIn(f"Berkas sesi {path} tidak berisi token. Jalankan `netra login` lagi.")
    if session.get("url", "").rstrip("/") != url.rstrip("/"):
        raise NotLoggedIn(f"Sesi tersimpan untuk server {session.get('url')}, bukan {url}. "
                          "Jalankan `netra login` untuk server ini.")
    if expired(session, now):
        raise NotLoggedIn("Sesi Anda sudah kedaluwarsa. Jalankan `netra login` lagi.")
    return session


def expired(session: dict, now: datetime | None = None) -> bool:
    """Whether the session's expires_at has passed (a session without a readable time counts as expired)."""
    try:
        until = datetime.fromisoformat(str(session.get("expires_at")))
    except ValueError:
        return True
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    return until <= (now or datetime.now(UTC))


def delete(path: Path) -> bool:
    """Remove the session file; whether there was one."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
