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
quoted. Only a follow-up that asks nothing else (``asks_the_same``), or that asks again what the previous question
asked (``asks_another_thing`` is false: 「那商标保护多久？」 after 「发明专利保护多少年？」): 「那商标怎么注册？」 is a question of
its own, and so is 「那商标保护多久？」 after 「那商标怎么注册？」.
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
def _table() -> tuple[dict, ...]:
    return tuple(read_table(TABLE, ("pattern", "law", "kind", "reason")))


@lru_cache(maxsize=1)
def _rights() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["pattern"]), r["law"]) for r in _table())


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["pattern"]), r["kind"]) for r in _table())


@lru_cache(maxsize=256)
def right_kinds(norm: str) -> frozenset[str]:
    """Every kind of right a normalized text names (专利 -> patent; 软件 -> copyright), for a question or a document's
    title (right_laws.tsv's kind column); empty when it names none."""
    return frozenset(kind for pattern, kind in _kinds() if pattern.search(norm))


def right_named(norm: str) -> tuple[str, str] | None:
    """(the words, the name of the law on it) for the kind of right a (normalized) question names (商标 -> 商标法),
    or None."""
    return next(((m.group(), law) for pattern, law in _rights() if (m := pattern.search(norm))), None)


def right_in_chinese(norm: str) -> re.Pattern | None:
    """How the Chinese texts write the kind of right a (normalized) question names: its row's Chinese alternatives
    (商标 for "What about trademarks?"; 著作权|版权 for 版权), to find it in the plan's tasks; None when none is named."""
    from .scope import alternatives

    for pattern, _ in _rights():
        if pattern.search(norm):
            chinese = [a for a in alternatives(pattern.pattern) if a and not a.isascii()]
            return re.compile("|".join(chinese)) if chinese else None
    return None


def own_words(norm: str, aliases: list[tuple[str, str]]) -> str:
    """What a follow-up says once the texts it names are taken out (names of documents, kinds of rights, Taiwan
    compatriots): 「那商标保护多久？」 -> 「那 保护多久？」."""
    rest = norm
    for alias, _ in aliases:  # longest first
        rest = rest.replace(alias, " ")
    for pattern, _ in _rights():
        rest = pattern.sub(" ", rest)
    return TAIWAN_NAMED.sub(" ", rest)


def asks_the_same(norm: str, aliases: list[tuple[str, str]]) -> bool:
    """The follow-up asks nothing of its own once the texts it names are taken out (names of documents, kinds of rights,
    Taiwan compatriots): 「那商标呢？」「那商标法怎么规定的？」「那台湾人呢？」, not 「那商标怎么注册？」 (a question of its own,
    which the previous article's subject would answer wrongly)."""
    from .scope import subjectless

    rest = own_words(norm, aliases)
    return not re.sub(r"[\W_]+", "", rest) or subjectless(rest)


def _asked(norm: str, tokens: list[str], aliases: list[tuple[str, str]]) -> tuple[set[str], list[str]]:
    """(the kinds of answer a follow-up asks for, its words beyond them) once the texts it names are taken out:
    「那商标保护多久？」 -> ({duration}, [保护])."""
    from .answer_types import answer_types

    rest = own_words(norm, aliases)
    kinds = {name for name, cue, _ in answer_types() if cue.search(rest)}
    for name, cue, _ in answer_types():
        if name in kinds:
            rest = cue.sub(" ", rest)
    return kinds, [t for t in tokens if t in rest]


def _compared(norm: str, tokens: list[str], previous_norm: str, previous_tokens: list[str],
              aliases: list[tuple[str, str]]) -> tuple[bool, list[str]]:
    """(whether the follow-up asks another thing than the previous question — ``asks_another_thing`` —, its own words
    beyond the kinds of answer it asks for): read once for both comparisons."""
    from .answer_types import asked_types
    from .scope import is_elliptical

    mine, words = _asked(norm, tokens, aliases)
    theirs = set(asked_types(previous_norm))
    if mine:
        return not mine & theirs, words
    if is_elliptical(norm):
        return False, words
    return bool(theirs) or any(t not in previous_tokens and t not in previous_norm for t in words), words


def asks_another_thing(norm: str, tokens: list[str], previous_norm: str, previous_tokens: list[str],
                       aliases: list[tuple[str, str]]) -> bool:
    """A follow-up that, once the texts it names are taken out (``own_words``), asks something other than the previous
    question (``previous_norm``: the question it would be read with). What is asked is first the kind of answer
    (answer_types.tsv: a duration, an amount, who decides …): 「那商标保护多久？」 asks a duration and 「那商标怎么注册？」
    none, so the one does not ask what the other asked, and 「保护多久」 after 「发明专利保护多少年」 does. A short 「X呢」
    with no question word (``scope.is_elliptical``: 「那外观设计专利呢？」) asks the previous question of X. When neither
    asks a kind of answer, it is the words: 「那著作权归谁？」 after 「职务发明专利归谁？」 says nothing the previous question
    did not (归, 谁), 「那商标怎么续展？」 after 「那商标呢？」 does (续展). Read with the previous question, such a follow-up
    was answered with the previous subject's article (补正 within 30 days for 「商标保护多久」 after 「商标怎么注册」)."""
    return _compared(norm, tokens, previous_norm, previous_tokens, aliases)[0]


def asks_again(norm: str, tokens: list[str], previous_norm: str, previous_tokens: list[str],
               aliases: list[tuple[str, str]]) -> bool:
    """The follow-up asks what the previous question asked, and nothing more, of the texts it names: the same kind of
    answer (or none, as before) and no word of its own besides (「那商标保护多久？」 after 「发明专利保护多少年？」,
    「那著作权归谁？」 after 「职务发明专利归谁？」; not 「那外观设计专利呢？」 after a damages question: 外观设计 is more).
    Such a follow-up is answered as 「那商标呢？」 is, by the previous article's counterpart."""
    another, words = _compared(norm, tokens, previous_norm, previous_tokens, aliases)
    return not another and all(t in previous_tokens or t in previous_norm for t in words)


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
