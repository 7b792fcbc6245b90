"""Versions of one law: which article of one version corresponds to which of another, what
changed, and the version notes an answer carries.

Why text similarity and not numbers: a revision renumbers (商标法 2019 第六十三条 is 第七十七条 in
the 2026 text; 反不正当竞争法 2019 第七条 is about bribery, 2025 第七条 about confusion). Articles are
matched by character-bigram Dice similarity, one to one, best pairs first; a pair is computed once
per process and cached. Word-level differences of a matched pair come from difflib over jieba words.

Used by the answer (``scope`` and ``annotate``, hooked into ``service.Assistant.ask``), by
``rongzhi diff`` and by the UI's 版本对照 view.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rongzhi.core.errors import RongZhiError
from rongzhi.core.normalize import to_simplified, to_traditional
from rongzhi.core.numerals import int_to_cn, without_article_number
from rongzhi.core.tables import read_table
from rongzhi.core.versions import (EXPIRED, IN_FORCE, NOT_YET_IN_FORCE, OWN_TERM, SUPERSEDED, as_of_date, check_date,
                                   date_int, describe, in_force_version, start_date, status_label, today, written_day_words)

MIN_MATCH = 0.3  # Dice similarity below which two articles are not the same provision
RECENT_DAYS = 730  # a version that replaced another within this many days gets a note
_PUNCT = re.compile(r"[\s　，。；：、！？“”‘’（）()《》〈〉【】\-—…,.;:!?\"']")


class VersionError(RongZhiError):
    """A diff or version request that cannot be served (unknown law, one version only, bad date)."""


# -- articles and matching --------------------------------------------------------------------------
def body(text: str) -> str:
    """An article's text without its number: what stays the same when a revision renumbers."""
    return without_article_number(text)


def _grams(text: str) -> set[str]:
    plain = _PUNCT.sub("", text)
    return {plain[i:i + 2] for i in range(len(plain) - 1)} or {plain}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two article bodies (0..1)."""
    ga, gb = _grams(body(a)), _grams(body(b))
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


@dataclass
class Pairing:
    """Article correspondence between an older (``a``) and a newer (``b``) version."""

    a_to_b: dict[str, tuple[str, float]] = field(default_factory=dict)  # locator -> (locator, score)
    b_to_a: dict[str, tuple[str, float]] = field(default_factory=dict)


def pair_articles(a: dict[str, str], b: dict[str, str]) -> Pairing:
    """One-to-one matching of articles ``a`` -> ``b`` ({locator: text}, in document order): the
    most similar pairs first; among equal scores the one closest in relative position.

    Penalty articles (「违反本法第N条规定……的，……处…罚款」) are worded alike, so shared characters
    confuse them (反不正当竞争法 2019 第二十四条, the network penalty, went to 2025 第三十条, the platform
    one). They are paired after the other articles, those punishing corresponding rules first."""
    refs_a, refs_b = _punished(a), _punished(b)
    pairing = Pairing()
    _pair_greedy(pairing, {k: v for k, v in a.items() if k not in refs_a}, {k: v for k, v in b.items() if k not in refs_b})
    agree = lambda ka, kb: bool(refs_a[ka]) and {pairing.a_to_b.get(r, (None,))[0] for r in refs_a[ka]} == refs_b[kb]  # noqa: E731
    _pair_greedy(pairing, {k: a[k] for k in refs_a}, {k: b[k] for k in refs_b}, first=agree)
    _pair_greedy(pairing, {k: v for k, v in a.items() if k not in pairing.a_to_b},
                 {k: v for k, v in b.items() if k not in pairing.b_to_a})
    return pairing


def _punished(articles: dict[str, str]) -> dict[str, set[str]]:
    """{locator: the articles it punishes} for the articles that refer to others as 「违反本法第N条」."""
    from .penalties import punished

    return {loc: set(found) for loc, text in articles.items() if (found := punished(text))}


def _pair_greedy(pairing: Pairing, a: dict[str, str], b: dict[str, str], first=None) -> None:
    """Add to ``pairing`` the best-scoring free pairs of ``a`` x ``b`` (``first(ka, kb)`` true ranks a
    pair before every pair for which it is false)."""
    la, lb = list(a), list(b)
    ga = {k: _grams(body(v)) for k, v in a.items()}
    gb = {k: _grams(body(v)) for k, v in b.items()}
    candidates = []
    for i, ka in enumerate(la):
        for j, kb in enumerate(lb):
            inter = len(ga[ka] & gb[kb])
            if not inter:
                continue
            score = 2 * inter / (len(ga[ka]) + len(gb[kb]))
            if score >= MIN_MATCH:
                drift = abs(i / max(1, len(la)) - j / max(1, len(lb)))
                candidates.append((not (first and first(ka, kb)), -round(score, 6), drift, ka, kb))
    candidates.sort()
    for _, neg, _, ka, kb in candidates:
        if ka in pairing.a_to_b or kb in pairing.b_to_a:
            continue
        pairing.a_to_b[ka] = (kb, -neg)
        pairing.b_to_a[kb] = (ka, -neg)


def _words(text: str) -> list[str]:
    try:
        import jieba

        jieba.setLogLevel(60)
        return jieba.lcut(text, HMM=False)
    except Exception:  # pragma: no cover - jieba is a dependency; characters still work
        return list(text)


def word_diff(old: str, new: str) -> list[dict]:
    """[{"op": "equal"|"delete"|"insert", "text"}] turning ``old`` into ``new``, word by word."""
    wa, wb = _words(old), _words(new)
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append({"op": "equal", "text": "".join(wa[i1:i2])})
            continue
        if tag in ("delete", "replace"):
            ops.append({"op": "delete", "text": "".join(wa[i1:i2])})
        if tag in ("insert", "replace"):
            ops.append({"op": "insert", "text": "".join(wb[j1:j2])})
    return ops


def mark(segments: list[dict]) -> str:
    """Segments as one line of text: deleted words 【-旧-】, inserted words 【+新+】."""
    out = []
    for s in segments:
        out.append(s["text"] if s["op"] == "equal" else
                   f"【-{s['text']}-】" if s["op"] == "delete" else f"【+{s['text']}+】")
    return "".join(out)


# A removed article most of whose words one new article holds was merged into it (the 2025 仲裁法 joined
# old 第二条 to old 第三条 as new 第三条); the one-to-one pairing cannot say so, and "removed" alone reads as
# if the rule were gone. The share is computed and shown, not a judgement of what the legislature did.
FOUND_IN = 0.7  # share of the removed article's character pairs found in one new article


def _paragraph_grams(text: str) -> list[set[str]]:
    """The character pairs of each paragraph (款) of an article body."""
    return [_grams(p) for p in text.split("\n") if p.strip()] or [_grams(text)]


def _home(text: str, new_grams: dict[str, list[set[str]]]) -> dict:
    """{"found_in": new locator, "found_share": share} when one paragraph of one new article holds at
    least ``FOUND_IN`` of ``text``'s character pairs, else {}.

    One paragraph, not the whole article: a long new article holds most pairs of any short penalty
    sentence scattered over its items (商标法 2019 第五十三条 「…责令改正，处十万元罚款」 was 71% "in" the
    2026 第六十七条 on trademark agencies, at most 29% in any one paragraph), while a moved rule lands in
    one place (仲裁法 old 第六十七条 is 72% of the 2025 第二十二条's last paragraph)."""
    grams = _grams(text)
    if not grams:
        return {}
    share, where = max(((len(grams & g) / len(grams), k) for k, paras in new_grams.items() for g in paras),
                       default=(0.0, None))
    return {"found_in": where, "found_share": round(share, 2)} if share >= FOUND_IN else {}


def _found_in(old_text: str, new_grams: dict[str, list[set[str]]]) -> dict:
    """Where a removed article's words went (``new_grams``: each new article's paragraphs' character pairs):
    {"found_in", "found_share"} when one new article holds the article; else, when the article has
    several paragraphs (款), {"found_parts": [{"paragraph": n, "found_in", "found_share"}]} for the
    paragraphs one new article holds each (the 2026 商标法 moved old 第九条's second paragraph,
    「商标注册人有权标明“注册商标”」, into new 第五条: "removed" alone read as if the right were gone);
    else {}."""
    text = body(old_text)
    whole = _home(text, new_grams)
    if whole:
        return whole
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if len(paragraphs) < 2:
        return {}
    parts = [{"paragraph": n, **home} for n, p in enumerate(paragraphs, 1) if (home := _home(p, new_grams))]
    return {"found_parts": parts} if parts else {}


def removed_note(item: dict, english: bool = False) -> str:
    """'（其 84% 的文字见于新第三条）' for a removed article that ``_found_in`` placed,
    '（第二款 100% 的文字见于新第五条）' for one it placed by paragraph, else ''."""
    if item.get("found_in"):
        share = round(item["found_share"] * 100)
        return (f" ({share}% of its words are in new {item['found_in']})" if english
                else f"（其 {share}% 的文字见于新{item['found_in']}）")
    parts = item.get("found_parts") or []
    if not parts:
        return ""
    if english:
        return " (" + "; ".join(f"paragraph {p['paragraph']}: {round(p['found_share'] * 100)}% of its words are in "
                                f"new {p['found_in']}" for p in parts) + ")"
    return "（" + "；".join(f"第{int_to_cn(p['paragraph'])}款 {round(p['found_share'] * 100)}% 的文字见于新{p['found_in']}"
                          for p in parts) + "）"


def compare(a: dict[str, str], b: dict[str, str], pairing: Pairing | None = None) -> list[dict]:
    """Article-by-article changes from version ``a`` to ``b``, in the new text's order (removed
    articles after the article that preceded them): each item has ``change`` = unchanged /
    renumbered / changed / added / removed, ``from`` / ``to`` locators, similarity and, for
    changed articles, word ``segments`` and the ``marked`` text."""
    pairing = pairing or pair_articles(a, b)
    items: list[dict] = []
    removed_after: dict[str | None, list[str]] = {}
    previous = None
    for ka in a:
        if ka not in pairing.a_to_b:
            removed_after.setdefault(previous, []).append(ka)
        else:
            previous = pairing.a_to_b[ka][0]

    new_grams = {k: _paragraph_grams(body(v)) for k, v in b.items()} if removed_after else {}

    def removed(after):
        for ka in removed_after.get(after, []):
            item = {"change": "removed", "from": ka, "to": None, "similarity": 0.0, "old_text": a[ka], "new_text": ""}
            item.update(_found_in(a[ka], new_grams))
            items.append(item)

    removed(None)
    for kb in b:
        if kb not in pairing.b_to_a:
            items.append({"change": "added", "from": None, "to": kb, "similarity": 0.0, "old_text": "",
                          "new_text": b[kb]})
        else:
            ka, score = pairing.b_to_a[kb]
            same = body(a[ka]) == body(b[kb])
            change = ("unchanged" if ka == kb else "renumbered") if same else "changed"
            item = {"change": change, "from": ka, "to": kb, "similarity": round(score, 3), "renumbered": ka != kb,
                    "old_text": a[ka], "new_text": b[kb]}
            if not same:
                item["segments"] = word_diff(body(a[ka]), body(b[kb]))
                item["marked"] = mark(item["segments"])
            items.append(item)
        removed(kb)
    return items


# -- the versions of the corpus ---------------------------------------------------------------------
def _start(doc: dict) -> str:
    return start_date(doc.get("version_date", ""), doc.get("effective_date", ""))


class VersionBook:
    """The documents with several versions, their articles and cached pairings."""

    def __init__(self, documents: list[dict], chunks):
        self.docs = {d["doc_id"]: d for d in documents}
        by_title: dict[str, list[dict]] = {}
        for d in documents:
            if d.get("path", True):
                by_title.setdefault(d["title"], []).append(d)
        self.by_title = {t: sorted(v, key=lambda d: (date_int(_start(d)), d.get("version_date", "")))
                         for t, v in by_title.items() if len(v) > 1}
        # The laws a quoted cross-reference is read against (cross_reference_note): those loaded in several versions, and
        # a law loaded in one version only when an amendment renumbered it before that version (data/renumbering.tsv).
        self.cross_referenced = dict(self.by_title)
        for t, v in by_title.items():
            if len(v) == 1 and (t, v[0].get("version_date", "")) in _renumbering():
                self.cross_referenced.setdefault(t, v)
        wanted = {d["doc_id"] for v in self.by_title.values() for d in v}
        self.articles: dict[str, dict[str, str]] = {}
        self.first_chunk: dict[tuple[str, str], object] = {}
        for c in sorted((c for c in chunks if c.doc_id in wanted), key=lambda c: (c.doc_id, c.ordinal)):
            arts = self.articles.setdefault(c.doc_id, {})
            arts[c.locator] = (arts[c.locator] + "\n" + c.text) if c.locator in arts else c.text
            self.first_chunk.setdefault((c.doc_id, c.locator), c)
        self._pairings: dict[tuple[str, str], Pairing] = {}
        self._grams: dict[tuple[str, bool], dict] = {}
        self._lock = threading.Lock()

    def versions(self, doc_id: str) -> list[dict]:
        doc = self.docs.get(doc_id)
        return self.by_title.get(doc["title"], []) if doc else []

    def neighbours(self, doc_id: str) -> tuple[dict | None, dict | None]:
        """(previous version, next version) of a document, by start date."""
        versions = self.versions(doc_id)
        ids = [d["doc_id"] for d in versions]
        if doc_id not in ids:
            return None, None
        i = ids.index(doc_id)
        return (versions[i - 1] if i > 0 else None), (versions[i + 1] if i + 1 < len(versions) else None)

    def article_grams(self, doc_id: str, paragraphs: bool = False) -> dict:
        """Each article's character pairs (``_grams`` of its body), or with ``paragraphs`` each
        article's paragraphs' pairs (``_paragraph_grams``); computed once per version."""
        key = (doc_id, paragraphs)
        with self._lock:
            if key not in self._grams:
                pairs = _paragraph_grams if paragraphs else _grams
                self._grams[key] = {k: pairs(body(v)) for k, v in self.articles.get(doc_id, {}).items()}
            return self._grams[key]

    def pairing(self, older: str, newer: str) -> Pairing:
        key = (older, newer)
        with self._lock:
            if key not in self._pairings:
                self._pairings[key] = pair_articles(self.articles.get(older, {}), self.articles.get(newer, {}))
            return self._pairings[key]

    def counterpart(self, doc_id: str, locator: str, other_id: str) -> tuple[str, float] | None:
        """The article of ``other_id`` that corresponds to ``locator`` of ``doc_id`` (by text)."""
        if date_int(_start(self.docs[doc_id])) <= date_int(_start(self.docs[other_id])):
            return self.pairing(doc_id, other_id).a_to_b.get(locator)
        return self.pairing(other_id, doc_id).b_to_a.get(locator)


# 「2019年版是第几条？」「那新版呢，第几条？」 after an answer citing a law article: the same provision's number in
# another version of that law. The question names a version (a year, new, old) and asks for an article number.
_ASKS_NUMBER = re.compile(r"第几条|哪一?条|几条|条号|对应(的)?(条文|条款|哪)|what article|which article", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年?\s*(?:版|修订|修正|修改|的)")
_NEWER = re.compile(r"新版|最新|修订后|修改后|修正后|新修订|新修改|新修正|新法|新的|\bnew(er|est)?\b", re.I)
_OLDER = re.compile(r"旧版|老版|原版|以前的|之前的|旧的|老的|修订前|修改前|修正前|旧法|\bold(er)?\b|\bprevious\b", re.I)


# 「2019年版呢？」「那旧版里怎么规定的？」: nothing but a version, so the same provision in it.
# VV (session 47): 「新修订的版本呢」「修订后的版本呢」「旧的版本呢」 name a version as well.
_ONLY_VERSION = re.compile(r"(?:那|那么)?(?:在|按)?(?:(?:19|20)\d\d\s*年?\s*(?:版|的版本|修订的?|的)?|新版|最新版|新法|旧版|老版|原版|旧法|"
                           r"新修订的?|新修改的?|新修正的?|最新的|新的|旧的|老的|之前的|以前的|"
                           r"修订前的?|修订后的?|修改前的?|修改后的?|修正前的?|修正后的?)(?:版本|本)?(?:里|中|里面)?"
                           r"(?:呢|的呢|怎么说|怎么规定的?|是怎么规定的?|是怎么写的?|"
                           # 「旧法是多久？」 after a period was answered: the same period in that version (session 36's sweep O)
                           r"(?:是|要|规定)?(?:多久|多长时间|几年|几个月|多少天|几天)(?:呢)?)?[？?。.！!\s]*")


def version_follow_up(bk: VersionBook, norm: str, doc_id: str, locator: str,
                      by_number: bool = False, shown: tuple = ()) -> tuple[str, str] | None:
    """(doc_id, locator) of the article of the version a follow-up names that corresponds to ``locator``
    of ``doc_id`` (the previous answer's first citation), or None when the question neither asks an
    article number of another version nor names only a version (「2019年版呢？」), names no version of
    this law, or that version has no counterpart (``by_number``: the previous question named the article by
    number, so the same number in that version answers when no article corresponds by text; ``shown``: the
    (doc_id, locator) the previous answer cited, in order: one in that version is what the user was just shown). Why: 「2019年版是第几条？」 after 商标法第四十条 found
    nothing, though the version note the user was answering had just named the other version's number."""
    versions = bk.versions(doc_id)
    if not versions or not (_ASKS_NUMBER.search(norm) or _ONLY_VERSION.fullmatch(norm.strip())):
        return None
    year = version_year(norm)
    if year:  # the version dated that year, else the one in force at its end (as `rongzhi diff` reads a year)
        target = version_of_year(versions, year)
    elif _NEWER.search(norm):
        target = versions[-1]
    elif _OLDER.search(norm):
        target = bk.neighbours(doc_id)[0]
    else:
        return None
    if target is None:
        return None
    if target["doc_id"] == doc_id:
        return doc_id, locator
    found = bk.counterpart(doc_id, locator, target["doc_id"])
    if found:
        return target["doc_id"], found[0]
    noted = next((loc for d, loc in shown if d == target["doc_id"]), None)
    if noted is not None:  # 新商标法第五十四条 has no counterpart by text; the answer also cited the 2019 第六十八条
        return target["doc_id"], noted
    # 「仲裁法第十六条」 then 「那2017年版呢？」: asked by number, the same number in that version (its version note says
    # the provision differs), rather than the version in force again.
    return (target["doc_id"], locator) if by_number and locator in bk.articles.get(target["doc_id"], {}) else None


def version_of_year(versions: list[dict], year: str) -> dict | None:
    """The loaded version a year names (``versions`` of one title, oldest first): the one dated that year,
    else the one in force at the year's end (``pick_version``); None when no loaded version had started
    by then (「2013年版商标法」: the 2013 amendment is not loaded, the oldest loaded text is of 2019)."""
    try:
        return pick_version(versions, year, versions[-1])
    except VersionError:
        return None


# A year said right before a law's name (「2013年版商标法」「2008年修正的专利法」) or right after it in brackets or
# with 版/修订 (「商标法（2013年修正）」「专利法2008年版」); 「2021年6月1日起施行的专利法」 names a day, not a version.
_YEAR_BEFORE_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年(?!\d{1,2}月))?\s*(?:版|修订|修正|修改)?\s*(?:版|本)?\s*的?\s*$")
_YEAR_AFTER_NAME = re.compile(r"^\s*(?:[（(]\s*((?:19|20)\d\d)\s*年?\s*(?:版|修订|修正|修改)?\s*[）)]|"
                              r"((?:19|20)\d\d)\s*年?\s*(?:版|修订|修正|修改))")


def _full_date(doc: dict) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.get("version_date", "")))


