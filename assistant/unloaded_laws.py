"""National laws RongZhi does not load, when a question names one.

Why: 「反垄断法对滥用知识产权排除竞争是怎么规定的」 was answered with a close call of 涉外知识产权纠纷处理规定第十七条, 专利法第二十条
and 反不正当竞争法第三条, and nothing said the law asked about is not loaded (session 42's sweep A): the reader takes the
loaded articles for that law's rule. Which laws are meant is data (``data/unloaded_laws.tsv``, a reason per row); the
answer is still searched and gated as before, and a note before it says the law is not loaded, as ``code_books`` does
for a book of the Civil Code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rongzhi.core.tables import read_table

TABLE = Path(__file__).with_name("data") / "unloaded_laws.tsv"
NOTE = "注意：榕知未收录{names}，以下是已收录文件中可能相关的内容，不一定是该法的规定。"
NOTE_EN = "RongZhi has not loaded {names}; the sources below are what the loaded documents say and may not be that law's rules."


@dataclass(frozen=True)
class Law:
    pattern: re.Pattern
    title: str
    title_en: str


@lru_cache(maxsize=1)
def laws() -> tuple[Law, ...]:
    return tuple(Law(re.compile(r["pattern"], re.I), r["title"], r["title_en"])
                 for r in read_table(TABLE, ("pattern", "title", "title_en", "reason")))


def named(text: str, loaded_titles: list[str], said: list[str] = ()) -> list[Law]:
    """The laws of the table that ``text`` (a normalized question) names, less any loaded (``rongzhi corpus add``) and
    any a note already names (``said``: the names cited with an article number, ``Assistant._unknown_law_text``)."""
    loaded = set(loaded_titles)
    return [law for law in laws() if law.title not in loaded and law.pattern.search(text)
            and not any(law.pattern.search(name) for name in said)]


def note(laws_named: list[Law], english: bool = False) -> str:
    """The note before an answer to a question naming laws not loaded."""
    if english:
        return NOTE_EN.format(names=" and ".join(law.title_en for law in laws_named))
    return NOTE.format(names="".join(f"《{law.title}》" for law in laws_named))
