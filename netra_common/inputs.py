"""What a request carries, read at the door once for every service.

The path, the query and the header values must be UTF-8 without control characters; a JSON body
must be UTF-8, valid JSON, of bounded size, depth and width, with numbers a database can hold and
strings it can store (no NUL, no broken UTF-16 halves). Whatever fails is refused with a 4xx that
names where it is, before any schema or database sees it; the schemas then judge the fields.
Multipart forms: netra_common/forms.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import unquote_to_bytes

from netra_common.errors import ApiError, PerLanguage

MAX_JSON_BYTES = 256 * 1024
MAX_DEPTH = 16  # our documents nest three levels; a hundred thousand `[` is an attack
MAX_MEMBERS = 200  # keys of one object
MAX_ITEMS = 1000  # items of one list
MAX_KEY_LENGTH = 100
LARGEST_INTEGER = 2**63 - 1  # PostgreSQL's bigint; each schema bounds its own fields tighter
MAX_QUERY_VALUE = 2000


class Problem(NamedTuple):
    path: str  # "reported.name", "post_urls.3", "" for the body as a whole
    code: str


WORDS: dict[str, dict[str, str]] = {
    "not_utf8": {"id": "bukan teks UTF-8 yang sah.", "en": "is not valid UTF-8 text."},
    "not_json": {"id": "bukan JSON yang sah.", "en": "is not valid JSON."},
    "too_deep": {"id": f"bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat).",
                 "en": f"is nested too deeply (at most {MAX_DEPTH} levels)."},
    "too_many_members": {"id": f"memuat terlalu banyak isian (paling banyak {MAX_MEMBERS}).",
                         "en": f"has too many members (at most {MAX_MEMBERS})."},
    "too_many_items": {"id": f"memuat terlalu banyak butir (paling banyak {MAX_ITEMS}).",
                       "en": f"has too many items (at most {MAX_ITEMS})."},
    "key_too_long": {"id": f"memuat nama isian yang terlalu panjang (paling banyak {MAX_KEY_LENGTH} karakter).",
                     "en": f"has a member name that is too long (at most {MAX_KEY_LENGTH} characters)."},
    "key_unreadable": {"id": "memuat nama isian dengan karakter NUL atau karakter rusak.",
                       "en": "has a member name with a NUL or broken character."},
    "duplicate_key": {"id": "disebut lebih dari sekali.", "en": "is given more than once."},
    "number_out_of_range": {"id": "berisi angka di luar batas yang dapat disimpan.",
                            "en": "holds a number beyond what can be stored."},
    "unstorable_text": {"id": "berisi karakter NUL atau karakter rusak yang tidak dapat disimpan; hapus karakter itu.",
                        "en": "contains a NUL or broken character that cannot be stored; remove it."},
    "required": {"id": "wajib diisi.", "en": "is required."},
}
BODY_LABEL = {"id": "Isi permintaan", "en": "The request body"}


def sentence(problem: Problem, lang: str) -> str:
    """'<where> <what>' in `lang`, for a problem no schema has a label for."""
    where = f"'{problem.path}'" if problem.path else BODY_LABEL[lang]
    return f"{where} {WORDS[problem.code][lang]}"


class UnreadableJson(ApiError):
    """A JSON body (or part) that cannot be read; `problems` name where. A service with its own shape
    for field errors re-words them; the default is [{field, code, message}]."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(400, "invalid_json", {
            "id": "Isi permintaan tidak dapat dibaca sebagai JSON.",
            "en": "The request body cannot be read as JSON."},
            details=PerLanguage({lang: [{"field": p.path or "body", "code": p.code, "message": sentence(p, lang)}
                                        for p in problems] for lang in ("id", "en")}))


def too_large(limit: int) -> ApiError:
    kib = limit // 1024
    return ApiError(413, "too_large", {"id": f"Isi permintaan terlalu besar (paling besar {kib} KB).",
                                       "en": f"The request body is too large (at most {kib} KB)."})


NOT_JSON_MEDIA = ApiError(415, "unsupported_media_type", {
    "id": "Isi permintaan harus JSON (Content-Type: application/json).",
    "en": "The request body must be JSON (Content-Type: application/json)."})


# --- JSON ----------------------------------------------------------------------------------


class _OutOfRange:
    """A number no column can hold (it never reaches a schema as a number)."""


class _Members(dict):
    """An object as read, remembering what was wrong with its members."""

    duplicates: tuple[str, ...] = ()
    too_many = False


def _members(pairs: list) -> _Members:
    members = _Members()
    if len(pairs) > MAX_MEMBERS:
        members.too_many = True
        return members
    duplicates = []
    for key, value in pairs:
        if key in members:
            duplicates.append(key)
        members[key] = value
    members.duplicates = tuple(duplicates)
    return members


def _integer(digits: str):
    # Python refuses ints of more than 4300 digits with a ValueError; a long one is out of range anyway.
    value = int(digits) if len(digits) <= 20 else None
    return value if value is not None and abs(value) <= LARGEST_INTEGER else _OutOfRange()


def _number(text: str):
    value = float(text)
    return value if math.isfinite(value) else _OutOfRange()


def _any_integer(digits: str):
    return int(digits) if len(digits) <= 4000 else _OutOfRange()


class _NotJson(ValueError):
    pass


def _constant(name: str):
    raise _NotJson(f"{name} is not JSON")  # NaN, Infinity: Python reads them, JSON has no such thing