def title_versions(documents: list[dict], doc_id: str) -> list[dict]:
    """The loaded versions of ``doc_id``'s title, oldest first (one for a law with a single version)."""
    doc = next((d for d in documents if d["doc_id"] == doc_id), None)
    if doc is None:
        return []
    return sorted((d for d in documents if d["title"] == doc["title"] and d.get("path", True) and d.get("chunks", 1)),
                  key=lambda d: (date_int(_start(d)), d.get("version_date", "")))


def years_not_loaded(norm: str, aliases: list[tuple[str, str]], documents: list[dict]) -> list[tuple[str, str]]:
    """[(doc_id of a loaded version, year)] for each law the question names with a year whose version is
    not loaded: 「2013年版商标法第四十条」 was quoted from the 2019 text with no word that it is not the 2013 one."""
    found: dict[str, tuple[str, str]] = {}
    for alias, doc_id in aliases:  # longest first: 中华人民共和国商标法 before 商标法
        if re.search(r"\d", alias):
            continue  # a year-qualified alias names a loaded version
        start = 0
        while (i := norm.find(alias, start)) >= 0:
            start = i + len(alias)
            m = _YEAR_BEFORE_NAME.search(norm[max(0, i - 12):i])
            year = m.group(1) if m else None
            if year is None and (m := _YEAR_AFTER_NAME.match(norm[start:start + 14])):
                year = m.group(1) or m.group(2)
            versions = title_versions(documents, doc_id)
            if year and versions and all(_full_date(v) for v in versions) \
                    and version_of_year(versions, year) is None:
                found.setdefault(versions[0]["title"], (versions[-1]["doc_id"], year))
    return list(found.values())


def version_year(norm: str) -> str | None:
    """The year of a version the question names (「2019年的版本」「2019年版」「2013修订的」), else None."""
    year = _YEAR.search(norm)
    return year.group(1) if year else None


def follow_up_year(norm: str) -> str | None:
    """The year a follow-up names when it asks only for a version or its article number (「2019年版呢？」
    「2013年版是第几条？」), else None."""
    if not (_ASKS_NUMBER.search(norm) or _ONLY_VERSION.fullmatch(norm.strip())):
        return None
    return version_year(norm)


def year_not_loaded_text(documents: list[dict], doc_id: str, year: str, english: bool = False) -> str:
    """The note that the version of ``year`` is not loaded, naming the versions that are."""
    versions = title_versions(documents, doc_id)
    title = versions[0]["title"] if versions else doc_id
    loaded = [v.get("version_date", "") for v in versions]
    if english:
        return (f"Note: the {year} text of 《{title}》 is not in RongZhi's corpus (loaded: "
                f"{', '.join(d + ' version' for d in loaded)}). The loaded text is quoted below; "
                f"what applied in {year} may differ.")
    return (f"提示：榕知未收录《{title}》{year} 年的版本（已收录：{'、'.join(d + ' 版' for d in loaded)}），"
            f"以下引用的是已收录的版本，{year} 年时的规定可能与此不同。")


