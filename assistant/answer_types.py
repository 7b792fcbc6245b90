"""Answer-type cues: does a chunk read like the kind of answer the question asks for?

"专利能保护多久" asks for a duration; statutes write durations as 期限/…年/自…之日起. Matching the
*kind* of answer generalizes where word tables fitted to questions do not, because it describes
how statutes are written, not how any one question is phrased. The table is data
(``data/answer_types.tsv``), one row per answer type with its reason.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "answer_types.tsv"


@lru_cache(maxsize=1)
def answer_types() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    with open(TABLE, encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return tuple((r["type"], re.compile(r["question_cue"], re.I), re.compile(r["statute_marker"]))
                     for r in rows)


def asked_types(question_norm: str) -> list[str]:
    """The answer types a question asks for (may be several, may be none)."""
    return [name for name, cue, _ in answer_types() if cue.search(question_norm)]


def asked_markers(question_norm: str) -> list[re.Pattern]:
    """The statute-side markers of the answer types a question asks for."""
    return [marker for _, cue, marker in answer_types() if cue.search(question_norm)]


def answer_type_match(markers: list[re.Pattern], chunk_norm: str) -> float:
    """Share of the asked-for answer types (``asked_markers``) whose wording the chunk carries."""
    if not markers:
        return 0.0
    return sum(bool(marker.search(chunk_norm)) for marker in markers) / len(markers)
