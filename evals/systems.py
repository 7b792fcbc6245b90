"""The systems ``rongzhi eval --compare`` runs side by side on the same questions.

Each exposes ``answer(question, history=None) -> dict`` in the ``rongzhi ask --json`` contract, so one metric
function scores them all. The baselines never decline, cite their top three chunks, and answer every turn of a
conversation alone (``history`` is RongZhi's: the answers before it in the chat).
"""
from __future__ import annotations

import time

from rongzhi.assistant.filters import Filters
from rongzhi.core.chunks import Chunk


class RongZhi:
    name = "rongzhi"
    label = "RongZhi hybrid"

    def __init__(self, assistant):
        self.assistant = assistant

    def answer(self, question: str, history: list[dict] | None = None) -> dict:
        return self.assistant.ask(question, history=history)


def _baseline_result(question: str, chunks: list[Chunk], scores: list[float], started: float) -> dict:
    cites = [{"n": n, "doc_id": c.doc_id, "title": c.title, "locator": c.locator, "quote": c.text,
              "chunk_text": c.text, "score": round(float(s), 4)} for n, (c, s) in enumerate(zip(chunks[:3], scores), 1)]
    retrieved, seen = [], set()
    for c, s in zip(chunks, scores):
        if (c.title, c.locator) not in seen:
            seen.add((c.title, c.locator))
            retrieved.append({"doc_id": c.doc_id, "title": c.title, "locator": c.locator, "score": round(float(s), 4)})
    from rongzhi.assistant.query import detect_language

    return {"question": question, "answer": "\n".join(c["quote"] for c in cites), "answerable": True,
            "language": detect_language(question), "citations": cites, "retrieved": retrieved[:5],
            "mode": "baseline", "timings_ms": {"total": round((time.perf_counter() - started) * 1000, 1)}}


class BM25Only:
    """RongZhi's own chunks and BM25 index, nothing else."""

    name = "bm25"
    label = "BM25 only"

    def __init__(self, assistant):
        self.assistant = assistant

    def answer(self, question: str, history: list[dict] | None = None) -> dict:
        started = time.perf_counter()
        query = self.assistant.parse(question)
        ranking = self.assistant.retriever.lexical_ranking(self.assistant.reader.lexical.scores(query.tokens), Filters(), 10)
        return _baseline_result(question, [self.assistant.reader.chunks[i] for i, _ in ranking],
                                [s for _, s in ranking], started)


class DenseOnly:
    """RongZhi's own chunks and embeddings, vector search only."""

    name = "dense"
    label = "Dense only"

    def __init__(self, assistant):
        self.assistant = assistant

    def answer(self, question: str, history: list[dict] | None = None) -> dict:
        started = time.perf_counter()
        query = self.assistant.parse(question)
        ranking = self.assistant.retriever.dense_ranking(self.assistant.embedder.embed_query(query.norm), Filters(), 10)
        return _baseline_result(question, [self.assistant.reader.chunks[i] for i, _ in ranking],
                                [s for _, s in ranking], started)


class NaiveLlamaIndex:
    """What a first llama-index prototype would do: default ``SentenceSplitter`` chunks of each
    document, the same embedder, an in-memory ``VectorStoreIndex``, top-k vector search.

    Its chunks have no locators, so a retrieved chunk at rank r is credited, at rank r, with
    every article/task whose opening text it contains."""

    name = "naive"
    label = "Naive llama-index"

    def __init__(self, assistant, top_k: int = 5):
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from rongzhi.index.cache import EmbeddingCache
        from rongzhi.index.embedders import as_llama_embedding

        self.assistant = assistant
        reader = assistant.reader
        sources: dict[str, tuple[str, Chunk]] = {}
        for c in reader.chunks:
            sources.setdefault(c.source_path, (open(c.source_path, encoding="utf-8").read(), c))
        documents = [Document(text=text, metadata={"title": c.title, "doc_id": c.doc_id},
                              excluded_embed_metadata_keys=["title", "doc_id"])
                     for text, c in sources.values()]
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        embedder = assistant.embedder
        # Embeddings are cached by content like RongZhi's own, so a second run costs seconds.
        cache = EmbeddingCache(assistant.settings.data_dir, "naive-" + embedder.name, embedder.dim)
        import hashlib

        keys = [hashlib.sha256(n.get_content().encode()).hexdigest()[:32] for n in nodes]
        found = cache.get_many(keys)
        todo = [(k, n) for k, n in zip(keys, nodes) if k not in found]
        for i in range(0, len(todo), 16):
            batch = todo[i:i + 16]
            vecs = embedder.embed_passages([n.get_content() for _, n in batch])
            cache.put_many([(k, v) for (k, _), v in zip(batch, vecs)])
            found.update({k: v for (k, _), v in zip(batch, vecs)})
        cache.close()
        for k, n in zip(keys, nodes):
            n.embedding = found[k].tolist()
        self.index = VectorStoreIndex(nodes, embed_model=as_llama_embedding(embedder))
        self.retriever = self.index.as_retriever(similarity_top_k=top_k)
        self.starts: dict[str, list[tuple[str, str]]] = {}
        for c in reader.chunks:  # (title, locator) keyed by the opening text of each article/task
            self.starts.setdefault(c.doc_id, []).append((c.text[:24], c.locator))
        self.node_count = len(nodes)

    def answer(self, question: str, history: list[dict] | None = None) -> dict:
        started = time.perf_counter()
        results = self.retriever.retrieve(question)
        retrieved, seen = [], set()
        for rank, r in enumerate(results):
            doc_id, title, text = r.node.metadata["doc_id"], r.node.metadata["title"], r.node.get_content()
            for opening, locator in self.starts.get(doc_id, []):
                if opening in text and (title, locator) not in seen:
                    seen.add((title, locator))
                    retrieved.append({"doc_id": doc_id, "title": title, "locator": locator, "rank": rank,
                                      "score": round(float(r.score or 0), 4)})
        from rongzhi.assistant.query import detect_language

        cites = [{"n": n, "doc_id": r.node.metadata["doc_id"], "title": r.node.metadata["title"], "locator": "(片段)",
                  "quote": r.node.get_content(), "chunk_text": r.node.get_content(),
                  "score": round(float(r.score or 0), 4)} for n, r in enumerate(results[:3], 1)]
        return {"question": question, "answer": "\n".join(c["quote"] for c in cites), "answerable": True,
                "language": detect_language(question), "citations": cites, "retrieved": retrieved,
                "mode": "baseline", "timings_ms": {"total": round((time.perf_counter() - started) * 1000, 1)}}


def make_systems(assistant, compare: bool) -> list:
    if not compare:
        return [RongZhi(assistant)]
    return [BM25Only(assistant), DenseOnly(assistant), NaiveLlamaIndex(assistant), RongZhi(assistant)]

