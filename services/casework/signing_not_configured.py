"""The one exception for a signature casework cannot make because its operator has not given it the
key or certificate (the dossier's seal, the office's PDF certificate, the log's checkpoint key).

It is the operator's problem, not the caller's and not a bug: the error table (api/api_errors.py)
answers it 503 naming the setting to fill, and logs it once per setting. It is a ValueError so the
places that already treat a bad setting as one (casework refusing to start without its checkpoint
key) keep doing so.
"""

from __future__ import annotations


class SigningNotConfigured(ValueError):
    def __init__(self, setting: str, what: str, unreadable: str = ""):
        """`setting` names what the operator must set; `unreadable` the files it names that cannot be
        read (for the log only: the caller is not told the server's paths)."""
        problem = f"names files that cannot be read ({unreadable})" if unreadable else "is not set"
        super().__init__(f"{setting} {problem}; casework cannot sign {what}")
        self.setting = setting
        self.what = what
        self.unreadable = bool(unreadable)
