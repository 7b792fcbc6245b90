"""Everyday words -> the terms Chinese legal and policy texts use, for query expansion.

People ask "专利能保护多少年" or "版权" or "抵押贷款"; the texts say 期限, 著作权, 质押/出质. Two tables,
both data:

- ``data/lay_terms.tsv``: kept by hand, one general fact of statute language per row, with a corpus
  phrase that uses the legal term (``source``);
- ``data/lay_terms_learned.tsv``: learned from real lay questions and the articles that answer them
  (STARD-dev fold 0) by ``evals/learn_lay_terms.py``, with the evidence for each row.
Which tables are used is a setting (``Settings.lay_tables``), so each can be measured on and off.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.tables import read_table

DATA = Path(__file__).with_name("data")
TABLES = {"hand": DATA / "lay_terms.tsv", "learned": DATA / "lay_terms_learned.tsv"}


@lru_cache(maxsize=8)
def _table(names: tuple[str, ...]) -> tuple[dict[str, str], re.Pattern | None]:
    mapping: dict[str, str] = {}
    for name in names:
        path = TABLES[name]
        if not path.exists():
            continue
        for row in read_table(path, ("lay", "legal")):
            mapping[row["lay"]] = " ".join(dict.fromkeys((mapping.get(row["lay"], "") + " " + row["legal"]).split()))
    pattern = re.compile("|".join(sorted(map(re.escape, mapping), key=len, reverse=True))) if mapping else None
    return mapping, pattern


def expansions(norm: str, tables: tuple[str, ...] = ("hand",)) -> str:
    """Legal terms for the everyday words in ``norm`` (space-separated, may be empty)."""
    mapping, pattern = _table(tuple(tables))
    if pattern is None:
        return ""
    return " ".join(dict.fromkeys(mapping[m.group(0)] for m in pattern.finditer(norm)))


def lay_words(tables: tuple[str, ...] = ("hand",)) -> set[str]:
    """The everyday words of the tables (terms people type that the statutes may never write: 抢注)."""
    return set(_table(tuple(tables))[0])
