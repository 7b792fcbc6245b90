"""The article of a law that an implementing article implements: an implementing text's own references.

An implementing text (专利法实施细则, 商标法实施条例, …) details its parent law article by article and says
which one: 专利法实施细则第十三条 begins 「专利法第六条所称执行本单位的任务所完成的职务发明创造，是指……」. A lay question
(「员工执行公司任务搞出来的发明，专利归谁？」) shares its words with the detail, so the search finds the detail;
who owns the invention is the parent's 第六条. Cited together, the user has the rule and its detail
(evals/DECISIONS.md, session 32, P). The references are read from the texts, not from a table.

An implementing text written before its parent's current version names the older text's numbering
(著作权法实施条例, 2013, names the 2010 copyright law's articles; the 2020 law renumbered them): its
references are trusted only when the parent's version is no newer than the implementing text.
"""
from __future__ import annotations

import re

from rongzhi.core.numerals import CN_NUMERAL_CHARS

_NUM = CN_NUMERAL_CHARS
IMPLEMENTING = re.compile(r"^(?P<parent>.+?)(?:实施细则|实施条例)$")
# After the parent's name: 第六条 / 第二十二条第三款、第二十三条 / 第六十八条和第六十九条 (a run of units).
_RUN = rf"((?:第[{_NUM}]+[条款项](?:[、和及与]|或者)*)+)"
_ARTICLE = re.compile(rf"第([{_NUM}]+)条")


def parent_title(title: str) -> str | None:
    """The law an implementing text implements (中华人民共和国专利法实施细则 -> 中华人民共和国专利法); None otherwise."""
    m = IMPLEMENTING.match(title)
    return m["parent"] if m else None


def _names(title: str) -> list[str]:
    """How an implementing text names its parent: the full title or without 中华人民共和国, with or without 《》."""
    short = title.removeprefix("中华人民共和国")
    return [re.escape(n) for n in dict.fromkeys((title, short))]


def parent_articles(text: str, parent: str) -> list[str]:
    """The parent's articles ``text`` names (「专利法第六条」, 「《中华人民共和国专利法》第二十二条第三款、第二十三条」), in the
    order named, each once; 「本细则第…条」 is the implementing text's own and never counts."""
    pattern = re.compile(rf"《?(?:{'|'.join(_names(parent))})》?{_RUN}")
    return list(dict.fromkeys(f"第{a.group(1)}条" for m in pattern.finditer(text) for a in _ARTICLE.finditer(m.group(1))))
