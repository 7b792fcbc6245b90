"""Choose the structure-aware splitter for a document."""
from __future__ import annotations

from rongzhi.core.chunks import Chunk, iter_lines
from .split_law import bounded_spans, split_law
from .split_plan import split_plan
from .split_treaty import split_treaty


def split_paragraphs(text: str, doc: dict, source_path: str, max_chars: int = 400) -> list[Chunk]:
    """Fallback for documents without 第X条: one chunk per paragraph group, locator 第N段 (N counts
    the chunks, not the source's lines: short lines are grouped). A paragraph longer than
    ``max_chars`` is cut at sentence ends, each piece its own 第N段: a 300,000-character line
    pasted as one paragraph was one chunk, so its citation pointed at the whole text."""
    chunks: list[Chunk] = []
    for line, start, end in iter_lines(text):
        if chunks and len(chunks[-1].text) + len(line) < max_chars // 2:
            last = chunks[-1]
            chunks[-1] = Chunk(**{**last.__dict__, "text": text[last.start:end], "end": end, "norm": ""})
            continue
        for a, b in bounded_spans(line, max_chars, start):
            chunks.append(Chunk(doc_id=doc["doc_id"], title=doc["title"], kind=doc["kind"],
                                locator=f"第{len(chunks) + 1}段", text=text[a:b], start=a, end=b,
                                source_path=source_path, version_date=doc.get("version_date", ""),
                                effective_date=doc.get("effective_date", ""),
                                superseded_on=doc.get("superseded_on", ""), ordinal=len(chunks)))
    return chunks


def split_document(text: str, doc: dict, source_path: str, max_chars: int = 400) -> list[Chunk]:
    if doc.get("splitter") == "plan":
        return split_plan(text, doc, source_path)
    if doc.get("splitter") == "treaty":
        return split_treaty(text, doc, source_path, max_chars=max_chars)
    chunks = split_law(text, doc, source_path, max_chars=max_chars)
    return chunks or split_paragraphs(text, doc, source_path, max_chars=max_chars)