def book(assistant) -> VersionBook:
    """The assistant's VersionBook, built on first use."""
    found = getattr(assistant, "_version_book", None)
    if found is None:
        found = VersionBook(assistant.documents, assistant.reader.chunks)
        assistant._version_book = found
    return found


# When something happened, said in the question: 「2024年3月发生的商业诋毁」「2020年5月10日被抢注」. A day or a month, not a
# bare year (「2024年的专利」 is as often the year of a filing as of a version); not a law's own dates (「2021年6月1日起施行的
# 专利法」 names a version, read by the aliases).
# Nor the day a firm was founded, someone born or hired, or goods bought (「我们公司2019年5月成立，现在发现员工泄露了商业秘密…」:
# the leak is today's, and was answered by the law of 2019-05-01 — session 38's sweep T, X2), within three characters of the
# date (「2019年5月份注册成立」). Not a filing (申请, 注册): a month of filing is as often the act asked about (「2027年2月恶意申请
# 商标注册会被怎么处罚？」 is the 2026 商标法's question) and dates the law a patent is examined under (D2', session 38).
_BACKGROUND_VERBS = r"成立|设立|创立|创办|开业|出生|入职|毕业|购买|买"
_EVENT_DATE = re.compile(r"(?<![\d到至止])((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?(?!\s*\d)"
                         r"(?!\s*(?:份)?\s*(?:起|开始)?\s*(?:施行|生效|实施|公布|通过|修订|修正|修改|颁布))"
                         r"(?!\s*(?:份)?\s*[^\s，,。；;？?！!\d年月]{0,3}?(?:" + _BACKGROUND_VERBS + r"))"
                         r"(?:\s*(以后|之后|以前|之前))?")


def oldest_where_none_in_force(assistant, as_of: str) -> dict[str, dict]:
    """{title: its oldest loaded version} for each title none of whose loaded versions is in force on ``as_of``
    (专利法 in 2020-05: its 2008 text is not loaded); computed once per day, like the aliases (``scope``)."""
    cache = assistant.__dict__.setdefault("_none_in_force_by_day", {})
    if as_of not in cache:
        by_title: dict[str, list[dict]] = {}
        for d in assistant.documents:
            if d.get("path", True) and d.get("chunks", 1) and _full_date(d):
                by_title.setdefault(d["title"], []).append(d)
        cache[as_of] = {title: min(versions, key=lambda v: date_int(_start(v))) for title, versions in by_title.items()
                        if all(describe({**v, "loaded": True}, as_of)["status"] == NOT_YET_IN_FORCE for v in versions)}
    return cache[as_of]


# A year said as a time (「2020年时」「2020年的时候」「在2020年那会儿」), unlike a bare 「2020年的专利」: its middle day is taken, and
# the note says which day the answer follows.
_EVENT_YEAR = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:时候?|的时候|那时候?|那会儿?|期间|当时)")
# A year with what happened in it (「2023年员工泄露商业秘密」「2025年收到的仲裁裁决」「那要是2024年带走的呢」): the verb says the
# year is an event's, where a bare 「2024年的专利」 (a filing's year as often as a version's), a plan's target year
# (「2025年要达到多少」) or a law's own (「2019年商标法」) is not (session 36's versions sweep: 「2023年员工泄露商业秘密…罚多少？」
# quoted the 2025 fines, not the 2019 text's). Its middle day is taken, as for 「2020年的时候」.
# Not 成立/设立, 注册/申请 or 买: a firm founded, a mark registered or goods bought in a year go on to today's questions
# (dev d212: 「我们是2010年成立的中外合资经营企业…现在去…办登记」 was answered by the law of 2010).
_EVENT_VERBS = r"发生|收到|接到|签订|签了|签的|订立|被|遭|离职|跳槽|带走|泄露|泄漏|起诉|抢注|侵权|仿冒|假冒|作出|做出|受理|销售|卖"
_EVENT_YEAR_DONE = re.compile(r"(?<![\d到至止截])((?:19|20)\d\d|去年|前年)\s*年?\s*[^\s，,。；;？?！!\d年月的版法例]{0,4}?"
                              r"(?:" + _EVENT_VERBS + r")")
# 「明年起」「从明年开始」: the law in force from next New Year's Day (「明年起恶意抢注商标会被罚款吗？」 is the 2026 商标法's question).
_NEXT_YEAR = re.compile(r"明年\s*(?:起|开始|以后|之后|1月1日起|元旦起)")
_RELATIVE_YEARS = {"去年": -1, "前年": -2}
# English: "on 1 March 2025", "in March 2025", "on March 1, 2025" (a day or a month, as in Chinese).
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(" + "|".join(m[:3] + r"(?:" + m[3:] + r")?" if len(m) > 3 else m for m in _MONTHS) + r")\.?"
_EVENT_DATE_EN = re.compile(r"\b(?:on|in|during|since|before|after|from)\s+(?:(\d{1,2})\s+" + _MONTH + r"|" + _MONTH
                            + r"(?:\s+(\d{1,2})(?:st|nd|rd|th)?,?)?)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


# A law's own date in English ("takes effect on 1 January 2027"), not an event's.
_LAW_DATE_EN = re.compile(r"(?:takes?|took|taking) effect|effective|in force|enters? into force|entered into force|"
                          r"commenc\w*|adopted|promulgated|amended|revised|published|issued", re.IGNORECASE)


# A year said as a time in English, like 「2020年时」: "the law in force in 2024" (not "came into force in 2024", a law's own
# date), "back in 2024", "as of 2024" (session 29's CLI sweep: "Under the Arbitration Law in force in 2024…" got the 2025 text).
_EVENT_YEAR_EN = re.compile(r"(?<!into )\bin force in ((?:19|20)\d\d)\b|\b(?:back in|as of|as at) ((?:19|20)\d\d)\b",
                            re.IGNORECASE)


def _event_date_en(norm: str) -> tuple[str, str] | None:
    if not _EVENT_DATE_EN.search(norm) and (m := _EVENT_YEAR_EN.search(norm)):
        year = m.group(1) or m.group(2)
        return f"{year}-07-01", year
    for m in _EVENT_DATE_EN.finditer(norm):
        if _LAW_DATE_EN.search(norm[max(0, m.start() - 30):m.start()]):
            continue
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        number = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(month.lower()[:3]))
        try:
            when = _dt.date(int(m.group(5)), number, int(day or 1))
        except ValueError:
            continue
        return when.isoformat(), m.group(0).split(None, 1)[1]
    return None


# Whether something is *still* so now (「现在还能…吗」 "Is that still OK now?"): today's law answers, whatever past year the
# question also mentions (「2015年设立的合资企业」 "back in 2015": session 34's sweep got the law of 2015-07-01). Not 「现在告」:
# an infringement of 2024 sued now is judged by the law of 2024.
_STILL_NOW = re.compile(r"(?:现在|目前|如今|眼下|当下)(?:是否)?(?:还|仍|依然)|\bstill\b[^.?!]*\b(?:now|today|currently|at present)\b|"
                        r"\b(?:now|today|currently|at present)\b[^.?!]*\bstill\b", re.IGNORECASE)


