"""The Chinese <-> English term table for RCEP's English IP chapter (``data/treaty_terms.tsv``).

Used twice: at ingest, each treaty unit's matching text (``norm``, never shown) gets the Chinese
terms for the English terms it uses, so Chinese questions meet it in BM25 and in the embedding;
at question time ``assistant/bridge.py`` adds the other language's terms to the question.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TERMS_PATH = Path(__file__).with_name("data") / "treaty_terms.tsv"
# A term used in more units than this says little about any one of them (商标, 合作 …): it
# glosses a unit only when its heading uses it.
GLOSS_MAX_UNITS = 8
# "Article 11.14 (Circumvention of Effective Technological Measures)": another unit's title, not
# what this unit is about.
CROSS_REFERENCE = re.compile(r"(?:Article|Annex) 11\.?\d*[AB]? \([^)]*\)")


@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    source: str
    reason: str


@lru_cache(maxsize=1)
def load_terms(path: Path = TERMS_PATH) -> tuple[Term, ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return tuple(Term(r["zh"].strip(), r["en"].strip(), r["source"].strip(), r["reason"].strip()) for r in rows)


def fold(text: str) -> str:
    """Lower case, ASCII apostrophes: how English terms are compared."""
    return text.lower().replace("’", "'")


@lru_cache(maxsize=None)
def en_pattern(en: str) -> re.Pattern:
    """The English term as a word pattern, either number (mark/marks), hyphen or space."""
    words = fold(en).split()
    last = words[-1][:-1] if words[-1].endswith("s") and not words[-1].endswith("ss") else words[-1]
    body = r"[\s-]+".join(map(re.escape, words[:-1] + [last]))
    return re.compile(rf"\b{body}s?\b")


def term_spread(units: list[tuple[str, str]]) -> dict[str, int]:
    """For each English term of the table, how many (heading, text) units use it: a term in more
    than GLOSS_MAX_UNITS of them (patent, trademark) says little about any one unit."""
    folded = [fold(h) + " " + fold(CROSS_REFERENCE.sub(" ", t)) for h, t in units]
    return {t.en: sum(bool(en_pattern(t.en).search(x)) for x in folded) for t in load_terms()}


def gloss(units: list[tuple[str, str]]) -> list[list[str]]:
    """For each (heading, text) unit, the Chinese terms of the English terms it uses: all those in
    its heading, and those in its text that few units use."""
    terms = load_terms()
    folded = [(fold(h), fold(CROSS_REFERENCE.sub(" ", t))) for h, t in units]
    spread = term_spread(units)
    out = []
    for heading, text in folded:
        found = [t.zh for t in terms if en_pattern(t.en).search(heading)
                 or (spread[t.en] <= GLOSS_MAX_UNITS and en_pattern(t.en).search(text))]
        out.append(list(dict.fromkeys(found)))
    return out
