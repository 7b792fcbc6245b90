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

    def as_text(self) -> str:
        """The two lines a user reads on stderr (``rongzhi`` and ``python ui.py`` alike): Chinese, then English."""
        return f"错误：{self.zh}\nError: {self.en}"


class DocumentError(RongZhiError):
    """A document could not be read (format, encoding, size, path)."""


def read_utf8_file(path, what: str, what_en: str) -> str:
    """The text of a file the user names on the command line (``ask --batch``, ``eval --questions``),
    read before any model loads so a wrong file fails fast, and failing alike for every such file:
    missing, or not UTF-8 (a BOM is allowed). ``what`` / ``what_en`` name the kind of file."""
    from pathlib import Path

    file = Path(path)
    if file.is_dir():  # 「找不到」 a folder that is there sent a user looking for a typo
        raise DocumentError(f"{what}应是一个文件，而 {path} 是目录：请给出目录里那个文件的路径。",
                            f"the {what_en} must be a file; {path} is a directory: give the path of the file in it")
    if not file.is_file():
        raise DocumentError(f"找不到{what}：{path}", f"{what_en} not found: {path}")
    try:
        return file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{what}不是 UTF-8 编码（第 {exc.start} 字节）：{path}。请另存为 UTF-8 后再试。",
                            f"the {what_en} is not UTF-8 (byte {exc.start}): {path}; save it as UTF-8") from None


class IndexMissing(RongZhiError):
    """No usable index yet, or it is corrupt / from another version."""


class IngestBusy(RongZhiError):
    """Another ingest holds the lock."""


class QuestionError(RongZhiError):
    """A question that cannot be answered as given (empty, too long, no text)."""


class UnknownValue(RongZhiError):
    """An option names something that does not exist (a --kind, a --doc); the message lists
    the valid values."""


class SettingsError(UnknownValue):
    """A ``RONGZHI_*`` environment variable (or the option that overrides it) has a value RongZhi
    cannot use: the message names the variable, the value (never a secret's) and what is accepted.
    Settings are read in the ``rongzhi`` group's callback, before any command's error handling
    (``cli.handles_errors``); the group itself (``cli._Group.main``) reports it the same way: one
    Chinese line and one English line, exit code 2, JSON with ``--json`` — not a traceback."""
