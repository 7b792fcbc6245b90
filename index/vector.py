"""The Chroma vector store: written through llama-index's ``ChromaVectorStore``, queried directly.

Chroma gets RongZhi's own embeddings (its default embedding function would download a model) and
runs with telemetry off. Queries go to the Chroma collection directly because importing
llama-index costs ~2 s, too much for a cold ``rongzhi ask``; ingest, which runs rarely, goes
through llama-index so the store stays a standard llama-index vector store.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

COLLECTION = "rongzhi"


def open_client(path: Path):
    from ingest.settings import apply_offline_env

    apply_offline_env()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def write_vectors(path: Path, records: list[dict], vectors: np.ndarray, batch: int = 1000) -> None:
    """Create the collection at ``path`` and add every chunk with its embedding."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = open_client(path)
    collection = client.get_or_create_collection(COLLECTION, embedding_function=None,
                                                 metadata={"hnsw:space": "cosine"})
    store = ChromaVectorStore(chroma_collection=collection)
    # The SOURCE relationship makes llama-index store our doc_id as the node's ref_doc_id (it
    # writes that into the "doc_id" metadata key, overwriting any doc_id given in metadata).
    nodes = [TextNode(id_=r["chunk_id"], text=r["text"], embedding=vectors[i].tolist(),
                      metadata={"kind": r["kind"], "status": r["status"], "locator": r["locator"]},
                      relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=r["doc_id"])})
             for i, r in enumerate(records)]
    for i in range(0, len(nodes), batch):
        store.add(nodes[i:i + batch])


class VectorIndex:
    def __init__(self, path: Path):
        self._client = open_client(path)
        self._collection = self._client.get_collection(COLLECTION, embedding_function=None)

    def count(self) -> int:
        return self._collection.count()

    def search(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """[(chunk_id, cosine similarity)], best first."""
        result = self._collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                                        n_results=k, where=where or None, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    def vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of the given chunks."""
        if not chunk_ids:
            return {}
        got = self._collection.get(ids=list(chunk_ids), include=["embeddings"])
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(got["ids"], got["embeddings"])}
