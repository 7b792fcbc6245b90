"""English citations: the law names, article numbers and task numbers of an English question,
written out as the Chinese references the locator reads (专利法第四十二条, 任务19).

Why: the locator reads Chinese references only, so "What does Article 10 of the Copyright Law say?"
was searched word by word and the 62nd article (本法所称的著作权即版权) was quoted as *the* answer;
"Task 19 of the Fuzhou plan" gave the plan's publication note. The names are data
(``data/en_law_names.tsv``: each row the name a law is published or cited under in English); this
module only finds them and pairs each article number with the law named nearest to it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.numerals import int_to_cn
from rongzhi.core.tables import read_table

LAW_NAMES = Path(__file__).with_name("data") / "en_law_names.tsv"

# "Article 42", "Art. 42", "Articles 10 and 11", "arts 3, 4"; not RCEP's "Article 11.5" (locate.py reads it). Up to four
# digits: the Civil Code runs to article 1260 ("Civil Code article 1185" was searched and answered with article 200).
_ARTICLES = re.compile(r"\b(?:articles?|arts?\.?)\s*(\d{1,4}(?:\s*(?:,|and|or|&|to)\s*\d{1,4})*)(?![\d.]*\d)")
_NUMBER = re.compile(r"\d{1,4}")
_TASKS = re.compile(r"\btasks?\s*(?:no\.?\s*|number\s*|#\s*)?(\d{1,2})\b")
# A word just before a law's name that says which version is meant, in the locator's Chinese prefixes
# (locate.NEWEST_PREFIXES / PREVIOUS_PREFIXES / IN_FORCE_PREFIXES / YEAR_PREFIXES).
_QUALIFIER = re.compile(r"\b(new|newest|latest|revised|amended|old|previous|former|original|current|(?:19|20)\d\d)"
                        r"(?:\s+(?:version|edition|text))?(?:\s+of)?(?:\s+(?:chinese|china s|prc))?\s+$")
_QUALIFIER_AFTER = re.compile(r"^\s*(?:\(|of\s+|in\s+)?((?:19|20)\d\d)\b")
_PREFIX = {"new": "新", "newest": "最新", "latest": "最新", "revised": "修订后的", "amended": "修改后的",
           "old": "旧", "previous": "旧", "former": "原", "original": "原", "current": "现行"}


def normalize(text: str) -> str:
    """Lower case; apostrophes, hyphens and other punctuation as spaces (a dot is kept for "art."
    and RCEP's "11.5"); "the" dropped, so names match however a writer joins or introduces them."""
    text = re.sub(r"[^a-z0-9.]+", " ", text.lower())
    text = re.sub(r"\.(?!\d)", ". ", text)
    text = re.sub(r"\bthe\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def law_names() -> tuple[tuple[str, str], ...]:
    """(normalized English name, Chinese name), longest English name first."""
    rows = read_table(LAW_NAMES, ("en", "zh", "source"))
    return tuple(sorted(((normalize(r["en"]), r["zh"]) for r in rows), key=lambda p: len(p[0]), reverse=True))


@lru_cache(maxsize=64)  # references, asks_changes, unknown_names and only_a_lookup read the same question
def _laws(norm: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, Chinese name with its version prefix, Chinese name) of each law named, in order;
    a longer name takes its words first, so "patent law implementing rules" is not also "patent law"."""
    taken = [False] * len(norm)
    found = []
    for en, zh in law_names():
        for m in re.finditer(rf"(?<![a-z]){re.escape(en)}(?![a-z])", norm):
            if any(taken[m.start():m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            prefix = ""
            if q := _QUALIFIER.search(norm[:m.start()]):
                word = q.group(1)
                prefix = f"{word}年" if word.isdigit() else _PREFIX[word]
            elif q := _QUALIFIER_AFTER.search(norm[m.end():]):
                prefix = f"{q.group(1)}年"
            found.append((m.start(), m.end(), prefix + zh, zh))
    return tuple(sorted(found))


def chinese_name(text: str) -> str | None:
    """The Chinese name of the first law an English text names ("Trademark Law" -> 商标法), or None."""
    return next((zh for *_, zh in _laws(normalize(text))), None)


def without_law_names(text: str) -> str:
    """The question (normalized) with the laws it names blanked out: what it asks besides naming them."""
    norm = normalize(text)
    for start, end, _, _ in reversed(_laws(norm)):
        norm = norm[:start] + " " + norm[end:]
    return norm


def references(text: str) -> str:
    """The Chinese references an English question makes, space-separated ('' when none): each law
    named, each article number joined to the law named nearest to it (or bare, for a follow-up
    question about the law already in the conversation), each task number."""
    norm = normalize(text)
    laws = _laws(norm)
    parts: list[str] = []
    cited: set[int] = set()
    for m in _ARTICLES.finditer(norm):
        numbers = [int(n) for n in _NUMBER.findall(m.group(1))]
        if re.search(r"\bto\b", m.group(1)) and len(numbers) == 2 and 0 < numbers[1] - numbers[0] < 10:
            numbers = list(range(numbers[0], numbers[1] + 1))  # "Articles 10 to 12"
        nearest = min(range(len(laws)), key=lambda i: min(abs(laws[i][0] - m.end()), abs(laws[i][1] - m.start())),
                      default=None)
        name = laws[nearest][2] if nearest is not None else ""
        if nearest is not None:
            cited.add(nearest)
        parts += [f"{name}第{int_to_cn(n)}条" for n in numbers if n > 0]
    parts += [law[2] for i, law in enumerate(laws) if i not in cited]
    parts += [f"任务{m.group(1)}" for m in _TASKS.finditer(norm)]
    return " ".join(dict.fromkeys(parts))


# -- "what did the revision change?" in English -------------------------------------------------------
_CHANGE_CUE = re.compile(r"\b(chang(?:e|es|ed)|amend(?:ed|ment|ments)|revis(?:ed|ion|ions)|differ(?:s|ence|ences|ent)?|"
                         r"compar(?:e|ed|ison)|what s new|whats new|what is new)\b")
# What may remain of such a question once the law's name is taken out; any other word is a topic
# ("What changed about punitive damages in the Trademark Law?"), which the search answers.
_CHANGE_FILLER = frozenset("""
what whats which s has have had did does do is are was were been be a an in to of on about between and vs versus with
from compared compare comparison change changes changed amended amendment amendments revised revision revisions
difference differences different differ differs new newest latest old older previous former original current version
versions edition text main key major made brought introduced by law please tell me can could you explain summarize
summarise summary list how its it this that there any china chinese prc s recent recently year last since
""".split())


def asks_changes(text: str) -> bool:
    """An English question that asks what a revision of one named law changed, and nothing else
    (the law may be named twice: "the 2019 Trademark Law and the new one")."""
    norm = normalize(text)
    laws = _laws(norm)
    if len({law[3] for law in laws}) != 1 or not _CHANGE_CUE.search(norm):
        return False
    rest, end = [], 0
    for start, stop, _, _ in laws:
        rest.append(norm[end:start])
        end = stop
    words = re.findall(r"[a-z]+|\d+", " ".join(rest) + " " + norm[end:])
    return all(w in _CHANGE_FILLER or re.fullmatch(r"(19|20)\d\d", w) for w in words)


# -- a law the question cites by article that RongZhi has not loaded -----------------------------------
_CITED_AFTER = re.compile(r"\b(?:articles?|arts?\.?)\s*\d{1,4}(?![\d.]*\d)(?:\s*(?:,|and|or|&|to)\s*\d{1,4})*\s+(?:of|in|under)\s+"
                          r"((?:[a-z]+ ){0,7}?(?:law|code|regulations?|rules|provisions|measures))\b")
_CITED_BEFORE = re.compile(r"\b((?:[a-z]+ ){0,6}?(?:law|code|regulations?|rules|provisions|measures))\s+(?:articles?|arts?\.?)\s*"
                           r"\d{1,4}(?![\d.]*\d)")
_NOT_NAME = re.compile(r"^(?:(?:what|does|do|is|how|say|says|about|under|in|of|a|an|china s|chinese|prc|s)\s+)+")


def unknown_names(text: str) -> list[str]:
    """English names the question cites an article of that name no loaded law ("Article 44 of the
    Labor Law"): said to be missing, not searched for the 44th article of another law."""
    norm = normalize(text)
    known = _laws(norm)
    out = []
    for pattern in (_CITED_AFTER, _CITED_BEFORE):
        for m in pattern.finditer(norm):
            if any(start < m.end(1) and m.start(1) < end for start, end, _, _ in known):
                continue
            name = _NOT_NAME.sub("", m.group(1)).strip()
            if len(name.split()) >= 2:  # "the law" alone names nothing
                out.append(name.title())
    return list(dict.fromkeys(out))


# Words that only ask for a text once the references are taken out ("What does ... say?").
_LOOKUP_WORDS = frozenset("""
what whats does do did is are s say says said the of in under text full wording content contents provide provides
state states stipulate stipulates mean means read reads show me please quote give tell about article articles art
arts can you could i see look up and or rcep task tasks key plan plans fuzhou s work programme program
""".split())  # rcep: the treaty's name, as the law names are taken out above; "task 30 of the (Fuzhou) plan" names the
# plan in words the law names do not cover (it was searched, and its validity clause answered a task that does not exist)


def only_a_lookup(text: str) -> bool:
    """Nothing but references and words asking for their text (the English ``locate.only_a_lookup``)."""
    norm = normalize(text)
    for start, end, _, _ in sorted(_laws(norm), reverse=True):
        norm = norm[:start] + " " + norm[end:]
    norm = _CITED_AFTER.sub(" ", norm)
    norm = _CITED_BEFORE.sub(" ", norm)
    norm = _TASKS.sub(" ", _ARTICLES.sub(" ", norm))
    norm = re.sub(r"\b(?:article|annex)\s*11\s*\.?\s*\w+", " ", norm)
    return all(w in _LOOKUP_WORDS or w.isdigit() for w in re.findall(r"[a-z]+|\d+", norm))
