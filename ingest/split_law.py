"""Split a law, regulation or judicial interpretation into one chunk per article (第X条).

Headings (编/章/节, Markdown ``#`` lines or bare 第X章 lines) become each article's section path.
An article longer than ``max_chars`` is cut at 款 (paragraph) boundaries, then at 项 (（一）…)
boundaries, then at sentence ends, into parts that keep the article's locator. Works on the shared law Markdown files
and on any user-supplied text laid out the same way (e.g. the special-fund measures).
"""
from __future__ import annotations

import re

from rongzhi.core.chunks import Chunk, iter_lines
from rongzhi.core.numerals import CN_NUMERAL_CHARS

# Traditional texts (Big5 laws, Taiwan-style notices) write 條/編/節 and sometimes 兩/０-９; the
# locator is always stored in Simplified (第一条), the chunk text keeps the source's characters.
_NUM = rf"[{CN_NUMERAL_CHARS}兩0-9０-９]+"
ARTICLE_RE = re.compile(rf"^(第{_NUM}[条條](?:之{_NUM})?)[\s　]*")
HEADING_RE = re.compile(rf"^(?:#+\s*)?(第{_NUM}(编|編|分编|分編|章|节|節))[\s　]*(.*)$")
_LEVEL = {"编": 0, "分编": 1, "章": 2, "节": 3}
_SIMPLIFIED = str.maketrans({"條": "条", "編": "编", "節": "节", "兩": "两", **{chr(0xFF10 + i): str(i) for i in range(10)}})


def simplified_locator(text: str) -> str:
    """第一條 -> 第一条, 第２章 -> 第2章: one spelling of a locator whatever the source's script."""
    return text.translate(_SIMPLIFIED)
INFO_END = "<!-- INFO END -->"


def _clean_heading(line: str) -> str:
    """'## 第二节  监  护' -> '第二节 监护'."""
    match = HEADING_RE.match(line)
    name = re.sub(r"[\s　]+", "", match.group(3))
    return f"{simplified_locator(match.group(1))} {name}".strip()


def split_law(text: str, doc: dict, source_path: str, max_chars: int = 400) -> list[Chunk]:
    body_start = text.find(INFO_END)
    body_start = body_start + len(INFO_END) if body_start >= 0 else 0
    path: dict[int, str] = {}
    articles: list[tuple[str, list[str], list[tuple[str, int, int]]]] = []
    for para, start, end in iter_lines(text[body_start:], body_start):
        if para.startswith("# ") and not HEADING_RE.match(para):
            continue  # document title lines
        heading = HEADING_RE.match(para)
        if heading and (para.startswith("#") or len(para) <= 40):
            level = _LEVEL[simplified_locator(heading.group(2))]
            path = {k: v for k, v in path.items() if k < level}
            path[level] = _clean_heading(para)
            continue
        if para.startswith("#"):
            continue  # other Markdown headings (e.g. 附则 without a number)
        article = ARTICLE_RE.match(para)
        if article:
            articles.append((simplified_locator(article.group(1)), [path[k] for k in sorted(path)], [(para, start, end)]))
        elif articles:
            articles[-1][2].append((para, start, end))
    chunks: list[Chunk] = []
    for locator, section_path, paras in articles:
        for part_no, (start, end) in enumerate(_pieces(paras, max_chars), start=1):
            chunks.append(Chunk(doc_id=doc["doc_id"], title=doc["title"], kind=doc["kind"], locator=locator,
                                text=text[start:end], start=start, end=end, source_path=source_path,
                                version_date=doc.get("version_date", ""), effective_date=doc.get("effective_date", ""),
                                superseded_on=doc.get("superseded_on", ""),
                                section_path=section_path, part=part_no, ordinal=len(chunks)))
        if chunks and chunks[-1].locator == locator and chunks[-1].part == 1:
            chunks[-1].part = 0  # a whole article is not "part 1"
    return chunks


def _pieces(paras: list[tuple[str, int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Group an article's 款 into spans of at most ~max_chars; never split inside a 款 unless it
    alone is too long, in which case it is cut before its 项 （一）（二）…, and a 项 still too long
    at its sentence ends (``bounded_spans``)."""
    units: list[tuple[int, int]] = []
    for para, start, end in paras:
        if len(para) <= max_chars:
            units.append((start, end))
            continue
        cuts = [m.start() for m in re.finditer(r"[（(][一二三四五六七八九十]+[)）]", para) if m.start() > 0]
        bounds = [0, *cuts, len(para)]
        for a, b in zip(bounds, bounds[1:]):
            if b > a:
                units.extend((start + x, start + y) for x, y in bounded_spans(para[a:b], max_chars, a))
    pieces: list[tuple[int, int]] = []
    for start, end in units:
        if pieces and end - pieces[-1][0] <= max_chars:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return pieces


SENTENCE_END = "。！？；!?;"
CLAUSE_END = "，、,：:　 "


def bounded_spans(text: str, max_chars: int, offset: int = 0) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of at most ``max_chars``, after the last sentence end that fits
    (else the last clause end, else exactly at ``max_chars``); offsets are ``offset`` + position.
    Why: a paragraph with no structure (a pasted page as one line, a 项 running on) was one
    chunk however long — the embedder reads only its first ~500 tokens, and every answer quoting
    it dragged the whole text along. A cut is never within the first quarter of a span, so a
    stray early full stop does not leave a sliver."""
    spans, pos = [], 0
    while len(text) - pos > max_chars:
        window = text[pos:pos + max_chars]
        floor = max_chars // 4
        cut = max((window.rfind(c) for c in SENTENCE_END), default=-1)
        if cut < floor:
            cut = max((window.rfind(c) for c in CLAUSE_END), default=-1)
        end = pos + (cut + 1 if cut >= floor else max_chars)
        spans.append((pos, end))
        pos = end
    spans.append((pos, len(text)))
    trimmed = []
    for a, b in spans:  # no span starts or ends with a space, and none is only spaces
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((offset + a, offset + b))
    return trimmed


def count_articles(chunks: list[Chunk]) -> int:
    return len({c.locator for c in chunks})
