"""The question memory: labelled everyday questions, embedded by the index's embedder.

Why: every other stage compares a user's question with the *statute's* wording; a memory of
questions people asked about each source (and which source answered them) says how that source is
asked about in everyday words. ``assistant/neighbours.py`` turns "this question is close to
questions about S" into ranking evidence for S.

Built at ingest when the setting that uses it is on (``Settings.neighbours``), stored beside the
index generation as ``questions.npz``, and embedded through the same content-hash cache as passages
(a re-ingest embeds nothing new). Which files it holds is data: ``data/question_memory.tsv``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rongzhi.core.normalize import to_simplified
from rongzhi.core.settings import REPO_ROOT
from rongzhi.core.tables import read_table

TABLE = Path(__file__).with_name("data") / "question_memory.tsv"
FILE_NAME = "questions.npz"
KEY_SEPARATOR = "\t"


def source_key(title: str, locator: str, version_date: str = "") -> str:
    """One source as the memory names it: a version of an article (or task, or treaty unit).
    The version is part of the key: after a renumbering the same 第十条 is another provision."""
    return KEY_SEPARATOR.join((title, locator, version_date))


def memory_files(table: Path = TABLE) -> list[Path]:
    return [REPO_ROOT / "evals" / row["file"] for row in read_table(table, ("file", "reason"))]


@dataclass
class QuestionMemory:
    """Rows of (question id, source key, unit vector); a question with two gold sources is two rows."""

    ids: list[str]
    keys: list[str]
    vectors: np.ndarray  # (rows, dim) float32, unit length

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(self, vector: np.ndarray, k: int, exclude: str | None = None) -> list[tuple[int, float]]:
        """[(row, cosine)] of the ``k`` closest rows, best first; rows of question ``exclude``
        (the question itself, when a memory question is being ranked) are skipped."""
        if not len(self.ids):
            return []
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if exclude is not None:
            sims = np.where(np.asarray([i == exclude for i in self.ids]), -np.inf, sims)
        top = np.argpartition(-sims, min(k, len(sims) - 1))[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(i), float(sims[i])) for i in top if np.isfinite(sims[i])]

    def subset(self, keep) -> "QuestionMemory":
        rows = [i for i, qid in enumerate(self.ids) if keep(qid)]
        return QuestionMemory([self.ids[i] for i in rows], [self.keys[i] for i in rows], self.vectors[rows])

    def __add__(self, other: "QuestionMemory") -> "QuestionMemory":
        return QuestionMemory(self.ids + other.ids, self.keys + other.keys,
                              np.vstack([self.vectors, other.vectors]).astype(np.float32))

    def save(self, folder: Path) -> None:
        np.savez(Path(folder) / FILE_NAME, vectors=self.vectors.astype(np.float32),
                 ids=np.asarray(self.ids), keys=np.asarray(self.keys))

    @classmethod
    def load(cls, folder: Path) -> "QuestionMemory | None":
        path = Path(folder) / FILE_NAME
        if not path.is_file():
            return None
        with np.load(path) as data:
            return cls([str(i) for i in data["ids"]], [str(k) for k in data["keys"]], data["vectors"].astype(np.float32))


def read_questions(files: list[Path]) -> list[dict]:
    """[{"id", "question", "text", "keys"}] of every answerable question with gold in ``files``;
    ``text`` is what the memory embeds: the question's words in Simplified, mainland wording."""
    rows = []
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                item = json.loads(line)
                if not item.get("answerable") or not item.get("gold"):
                    continue
                keys = [source_key(g["title"], g["locator"], g.get("version_date", "")) for g in item["gold"]]
                rows.append({"id": item["id"], "question": item["question"], "text": to_simplified(item["question"]),
                             "keys": keys})
    return rows


def fingerprint(rows: list[dict]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r['id']}|{r['text']}|{'|'.join(r['keys'])}\n".encode())
    return h.hexdigest()[:16]


def query_cache_key(text: str) -> str:
    """Where a question's vector sits in the query cache (``EmbeddingCache(<embedder>-queries)``)."""
    return hashlib.sha256(("query\0" + text).encode("utf-8")).hexdigest()[:32]


def embed_queries(data_dir: Path, embedder, texts: list[str]) -> np.ndarray:
    """Query vectors for ``texts``, through an on-disk cache keyed by embedder and text (the
    evaluation pools' query cache): each distinct question is embedded once per embedder."""
    from rongzhi.index.cache import EmbeddingCache

    cache = EmbeddingCache(data_dir, embedder.name + "-queries", embedder.dim)
    try:
        keys = [query_cache_key(t) for t in texts]
        found = cache.get_many(sorted(set(keys)))
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        for start in range(0, len(todo), 256):
            batch = todo[start:start + 256]
            vecs = embedder.embed_queries([t for _, t in batch])
            cache.put_many([(k, v) for (k, _), v in zip(batch, vecs)])
            found.update({k: v for (k, _), v in zip(batch, vecs)})
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, embedder.dim), np.float32)
    finally:
        cache.close()


def build(data_dir: Path, embedder, rows: list[dict]) -> QuestionMemory:
    vectors = embed_queries(data_dir, embedder, [r["text"] for r in rows])
    ids, keys, picked = [], [], []
    for n, r in enumerate(rows):
        for key in r["keys"]:
            ids.append(r["id"])
            keys.append(key)
            picked.append(n)
    return QuestionMemory(ids, keys, vectors[picked] if picked else np.zeros((0, embedder.dim), np.float32))
