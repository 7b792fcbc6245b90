"""The Chroma vector store: written through llama-index's ``ChromaVectorStore``, queried directly.

Two modes, one code path (``Settings.chroma_host`` chooses):
- embedded (default): a ``PersistentClient`` inside each index generation's folder;
- server: a Chroma server (``HttpClient``: host, port, ssl, headers), one collection per
  generation named ``rongzhi_<generation>``. The chunk table and the BM25 index stay on the
  application host, in the generation folder under ``DATA_DIR/index``.

Chroma gets RongZhi's own embeddings (its default embedding function would download a model) and
runs with telemetry off. Queries go to the collection directly because importing llama-index
costs ~2 s, too much for a cold ``rongzhi ask``; ingest, which runs rarely, goes through
llama-index so the store stays a standard llama-index vector store.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rongzhi.core.settings import Settings, apply_offline_env

PREFIX = "rongzhi_"
INSTANCE_KEY = "rongzhi_instance"  # collection metadata: the DATA_DIR that wrote it (store.instance_id)


# ef_search (HNSW's candidate list at query time) well above the 3 x 40 neighbours the dense
# search fetches unfiltered (assistant/candidates.py OVERFETCH): at Chroma's default of 100 the
# tail of that list was approximate, and a chunk that Chroma's own filtered query ranks could be
# missed (seen for as-of 2020 questions). At 400 they agree (tests/test_assistant.py), ~1 ms.
HNSW = {"space": "cosine", "ef_search": 400}


def collection_name(gen: Path) -> str:
    return PREFIX + gen.name


def open_client(settings: Settings, gen: Path):
    apply_offline_env()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        headers = json.loads(settings.chroma_headers) if settings.chroma_headers else None
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl,
                                   headers=headers, settings=chroma_settings)
    return chromadb.PersistentClient(path=str(gen / "chroma"), settings=chroma_settings)


def write_vectors(settings: Settings, gen: Path, records: list[dict], vectors: np.ndarray, batch: int = 1000) -> None:
    """Create the generation's collection and add every chunk with its embedding."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = open_client(settings, gen)
    name = collection_name(gen)
    try:
        client.delete_collection(name)  # a leftover from an interrupted run with the same name
    except Exception:
        pass
    from rongzhi.index.store import instance_id

    collection = client.create_collection(name, embedding_function=None, configuration={"hnsw": HNSW},
                                          metadata={INSTANCE_KEY: instance_id(settings.data_dir)})
    store = ChromaVectorStore(chroma_collection=collection)
    # The SOURCE relationship makes llama-index store our doc_id as the node's ref_doc_id (it
    # writes that into the "doc_id" metadata key, overwriting any doc_id given in metadata).
    nodes = [TextNode(id_=r["chunk_id"], text=r["text"], embedding=vectors[i].tolist(),
                      metadata={"kind": r["kind"], "locator": r["locator"], **date_metadata(r)},
                      relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=r["doc_id"])})
             for i, r in enumerate(records)]
    for i in range(0, len(nodes), batch):
        store.add(nodes[i:i + batch])


def date_metadata(record: dict) -> dict:
    """When a chunk's version applies, as YYYYMMDD integers: Chroma's $lte/$gt compare numbers
    only, so string dates could not be filtered by as-of date inside the vector search."""
    from rongzhi.core.versions import FOREVER, date_int, start_date

    return {"in_force_from": date_int(start_date(record.get("version_date", ""), record.get("effective_date", ""))),
            "in_force_until": date_int(record.get("superseded_on", ""), FOREVER)}


def drop_stale_collections(settings: Settings, known: set[str] = frozenset()) -> list[str]:
    """Server mode: delete this DATA_DIR's collections whose generation is neither current nor
    still read by a running process; return their names. Why so narrow: other deployments may
    share the server (their ``rongzhi_`` collections are not ours to delete), and a UI still
    reading the previous generation (``store.hold``) would lose its vectors mid-answer, as the
    embedded mode's ``remove_stale`` already avoids. A collection is this DATA_DIR's when it
    carries its ``instance_id``, or when it is named for a generation in ``known`` (generation
    folders seen here before the clean-up: collections written before they carried the id)."""
    if not settings.chroma_host:
        return []  # embedded collections live (and die) inside their generation folder
    from rongzhi.index.store import current_generation, in_use, index_root, instance_id

    current = current_generation(settings.data_dir)
    ours, root = instance_id(settings.data_dir), index_root(settings.data_dir)
    client = open_client(settings, current or Path("."))
    dropped = []
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if not name.startswith(PREFIX) or (current is not None and name == collection_name(current)):
            continue
        gen_name = name[len(PREFIX):]
        metadata = (client.get_collection(name) if isinstance(col, str) else col).metadata or {}
        if metadata.get(INSTANCE_KEY) != ours and gen_name not in known:
            continue  # another deployment's
        if (root / gen_name).is_dir() and in_use(root / gen_name):
            continue  # still read; the ingest after its reader lets go removes it
        client.delete_collection(name)
        dropped.append(name)
    return dropped


class VectorIndex:
    def __init__(self, settings: Settings, gen: Path):
        self._client = open_client(settings, gen)
        self._collection = self._client.get_collection(collection_name(gen), embedding_function=None)

    def count(self) -> int:
        return self._collection.count()

    def search(self, vector: np.ndarray, k: int, filters=None) -> list[tuple[str, float]]:
        """[(chunk_id, cosine similarity)], best first, within ``filters`` (an
        ``assistant.filters.Filters``-like object whose ``chroma_where()`` is pushed into Chroma, or a
        Chroma ``where`` dict)."""
        where = filters if filters is None or isinstance(filters, dict) else filters.chroma_where()
        result = self._collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                                        n_results=k, where=where or None, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    def vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of the given chunks."""
        if not chunk_ids:
            return {}
        got = self._collection.get(ids=list(chunk_ids), include=["embeddings"])
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(got["ids"], got["embeddings"])}
