"""Retrieval = candidate search (``candidates.py``) + fusion (``fusion.py``).

``Retriever.search`` is what every caller uses (the answer pipeline through the llama-index
``HybridRetriever`` in ``engine.py``, the persona helpers, the eval baselines): one ranking, decided
in one place. Which fusion ranks is a setting (``Settings.fusion``: the learned ranker by default,
plain RRF as the reference).
"""
from __future__ import annotations

import numpy as np

from .candidates import CANDIDATES, CandidateSearch, Hit, coverage  # noqa: F401  (re-exported)
from .filters import Filters
from .fusion import make_fusion
from .locate import LocatorRef
from .query import Query


class Retriever(CandidateSearch):
    def __init__(self, corpus, embedder, fusion: str = "learned"):
        super().__init__(corpus, embedder)
        self.fusion = make_fusion(fusion, getattr(embedder, "family", ""))
        self.reranker = None  # a second stage the answer pipeline applies once per ask (rerank.py, engine.py)

    def search(self, query: Query, k: int = 5, filters: Filters | None = None,
               refs: list[LocatorRef] = (), named_docs: list[str] = (),
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """Locator hits first (in the order the question names them), then the fused ranking."""
        ranked = self.fusion.rank(self.candidates(query, filters, refs, named_docs, query_vector))
        n_direct = sum(h.direct for h in ranked)
        return ranked[:max(k, n_direct)]
