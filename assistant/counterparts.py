"""The previous article's subject in another text: a follow-up after a look-up that names another law, another kind
of right, or Taiwan.

「专利法第四十二条是怎么规定的？」 then 「那商标呢？」 asks what the trademark law says on the same subject (注册商标的有效期,
商标法第三十九条), and 「那台湾人呢？」 whether the texts about Taiwan say anything of their own on it. Read with the
previous question, both only named 专利法第四十二条 again, which was quoted again (new users' chat sweep).

What an article is about is its first sentence: the rule it states, before provisos and the items of a list. That
sentence, with the right the follow-up names (商标), is searched in the texts it names; the best match counts only when
the search back, from its sentence closest to that rule and within the previous article's own document, finds the
previous article first. Each then is the other's nearest, which a law with no such provision does not give (专利法的
强制许可 has nothing to come back to in the trademark law): so that law is said to have none, and nothing unrelated is
quoted. Only a follow-up that asks nothing else (``asks_the_same``): 「那商标怎么注册？」 is a question of its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.tables import read_table

from .versions import similarity

TABLE = Path(__file__).with_name("data") / "right_laws.tsv"
SUBJECT_CHARS = 200  # the first sentence of a long list article is cut here: its rule comes first
_HEADING = re.compile(r"^\s*第\S{1,8}条\s*")
_SENTENCE = re.compile(r"[^。；;\n]+")


# Taiwan compatriots and their firms as a follow-up names them (「那台湾人呢？」「台商呢」 "What about Taiwan compatriots?").
TAIWAN_NAMED = re.compile(r"台湾(?:地区)?(?:同胞|居民|人士|民众|人|企业|公司|投资者)?|台胞|台资企业|台资|台商|台企|两岸|"
                          r"\btaiwan(?:ese)?(?: compatriots?| people| residents?| investors?| companies| firms)?\b", re.I)


@lru_cache(maxsize=1)
def _rights() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["pattern"]), r["law"]) for r in read_table(TABLE, ("pattern", "law", "reason")))


def right_named(norm: str) -> tuple[str, str] | None:
    """(the words, the name of the law on it) for the kind of right a (normalized) question names (商标 -> 商标法),
    or None."""
    return next(((m.group(), law) for pattern, law in _rights() if (m := pattern.search(norm))), None)


def asks_the_same(norm: str, aliases: list[tuple[str, str]]) -> bool:
    """The follow-up asks nothing of its own once the texts it names are taken out (names of documents, kinds of rights,
    Taiwan compatriots): 「那商标呢？」「那商标法怎么规定的？」「那台湾人呢？」, not 「那商标怎么注册？」 (a question of its own,
    which the previous article's subject would answer wrongly)."""
    from .scope import subjectless

    rest = norm
    for alias, _ in aliases:  # longest first
        rest = rest.replace(alias, " ")
    for pattern, _ in _rights():
        rest = pattern.sub(" ", rest)
    rest = TAIWAN_NAMED.sub(" ", rest)
    return not re.sub(r"[\W_]+", "", rest) or subjectless(rest)


def subject(text: str) -> str:
    """What an article (or a task) is about: its first sentence, without its number."""
    body = _HEADING.sub("", text.strip())
    first = next((m.group().strip() for m in _SENTENCE.finditer(body) if m.group().strip()), body)
    return first[:SUBJECT_CHARS]


def closest_sentence(text: str, to: str) -> str:
    """The sentence of ``text`` sharing the most character bigrams with ``to`` (``versions.similarity``, the
    Dice the version diff pairs articles by; the first on a tie): the part of a long task that is about the
    subject searched (task 19's 专利代理师考试, not its title)."""
    best, score = subject(text), -1.0
    for m in _SENTENCE.finditer(_HEADING.sub("", text.strip())):
        if (dice := similarity(m.group(), to)) > score:
            best, score = m.group().strip(), dice
    return best[:SUBJECT_CHARS]
