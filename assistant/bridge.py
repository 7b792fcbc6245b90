"""Chinese <-> English term bridge for RCEP's intellectual-property chapter.

The chapter is in the corpus in English only (no Chinese full text exists), and BM25 matches
words: a question asking 集体商标 never meets "collective marks". ``ingest/data/treaty_terms.tsv`` pairs
the chapter's own English terms with the Chinese terms people and Chinese law use (with where the
English occurs and why the pair holds). ``bridge_terms`` reads a normalized question and returns
the other language's terms, to be added to its lexical tokens:

- a Chinese question that is about the treaty (names RCEP, or says 协定/条约, 缔约方, 第11.N条 …
  without naming the Fuzhou plan) gets the English terms; without such a cue it is a question about
  Chinese law or the plan, and English terms would only pull treaty text into its answer;
- an English question gets the Chinese terms, so the Chinese law on the same right is found beside
  the treaty article.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rongzhi.ingest.treaty_terms import en_pattern, fold, load_terms

TREATY_CUES = re.compile(r"rcep|区域全面经济伙伴关系|区域全面经济伙伴|协定|条约|缔约方|成员国|第\s*11\s*\.\s*\d+\s*条|"
                         r"附件\s*11\s*[ab]|article\s*11\.\d+|annex\s*11[ab]", re.I)
# Names of the treaty itself: a cue that wins over a mention of the plan.
TREATY_NAMES = re.compile(r"rcep|区域全面经济伙伴", re.I)
PLAN_CUES = re.compile(r"方案|福州")  # 方案提到在什么协定框架下… asks about the plan, not the treaty
_EN_STOP = {"a", "an", "and", "any", "as", "at", "be", "by", "for", "in", "its", "of", "on", "or", "that", "the",
            "this", "to", "with"}


@lru_cache(maxsize=1)
def _zh_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted({t.zh for t in load_terms()}, key=len, reverse=True))))


def _content_words(term: str) -> str:
    """Drop English function words: in BM25 they would match every treaty chunk."""
    return " ".join(w for w in fold(term).replace("'s", "").replace("-", " ").split() if w not in _EN_STOP)


def _variants(term: str) -> list[str]:
    """The term and its other number (marks/mark), since BM25 does not stem."""
    words = term.split()
    if not words:
        return []
    last = words[-1]
    other = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
    return [term, " ".join(words[:-1] + [other])]


def bridge_terms(norm_text: str) -> list[str]:
    """Terms of the other language for ``norm_text`` (a normalized question): English terms for
    a Chinese question about the treaty, Chinese terms for English words; none already present."""
    folded = fold(norm_text)
    out: list[str] = []
    if TREATY_NAMES.search(folded) or (TREATY_CUES.search(folded) and not PLAN_CUES.search(norm_text)):
        for m in _zh_pattern().finditer(norm_text):
            for t in load_terms():
                if t.zh == m.group(0) and not en_pattern(t.en).search(folded):
                    out += _variants(_content_words(t.en))
    for t in load_terms():
        if t.zh not in norm_text and en_pattern(t.en).search(folded):
            out.append(t.zh)
    return [term for term in dict.fromkeys(out) if term]
