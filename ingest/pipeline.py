"""Ingest proper: every known document -> its chunks. No embedding, no index: the index build
(``rongzhi.index.build``) calls this and does the rest.

The splitting runs as a llama-index ``IngestionPipeline`` whose one transformation is our
``StructureNodeParser`` (``node_parser.py``)."""
from __future__ import annotations

from rongzhi.core.chunks import Chunk
from rongzhi.core.errors import DocumentError
from rongzhi.core.settings import Settings

from .manifest import Document, check_sources, load_documents
from .readers import decode_bytes


def build_chunks(settings: Settings) -> tuple[list[Document], list[Chunk]]:
    """Every loaded document's chunks. Raises DocumentError before anything is indexed when a
    source directory is wrong (``check_sources``) or a loaded file yields no chunk: a document
    with 0 chunks would be listed as in force while nothing of it can answer."""
    from llama_index.core.ingestion import IngestionPipeline

    from .node_parser import StructureNodeParser, to_chunk, to_document

    docs = load_documents(settings)
    check_sources(settings, docs)
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
    chunks = [to_chunk(n) for n in nodes]
    have = {c.doc_id for c in chunks}
    empty = [d for d in docs if d.loaded and d.doc_id not in have]
    if empty:
        names = "、".join(f"《{d.title}》（{d.path}）" for d in empty)
        raise DocumentError(f"没有从这些文件中切分出任何内容：{names}。请检查文件是否正确。没有建立新索引，现有索引保持不变。",
                            f"no chunk could be cut from: {', '.join(d.path for d in empty)}; check the file(s). "
                            "No index was built; the current index is unchanged.")
    return docs, chunks
