"""Errors users see. Each carries a Chinese message and an English one (for --json output)."""
from __future__ import annotations


class RongZhiError(Exception):
    """Base class: ``str(err)`` is the Chinese message, ``err.en`` the English one."""

    exit_code = 2

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh = zh
        self.en = en

    def as_dict(self) -> dict:
        return {"error": self.zh, "error_en": self.en, "type": type(self).__name__}


class DocumentError(RongZhiError):
    """A document could not be read (format, encoding, size, path)."""


class IndexMissing(RongZhiError):
    """No usable index yet, or it is corrupt / from another version."""


class IngestBusy(RongZhiError):
    """Another ingest holds the lock."""


class QuestionError(RongZhiError):
    """A question that cannot be answered as given (empty, too long, no text)."""


class UnknownValue(RongZhiError):
    """An option names something that does not exist (a --kind, a --doc); the message lists
    the valid values."""
