"""Ingest proper: every known document -> its chunks. No embedding, no index: the index build
(``rongzhi.index.build``) calls this and does the rest."""
from __future__ import annotations

from rongzhi.core.chunks import Chunk
from rongzhi.core.settings import Settings

from .manifest import Document, load_documents
from .readers import decode_bytes
from .splitters import split_document

def build_chunks(settings: Settings) -> tuple[list[Document], list[Chunk]]:
    docs = load_documents(settings)
    chunks: list[Chunk] = []
    for doc in docs:
        if not doc.loaded:
            continue
        with open(doc.path, "rb") as fh:
            text = decode_bytes(fh.read(), doc.path)
        meta = {**doc.as_dict(), "splitter": doc.splitter}
        chunks.extend(split_document(text, meta, doc.path, max_chars=settings.max_chunk_chars))
    return docs, chunks
