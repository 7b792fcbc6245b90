"""An in-memory corpus with the same reading interface as :class:`index.store.IndexReader`.

Why: evaluation pools (STARD-dev's labelled articles mixed with RongZhi's own chunks) must be
searched by exactly the retrieval stages users get, without writing a Chroma generation for each
experiment. Vectors are a float32 matrix (cosine = dot product: embedders return unit vectors).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from rongzhi.core.chunks import Chunk

from .lexical import BigramIndex, LexicalIndex


class MatrixVectors:
    def __init__(self, chunk_ids: list[str], matrix: np.ndarray, chunks: list[Chunk]):
        self.chunk_ids = chunk_ids
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self._chunks = chunks
        self._row = {cid: i for i, cid in enumerate(chunk_ids)}

    def count(self) -> int:
        return len(self.chunk_ids)

    def search(self, vector: np.ndarray, k: int, filters=None) -> list[tuple[str, float]]:
        sims = self.matrix @ np.asarray(vector, dtype=np.float32)
        out = []
        for i in np.argsort(-sims, kind="stable"):
            if filters is None or filters.allows(self._chunks[i]):
                out.append((self.chunk_ids[i], float(sims[i])))
                if len(out) >= k:
                    break
        return out

    def vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        return {cid: self.matrix[self._row[cid]] for cid in chunk_ids if cid in self._row}


class MemoryCorpus:
    """Chunks + BM25 (built in ``folder``) + a vector matrix, searchable like an index generation."""

    def __init__(self, chunks: list[Chunk], vectors: np.ndarray, folder: Path):
        self.chunks = chunks
        self.by_id = {c.chunk_id: i for i, c in enumerate(chunks)}
        ids = [c.chunk_id for c in chunks]
        self.lexical = LexicalIndex.build(ids, [c.embed_text for c in chunks], Path(folder))
        self.bigram = BigramIndex.build(ids, [c.embed_text for c in chunks])
        self.lexical_row = [self.by_id[cid] for cid in self.lexical.chunk_ids]
        self.lexical_position = [0] * len(chunks)
        for row, i in enumerate(self.lexical_row):
            self.lexical_position[i] = row
        self.vectors = MatrixVectors(ids, vectors, chunks)
