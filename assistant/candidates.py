"""Candidate generation: every chunk that a dense or a lexical search ranks near the top, with the
evidence each search found for it (the *features* a fusion step ranks by).

Why a separate stage: fusion (plain RRF, a learned ranker, anything else) must be swappable and
measurable on the same candidates, and the same candidate search must run over RongZhi's own index
and over an evaluation pool (STARD-dev) alike. So this module knows nothing about how the final
ranking is decided, and works on any *corpus* object that has

- ``chunks`` (list of :class:`Chunk`), ``by_id`` (chunk_id -> row), ``lexical_row`` (BM25 row ->
  chunk row), ``lexical`` (:class:`rongzhi.index.lexical.LexicalIndex`), ``bigram``
  (:class:`rongzhi.index.lexical.BigramIndex`, same row order as ``lexical``), and
- ``vectors`` with ``search(vector, k, where)`` and ``vectors(chunk_ids)`` (Chroma, or an
  in-memory matrix for evaluation pools).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from rongzhi.core.chunks import Chunk

from .answer_types import answer_type_match, asked_markers
from .filters import Filters
from .locate import LocatorRef
from .query import Query

CANDIDATES = 40  # per search and scope: gold articles below rank 40 of both searches are rare
# Unfiltered nearest neighbours fetched per wanted one before the filters are applied here. The
# filters (as-of date, kind) drop few chunks, and Chroma's metadata-filtered query costs ~10 ms at
# today's corpus size and grows linearly (~130 ms at 16x), an unfiltered one ~1 ms at both.
OVERFETCH = 3


@dataclass
class Hit:
    """One candidate chunk and the evidence for it. ``score`` is set by the fusion step."""

    chunk: Chunk
    score: float = 0.0
    dense: float = 0.0  # cosine similarity to the query
    lexical: float = 0.0  # BM25 score of the question's own words
    expansion: float = 0.0  # BM25 score of the expansion terms
    bigram: float = 0.0  # character-bigram BM25 score, relative to the best chunk's
    bigram_rank: int | None = None  # rank of that score among all chunks (0-based)
    coverage: float = 0.0  # share of the query's words found in the chunk
    title_overlap: float = 0.0  # share of the query's words found in title / section / heading
    answer_type: float = 0.0  # the chunk is written the way the asked-for kind of answer is
    named: bool = False  # the question names this chunk's document
    direct: bool = False  # named by locator in the question
    ranks: dict = field(default_factory=dict)  # {"dense": r, "lexical": r} (0-based)


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


class CandidateSearch:
    def __init__(self, corpus, embedder):
        self.corpus = corpus
        self.embedder = embedder
        self._by_locator: dict[tuple[str, str], list[int]] = {}
        self._by_doc: dict[str, list[int]] = {}
        for i, c in enumerate(corpus.chunks):
            self._by_locator.setdefault((c.doc_id, c.locator), []).append(i)
            self._by_doc.setdefault(c.doc_id, []).append(i)

    def lookup(self, ref: LocatorRef) -> list[Chunk]:
        return [self.corpus.chunks[i] for i in self._by_locator.get((ref.doc_id, ref.locator), [])]

    def candidates(self, query: Query, filters: Filters | None = None, refs: list[LocatorRef] = (),
                   named_docs: list[str] = (), query_vector: np.ndarray | None = None,
                   k: int = CANDIDATES) -> list[Hit]:
        """Union of locator hits, the dense top ``k`` and the BM25 top ``k`` (within ``filters``,
        and again within the documents the question names), each with its features."""
        filters = filters or Filters()
        chunks = self.corpus.chunks
        hits: dict[int, Hit] = {}
        for ref in refs:  # in the order the question names them
            for i in self._by_locator.get((ref.doc_id, ref.locator), []):
                if filters.allows(chunks[i]):
                    hits.setdefault(i, Hit(chunks[i], direct=True))
        vector = query_vector if query_vector is not None else self.embedder.embed_query(query.search_text)
        lexical = self.corpus.lexical.scores(query.tokens)
        expansion = self.corpus.lexical.scores(query.expansion) if query.expansion else None
        bigram = self.corpus.bigram.scores(query.norm)
        scopes = [filters]
        named_in_scope = tuple(d for d in named_docs if not filters.doc_ids or d in filters.doc_ids)
        if named_in_scope:
            scopes.append(replace(filters, doc_ids=named_in_scope))
        combined = lexical if expansion is None else lexical + expansion
        for scope in scopes:
            for rank, (i, sim) in enumerate(self.dense_ranking(vector, scope, k)):
                hit = hits.setdefault(i, Hit(chunks[i]))
                hit.ranks.setdefault("dense", rank)
            for rank, (i, _) in enumerate(self.lexical_ranking(combined, scope, k)):
                hit = hits.setdefault(i, Hit(chunks[i]))
                hit.ranks.setdefault("lexical", rank)
        # Every candidate gets every feature, whichever search found it.
        ids = [h.chunk.chunk_id for h in hits.values()]
        stored = self.corpus.vectors.vectors(ids)
        row_of = self.corpus.lexical_position
        markers = asked_markers(query.norm)
        rows = [row_of[i] for i in hits]
        best_bigram = float(bigram.max()) if len(bigram) else 0.0
        bigram_ranks = (bigram[None, :] > bigram[rows][:, None]).sum(1) if rows else []
        for n, (i, hit) in enumerate(hits.items()):
            vec = stored.get(hit.chunk.chunk_id)
            hit.dense = float(np.dot(vec, vector)) if vec is not None else 0.0
            pos = row_of[i]
            hit.lexical = float(lexical[pos])
            hit.expansion = float(expansion[pos]) if expansion is not None else 0.0
            hit.bigram = float(bigram[pos]) / best_bigram if best_bigram > 0 else 0.0
            hit.bigram_rank = int(bigram_ranks[n])
            c = hit.chunk
            hit.coverage = coverage(query.tokens, c.norm, query.is_english)
            hit.title_overlap = coverage(query.tokens, " ".join([c.title, *c.section_path, c.heading]),
                                         query.is_english)
            hit.answer_type = answer_type_match(markers, c.norm)
            hit.named = c.doc_id in named_docs
        return list(hits.values())

    def dense_ranking(self, vector: np.ndarray, filters: Filters, k: int = CANDIDATES) -> list[tuple[int, float]]:
        """[(chunk row, cosine)] best first, within ``filters``.

        Within named documents (a few hundred chunks at most): exact cosine over their stored
        vectors. Otherwise the store's unfiltered nearest neighbours, filtered here (see
        OVERFETCH); only when too few of them pass (a narrow ``--kind``) does the store filter."""
        chunks, by_id = self.corpus.chunks, self.corpus.by_id
        if filters.doc_ids:
            rows = [i for d in filters.doc_ids for i in self._by_doc.get(d, ()) if filters.allows(chunks[i])]
            stored = self.corpus.vectors.vectors([chunks[i].chunk_id for i in rows])
            scored = [(i, float(np.dot(stored[chunks[i].chunk_id], vector))) for i in rows if chunks[i].chunk_id in stored]
            return sorted(scored, key=lambda x: -x[1])[:k]
        want = k * OVERFETCH
        found = self.corpus.vectors.search(vector, want, None)
        kept = [(by_id[cid], sim) for cid, sim in found if cid in by_id and filters.allows(chunks[by_id[cid]])]
        if len(kept) >= k or len(found) < want:
            return kept[:k]
        return [(by_id[cid], sim) for cid, sim in self.corpus.vectors.search(vector, k, filters)]

    def lexical_ranking(self, scores: np.ndarray, filters: Filters, k: int = CANDIDATES) -> list[tuple[int, float]]:
        """[(chunk row, BM25 score)] best first, positive scores only, within ``filters``."""
        out = []
        for row in np.argsort(-scores, kind="stable"):
            if scores[row] <= 0 or len(out) >= k:
                break
            i = self.corpus.lexical_row[row]
            if filters.allows(self.corpus.chunks[i]):
                out.append((i, float(scores[row])))
        return out


def features(hit: Hit, ctx: dict) -> list[float]:
    """The numbers a learned ranker sees for one candidate, relative to the other candidates of
    the same question where a raw score means little across questions (BM25 grows with length,
    cosines of one question sit in a narrow band of their own)."""
    dense_rank = hit.ranks.get("dense")
    lexical_rank = hit.ranks.get("lexical")
    best_rank = min(r for r in (dense_rank, lexical_rank, 10**6) if r is not None)
    return [
        hit.dense,
        hit.dense - ctx["best_dense"],
        1.0 / (dense_rank + 1) if dense_rank is not None else 0.0,
        hit.lexical / ctx["best_lexical"] if ctx["best_lexical"] > 0 else 0.0,
        1.0 / (lexical_rank + 1) if lexical_rank is not None else 0.0,
        hit.expansion / ctx["best_expansion"] if ctx["best_expansion"] > 0 else 0.0,
        hit.coverage,
        hit.title_overlap,
        hit.answer_type,
        float(hit.named),
        math.log1p(len(hit.chunk.text)) / 7.0,
        float(hit.chunk.part > 0),
        (hit.dense - ctx["mean_dense"]) / ctx["std_dense"],
        float(dense_rank is not None and lexical_rank is not None),
        1.0 / (best_rank + 1) if best_rank < 10**6 else 0.0,
        hit.bigram,
        1.0 / (hit.bigram_rank + 1) if hit.bigram_rank is not None else 0.0,
    ]


FEATURE_NAMES = ("dense", "dense_gap", "dense_rr", "bm25_rel", "lexical_rr", "expansion_rel", "coverage",
                 "title_overlap", "answer_type", "named_doc", "log_length", "is_part", "dense_z", "in_both",
                 "best_rr", "bigram_rel", "bigram_rr")


def feature_matrix(hits: list[Hit]) -> np.ndarray:
    if not hits:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    dense = np.asarray([h.dense for h in hits])
    ctx = {"best_dense": float(dense.max()), "mean_dense": float(dense.mean()), "std_dense": float(dense.std()) or 1.0,
           "best_lexical": max(h.lexical for h in hits), "best_expansion": max(h.expansion for h in hits)}
    return np.asarray([features(h, ctx) for h in hits], dtype=np.float32)
