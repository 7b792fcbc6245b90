"""Answer-type cues: does a chunk read like the kind of answer the question asks for?

"专利能保护多久" asks for a duration; statutes write durations as 期限/…年/自…之日起. Matching the
*kind* of answer generalizes where word tables fitted to questions do not, because it describes
how statutes are written, not how any one question is phrased. The table is data
(``data/answer_types.tsv``), one row per answer type with its reason.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.tables import read_table

TABLE = Path(__file__).with_name("data") / "answer_types.tsv"


@lru_cache(maxsize=1)
def answer_types() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    return tuple((r["type"], re.compile(r["question_cue"], re.I), re.compile(r["statute_marker"]))
                 for r in _rows())


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    return tuple(read_table(TABLE, ("type", "question_cue", "statute_marker", "expansion", "value", "value_en", "reason")))


# A question's sentences (up to 。！？) and a sentence's clauses (up to ，；：); scope.asked_part reads the same sentences.
QUESTION_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]?")


def asked(question_norm: str) -> str:
    """The question with the 几 of its story masked: 几 asks (「最多放几个」「保护几年？」) only in the clause a question ends
    with (the last clause of a sentence ending in ？, or of the last sentence); elsewhere it counts what happened
    (「手上的几个大客户都跟着他走了」「店名用了好几年」) and asks nothing. Read as asking, those story quantities made
    the question a count or period question and ranked articles stating one first (evals/DECISIONS.md, session 37,
    K3(c) and A1)."""
    if "几" not in question_norm:
        return question_norm
    sentences = [m.group() for m in QUESTION_SENTENCE.finditer(question_norm)]
    out = []
    for i, sentence in enumerate(sentences):
        clauses = [m.group() for m in _CLAUSE.finditer(sentence)]
        asks = sentence.rstrip().endswith(("？", "?")) or i == len(sentences) - 1
        out += [c if asks and j == len(clauses) - 1 else c.replace("几", "某") for j, c in enumerate(clauses)]
    return "".join(out)


def expansion_terms(question_norm: str) -> str:
    """Words statutes use for the asked-for kind of answer (期限 for 多久, 提交 文件 for 要交哪些材料),
    added to the question's lexical expansion: the article that answers uses them, the question
    does not."""
    question_norm = asked(question_norm)
    return " ".join(r["expansion"] for r in _rows() if re.search(r["question_cue"], question_norm, re.I))


def asked_types(question_norm: str) -> list[str]:
    """The answer types a question asks for (may be several, may be none)."""
    question_norm = asked(question_norm)
    return [name for name, cue, _ in answer_types() if cue.search(question_norm)]


def asked_markers(question_norm: str) -> list[re.Pattern]:
    """The statute-side markers of the answer types a question asks for."""
    question_norm = asked(question_norm)
    return [marker for _, cue, marker in answer_types() if cue.search(question_norm)]


def asked_values(question_norm: str) -> list[re.Pattern]:
    """How statutes write the value itself (二十年, 五百万元, 五倍) for the answer types a question asks
    for that have one (durations, amounts)."""
    question_norm = asked(question_norm)
    return [re.compile(r["value"]) for r in _rows() if r["value"] and re.search(r["question_cue"], question_norm, re.I)]


def asked_values_en(question_norm: str) -> dict[str, re.Pattern]:
    """For the value-bearing answer types a question asks for: how RCEP's English chapter would
    write such a value (18 months, five years), by type name."""
    question_norm = asked(question_norm)
    return {r["type"]: re.compile(r["value_en"], re.I) for r in _rows()
            if r["value_en"] and re.search(r["question_cue"], question_norm, re.I)}


def markers_for(types: list[str]) -> list[re.Pattern]:
    """The statute-side markers of the named answer types."""
    return [marker for name, _, marker in answer_types() if name in types]


def answer_type_match(markers: list[re.Pattern], chunk_norm: str) -> float:
    """Share of the asked-for answer types (``asked_markers``) whose wording the chunk carries."""
    if not markers:
        return 0.0
    return sum(bool(marker.search(chunk_norm)) for marker in markers) / len(markers)
