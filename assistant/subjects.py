"""Texts on one narrow subject (software, layout-designs of integrated circuits, plant varieties) answer only a question
about that subject.

Why: such a text shares the general words of IP law (侵权, 保护期, 假冒, 刑事责任) with every question, so BM25 and the
embedder rank it high for questions on something else: 「著作权保护期是多久？…我的照片」 was answered with the software
regulations' term, and 「卖假货最严重会不会坐牢」 was declined as governed by the repealed plant-variety regulations. A
question about the subject names it (软件, 芯片, 种子…: ``data/narrow_subjects.tsv``, a reason per row); one that
names none is asked of the general texts first (evals/DECISIONS.md, session 45, NL).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.tables import read_table

TABLE = Path(__file__).with_name("data") / "narrow_subjects.tsv"


@lru_cache(maxsize=1)
def _subjects() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((r["title"], re.compile(r["named"], re.I)) for r in read_table(TABLE, ("title", "named", "reason")))


@lru_cache(maxsize=512)
def subject_unnamed(title: str, question_norm: str) -> bool:
    """The document titled ``title`` is on a narrow subject the (normalized) question does not name."""
    return any(key in title and not named.search(question_norm) for key, named in _subjects())


def off_subject(hit, bundle) -> bool:
    """The candidate ``hit`` (a ``candidates.Hit``) is from a text on a narrow subject that the question (an
    ``engine.AskBundle``) names neither by a locator, nor by the document's name, nor by a word of the subject — read as
    asked and as searched: the search leaves a law's name out (「植物新品种保护条例规定的保护期」) and adds a follow-up's
    conversation. Used by ``engine.NarrowSubjectsLast`` and by the repeal notice (``service``)."""
    return (not hit.direct and hit.chunk.doc_id not in bundle.named
            and subject_unnamed(hit.chunk.title, f"{bundle.query.norm} {bundle.retrieval_query.norm}"))
