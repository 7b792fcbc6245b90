"""Hybrid retrieval: direct locator hits, dense (Chroma) and BM25, fused by weighted RRF.

Why RRF: dense cosine and BM25 scores live on different scales; ranks do not. The weights and
the RRF constant are tuned on the gold set (evals/). Metadata filters apply to both retrievers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rongzhi.core.chunks import Chunk

from .filters import Filters
from .locate import LocatorRef
from .query import Query

RRF_K = 60
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
EXPANSION_WEIGHT = 1.0  # BM25 weight of synonym-expansion terms relative to the question's own
NAMED_DOC_BOOST = 0.05  # a document named in the question (专利法…) outranks the rest (~3 rank-1 RRF terms)
CANDIDATES = 40
# The best few fused hits are re-ordered by how many of the question's words they contain:
# RRF alone often ranks a near-synonym article above the one that answers (tuned on gold).
RERANK_TOP = 3
COVERAGE_WEIGHT = 1.0 / (RRF_K + 1)


@dataclass
class Hit:
    chunk: Chunk
    score: float = 0.0
    dense: float = 0.0  # cosine similarity to the query
    lexical: float = 0.0  # BM25 score
    coverage: float = 0.0  # share of the query's words found in the chunk
    direct: bool = False  # named by locator in the question
    ranks: dict = field(default_factory=dict)


def coverage(tokens: list[str], norm: str, english: bool = False) -> float:
    """Length-weighted share of distinct query tokens (lower-cased) that occur in ``norm``.
    For an English question only its Chinese glossary terms count: its English words never
    occur in the Chinese text. Latin terms in a Chinese question (RCEP, TISC) do count."""
    words = {t for t in tokens if not t.isascii()} if english else {t for t in tokens if len(t) >= 2 or not t.isascii()}
    if not words:
        return 0.0
    norm = norm.lower()
    total = sum(len(w) for w in words)
    return sum(len(w) for w in words if w in norm) / total


class Retriever:
    def __init__(self, reader, embedder):
        self.reader = reader
        self.embedder = embedder
        self._by_locator: dict[tuple[str, str], list[int]] = {}
        for i, c in enumerate(reader.chunks):
            self._by_locator.setdefault((c.doc_id, c.locator), []).append(i)

    def lookup(self, ref: LocatorRef) -> list[Chunk]:
        return [self.reader.chunks[i] for i in self._by_locator.get((ref.doc_id, ref.locator), [])]

    def search(self, query: Query, k: int = 5, filters: Filters | None = None,
               refs: list[LocatorRef] = (), named_docs: list[str] = (),
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """Fused ranking: direct locator hits first, then dense + BM25 by weighted RRF. When the
        question names documents, their own best chunks join the candidates and get a boost."""
        filters = filters or Filters()
        chunks = self.reader.chunks
        hits: dict[int, Hit] = {}
        for ref in refs:  # in the order the question names them
            for i in self._by_locator.get((ref.doc_id, ref.locator), []):
                if filters.allows(chunks[i]):
                    hits.setdefault(i, Hit(chunks[i], score=10.0 - 0.01 * len(hits), direct=True))
        vector = query_vector if query_vector is not None else self.embedder.embed_query(query.search_text)
        lexical = self.reader.lexical.scores(query.tokens)
        if query.expansion:
            lexical = lexical + EXPANSION_WEIGHT * self.reader.lexical.scores(query.expansion)
        scopes = [filters]
        named_in_scope = tuple(d for d in named_docs if not filters.doc_ids or d in filters.doc_ids)
        if named_in_scope:
            scopes.append(Filters(kinds=filters.kinds, doc_ids=named_in_scope,
                                  include_superseded=filters.include_superseded))
        for scope in scopes:
            for rank, (i, sim) in enumerate(self.dense_ranking(vector, scope)):
                hit = hits.setdefault(i, Hit(chunks[i]))
                hit.dense = sim
                hit.ranks.setdefault("dense", rank)
                hit.score += DENSE_WEIGHT / (RRF_K + rank + 1)
            for rank, (i, score) in enumerate(self.lexical_ranking(lexical, scope)):
                hit = hits.setdefault(i, Hit(chunks[i]))
                hit.lexical = score
                hit.ranks.setdefault("lexical", rank)
                hit.score += LEXICAL_WEIGHT / (RRF_K + rank + 1)
        # Hits found only by BM25 (or by locator) get their cosine too: the relevance gate needs it.
        unscored = [h.chunk.chunk_id for h in hits.values() if "dense" not in h.ranks]
        for cid, vec in self.reader.vectors.vectors(unscored).items():
            hits[self.reader.by_id[cid]].dense = float(np.dot(vec, vector))
        for hit in hits.values():
            hit.coverage = coverage(query.tokens, hit.chunk.norm, query.is_english)
            if hit.chunk.doc_id in named_docs and not hit.direct:
                hit.score += NAMED_DOC_BOOST
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        n_direct = sum(h.direct for h in ranked)
        head = ranked[n_direct:n_direct + RERANK_TOP]
        for hit in head:
            hit.score += COVERAGE_WEIGHT * hit.coverage
        ranked[n_direct:n_direct + RERANK_TOP] = sorted(head, key=lambda h: -h.score)
        return ranked[:max(k, n_direct)]

    def dense_ranking(self, vector: np.ndarray, filters: Filters, k: int = CANDIDATES) -> list[tuple[int, float]]:
        """[(chunk row, cosine)] best first, within ``filters``."""
        found = self.reader.vectors.search(vector, k, filters.chroma_where())
        return [(self.reader.by_id[cid], sim) for cid, sim in found]

    def lexical_ranking(self, scores: np.ndarray, filters: Filters, k: int = CANDIDATES) -> list[tuple[int, float]]:
        """[(chunk row, BM25 score)] best first, positive scores only, within ``filters``."""
        out = []
        for row in np.argsort(-scores, kind="stable"):
            if scores[row] <= 0 or len(out) >= k:
                break
            i = self.reader.lexical_row[row]
            if filters.allows(self.reader.chunks[i]):
                out.append((i, float(scores[row])))
        return out