def _unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _problems(document, stored: bool) -> Iterator[Problem]:
    stack = [("", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, _OutOfRange):
            yield Problem(path, "number_out_of_range")
        elif isinstance(value, str):
            if stored and _unstorable(value):
                yield Problem(path, "unstorable_text")
        elif isinstance(value, (dict, list)) and depth >= MAX_DEPTH:
            yield Problem(path, "too_deep")
        elif isinstance(value, _Members):
            yield from _member_problems(path, value, depth, stack, stored)
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                yield Problem(path, "too_many_items")
                continue
            stack.extend((_join(path, str(i)), item, depth + 1) for i, item in reversed(list(enumerate(value))))


def _member_problems(path: str, members: _Members, depth: int, stack: list, stored: bool) -> Iterator[Problem]:
    if members.too_many:
        yield Problem(path, "too_many_members")
        return
    for key in members.duplicates:
        yield Problem(_join(path, key), "duplicate_key")
    for key, value in reversed(members.items()):
        if stored and len(key) > MAX_KEY_LENGTH:
            yield Problem(path, "key_too_long")
        elif stored and _unstorable(key):
            yield Problem(path, "key_unreadable")
        else:
            stack.append((_join(path, key), value, depth + 1))


def parse(raw: bytes | str, *, stored: bool = True):
    """A JSON document read with the door's limits; UnreadableJson says what is wrong, and where.

    `stored`: its strings and numbers must fit a database (no NUL or lone surrogate, integers within
    bigint, short member names). A document that is only checked and never kept (a proof handed back
    for verification) may hold anything JSON can, within the limits of size, depth and width."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        document = json.loads(text, parse_int=_integer if stored else _any_integer, parse_float=_number,
                              parse_constant=_constant, object_pairs_hook=_members)
    except UnicodeDecodeError:
        raise UnreadableJson([Problem("", "not_utf8")]) from None
    except RecursionError:
        raise UnreadableJson([Problem("", "too_deep")]) from None
    except ValueError:
        raise UnreadableJson([Problem("", "not_json")]) from None
    problems = sorted(_problems(document, stored))
    if problems:
        raise UnreadableJson(problems)
    return document


def read_json(request, *, max_bytes: int = MAX_JSON_BYTES, stored: bool = True):
    """The request's JSON body, or None if it has none. 413 above `max_bytes`, 415 for a body that
    does not say it is JSON, UnreadableJson (400) for one that is not (`stored`: see parse)."""
    if (request.content_length or 0) > max_bytes:
        raise too_large(max_bytes)
    request.max_content_length = max_bytes  # a chunked body is cut off at the limit too
    data = request.get_data(cache=True)
    if not data:
        return None
    if request.mimetype != "application/json":
        raise NOT_JSON_MEDIA
    return parse(data, stored=stored)


# --- the address and the headers -----------------------------------------------------------


def _text_problem(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "not_utf8"
    return "control_character" if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in text) else None


ADDRESS_WORDS = {
    "not_utf8": {"id": "memuat byte yang bukan teks UTF-8 yang sah.", "en": "holds bytes that are not valid UTF-8."},
    "control_character": {"id": "memuat karakter kendali (mis. NUL) yang tidak diizinkan.",
                          "en": "holds a control character (such as NUL), which is not allowed."},
    "too_long": {"id": f"terlalu panjang (paling banyak {MAX_QUERY_VALUE} karakter).",
                 "en": f"is too long (at most {MAX_QUERY_VALUE} characters)."},
}
WHERE = {"path": {"id": "Alamat (path)", "en": "The path"},
         "query": {"id": "Parameter kueri '{0}'", "en": "Query parameter '{0}'"},
         "header": {"id": "Header '{0}'", "en": "Header '{0}'"}}


def _refused(where: str, name: str, code: str) -> ApiError:
    field = {"path": "path", "query": name, "header": name}[where]
    words = {lang: f"{WHERE[where][lang].format(name)} {ADDRESS_WORDS[code][lang]}" for lang in ("id", "en")}
    return ApiError(400, f"unreadable_{where}", words, details=PerLanguage({
        lang: [{"field": field, "code": code, "message": words[lang]}] for lang in ("id", "en")}))


def check_address(environ: dict) -> None:
    """The path, query and header values of a request as the server received them (WSGI: bytes as
    latin-1): UTF-8, no control characters, query values of bounded length; ApiError (400) if not."""
    path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    if problem := _text_problem(path):
        raise _refused("path", "", problem)
    for pair in environ.get("QUERY_STRING", "").encode("latin-1", "replace").split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name, value = unquote_to_bytes(raw_name.replace(b"+", b" ")), unquote_to_bytes(raw_value.replace(b"+", b" "))
        shown = name.decode("utf-8", "replace")[:40] if not _text_problem(name) else "?"
        if problem := _text_problem(name) or _text_problem(value):
            raise _refused("query", shown, problem)
        if len(value) > MAX_QUERY_VALUE * 4 or len(value.decode("utf-8")) > MAX_QUERY_VALUE:
            raise _refused("query", shown, "too_long")
    for key, value in environ.items():
        # Header values may be any visible character and tabs (RFC 9110), never a control character.
        if key.startswith("HTTP_") and any(ch < " " and ch != "\t" or ch == "\x7f" for ch in value):
            raise _refused("header", key[5:].replace("_", "-").title(), "control_character")
