"""Characters nobody means to send (every service's words, the one place for them).

Control characters and broken UTF-16 halves: PostgreSQL refuses NUL in text and JSONB, a lone
surrogate cannot even be encoded as UTF-8, and the others are invisible and only ever come
from a broken or hostile client. Line breaks and tabs belong in the texts that span several
lines, nowhere else.

Invisible formatting characters are refused too. Bidirectional overrides and isolates make
"gnp.exe" read as "exe.png" and a name read as another, in every text. Zero-width characters
make two names or handles that look the same compare different (a reported ASN filed twice,
an account named like another), so single-line texts refuse them; texts of several lines keep
them, since emoji are joined with them.

`PATTERNS` says the same as `problem` in the regular-expression language of an OpenAPI
document, so a published schema and the check that enforces it cannot disagree.
"""

from __future__ import annotations

import unicodedata

LINE_BREAKS_AND_TABS = frozenset("\n\r\t")
# Bidirectional embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width space, non-joiner, joiner, word joiner, and the byte-order mark (zero-width no-break space).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")

CONTROL_CHARACTER = "control_character"
INVISIBLE_CHARACTER = "invisible_character"

_C0_C1 = r"\u0000-\u001f\u007f-\u009f"
_C0_C1_BUT_LINES = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = r"\u200b-\u200d\u2060\ufeff"
# One character a text may hold, single-line or not (as a regular-expression class).
CHARACTER = {False: f"[^{_C0_C1}{_BIDI}{_ZERO_WIDTH}]", True: f"[^{_C0_C1_BUT_LINES}{_BIDI}]"}
PATTERNS = {multiline: f"^{char}*$" for multiline, char in CHARACTER.items()}
# A link to a post: http(s), a host name with a dot (or an IPv4 address), maybe a port, then anything
# but spaces, control and invisible characters. Lower-case scheme: what the portal and CLI send.
_LINK_CHARACTER = r"[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]"
LINK = (r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
        rf"(?::[0-9]{{1,5}})?(?:[/?#]{_LINK_CHARACTER}*)?")
WEB_ADDRESS = f"^{LINK}$"


def _control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def problem(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with `text` for storing and showing it: CONTROL_CHARACTER (NUL, an escape, a
    lone surrogate, a line break in a single-line text), INVISIBLE_CHARACTER, or None."""
    allowed = LINE_BREAKS_AND_TABS if multiline else frozenset()
    if any(_control(ch) and ch not in allowed for ch in text):
        return CONTROL_CHARACTER
    invisible = BIDI_CONTROLS if multiline else BIDI_CONTROLS | ZERO_WIDTH
    if any(ch in invisible for ch in text):
        return INVISIBLE_CHARACTER
    return None


def has_unwanted_characters(text: str, *, multiline: bool = False) -> bool:
    return problem(text, multiline=multiline) is not None


def clean_filename(name: str) -> str:
    """A file's name as a person would read it: no control, surrogate, bidi or zero-width characters."""
    return "".join(ch for ch in name if not _control(ch) and ch not in BIDI_CONTROLS | ZERO_WIDTH).strip()

