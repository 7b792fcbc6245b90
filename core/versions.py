"""Which version of a text is law on a given day.

A document version has a promulgation date (``version_date``), an optional effective date
(``effective_date``; blank means the version date is when it starts) and ``superseded_on``: the
start date of the next version of the same title, computed at ingest from all loaded versions. A
document that sets its own term (the plan: 有效期至2025年6月30日) has ``expires_on``, its last day:
after it the text is *expired* — still the record of what it said, quoted with that status, but
not current policy (nothing loaded replaces it, so it keeps answering).
The status is never stored: it depends on the as-of date the user asks about, so every stage
(ingest report, filters, citations, UI) computes it here, with one function.
"""
from __future__ import annotations

import datetime as _dt
import re

from .errors import RongZhiError

IN_FORCE = "in_force"
SUPERSEDED = "superseded"
NOT_YET_IN_FORCE = "not_yet_in_force"
NOT_LOADED = "not_loaded"
EXPIRED = "expired"
STATUSES = (IN_FORCE, SUPERSEDED, NOT_YET_IN_FORCE, EXPIRED, NOT_LOADED)
FOREVER = 99991231  # "until" of a version nothing has replaced
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# How a text writes a day of its own (2027年12月31日), full-width digits and spaces as printed. One reader
# for ingest (what an added file says of itself) and for answers (the plan's own term in a note).
DATE_WORDS = r"([0-9０-９]{4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日"
# The last day of a document's own term: 「有效期至2025年6月30日」.
OWN_TERM = re.compile(r"有效期至\s*" + DATE_WORDS)
# ０-９ read as 0-9: a pasted text may print its dates and numbers full-width.
FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def written_day(match: re.Match) -> str | None:
    """The ISO day of a match ending in ``DATE_WORDS``' three groups; None when it is no calendar day."""
    y, m, d = (int(g.translate(FULL_WIDTH_DIGITS)) for g in match.groups()[-3:])
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def written_day_words(match: re.Match) -> str:
    """The day of such a match as the text words it, spaces dropped, half-width digits (2025年6月30日)."""
    return re.sub(r"\s+", "", match.string[match.start(match.re.groups - 2):match.end()]).translate(FULL_WIDTH_DIGITS)


class DateError(RongZhiError):
    """A date given by the user (``--as-of``, ``--date``, ``--effective-date``) is not YYYY-MM-DD."""


def today() -> str:
    return _dt.date.today().isoformat()


def check_date(value: str, what: str = "日期", partial: bool = False, what_en: str = "date") -> str:
    """``value`` stripped, or DateError. ``partial`` also accepts YYYY and YYYY-MM (the plan's
    version date is 2022-09)."""
    value = (value or "").strip()
    match = _DATE.match(value)
    ok = bool(match) and (partial or match.group(3) is not None)
    if ok:
        try:
            _dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
        except ValueError:  # written right, but no such day (2026-02-30, 2026-13-45): saying "format" misleads
            raise DateError(f"{what}不存在：{value!r} 不是日历上的日期，请检查月份和日子，例如 2026-11-25。",
                            f"no such {what_en} {value!r}: check the month and the day, e.g. 2026-11-25") from None
    if not ok:
        raise DateError(f"{what}格式不对：{value!r}，应为 YYYY-MM-DD，例如 2026-11-25。",
                        f"bad {what_en} {value!r}: expected YYYY-MM-DD, e.g. 2026-11-25")
    return value


def as_of_date(value: str | None = None) -> str:
    """The as-of date to use: ``value`` when given (validated), else today."""
    return check_date(value, "as-of 日期", what_en="as-of date") if value else today()


def date_int(value: str, default: int = 0) -> int:
    """'2019-11-01' -> 20191101; '2022-09' -> 20220901; '' -> ``default``. Chroma compares numbers,
    not strings, so the vector store keeps dates in this form."""
    match = _DATE.match((value or "").strip())
    if not match:
        return default
    return int(match.group(1)) * 10000 + int(match.group(2) or 1) * 100 + int(match.group(3) or 1)


def start_date(version_date: str, effective_date: str = "") -> str:
    """When a version starts to apply: its effective date, else its version date."""
    return (effective_date or "").strip() or (version_date or "").strip()


def status_on(version_date: str, effective_date: str, superseded_on: str, as_of: str | None = None,
              loaded: bool = True, expires_on: str = "") -> str:
    """The status code of a version on ``as_of`` (default today)."""
    if not loaded:
        return NOT_LOADED
    day = date_int(as_of or today())
    if date_int(start_date(version_date, effective_date)) > day:
        return NOT_YET_IN_FORCE
    if superseded_on and date_int(superseded_on) <= day:
        return SUPERSEDED
    if expires_on and date_int(expires_on) < day:
        return EXPIRED
    return IN_FORCE


