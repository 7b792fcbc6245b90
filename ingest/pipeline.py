"""Ingest proper: every known document -> its chunks. No embedding, no index: the index build
(``rongzhi.index.build``) calls this and does the rest.

The splitting runs as a llama-index ``IngestionPipeline`` whose one transformation is our
``StructureNodeParser`` (``node_parser.py``)."""
from __future__ import annotations

from rongzhi.core.chunks import Chunk
from rongzhi.core.settings import Settings

from .manifest import Document, load_documents
from .readers import decode_bytes


def build_chunks(settings: Settings) -> tuple[list[Document], list[Chunk]]:
    from llama_index.core.ingestion import IngestionPipeline

    from .node_parser import StructureNodeParser, to_chunk, to_document

    docs = load_documents(settings)
    documents = []
    for doc in docs:
        if not doc.loaded:
            continue
        with open(doc.path, "rb") as fh:
            text = decode_bytes(fh.read(), doc.path)
        documents.append(to_document(text, {**doc.as_dict(), "splitter": doc.splitter}))
    pipeline = IngestionPipeline(transformations=[StructureNodeParser(max_chars=settings.max_chunk_chars,
                                                                      include_metadata=False)])
    nodes = pipeline.run(documents=documents) if documents else []
    return docs, [to_chunk(n) for n in nodes]
