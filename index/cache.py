"""Embedding cache keyed by (embedder, content hash): unchanged chunks are never embedded twice."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np


class EmbeddingCache:
    def __init__(self, data_dir: Path, embedder_name: str, dim: int):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", embedder_name)
        path = Path(data_dir) / "cache" / f"embeddings-{safe}.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (hash TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            batch = hashes[i:i + 500]
            rows = self._db.execute(f"SELECT hash, vec FROM emb WHERE hash IN ({','.join('?' * len(batch))})", batch)
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape == (self.dim,):
                    found[h] = vec
        return found

    def put_many(self, items: list[tuple[str, np.ndarray]]) -> None:
        """Committed per call, so an interrupted ingest keeps what it already embedded."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO emb (hash, vec) VALUES (?, ?)",
                                 [(h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items])

    def close(self) -> None:
        self._db.close()
