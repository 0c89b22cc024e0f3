"""Multipart forms as every service reads them: a text part with bytes that are not UTF-8 keeps them
visible (as lone surrogates, which every check of a text refuses by name) instead of werkzeug's
silent U+FFFD, and a form that cannot be parsed at all is refused in words, not read as empty."""

from __future__ import annotations

import codecs

from werkzeug.formparser import FormDataParser, MultiPartParser

from netra_common.errors import ApiError

UNREADABLE_FORM = ApiError(400, "invalid_form", {
    "id": "Formulir (multipart/form-data) tidak dapat dibaca.",
    "en": "The form (multipart/form-data) cannot be read."})
_VISIBLE_ERRORS = "netra-utf-8-visible-errors"


def _find_codec(name: str):
    if name.replace("_", "-") != _VISIBLE_ERRORS:
        return None
    utf8 = codecs.lookup("utf-8")

    def decode(data, errors="strict"):
        # werkzeug asks for "replace", which would hide broken bytes as U+FFFD.
        return codecs.utf_8_decode(data, "surrogateescape", True)

    return codecs.CodecInfo(utf8.encode, decode, name=_VISIBLE_ERRORS)


codecs.register(_find_codec)


class _VisibleErrorsMultiPart(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        return _VISIBLE_ERRORS


class FormParser(FormDataParser):
    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _VisibleErrorsMultiPart(stream_factory=self.stream_factory, cls=self.cls,
                                         max_form_memory_size=self.max_form_memory_size,
                                         max_form_parts=self.max_form_parts)
        boundary = options.get("boundary", "").encode("ascii", "replace")
        if not boundary:
            raise UNREADABLE_FORM
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except ValueError:
            raise UNREADABLE_FORM from None
        return stream, form, files
