"""The error every door answers with: a status, a stable code, words in Bahasa Indonesia and English."""

from __future__ import annotations


class ApiError(Exception):
    """An error the caller can act on. `message` is {"id": ..., "en": ...}; `details` is anything
    JSON, or a PerLanguage of it when it holds words too."""

    def __init__(self, status: int, code: str, message: dict[str, str], details=None,
                 headers: dict | None = None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


class PerLanguage(dict):
    """A value in each language ({"id": ..., "en": ...}); an answer carries the reader's."""

    def in_language(self, lang: str):
        return self.get(lang, self.get("id"))
