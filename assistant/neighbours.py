"""Neighbour evidence: reorder the ranker's first candidates by how close the question is to
everyday questions people asked about each of them (the question memory, ``index/questions.py``).

Why: the ranker compares the question with the statute's wording (BM25, cosines, coverage). A
user's words are often far from it (「员工带走技术资料」 vs 「商业秘密」); labelled lay questions about
the same source are much closer. This is lay -> legal vocabulary learned from data, without a
hand table: nothing here names a word.

A postprocessor after fusion: for each of the first ``depth`` candidates that no locator named,
three numbers (``FEATURE_NAMES``), mixed by weights fitted listwise by
``evals/fit_neighbours.py`` on memory questions the ranker never read (each seeing only the other
cross-fit half of the memory). The reordered candidates keep their total probability, so the
answerability check, the close-call ratio and the calibration read the same scale as without it.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from rongzhi.core.settings import for_family
from rongzhi.index.questions import QuestionMemory, source_key

MODEL_PATH = Path(__file__).with_name("data") / "neighbours.json"
FEATURE_NAMES = ("ranker_log_prob", "neighbour_gap", "neighbour_key_rr")
NEAREST = 50  # memory questions looked at per ranking: far enough down that a source's best one is rarely cut off
GAP_FLOOR = -0.1  # a candidate none of the nearest questions is about: as far as the gap goes
PROB_FLOOR = 1e-9


def chunk_key(chunk) -> str:
    return source_key(chunk.title, chunk.locator, chunk.version_date)


def model_path(family: str = "") -> Path:
    return for_family(MODEL_PATH, family)


def neighbour_evidence(memory: QuestionMemory, vector: np.ndarray, exclude: str | None = None) -> dict[str, tuple[float, int]]:
    """{source key: (best cosine of a memory question about it - best cosine overall, rank of the
    key among the nearest questions' distinct keys)} over the ``NEAREST`` closest questions."""
    found: dict[str, tuple[float, int]] = {}
    near = memory.nearest(vector, NEAREST, exclude)
    if not near:
        return found
    best = near[0][1]
    for row, sim in near:
        key = memory.keys[row]
        if key not in found:
            found[key] = (sim - best, len(found))
    return found


def features(log_prob: float, key: str, evidence: dict[str, tuple[float, int]]) -> list[float]:
    gap, rank = evidence.get(key, (GAP_FLOOR, None))
    return [log_prob, max(gap, GAP_FLOOR), 1.0 / (rank + 1) if rank is not None else 0.0]


class NeighbourReranker:
    """``rerank(ranked hits, query vector)`` -> the same hits, the first ``depth`` reordered."""

    name = "neighbours"

    def __init__(self, model: dict, memory: QuestionMemory, key_of=chunk_key):
        if list(model["features"]) != list(FEATURE_NAMES):
            raise ValueError(f"neighbour features {model['features']} != {list(FEATURE_NAMES)}: refit "
                             "with evals/fit_neighbours.py")
        self.model = model
        self.weights = np.asarray(model["weights"], dtype=np.float64)
        self.depth = int(model["depth"])
        self.memory = memory
        self.key_of = key_of

    def with_memory(self, memory: QuestionMemory, key_of=None) -> "NeighbourReranker":
        """The same weights over another memory (an evaluation pool's own labelled questions)."""
        return NeighbourReranker(self.model, memory, key_of or self.key_of)

    def rerank(self, hits: list, vector: np.ndarray, exclude: str | None = None) -> list:
        direct = [h for h in hits if h.direct]
        rest = [h for h in hits if not h.direct]
        head, tail = rest[:self.depth], rest[self.depth:]
        if len(head) < 2 or vector is None:
            return hits
        evidence = neighbour_evidence(self.memory, vector, exclude)
        mass = sum(h.score for h in head)
        x = np.asarray([features(math.log(max(h.score, PROB_FLOOR)), self.key_of(h.chunk), evidence) for h in head])
        z = x @ self.weights
        p = np.exp(z - z.max())
        p = p / p.sum() * mass
        for h, score in zip(head, p):
            h.score = float(score)
        return direct + sorted(head, key=lambda h: -h.score) + tail


@lru_cache(maxsize=4)
def _model(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def make_reranker(setting: str, family: str, memory: QuestionMemory | None, fusion_name: str):
    """``off`` -> None; ``on`` -> the weights fitted for embedder ``family``; a path -> those
    weights. The weights mix the *learned* ranker's probabilities: with plain RRF it stays off."""
    if setting in ("", "off") or fusion_name != "learned":
        return None
    path = model_path(family) if setting == "on" else Path(setting).expanduser()
    if not path.is_file():
        from rongzhi.core.errors import RongZhiError

        raise RongZhiError(f"找不到近邻问题的权重文件：{path}（运行 python -m rongzhi.evals.fit_neighbours）",
                           f"no neighbour weights at {path} (run python -m rongzhi.evals.fit_neighbours)")
    if memory is None:
        from rongzhi.core.errors import IndexMissing

        raise IndexMissing("当前索引没有问题记忆（RONGZHI_NEIGHBOURS 已开启）：请运行 rongzhi ingest。",
                           "the index holds no question memory (RONGZHI_NEIGHBOURS is on): run `rongzhi ingest`")
    return NeighbourReranker(_model(str(path)), memory)