# Status labels in the asker's language (Traditional is derived from the Chinese by conversion).
_LABELS = {
    "zh": {"repealed": "已失效（{on} 起由{by}取代）", "amended": "已被修订（{on} 起由新版本取代）",
           "not_yet": "尚未施行（{start} 起施行）", "not_published": "尚未公布（{published} 才公布）",
           "not_loaded": "未加载", "in_force": "现行有效",
           "expired": "有效期已届满（有效期至 {until}）"},
    "en": {"repealed": "repealed (replaced by {by} from {on})", "amended": "amended (replaced by a new version from {on})",
           "not_yet": "not yet in force (takes effect on {start})",
           "not_published": "not yet published (published on {published})",
           "not_loaded": "not loaded", "in_force": "in force",
           "expired": "expired (valid until {until})"},
}


def status_label(status: str, version_date: str = "", effective_date: str = "", superseded_on: str = "",
                 replaced_by: str = "", english: bool = False, expires_on: str = "") -> str:
    """现行有效 / 已被修订（2025-10-15 起由新版本取代）/ 已失效（2025-04-26 起由《…》取代）/
    尚未施行（2027-01-01 起施行）/ 有效期已届满（有效期至 2025-06-30）/ 未加载 — or the same in
    English for an English question."""
    labels = _LABELS["en" if english else "zh"]
    if status == EXPIRED:
        return labels["expired"].format(until=expires_on)
    if status == SUPERSEDED and replaced_by:
        return labels["repealed"].format(on=superseded_on, by=replaced_by)
    if status == SUPERSEDED:
        return labels["amended"].format(on=superseded_on)
    if status == NOT_YET_IN_FORCE:
        return labels["not_yet"].format(start=start_date(version_date, effective_date))
    if status == NOT_LOADED:
        return labels["not_loaded"]
    return labels["in_force"]


def describe(record: dict, as_of: str | None = None, english: bool = False) -> dict:
    """``{"status", "status_label"}`` of a document or chunk record (needs version_date,
    effective_date, superseded_on; ``loaded`` when the record says so); the label in English for
    an English question."""
    code = status_on(record.get("version_date", ""), record.get("effective_date", ""),
                     record.get("superseded_on", ""), as_of, loaded=record.get("loaded", True),
                     expires_on=record.get("expires_on", ""))
    published = record.get("version_date", "")
    if code == NOT_YET_IN_FORCE and date_int(published) > date_int(as_of or today()):
        # `corpus status --as-of 2024-01-01` called the 2026 商标法 尚未施行: that day it had not even been published
        # (session 35's sweep F); the status code stays, only the label says so.
        label = _LABELS["en" if english else "zh"]["not_published"]
        return {"status": code, "status_label": label.format(published=published)}
    return {"status": code, "status_label": status_label(code, record.get("version_date", ""),
                                                         record.get("effective_date", ""),
                                                         record.get("superseded_on", ""),
                                                         record.get("replaced_by", ""), english,
                                                         record.get("expires_on", ""))}


def successions(versions: list[dict]) -> dict[str, str]:
    """{doc_id: superseded_on} for the versions of ONE title: each version ends when the next one
    (by start date) starts; the newest never ends ("")."""
    ordered = sorted(versions, key=lambda v: (date_int(start_date(v.get("version_date", ""), v.get("effective_date", ""))),
                                              date_int(v.get("version_date", ""))))
    out = {v["doc_id"]: "" for v in ordered}
    for old, new in zip(ordered, ordered[1:]):
        out[old["doc_id"]] = start_date(new.get("version_date", ""), new.get("effective_date", ""))
    return out


def in_force_version(versions: list[dict], as_of: str | None = None) -> dict | None:
    """The version of one title that applies on ``as_of``; when none does yet, the earliest one
    (a title known only from a promulgated, not yet effective text)."""
    loaded = [v for v in versions if v.get("loaded", True)]
    for v in loaded:
        if status_on(v.get("version_date", ""), v.get("effective_date", ""), v.get("superseded_on", ""), as_of) == IN_FORCE:
            return v
    ordered = sorted(loaded, key=lambda v: date_int(start_date(v.get("version_date", ""), v.get("effective_date", ""))))
    return ordered[0] if ordered else None
