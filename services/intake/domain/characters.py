"""Characters a reporter cannot mean to send: control characters and broken UTF-16 halves.

PostgreSQL refuses NUL in text and JSONB, and a lone surrogate cannot even be encoded
as UTF-8; the others are invisible and only ever come from a broken or hostile client.
Line breaks and tabs belong in the texts that span several lines, nowhere else.
"""

from __future__ import annotations

import unicodedata

LINE_BREAKS_AND_TABS = frozenset("\n\r\t")
# Bidirectional overrides and isolates: they make "gnp.exe" read as "exe.png".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unwanted(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def has_unwanted_characters(text: str, *, multiline: bool = False) -> bool:
    allowed = LINE_BREAKS_AND_TABS if multiline else frozenset()
    return any(_unwanted(ch) and ch not in allowed for ch in text)


def clean_filename(name: str) -> str:
    """A file's name as a person would read it: no control, surrogate or bidi characters."""
    return "".join(ch for ch in name if not _unwanted(ch) and ch not in BIDI_CONTROLS).strip()