def event_date(norm: str, base: str = "") -> tuple[str, str] | None:
    """(YYYY-MM-DD, the date as said) of the first day or month the question says something happened, or None (also
    when it asks whether something is still so now: ``_STILL_NOW``). ``base`` (YYYY-MM-DD, the day asked on) places
    去年, 前年 and 明年起; without it they are not read."""
    if _STILL_NOW.search(norm):
        return None
    if (english := _event_date_en(norm)) is not None:
        return english
    if not _EVENT_DATE.search(norm):  # a day or a month said wins over a year (below)
        if m := _EVENT_YEAR.search(norm):
            return f"{m.group(1)}-07-01", f"{m.group(1)}年"
        if (m := _EVENT_YEAR_DONE.search(norm)) and (base or m.group(1)[0].isdigit()):
            year = m.group(1) if m.group(1)[0].isdigit() else str(int(base[:4]) + _RELATIVE_YEARS[m.group(1)])
            return f"{year}-07-01", m.group(1) if m.group(1) in _RELATIVE_YEARS else f"{year}年"
        if base and (m := _NEXT_YEAR.search(norm)):
            return f"{int(base[:4]) + 1}-01-01", m.group(0)
    for m in _EVENT_DATE.finditer(norm):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        try:
            when = _dt.date(year, month, day)
        except ValueError:
            continue  # 2024年13月: not a date
        if m.group(4) in ("以后", "之后"):  # 「2025年6月30日以后」: the day after; 「2025年6月以后」: after that month
            when = when + _dt.timedelta(days=1) if m.group(3) else (when.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
        elif m.group(4) in ("以前", "之前"):  # the day before
            when -= _dt.timedelta(days=1)
        return when.isoformat(), m.group(0).strip()
    return None


# -- hooks used by Assistant.ask ---------------------------------------------------------------------
def scope(assistant, filters, norm: str = ""):
    """(filters with the as-of date filled in, document aliases for that date). The as-of date
    comes from the question when it says when something happened (「2024年3月发生的…」: the law of that
    day applies to it), else the filters (``--as-of``, UI), else ``Settings.as_of``, else today."""
    from .filters import Filters
    from .locate import doc_aliases

    filters = filters or Filters()
    said = event_date(norm, as_of_date(filters.as_of or assistant.settings.as_of)) if norm else None
    if said is not None:
        filters = replace(filters, as_of=said[0], as_of_said=said[1])
    as_of = as_of_date(filters.as_of or assistant.settings.as_of)
    if filters.as_of != as_of:
        filters = replace(filters, as_of=as_of)
    # A day before a law's oldest loaded text (专利法 in 2020-05: its 2008 text is not loaded): that oldest text may
    # answer, and the answer says that the text of that day is not loaded (annotate), rather than leave the law out.
    filters = filters.with_versions([d["doc_id"] for d in oldest_where_none_in_force(assistant, as_of).values()])
    cache = assistant.__dict__.setdefault("_aliases_by_day", {})
    if as_of not in cache:
        cache[as_of] = doc_aliases(assistant.documents, as_of)
    return filters, cache[as_of]


# A follow-up that says when it asks (现在, 目前, today): not dated by an earlier turn's event.
_NOW = re.compile(r"现在|目前|如今|当前|今天|眼下|\b(?:now|today|currently)\b", re.I)


def dated_turn(turns: list[dict], norm: str) -> dict | None:
    """The latest of ``turns`` (a follow-up's subject turn and those after it) whose date came from its question
    (「裁决书是2025年5月收到的，按哪个版本？」), when the follow-up names no day or version of its own and does not ask about
    now: the law of that day still applies to the matter (session 37's sweep S, C6T4: 「找谁申请？」 after it was answered
    from the 2025 仲裁法 in force today, not the 2017 text that governs an award received in May 2025). Else None."""
    if _NOW.search(norm) or version_year(norm) or event_date(norm) is not None:
        return None
    return next((t for t in reversed(turns) if t.get("as_of_from") == "question" and t.get("as_of")), None)


def _flat(label: str) -> str:
    """A status label to sit inside brackets: its own brackets become commas."""
    return label.replace("（", "，").replace("）", "")


def version_label(doc: dict, as_of: str, traditional: bool = False) -> str:
    """'2019-04-23 版，现行有效' — how a version is named next to its title."""
    text = f"{doc.get('version_date', '')} 版，{_flat(describe(doc, as_of)['status_label'])}"
    return to_traditional(text) if traditional else text


def _article_quote(chunk_text: str, limit: int = 160) -> str:
    text = chunk_text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "……"


def _extra_citation(bk: VersionBook, n: int, doc: dict, locator: str, as_of: str, english: bool = False) -> dict:
    text = bk.articles[doc["doc_id"]][locator]
    chunk = bk.first_chunk[(doc["doc_id"], locator)]
    return {"n": n, "doc_id": doc["doc_id"], "title": doc["title"], "locator": locator,
            "quote": _article_quote(text), "score": 0.0, "kind": doc.get("kind", ""),
            "version_date": doc.get("version_date", ""), "effective_date": doc.get("effective_date", ""),
            **describe(doc, as_of, english), "section": " / ".join(chunk.section_path), "heading": "",
            "chunk_text": text, "source_path": chunk.source_path, "start": chunk.start,
            "end": chunk.start + len(text), "role": "version"}


def _days(a: str, b: str) -> int:
    def parse(s):
        n = date_int(s)
        return _dt.date(n // 10000, n // 100 % 100, n % 100)

    return (parse(b) - parse(a)).days


def _own_term(assistant, doc: dict) -> str:
    """The last day of a document's term in its own words (2025年6月30日, from 「有效期至2025年6月30日」) when its
    loaded text states it, else the manifest's date: the note then says what the reader sees in the quote (rule E2).
    Found once per document and kept on the assistant, as ``book`` keeps the VersionBook: every answer quoting the
    plan carries this note, and the search runs over the whole chunk table."""
    terms = getattr(assistant, "_own_terms", None)
    if terms is None:
        terms = assistant._own_terms = {}
    doc_id = doc.get("doc_id")
    if doc_id not in terms:
        found = next((written_day_words(m) for c in assistant.reader.chunks
                      if c.doc_id == doc_id and (m := OWN_TERM.search(c.norm))), None)
        terms[doc_id] = found or doc.get("expires_on", "")
    return terms[doc_id]


def annotate(assistant, result: dict, filters, refs=()) -> dict:
    """Give each citation its version dates and status on the as-of date, label versions in the
    answer, and add one note line after the quote of a law whose text changes around that date:
    a successor promulgated but not yet in force, a recent replacement, an explicitly requested
    version that is not the one in force, or an article number that means something else in the
    other version. The corresponding article of the other version is cited too (role=version)."""
    as_of = filters.as_of
    trad = result.get("language") == "zh-Hant"
    english = result.get("language") == "en"
    # The day the statuses are for, and where it came from: a script reading "in_force" must know it means "on that day"
    # (「2027年2月…」 labels the 2026 商标法 in force; session 29's CLI sweep read it as today's status).
    base = as_of_date(assistant.settings.as_of)
    result["as_of"] = as_of or base
    result["as_of_from"] = "question" if filters.as_of_said else ("today" if result["as_of"] == today() else "request")
    if filters.as_of_said:
        result["as_of_said"] = filters.as_of_said  # what a follow-up in the conversation is dated by (``dated_turn``)
    for r in result.get("related") or []:  # 可能相关 says when a listed text is no longer in force
        doc = assistant.document(r["doc_id"])
        if doc:
            r.update(version_date=doc.get("version_date", ""), **describe({**doc, "loaded": True}, as_of, english))
    citations = result.get("citations") or []
    if not citations:
        return result
    bk = book(assistant)
    direct = {(r.doc_id, r.locator) for r in refs}
    answer = result.get("answer", "")
    extra: list[dict] = []
    notes: dict[int, str] = {}
    # One note per version, on its first citation (unless asked by number) — but every citation of a replaced version gets
    # its own: each names what is in force instead, and an old article left without it reads as current (session 42's
    # sweep B: under --include-superseded, 仲裁法 2017 第五十九条's 「六个月内」 was quoted third with no note, the first 2017
    # citation's note naming only its own counterpart, while 2025 第七十二条 says 三个月).
    noted: set[str] = set()
    for cite in citations:
        doc = assistant.document(cite["doc_id"]) or {}
        cite["effective_date"] = doc.get("effective_date", "")
        cite["superseded_on"] = doc.get("superseded_on", "")
        cite.update(describe({**doc, "loaded": True}, as_of, english) if doc
                    else {"status": IN_FORCE, "status_label": status_label(IN_FORCE, english=english)})
        if doc and result["as_of"] != today():
            now = describe({**doc, "loaded": True}, None, english)
            cite.update(status_today=now["status"], status_label_today=now["status_label"])
        if doc.get("repealed_on") and cite["status"] == SUPERSEDED and cite["doc_id"] not in noted:
            # Quoted only when asked for by locator or for an earlier date (service.REPEALED otherwise).
            t = _NOTES["en" if english else "zh"]
            note = t["repealed"].format(title=f"《{doc['title']}》", on=doc["repealed_on"],
                                        by=doc.get("replaced_by") or t["new_text"])
            notes[cite["n"]] = to_traditional(note) if trad else note
            noted.add(cite["doc_id"])
        if cite["status"] == EXPIRED and cite["doc_id"] not in noted:
            # The plan's own term has ended: still what the city set out to do, not current policy.
            t = _NOTES["en" if english else "zh"]
            until = doc.get("expires_on", "") if english else _own_term(assistant, doc)
            note = t["expired"].format(title=f"《{doc['title']}》", until=until, as_of=as_of)
            notes[cite["n"]] = to_traditional(note) if trad else note
            noted.add(cite["doc_id"])
        if not bk.versions(cite["doc_id"]):
            continue
        asked = (cite["doc_id"], cite["locator"]) in direct
        note = "" if cite["doc_id"] in noted and not asked and cite["status"] != SUPERSEDED else _note(
            bk, cite, doc, as_of, asked, lambda other, loc: _cite_extra(bk, citations, extra, other, loc, as_of, english),
            english)
        noted.add(cite["doc_id"])
        if note:
            notes[cite["n"]] = to_traditional(note) if trad else note
        if result.get("mode") == "extractive" and not english:
            answer = _label_lead(answer, cite, version_label(doc, as_of, trad))
    lead = None if english or not _ASKS_CHANGES.search(to_simplified(result.get("question", ""))) else next(
        (c for c in citations if bk.versions(c["doc_id"])), None)
    if lead is not None:
        line = change_line(bk, lead)  # 商标法对恶意注册的规定有什么变化: the two texts of the article, marked
        if line:
            line = to_traditional(line) if trad else line
            notes[lead["n"]] = f"{notes[lead['n']]}\n{line}" if lead["n"] in notes else line
    for cite in citations:
        xref = cross_reference_note(
            bk, cite, assistant.document(cite["doc_id"]) or {}, as_of,
            lambda other, loc: _cite_extra(bk, citations, extra, other, loc, as_of, english), english)
        if xref:
            xref = to_traditional(xref) if trad else xref
            notes[cite["n"]] = f"{notes[cite['n']]}\n{xref}" if cite["n"] in notes else xref
    first = citations[0]
    if (result.get("mode") == "extractive" and first.get("n") in notes and first.get("status") != IN_FORCE
            and _ASKS_VALIDITY.search(to_simplified(result.get("question", "")))):
        # 「这个工作方案现在还有效吗？」: the status answers it, so it opens the answer (rule E2), not a lead sentence
        # such as 「本方案自印发之日起施行」, which reads as "yes".
        status = notes.pop(first["n"]).replace("以上", "以下").replace("the quote above", "the quote below")
        opening = next((line for line in answer.split("\n") if line.strip()), "")
        if result.get("lead") and opening.startswith("“") and opening.endswith(f"”[{first['n']}]"):
            answer = answer.split("\n", 1)[1] if "\n" in answer else ""
        answer = status + "\n" + answer
        result["lead"] = status
    none_then = oldest_where_none_in_force(assistant, as_of)
    cited = dict.fromkeys((assistant.document(c["doc_id"]) or {}).get("title") for c in citations)
    for title, first in ((t, none_then[t]) for t in cited if t in none_then):
        # --as-of 2018-06-01 or 「2020年5月…」 before the oldest loaded text: the text of that day is not loaded.
        t = _NOTES["en" if english else "zh"]
        line = t["then_not_loaded"].format(title=f"《{title}》", as_of=as_of, date=first.get("version_date", ""),
                                           start=_start(first))
        answer = (to_traditional(line) if trad else line) + "\n" + answer
    if filters.as_of_said and (changed := _changed_since(assistant, citations, as_of, base, english)):
        # 「2024年3月发生的…」: answered by the law of that day, which is not today's for these texts: said first.
        t = _NOTES["en" if english else "zh"]
        line = t["event"].format(said=filters.as_of_said, as_of=as_of, today=base, titles=changed)
        answer = (to_traditional(line) if trad else line) + "\n" + answer
    for n, note in notes.items():
        at = _quote_end(answer, n)
        if at >= 0 and result.get("mode") == "extractive":
            end = at + len(f"”[{n}]")
            answer = answer[:end] + "\n" + note + answer[end:]
        else:
            answer += "\n" + note
    result["answer"] = answer
    result["citations"] = citations + extra
    if notes:
        result["version_notes"] = [{"n": n, "note": note} for n, note in notes.items()]
    return result


MAX_MARKED = 400  # characters of a marked article shown in an answer; `rongzhi diff` shows it whole


def change_line(bk: VersionBook, cite: dict) -> str:
    """For a question about what changed in a topic: the cited article against its counterpart in
    the neighbouring version (the next one when there is one), the words marked 【-删去-】【+新增+】."""
    doc_id, loc = cite["doc_id"], cite["locator"]
    prev, nxt = bk.neighbours(doc_id)
    other = nxt or prev
    if other is None or loc not in bk.articles.get(doc_id, {}):
        return ""
    mine = (bk.docs[doc_id], loc, bk.articles[doc_id][loc])
    match = bk.counterpart(doc_id, loc, other["doc_id"])
    if match is None:
        return f"两版对照：{other['version_date']} 版中没有与{loc}文字相近的条文（按文字比对，内容可能改写后移到别处）。"
    theirs = (other, match[0], bk.articles[other["doc_id"]][match[0]])
    old, new = (mine, theirs) if date_int(_start(mine[0])) <= date_int(_start(other)) else (theirs, mine)
    where = f"{old[0]['version_date']} 版{old[1]} → {new[0]['version_date']} 版{new[1]}"
    if body(old[2]) == body(new[2]):
        return f"两版对照（{where}）：内容相同{'，仅条号不同' if old[1] != new[1] else ''}。"
    marked = mark(word_diff(body(old[2]), body(new[2])))
    marked = marked if len(marked) <= MAX_MARKED else marked[:MAX_MARKED] + "……"
    return f"两版对照（{where}；【-删去的文字-】【+新增的文字+】）：{marked}"


def _cite_extra(bk, citations, extra, other: dict, locator: str, as_of: str, english: bool = False) -> int:
    """The [n] of ``other``'s ``locator``: an existing citation, or a new one appended."""
    for c in citations + extra:
        if c["doc_id"] == other["doc_id"] and c["locator"] == locator:
            return c["n"]
    n = len(citations) + len(extra) + 1
    extra.append(_extra_citation(bk, n, other, locator, as_of, english))
    return n


# The sentences of a version note, in the asker's language (Traditional: the Chinese, converted).
# One table so the note's logic (which version, which counterpart) is written once.
_NOTES = {
    "zh": {
        "vname": "{date} 版",
        "repealed": "版本提示：以上引用的{title}已于 {on} 失效，由{by}取代（该文件未加载），仅供查对历史。",
        "expired": "版本提示：{title}原文写明有效期至{until}，按 {as_of} 已届满；以上是该文件原文，反映的是有效期内的安排，"
                   "不代表现行政策。",
        "new_text": "新文件",
        "head_next": "版本提示：以上引用的是现行有效的{title}（{vname}）{loc}；{next_date} 修订的新版本自 {start} 起施行",
        "head_recent": "版本提示：以上引用的是{title}{vname}（{start} 起施行，取代 {prev}）{loc}",
        "head_status": "版本提示：以上引用的是{title}{vname}{loc}，{label}",
        "which_new": "新版本", "which_old": "修订前的版本", "which_current": "现行有效的 {vname}",
        "match_then": "{head}，届时{which}对应条文为{m}[{n}]",
        "match": "{head}；{which}对应条文为{m}[{n}]",
        "no_match": "{head}；榕知在{which}中没有找到与本条逐条对应的条文（不表示该版本没有相关规定，请查阅该版本全文）",
        "aside": "（注意：{vname}的{loc}是另一条文：“{gist}……”）",
        "part_found": "；但所引这部分文字不在{which}的{c}中，见于{which}{m}[{n}]",
        "part_none": "；但所引这部分文字在{which}的{c}中大多没有，榕知在{which}中也没有找到文字与之大体相同的条文",
        "where_match": "本条在该版本中为{m}", "where_none": "榕知在该版本中没有找到与本条逐条对应的条文",
        "direct": "注意：在{title}{vname}中，{loc}是另一条文（“{gist}……”），{where}",
        "xref_match": "条号提示：[{n}]所引“{name}{loc}”是该法 {old}的条号，现行有效的 {now}对应条文为{m}[{k}]",
        "xref_none": "条号提示：[{n}]所引“{name}{loc}”是该法 {old}的条号，榕知在现行有效的 {now}中没有找到与之逐条对应的条文",
        "xref_unloaded": "条号提示：[{n}]所引{names}是该法 {start} 起施行的修正文本之前的条号（该次修正调整了条文编号，榕知未收录修正前的文本），"
                         "现行有效的 {now}中同一条号可能是另一条规定，请勿按现行文本的条号对照",
        "sep": "；", "end": "。",
        "then_not_loaded": "提示：榕知未收录 {as_of} 时施行的{title}版本（已收录的最早版本是 {date} 版，{start} 起施行）；"
                           "以下引用的是已收录的版本，当时的规定可能与此不同。",
        "event": "提示：问题说的是{said}的事，以下按 {as_of} 当天有效的版本作答，版本标注（“现行有效”等）也以该日为准；"
                 "今天（{today}）{titles}的状态与当时不同，见版本提示。",
    },
    "en": {
        "vname": "{date} version",
        "repealed": "Version note: {title} quoted above ceased to apply on {on}, replaced by {by} (not loaded); "
                    "quoted for historical reference only.",
        "new_text": "a new text",
        "expired": "Version note: {title} states that it is valid until {until}; as of {as_of} it has expired. The quote is "
                   "its text, the arrangements for its term, not current policy.",
        "head_next": "Version note: the quote above is {loc} of {title} ({vname}, in force); a revision of {next_date} "
                     "takes effect on {start}",
        "head_recent": "Version note: the quote above is {loc} of {title}, {vname} (in force since {start}, replacing "
                       "the {prev})",
        "head_status": "Version note: the quote above is {loc} of {title}, {vname}, {label}",
        "which_new": "the new version", "which_old": "the version before this revision",
        "which_current": "the {vname}, which is in force",
        "match_then": "{head}; from then on the corresponding article of {which} is {m}[{n}]",
        "match": "{head}; the corresponding article of {which} is {m}[{n}]",
        "no_match": "{head}; RongZhi found no article of {which} that corresponds to this one (which does not mean "
                    "that version has no such rule: check its full text)",
        "aside": " (note: {loc} of the {vname} is a different provision: “{gist}……”)",
        "part_found": "; but the part quoted is not in {c} of {which}: it is in {m}[{n}] of {which}",
        "part_none": "; but most of the part quoted is not in {c} of {which}, and RongZhi found no article of {which} worded "
                     "broadly the same",
        "where_match": "in that version this article is {m}",
        "where_none": "RongZhi found no article of that version that corresponds to it",
        "direct": "Note: in {title}, {vname}, {loc} is a different provision (“{gist}……”); {where}",
        "xref_match": "Article note: “{name}{loc}” quoted in [{n}] is numbered as in the {old} of that law; in the {now} "
                      "(in force) the corresponding article is {m}[{k}]",
        "xref_none": "Article note: “{name}{loc}” quoted in [{n}] is numbered as in the {old} of that law; the {now} "
                     "(in force): RongZhi found no article that corresponds to it",
        "xref_unloaded": "Article note: {names} quoted in [{n}] are numbered as in that law's text before the amendment in "
                         "force from {start}, which renumbered its articles (RongZhi has not loaded that earlier text); the "
                         "same number in the {now} (in force) may be a different provision: do not look it up there",
        "sep": "; ", "end": ".",
        "then_not_loaded": "Note: the text of {title} in force on {as_of} is not in RongZhi's corpus (the oldest loaded "
                           "is the {date} version, in force from {start}); the loaded text is quoted below, and what "
                           "applied then may differ.",
        "event": "Note: the question is about something that happened in {said}; the answer below uses the versions in "
                 "force on {as_of}, and the status labels (\"in force\" etc.) are as of that day. Today ({today}) the "
                 "status of {titles} is not what it was then: see the version notes.",
    },
}


def _changed_since(assistant, citations: list[dict], as_of: str, base: str, english: bool) -> str:
    """The titles of cited texts whose status on ``as_of`` is not their status on ``base`` (today), joined ('' if none)."""
    titles = []
    for cite in citations:
        doc = assistant.document(cite["doc_id"]) or {}
        if doc and describe({**doc, "loaded": True}, as_of)["status"] != describe({**doc, "loaded": True}, base)["status"]:
            titles.append(f"《{doc['title']}》")
    return ("、" if not english else ", ").join(dict.fromkeys(titles))


def _vname(doc: dict, english: bool = False) -> str:
    return _NOTES["en" if english else "zh"]["vname"].format(date=doc.get("version_date", ""))


PART_MATCH = 0.5  # share of a quoted part's character pairs its article's counterpart must hold ("most of the words")


def _quoted_part_note(bk: VersionBook, cite: dict, other: dict, counterpart: str, which: str, cite_other, t: dict) -> str:
    """When the citation quotes only part of its article and the counterpart article holds less than
    ``PART_MATCH`` of the quoted words, say so, and where they are when one article of the other
    version holds ``FOUND_IN`` of them: 商标法 (2019) 第六十八条's sentence on 恶意申请 is not in the 2026
    text's 第六十七条, the article's counterpart (evals/DECISIONS.md, session 26, P2). Else ''."""
    quoted = body(to_simplified(cite.get("quote", "")).replace("……", "\n"))
    article = body(bk.articles[cite["doc_id"]][cite["locator"]])
    grams = _grams(quoted)
    if not grams or _grams(article) <= grams:
        return ""  # the whole article is quoted: the article's counterpart is the quote's
    if len(grams & bk.article_grams(other["doc_id"])[counterpart]) / len(grams) >= PART_MATCH:
        return ""
    home = _home(quoted, bk.article_grams(other["doc_id"], paragraphs=True))
    if home.get("found_in") and home["found_in"] != counterpart:
        return t["part_found"].format(which=which, c=counterpart, m=home["found_in"], n=cite_other(other, home["found_in"]))
    return t["part_none"].format(which=which, c=counterpart)


def _note(bk: VersionBook, cite: dict, doc: dict, as_of: str, direct: bool, cite_other, english: bool = False) -> str:
    """The one version line for a citation, or ''."""
    doc_id, loc = cite["doc_id"], cite["locator"]
    if loc not in bk.articles.get(doc_id, {}):
        return ""
    t = _NOTES["en" if english else "zh"]
    status = cite["status"]
    prev, nxt = bk.neighbours(doc_id)
    title = f"《{doc['title']}》"
    sentences: list[str] = []
    other = None
    if status == IN_FORCE and nxt is not None and date_int(_start(nxt)) > date_int(as_of):
        other = nxt
        head = t["head_next"].format(title=title, vname=_vname(doc, english), loc=loc,
                                     next_date=nxt["version_date"], start=_start(nxt))
    elif status == IN_FORCE and prev is not None and 0 <= _days(_start(doc), as_of) <= RECENT_DAYS:
        other = prev
        head = t["head_recent"].format(title=title, vname=_vname(doc, english), start=_start(doc),
                                       prev=_vname(prev, english), loc=loc)
    elif status in (SUPERSEDED, NOT_YET_IN_FORCE):
        current = next((v for v in bk.versions(doc_id) if describe(v, as_of)["status"] == IN_FORCE), None)
        other = current
        head = t["head_status"].format(title=title, vname=_vname(doc, english), loc=loc, label=cite["status_label"])
        if current is None:
            return head + t["end"]
    else:
        head = ""
    if other is not None:
        match = bk.counterpart(doc_id, loc, other["doc_id"])
        newer = date_int(_start(other)) > date_int(_start(doc))
        which = ((t["which_new"] if newer else t["which_old"]) if status == IN_FORCE
                 else t["which_current"].format(vname=_vname(other, english)))
        if match:
            n = cite_other(other, match[0])
            form = t["match_then"] if status == IN_FORCE and newer else t["match"]
            sentences.append(form.format(head=head, which=which, m=match[0], n=n)
                             + _quoted_part_note(bk, cite, other, match[0], which, cite_other, t))
        else:
            sentences.append(t["no_match"].format(head=head, which=which))
    # A number asked for directly that means another provision in another version.
    if direct:
        for v in (prev, nxt):
            if v is None or loc not in bk.articles.get(v["doc_id"], {}):
                continue
            match = bk.counterpart(doc_id, loc, v["doc_id"])
            if match and match[0] == loc:
                continue
            gist = body(bk.articles[v["doc_id"]][loc]).split("\n")[0][:24]
            if other is not None and v["doc_id"] == other["doc_id"] and sentences:
                sentences[0] += t["aside"].format(vname=_vname(v, english), loc=loc, gist=gist)
                continue
            where = t["where_match"].format(m=match[0]) if match else t["where_none"]
            sentences.append(t["direct"].format(title=title, vname=_vname(v, english), loc=loc, gist=gist, where=where))
    return t["sep"].join(sentences) + t["end"] if sentences else ""


_ARTICLE_REF = "第([一二三四五六七八九十百零〇]+)条"
# Another law whose name ends in a loaded title: 劳动争议调解仲裁法 and 农村土地承包经营纠纷调解仲裁法 are not 仲裁法.
_LONGER_NAME = "调解"


@lru_cache(maxsize=1)
def _renumbering() -> frozenset[tuple[str, str]]:
    """(title, version_date) of the loaded versions whose amendment renumbered the law (``data/renumbering.tsv``)."""
    table = Path(__file__).with_name("data") / "renumbering.tsv"
    return frozenset((r["title"], r["version_date"]) for r in read_table(table, ("title", "version_date", "reason")))


def _renumbered_after(title: str, version: dict, written: str) -> str:
    """The day ``version`` took effect when its amendment renumbered the law and a text written on ``written`` predates
    it (so that text names the articles of the earlier, unloaded text); "" otherwise."""
    start = start_date(version.get("version_date", ""), version.get("effective_date", ""))
    if (title, version.get("version_date", "")) not in _renumbering():
        return ""
    return start if date_int(written) < date_int(start) else ""


def cross_reference_note(bk: VersionBook, cite: dict, doc: dict, as_of: str, cite_other, english: bool = False) -> str:
    """A line for a quote that cites another law by article number when that law has since been
    renumbered: 商业秘密规定 (2020) says 「反不正当竞争法第九条」, which is 第十条 of the 2025 text in
    force; after 2027-01-01 商标法实施条例's 「商标法第四十九条」 is 第五十七条 of the 2026 text. A
    reader who looks the number up in the law in force would read another provision.

    The number is read as the law's version in force when the quoting text was promulgated (the
    earliest loaded version when the quoting text is older than all of them: a revision that
    renumbered before it would have to be loaded to be seen). ""  when nothing was renumbered."""
    text = to_simplified(cite.get("quote", ""))
    written = doc.get("version_date", "")
    if not text or not written:
        return ""
    t = _NOTES["en" if english else "zh"]
    lines, seen = [], set()
    unloaded: dict[tuple[str, str, str], list[str]] = {}  # (title, renumbered on, version in force) -> the names as quoted
    for title, versions in bk.cross_referenced.items():
        if title == doc.get("title"):
            continue
        names = sorted({title, title.replace("中华人民共和国", "")}, key=len, reverse=True)
        pattern = re.compile(f"(?<!{_LONGER_NAME})《?({'|'.join(map(re.escape, names))})》?{_ARTICLE_REF}")
        old = now = None
        for m in pattern.finditer(text):
            if old is None:  # VersionBook holds loaded versions only
                old, now = in_force_version(versions, written), in_force_version(versions, as_of)
            loc = f"第{m.group(2)}条"
            if old and now and (renumbered := _renumbered_after(title, old, written)):
                # Written before the amendment that renumbered the law took effect, and that earlier text is not loaded:
                # the number is the earlier text's (著作权法实施条例 2013: 「著作权法第二十一条」 is the 2010 term of protection).
                if (title, loc) not in seen:
                    seen.add((title, loc))
                    unloaded.setdefault((title, renumbered, _vname(now, english)), []).append(m.group(1) + loc)
                continue
            if not old or not now or old["doc_id"] == now["doc_id"]:
                break
            if (title, loc) in seen or loc not in bk.articles.get(old["doc_id"], {}):
                continue
            seen.add((title, loc))
            match = bk.counterpart(old["doc_id"], loc, now["doc_id"])
            if match and match[0] == loc:
                continue
            args = dict(n=cite["n"], name=m.group(1), loc=loc, old=_vname(old, english), now=_vname(now, english))
            lines.append(t["xref_match"].format(m=match[0], k=cite_other(now, match[0]), **args) if match
                         else t["xref_none"].format(**args))
    quote = "“{}”"
    for (_, start, now_name), names in unloaded.items():
        lines.append(t["xref_unloaded"].format(n=cite["n"], names="".join(quote.format(name) for name in names), start=start,
                                               now=now_name))
    return "\n".join(line + t["end"] for line in lines)


def _quote_end(answer: str, n: int) -> int:
    """Where the ”[n] closing citation n's quote block sits: the quote opened on a line of its own
    right after its 根据《…》…： line; -1 if there is none. The answering sentence an answer opens with
    (compose.lead_sentence) carries the same marker but follows no such line, and version notes and
    labels belong to the article quoted in full, not to it."""
    marker = f"”[{n}]"
    at = answer.find(marker)
    while at >= 0:
        start = answer.rfind("\n“", 0, at)
        if start >= 0 and answer[answer.rfind("\n", 0, start) + 1:start].rstrip().endswith(("：", ":")):
            return at
        at = answer.find(marker, at + 1)
    return -1


def _label_lead(answer: str, cite: dict, label: str) -> str:
    """根据《T》第六十三条： -> 根据《T》（2019-04-23 版，现行有效）第六十三条： for citation n."""
    end = _quote_end(answer, cite["n"])
    if end < 0:
        return answer
    quote_start = answer.rfind("\n“", 0, end)
    if quote_start < 0:
        return answer
    lead_start = answer.rfind("\n", 0, quote_start) + 1
    lead = answer[lead_start:quote_start]
    title_end = lead.find("》")
    if title_end < 0 or "版，" in lead:
        return answer
    new_lead = lead[:title_end + 1] + f"（{label}）" + lead[title_end + 1:]
    return answer[:lead_start] + new_lead + answer[quote_start:]


# -- rongzhi diff -----------------------------------------------------------------------------------
def find_title(name: str, documents: list[dict]) -> str:
    """The title with several versions that ``name`` names (商标法, 中华人民共和国商标法…)."""
    name = to_simplified(name.strip()).strip("《》")
    if name.isascii():  # 「rongzhi diff "Trademark Law"」: the English names the questions read (en_law_names.tsv)
        from .english import chinese_name

        name = chinese_name(name) or name
    titles: dict[str, int] = {}
    for d in documents:
        if d.get("path", True):
            titles[d["title"]] = titles.get(d["title"], 0) + 1
    exact = [t for t in titles if name in (t, t.replace("中华人民共和国", ""))]
    found = exact or sorted((t for t in titles if name and name in t), key=len)
    names = [t.replace("中华人民共和国", "") for t, n in titles.items() if n >= 2]
    several, several_en = "、".join(names), ", ".join(names)
    if not found:  # what can be compared, so the user need not guess (session 35's sweep F)
        raise VersionError(f"没有找到名为“{name}”的文件。收录了多个版本、可以比较的有：{several}。",
                           f"no document named {name!r}; laws with several versions loaded: {several_en}")
    title = found[0]
    if titles[title] < 2:
        raise VersionError(f"《{title}》只收录了一个版本，无从比较。收录了多个版本、可以比较的有：{several}。",
                           f"only one version of {title} is loaded; nothing to compare (laws with several versions: "
                           f"{several_en})")
    return title


def _loaded_versions(versions: list[dict]) -> tuple[str, str]:
    """The loaded versions and when each took effect, for an error that must say what can be asked (zh, en)."""
    zh = "、".join(f"{v['version_date']} 版（{_start(v)} 起施行）" for v in versions)
    en = ", ".join(f"{v['version_date']} (in force from {_start(v)})" for v in versions)
    return zh, en


def pick_version(versions: list[dict], when: str | None, default: dict, option: str = "") -> dict:
    """The version whose version date or effective date is ``when``, else the one in force that
    day (``when`` may also be a year: the version dated that year, else the one in force at its end).
    ``option`` (--from / --to) names the option an error is about."""
    if not when:
        return default
    when = when.strip()
    for v in versions:
        if when in (v.get("version_date", ""), v.get("effective_date", "")) or v["doc_id"] == when:
            return v
    if re.fullmatch(r"\d{4}", when):
        same = [v for v in versions if v.get("version_date", "").startswith(when)]
        if len(same) == 1:
            return same[0]
        when = f"{when}-12-31"  # a year no version is dated in: the version in force at its end
    head = f"{option} " if option else ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
        raise VersionError(f"{head}版本日期格式不对：{when!r}，应为年份（2019）或日期（2019-04-23）。",
                           f"bad {head}version date {when!r}: expected a year (2019) or a date (2019-04-23)")
    day = check_date(when, f"{head}版本日期", what_en=f"{head}version date")  # 2019-13-45 was a bad "as-of" date
    started = [v for v in versions if date_int(_start(v)) <= date_int(day)]
    if not started:
        zh, en = _loaded_versions(versions)
        # The law may well have been in force then (仲裁法 since 1995): no *loaded* version was (session 43's sweep).
        raise VersionError(f"已收录的版本中没有 {when} 时施行中的版本（更早的文本未收录）。已收录的版本：{zh}。",
                           f"no loaded version was in force on {when} (earlier texts are not loaded); "
                           f"loaded versions: {en}")
    return started[-1]


def diff_documents(settings, name: str, date_from: str | None = None, date_to: str | None = None) -> dict:
    """``rongzhi diff``: the two versions (default: the two newest) of a law, article by article.
    Reads the law files directly (no index needed)."""
    from rongzhi.ingest.manifest import load_documents
    from rongzhi.ingest.readers import decode_bytes
    from rongzhi.ingest.splitters import split_document

    docs = [d.as_dict() for d in load_documents(settings)]
    title = find_title(name, docs)
    versions = sorted((d for d in docs if d["title"] == title and d["path"]),
                      key=lambda d: (date_int(_start(d)), d["version_date"]))
    old = pick_version(versions, date_from, versions[-2], "--from")
    new = pick_version(versions, date_to, versions[-1], "--to")
    if old["doc_id"] == new["doc_id"]:
        zh, en = _loaded_versions(versions)
        raise VersionError(f"起止日期指向同一个版本。已收录的版本：{zh}。",
                           f"--from and --to select the same version; loaded versions: {en}")
    swapped = date_int(_start(old)) > date_int(_start(new))
    if swapped:  # compared old -> new, and said (it was swapped silently: session 35's sweep F)
        old, new = new, old
    texts = []
    for d in (old, new):
        with open(d["path"], "rb") as fh:
            raw = decode_bytes(fh.read(), d["path"])
        arts: dict[str, str] = {}
        for c in split_document(raw, {**d, "splitter": d.get("splitter") or "law"}, d["path"],
                                max_chars=settings.max_chunk_chars):
            arts[c.locator] = (arts[c.locator] + "\n" + c.text) if c.locator in arts else c.text
        texts.append(arts)
    items = compare(*texts)
    counts = count_changes(items)
    keep = ("doc_id", "title", "version_date", "effective_date")
    return {"title": title, "from": {k: old.get(k, "") for k in keep}, "to": {k: new.get(k, "") for k in keep},
            "swapped": swapped, "articles": {"from": len(texts[0]), "to": len(texts[1])}, "counts": counts,
            "changes": items}


def count_changes(items: list[dict]) -> dict[str, int]:
    """How many articles of each ``compare`` kind, and how many changed articles were also renumbered."""
    counts: dict[str, int] = {}
    for it in items:
        counts[it["change"]] = counts.get(it["change"], 0) + 1
        if it["change"] == "changed" and it.get("renumbered"):
            counts["changed_and_renumbered"] = counts.get("changed_and_renumbered", 0) + 1
    return counts


def counts_line(counts: dict[str, int], english: bool = False) -> str:
    if english:
        return (f"{counts.get('changed', 0)} changed ({counts.get('changed_and_renumbered', 0)} of them also renumbered), "
                f"{counts.get('renumbered', 0)} only renumbered, {counts.get('added', 0)} added, "
                f"{counts.get('removed', 0)} removed, {counts.get('unchanged', 0)} unchanged")
    return (f"修改 {counts.get('changed', 0)} 条（其中条号也变了 {counts.get('changed_and_renumbered', 0)} 条），仅条号变更 "
            f"{counts.get('renumbered', 0)} 条，新增 {counts.get('added', 0)} 条，删除 {counts.get('removed', 0)} 条，"
            f"未变 {counts.get('unchanged', 0)} 条")


CHANGE_ZH = {"added": "新增", "removed": "删除", "renumbered": "条号变更", "changed": "修改", "unchanged": "未变"}


def diff_text(diff: dict, show_unchanged: bool = False) -> str:
    """The terminal form of ``diff_documents``: a summary, then one block per changed article."""
    a, b = diff["from"], diff["to"]
    c = diff["counts"]
    lines = [f"《{diff['title']}》{a['version_date']} 版（{a['effective_date'] or a['version_date']} 起施行，"
             f"{diff['articles']['from']} 条）→ {b['version_date']} 版（{b['effective_date'] or b['version_date']} 起施行，"
             f"{diff['articles']['to']} 条）",
             f"{counts_line(c)}。标记：【-删去的文字-】【+新增的文字+】", ""]
    if diff.get("swapped"):
        lines.insert(0, "注：--from 所选版本晚于 --to 所选版本，已按时间先后（旧版 → 新版）比较。")
    for it in diff["changes"]:
        kind = it["change"]
        if kind == "unchanged" and not show_unchanged:
            continue
        if kind == "added":
            lines += [f"[新增] 新{it['to']}", f"    {it['new_text']}"]
        elif kind == "removed":
            lines += [f"[删除] 原{it['from']}{removed_note(it)}", f"    {it['old_text']}"]
        elif kind == "renumbered":
            lines += [f"[条号变更] 原{it['from']} → 新{it['to']}（内容未变）"]
        elif kind == "unchanged":
            lines += [f"[未变] {it['to']}"]
        else:
            where = f"原{it['from']} → 新{it['to']}" if it.get("renumbered") else it["to"]
            lines += [f"[修改] {where}（相似度 {it['similarity']:.2f}）", f"    {it['marked']}"]
    return "\n".join(lines)


# -- "what did the revision change?" -----------------------------------------------------------------
# Asked of a law as a whole (商标法修改后有哪些变化, 新版反不正当竞争法改了啥, 仲裁法新旧有什么区别), no one article
# answers it: before this, the search quoted whichever article holds 修改 or 改变 (商标法第二十四条, a
# registrant changing its mark). The article-by-article comparison of the two texts does answer it.
# Asking whether a text still applies (rule E2, evals/DECISIONS.md session 26): how the question is asked.
_ASKS_VALIDITY = re.compile(r"还有效|仍然?有效|是否(仍然?|还)?有效|有效吗|有效没|失效|过期|作废|废止|还适用|还能用|"
                            r"still (valid|in force|appl)|expired|no longer (valid|in force)", re.I)
_ASKS_CHANGES = re.compile(r"(修改|修订|修正|改)了?些?(什么|哪些|啥)|(哪些|什么|啥)(?:主要|重要|重大|重点)?的?新?(变化|改动|修改|修订|变动|不同|区别)"
                           r"|(变化|改动|变动|修改之处)(有|是)(哪些|什么|啥)"
                           r"|有没有变化|有变化|变化(了|吗|大吗)|新旧|(修改|修订|修正)前后")  # not 申请前后, 标志的变化
# What may remain of such a question once the law's name and the change words are taken out; anything
# else is a topic (商标法对商标使用的规定有什么变化), which the ordinary search and its version notes answer.
_CHANGE_FILLER = re.compile(r"修改|修订|修正|改动|变动|变化|改了|改|新旧|前后|对照|对比|比较|区别|不同|新版|旧版|最新|新|旧|"
                            r"这两个|这两|两个|这|那|"
                            r"版本|版|以后|之后|后|以前|之前|原来|相比|比起|比|的|了|有|哪些|什么|啥|吗|呢|这次|此次|本次|做了|作了|主要|具体|都|一下|"
                            r"内容|条文|条款|地方|规定|请问|想问|想知道|知道|帮我|看看|说说|讲讲|和|与|跟|\d{4}年?|年|"
                            # when the changes start (「明年起商标法有什么变化？」, VW)
                            r"明年|今年|起|开始|施行|生效|实施|[？?！!。，,、\s]")
MAX_EXAMPLES = 3
# The answer's sentences, in Chinese and (for an English question) English. Quotes stay in Chinese:
# they are the law's own words.
_CHANGES_TEXT = {
    "zh": {
        "one_version": ("榕知只收录了《{title}》的一个版本（{label}），没有修订前后的另一版文本，无法逐条说明改了什么。"
                        "可以问这部法律某一条或某个问题现在怎么规定；有另一版本的文件时，可用 rongzhi corpus add 文件 --date 版本日期 加载后对照。"),
        "version": "{date} 版（{state}，{n} 条）", "starts": "{start} 起施行，{label}",
        "head": "《{title}》收录了两个版本：{old}和 {new}。逐条比对两版原文：{counts}。",
        "added": "{date} 版新增的条文：{locs}。", "removed": "{date} 版中被删除的条文：{locs}。", "join": "、",
        "added_quote": "新增条文（{date} 版{loc}）：“{quote}”[{n}]",
        "where": "原{old} → 新{new}",
        "most": "改动最大的条文（{where}，文字相似度 {sim:.2f}）：\n{old_date} 版：“{old_quote}”[{n_old}]\n"
                "{new_date} 版：“{new_quote}”[{n_new}]",
        "full": "完整的逐条对照（标出删去和新增的文字）：运行 `{command}`，或在界面的「版本对照」中查看。",
        "computed": "注：条文的对应关系和改动是榕知按两版条文的文字自动比对得出的，不是立法机关的修改说明。",
    },
    "en": {
        "one_version": ("RongZhi has only one version of 《{title}》 ({label}): with no other text to compare it with, it "
                        "cannot say what a revision changed. You can ask what an article or a topic says now; to compare, "
                        "load the other version with `rongzhi corpus add FILE --date VERSION_DATE`."),
        "version": "the {date} version ({state}; {n} articles)", "starts": "in force from {start}; {label}",
        "head": "RongZhi has two versions of 《{title}》: {old} and {new}. Compared article by article: {counts}.",
        "added": "Articles added in the {date} version: {locs}.", "removed": "Articles of the {date} version removed: {locs}.",
        "join": ", ",
        "added_quote": "Added ({date} version, {loc}): “{quote}”[{n}]",
        "where": "{old} → {new}",
        "most": "The most changed article ({where}, text similarity {sim:.2f}):\n{old_date} version: “{old_quote}”[{n_old}]\n"
                "{new_date} version: “{new_quote}”[{n_new}]",
        "full": "The full article-by-article comparison (deleted and added words marked): run `{command}`, or open "
                "版本对照 (version comparison) in the UI.",
        "computed": "Note: which articles correspond and what changed were computed by RongZhi from the two texts; this is "
                    "not the legislature's explanation of the revision.",
    },
}


def asks_changes(norm: str, named_aliases: list[str]) -> bool:
    """The question asks what a revision changed, of a whole law named in it (``named_aliases``:
    the names it was found by)."""
    if not _ASKS_CHANGES.search(norm):
        return False
    rest = norm
    for alias in sorted(named_aliases, key=len, reverse=True):
        rest = rest.replace(alias, "")
    return len(_CHANGE_FILLER.sub("", rest)) <= 1


def changes_answer(assistant, bundle, aliases: list[tuple[str, str]]) -> dict | None:
    """The answer to "what did the revision change?" for the one law named with several versions:
    both versions with their dates and status, the counts of the article-by-article comparison, the
    articles added and removed, the first added articles and the most changed one quoted and cited,
    and where the full comparison is (``rongzhi diff``, the UI's 版本对照). None when the question is
    not of that kind. Counts and correspondences are computed from the two texts, and said to be."""
    from . import compose as composer
    from . import english as en_names

    query, as_of = bundle.query, bundle.filters.as_of
    english = query.is_english
    if bundle.refs:
        return None
    titles = {assistant.document(d)["title"] for d in bundle.named}
    if len(titles) != 1:
        return None  # one law, and nothing else named (商标法和著作权法有什么不同)
    doc = assistant.document(bundle.named[0])
    if english:
        asked = en_names.asks_changes(query.text)
    else:
        asked = asks_changes(query.norm, [a for a, d in aliases if d in bundle.named and a in query.norm])
    if not doc.get("path") or not asked:
        return None
    t = _CHANGES_TEXT["en" if english else "zh"]
    bk = book(assistant)  # built only for such a question: the checks above run on every ask
    if not bk.versions(doc["doc_id"]):
        # One text loaded: what it changed cannot be read from it (专利法修改了什么 quoted 第三十三条, an
        # applicant amending an application). Say which text is loaded, not a neighbour as the answer.
        label = (f"{doc.get('version_date', '')}, {describe(doc, as_of, True)['status_label']}" if english
                 else version_label(doc, as_of))
        text = t["one_version"].format(title=doc["title"], label=label)
        return composer.answer_dict(query, to_traditional(text) if query.language == "zh-Hant" else text, [], [],
                                    assistant.settings.top_k, answerable=False, notice="one_version")
    before, after = bk.neighbours(doc["doc_id"])
    if after is not None and describe(doc, as_of)["status"] == IN_FORCE:
        old, new = doc, after  # the law in force and the revision that will replace it
    elif before is not None:
        old, new = before, doc
    else:
        old, new = doc, after
    items = compare(bk.articles[old["doc_id"]], bk.articles[new["doc_id"]], bk.pairing(old["doc_id"], new["doc_id"]))
    counts = count_changes(items)
    added = [it["to"] for it in items if it["change"] == "added"]
    removed = [it["from"] + removed_note(it, english) for it in items if it["change"] == "removed"]
    changed = sorted((it for it in items if it["change"] == "changed"), key=lambda it: it["similarity"])

    def name(d: dict) -> str:
        state = describe(d, as_of, english)
        label = _flat(state["status_label"]) if not english else state["status_label"]
        if state["status"] != NOT_YET_IN_FORCE:  # a version not yet in force says its start date in its label
            label = t["starts"].format(start=_start(d), label=label)
        return t["version"].format(date=d.get("version_date", ""), state=label, n=len(bk.articles[d["doc_id"]]))

    counted = counts_line(counts, english)
    lines = [t["head"].format(title=doc["title"], old=name(old), new=name(new), counts=counted)]
    if added:
        lines.append(t["added"].format(date=new["version_date"], locs=t["join"].join(added)))
    if removed:
        lines.append(t["removed"].format(date=old["version_date"], locs=t["join"].join(removed)))
    citations: list[dict] = []

    def cite(d: dict, locator: str) -> int:
        citations.append(_extra_citation(bk, len(citations) + 1, d, locator, as_of, english))
        citations[-1]["role"] = "changes"
        return citations[-1]["n"]

    for locator in added[:MAX_EXAMPLES - 1 if changed else MAX_EXAMPLES]:
        n = cite(new, locator)
        lines.append(t["added_quote"].format(date=new["version_date"], loc=locator,
                                             quote=_article_quote(bk.articles[new["doc_id"]][locator]), n=n))
    if changed:
        it = changed[0]
        n_old, n_new = cite(old, it["from"]), cite(new, it["to"])
        where = t["where"].format(old=it["from"], new=it["to"]) if it["from"] != it["to"] else it["to"]
        lines.append(t["most"].format(where=where, sim=it["similarity"], old_date=old["version_date"],
                                      old_quote=_article_quote(it["old_text"]), n_old=n_old,
                                      new_date=new["version_date"], new_quote=_article_quote(it["new_text"]),
                                      n_new=n_new))
    command = f"rongzhi diff {doc['title']}"
    lines.append(t["full"].format(command=command))
    lines.append(t["computed"])
    answer = "\n".join(lines)
    if query.language == "zh-Hant":
        answer = to_traditional(answer).replace(to_traditional(command), command)  # the command takes the title as filed
    return composer.answer_dict(query, answer, citations, [], assistant.settings.top_k, notice="version_changes",
                                versions_compared=[old["doc_id"], new["doc_id"]], change_counts=counts)


# "Which version applies?" (哪个版本, 新法还是旧法, 还有效吗) about one law loaded in several versions.
_ASKS_VERSION = re.compile(r"(哪个|哪一个|哪一|哪部|什么)版本|哪一?版|新法还是旧法|旧法还是新法|新版还是旧版|旧版还是新版|"
                           r"(适用|按照?|依照?|用)(哪个|哪部|哪一部|新法|旧法|新的|旧的|新版|旧版)|还有效吗|还适用吗|"
                           # 实施 too (VW3): 「新商标法啥时候开始实施」; a question on practising a patent names no law loaded in
                           # several versions, which ``which_version_answer`` needs
                           # 「生效了没？」「施行了没」 (VW4, session 47's sweep J) as 「生效了吗」
                           r"(施行|生效|实行)了(吗|没有?)|(什么时候|啥时候|何时)(开始)?(施行|生效|实行|实施)|"
                           # a choice between two versions (session 34, V3): 「适用2019年的商标法还是2026年新修订的」
                           r"(适用|按照?|依照?|用)[^，,。？?！!]{0,16}还是[^，,。？?！!]{0,16}(版|修订|修正)的?|"
                           r"(19|20)\d\d年?版?[^，,。？?！!]{0,8}还是[^，,。？?！!]{0,4}(19|20)\d\d年?版")
_ASKS_VERSION_EN = re.compile(r"which version|\bold or (the )?new\b|\bnew or (the )?old\b|still (in force|valid|apply)|"
                              r"in force yet|take effect yet|which (law|text) applies", re.I)
_COMMENCES = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")  # 「本法自2027年1月1日起施行」
_VERSION_TEXT = {
    "zh": {"head": "按 {as_of}，《{title}》收录了 {n} 个版本：", "in_force": "{date} 版现行有效（{start} 起施行）",
           "not_yet": "{date} 版尚未施行，自 {start} 起施行", "replaced": "{date} 版{label}", "join": "；", "end": "。",
           "quote": "{date} 版{loc}：“{quote}”[{n}]",
           "how": "提问时榕知按 {as_of} 有效的版本引用条文，并在版本提示中给出另一版本的对应条文；加 --as-of 日期 可按别的日子作答。"},
    "en": {"head": "As of {as_of}, RongZhi has {n} versions of 《{title}》: ", "in_force": "the {date} version is in force (since {start})",
           "not_yet": "the {date} version is not yet in force; it takes effect on {start}", "replaced": "the {date} version: {label}",
           "join": "; ", "end": ".", "quote": "{date} version, {loc}: “{quote}”[{n}]",
           "how": "Answers quote the version in force on {as_of} and name the other version's corresponding article in a "
                  "version note; add --as-of DATE to answer for another day."},
}


def _commences_on(text: str) -> str | None:
    """The date a commencement clause (「本法自2027年1月1日起施行」) names, as YYYY-MM-DD."""
    m = _COMMENCES.search(text)
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


_SENTENCE_END = re.compile(r"[？?。！!]")


# What may follow the cue and still end it: 「的」 and a law's name (…法, …条例, …细则, …规定, …解释, …办法), in 《》 or not.
_LAW_AFTER_CUE = re.compile(r"^(?:版本)?的?《?[\u4e00-\u9fff（）()]{0,24}?(?:法|条例|细则|规定|解释|办法)》?")


def asks_version(text: str, english: bool = False) -> bool:
    """The question ends by asking which version applies (「……该按哪个版本？」); 「哪个版本规定了惩罚性赔偿」
    asks about a topic, answered by the search with its version notes."""
    if english:
        return bool(_ASKS_VERSION_EN.search(text))
    ends = [m.end() for i in range(len(text)) if (m := _ASKS_VERSION.match(text, i))]  # overlapping cues too
    # The cue ends the question, or its own sentence when another question follows (「…现在已经生效了吗？现在抢注会被怎么处理」:
    # session 34, V2; the rest is then a subject, ``asks_version_of_a_topic``). The law's name may follow the cue
    # (「现在应该适用哪个版本的反不正当竞争法？」, session 41's sweep).
    return any(len(re.sub(r"[呢啊吧呀的了吗，,…\s]", "", _LAW_AFTER_CUE.sub("", _SENTENCE_END.split(text[end:], 1)[0]))) <= 2
               for end in ends)


_CLAUSE_ENDS = ("，", ",", "。", "；", ";", "！", "!", "？", "?", ". ")
# What a version question writes besides its cue: 「新商标法」「该按哪个版本」 (the cue takes 按哪个, leaving 版本).
# 现在, 目前, 应该, 到底 … frame the question in time and insistence and name no subject: 「商标法现在应该适用哪个版本？」 was read as asking
# about 现在应该 (session 41's sweep).
_VERSION_WORDS = re.compile(r"新法|旧法|还是|新|旧|现行|版本|该|现在|目前|如今|眼下|应该|应当|到底|究竟|修正|修订|修改|"
                            r"\b(?:new|old|current|today|law|act|now|in force|into force|force|effect|effective|apply|applies|"
                            r"valid|currently|presently|at present)\b", re.I)


def asks_version_of_a_topic(assistant, bundle) -> bool:
    """A version question that also asks about a subject (「那现在商标侵权赔偿按哪个版本？」): the subject is answered from
    the version in force, with the versions' status before it (``version_status_line``), not the status alone (session 33's
    sweep B: the status text alone left 侵权赔偿 unanswered; evals/DECISIONS.md, V)."""
    from .english import without_law_names
    from .locate import without_names
    from .scope import subjectless

    query = bundle.query
    text = query.text if query.is_english else query.norm
    if not asks_version(text, query.is_english):
        return False
    # From the clause that asks the version on: what comes before it is the asker's story (「我现在发现别人侵犯我的注册商标，
    # 该按哪个版本？」 asks only which version applies; searched, its story found 第七十三条's 「本法自1983年3月1日起施行」).
    cue = (_ASKS_VERSION_EN if query.is_english else _ASKS_VERSION).search(text)
    text = text[max((text.rfind(p, 0, cue.start()) for p in _CLAUSE_ENDS), default=-1) + 1:]
    if query.is_english:
        rest = _ASKS_VERSION_EN.sub(" ", without_law_names(text))
    else:
        rest = _ASKS_VERSION.sub(" ", without_names(text, scope(assistant, bundle.filters, query.norm)[1], bundle.named))
    rest = _VERSION_WORDS.sub(" ", rest)
    return bool(re.search(r"[\u4e00-\u9fff]{2}|[a-z]{4}", rest)) and not subjectless(rest)


def _versions_named(assistant, bundle) -> list[dict]:
    """The loaded versions of the one law the question names; [] when it names several, or none outside a conversation.
    A follow-up naming none (「那新版本什么时候开始施行？」 after an answer from 商标法) asks about the law the previous answer
    cited first (session 34's sweep, K4)."""
    titles = {assistant.document(d)["title"] for d in bundle.named}
    if not titles and bundle.previous_docs:
        bk, first = book(assistant), bundle.previous_docs[0]
        if bundle.filters.as_of_said:
            # 「2023年发生的按哪个版本？」 asks what governed a dated matter: the answer's own first source says (the
            # trade-secret rules' 第二十八条, session 37)
            return bk.versions(first)
        # Asked of the versions themselves, the first law it cited that is loaded in several versions: after an answer led
        # by a court's interpretation of 商标法 (one version), 「那新版什么时候生效？」 asks about 商标法, cited next (VF)
        return next((v for d in bundle.previous_docs if len(v := bk.versions(d)) > 1), None) or bk.versions(first)
    return book(assistant).versions(bundle.named[0]) if len(titles) == 1 else []


def _status_line(versions: list[dict], as_of: str, english: bool) -> str:
    """「按 {as_of}，《商标法》收录了 2 个版本：2019-04-23 版现行有效（…起施行）；2026-06-26 版尚未施行，自 2027-01-01 起施行。」"""
    t = _VERSION_TEXT["en" if english else "zh"]
    parts = []
    for d in versions:
        state = describe(d, as_of, english)
        key = {IN_FORCE: "in_force", NOT_YET_IN_FORCE: "not_yet"}.get(state["status"], "replaced")
        parts.append(t[key].format(date=d.get("version_date", ""), start=_start(d), label=_flat(state["status_label"])))
    return t["head"].format(as_of=as_of, title=versions[0]["title"], n=len(versions)) + t["join"].join(parts) + t["end"]


def version_status_line(assistant, bundle, lead_doc: str | None) -> str | None:
    """The versions' status, said before the answer to a version question that asks about a subject too
    (``asks_version_of_a_topic``): of the law it names, else of the law its answer leads with (「商标侵权赔偿按哪个版本？」
    names none); None for any other question, or when that law is loaded in one version only."""
    if bundle.refs or not asks_version_of_a_topic(assistant, bundle):
        return None
    versions = _versions_named(assistant, bundle) if bundle.named else \
        (book(assistant).versions(lead_doc) if lead_doc else [])
    return _status_line(versions, bundle.filters.as_of, bundle.query.is_english) if len(versions) > 1 else None


def which_version_answer(assistant, bundle) -> dict | None:
    """The answer to "which version of this law applies?": every loaded version with its dates and
    status on the as-of date, each cited by its own commencement article. None when the question
    is not of that kind or names no law loaded in several versions."""
    from . import compose as composer

    query, as_of = bundle.query, bundle.filters.as_of
    if bundle.refs or not asks_version(query.text if query.is_english else query.norm, query.is_english) \
            or asks_version_of_a_topic(assistant, bundle):
        return None
    versions = _versions_named(assistant, bundle)
    if not versions:
        return None
    bk, english = book(assistant), query.is_english
    t = _VERSION_TEXT["en" if english else "zh"]
    citations = []
    for d in versions:
        start = _start(d)
        # The text's own commencement article, when it names this version's start: an amended law keeps the
        # original's (商标法 2019: 「本法自1983年3月1日起施行」), which says nothing about the amendment.
        locator = next((loc for loc, text in reversed(list(bk.articles[d["doc_id"]].items()))
                        if _commences_on(body(text)) == start), None)
        if locator is not None:  # a citation of role "version"
            citations.append(_extra_citation(bk, len(citations) + 1, d, locator, as_of, english))
    lines = [_status_line(versions, as_of, english)]
    for c in citations:  # each cited for naming its own start, so the clause is there
        lines.append(t["quote"].format(date=c["version_date"], loc=c["locator"],
                                       quote=_COMMENCES.search(c["chunk_text"]).group(0), n=c["n"]))
    lines.append(t["how"].format(as_of=as_of))
    answer = "\n".join(lines)
    if query.language == "zh-Hant":
        answer = to_traditional(answer)
    return composer.answer_dict(query, answer, citations, [], assistant.settings.top_k, notice="which_version")

