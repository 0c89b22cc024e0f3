"""Is this upload a plain PDF decree (SK) evidence may keep? Checked before anything is stored.

A decree is kept for years and opened by people on appeal, so evidence keeps only what a reader
shows and nothing it runs: the bytes must start as a PDF does, fit the size limit, open with a PDF
reader (pypdf, strict), hold at least one page, and hold no JavaScript, launch action, embedded
file or rich media anywhere a reader could reach. Names written with #xx escapes and objects
packed into object streams are seen as a reader sees them: the walk goes over pypdf's objects,
never over the raw bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAGIC = b"%PDF-"
# Keys and action types a reader acts on rather than shows.
ACTIVE_KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/Launch": "launch",
               "/EmbeddedFile": "embedded_file", "/EmbeddedFiles": "embedded_file", "/EF": "embedded_file",
               "/RichMedia": "rich_media", "/XFA": "javascript"}
ACTIVE_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/ImportData": "launch",
                  "/RichMediaExecute": "rich_media"}
MAX_OBJECTS = 200_000  # a decree has hundreds; more is a file built to wear the reader out

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are ours to judge


@dataclass(frozen=True)
class DecreeInspection:
    """What the inspection found: `refusal` is None for a decree evidence keeps."""

    refusal: str | None  # too_large, empty, not_pdf, unreadable_pdf, encrypted_pdf, active_content
    sha256: str
    size: int
    pages: int = 0
    found: str | None = None  # for active_content: what was found (javascript, launch, ...)


def _active_content(reader: PdfReader) -> str | None:
    """The first thing a reader would run or unpack, anywhere reachable from the trailer."""
    stack: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        count += 1
        if count > MAX_OBJECTS:
            return "too_many_objects"
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
                if key == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    return ACTIVE_ACTIONS[value]
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def inspect_decree(data: bytes, max_bytes: int) -> DecreeInspection:
    sha256, size = hashlib.sha256(data).hexdigest(), len(data)
    if size > max_bytes:
        return DecreeInspection("too_large", sha256, size)
    if not data:
        return DecreeInspection("empty", sha256, size)
    if not data.startswith(MAGIC):
        return DecreeInspection("not_pdf", sha256, size)
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            return DecreeInspection("encrypted_pdf", sha256, size)
        pages = len(reader.pages)
        if pages < 1:
            return DecreeInspection("unreadable_pdf", sha256, size)
        found = _active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            AssertionError, OSError):
        return DecreeInspection("unreadable_pdf", sha256, size)
    if found:
        return DecreeInspection("active_content", sha256, size, pages, found)
    return DecreeInspection(None, sha256, size, pages)
