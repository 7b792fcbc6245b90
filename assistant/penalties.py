"""The article that punishes the one found: a statute's own cross-references.

Chinese statutes put their rules and their penalties in different articles and link them by
number: 反不正当竞争法第二十六条 says 「经营者以及其他自然人、法人和非法人组织违反本法第十条规定侵犯商业秘密的，
……处十万元以上一百万元以下的罚款」. A question asking what happens to someone who broke a rule (怎么处罚,
罚多少) shares its words with the rule, so the search finds the rule; the answer is the article
that refers to it. The references are read from the texts, not from a table.
"""
from __future__ import annotations

import re
from typing import Iterable

from rongzhi.core.chunks import Chunk
from rongzhi.core.numerals import CN_NUMERAL_CHARS

_NUM = CN_NUMERAL_CHARS
# 违反本法第七条、第十条规定 / 违反本法第十三条第二款和第三款、第十五条……规定 / 违反本条例第二十条规定
REFERENCE = re.compile(rf"违反本(?:法|条例|规定|办法)((?:第[{_NUM}]+[条款项](?:[、和及与]|或者)*)+)(?:的)?规定")
ARTICLE = re.compile(rf"第([{_NUM}]+)条")
LAW_ARTICLE = re.compile(rf"^第[{_NUM}]+条$")


def punished(text: str) -> list[str]:
    """The articles ``text`` refers to as 「违反本法第N条……规定」, in order, each once."""
    return list(dict.fromkeys(f"第{a.group(1)}条" for m in REFERENCE.finditer(text) for a in ARTICLE.finditer(m.group(1))))


def references(chunks: Iterable[Chunk]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(doc_id, 第N条) -> the articles of the same document that say 「违反本法第N条……」, in order."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for chunk in chunks:
        source = (chunk.doc_id, chunk.locator)
        for locator in punished(chunk.text):
            target = (chunk.doc_id, locator)
            if source != target and source not in out.setdefault(target, []):
                out[target].append(source)
    return out


def referring_part(parts: list[Chunk], locator: str) -> Chunk | None:
    """The part of a referring article that holds the reference to ``locator``."""
    return next((part for part in sorted(parts, key=lambda c: c.part) if locator in punished(part.text)), None)
