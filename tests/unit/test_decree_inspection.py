"""A decree (SK) BKPPD uploads is kept only as a plain PDF: the right first bytes, within the size
limit, readable by a PDF reader, with pages, and nothing a reader would run or unpack."""

from __future__ import annotations

import hashlib

import pytest

from services.evidence.domain.decree_pdf import inspect_decree
from tests.support import decrees

LIMIT = 10 * 1024 * 1024


def test_a_plain_decree_is_kept_with_its_hash_size_and_pages():
    data = decrees.plain_decree(pages=3)
    found = inspect_decree(data, LIMIT)
    assert (found.refusal, found.sha256, found.size, found.pages) == (
        None, hashlib.sha256(data).hexdigest(), len(data), 3)


@pytest.mark.parametrize(("made", "refusal", "what"), [
    (decrees.not_a_pdf, "not_pdf", None),
    (decrees.truncated, "unreadable_pdf", None),
    (decrees.encrypted, "encrypted_pdf", None),
    (decrees.with_javascript, "active_content", "javascript"),
    (decrees.with_attachment, "active_content", "embedded_file"),
    (lambda: b"", "empty", None),
])
def test_what_is_not_a_plain_pdf_is_refused_for_what_it_is(made, refusal, what):
    found = inspect_decree(made(), LIMIT)
    assert (found.refusal, found.found) == (refusal, what)


def test_a_decree_over_the_limit_is_refused_before_it_is_read():
    data = decrees.plain_decree()
    assert inspect_decree(data, len(data) - 1).refusal == "too_large"
    assert inspect_decree(data, len(data)).refusal is None


def test_pdf_bytes_hidden_after_other_bytes_are_not_a_pdf():
    assert inspect_decree(b"GIF89a" + decrees.plain_decree(), LIMIT).refusal == "not_pdf"
