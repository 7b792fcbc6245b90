"""Fusion: one ranking from the candidates' evidence. Two interchangeable rankers:

- :class:`RRFFusion`, reciprocal-rank fusion of the dense and BM25 ranks (no training; the
  reference every other ranker must beat);
- :class:`LearnedRanker`, a linear model over the candidate features (``candidates.FEATURE_NAMES``)
  trained listwise (softmax over each question's candidates) by ``evals/train_ranker.py`` on the
  dev split and half of STARD-dev, shipped as ``data/ranker.json`` with what it was trained on.
  Its scores are the softmax probabilities, so they compare within one question.

Locator hits ("专利法第四十二条") always come first, in the order the question names them.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from rongzhi.core.settings import for_family

from .candidates import FEATURE_NAMES, Hit, feature_matrix

MODEL_PATH = Path(__file__).with_name("data") / "ranker.json"


def model_path(family: str = "") -> Path:
    """The shipped ranker for an embedder family (``core.settings.for_family``), or the base
    model's when none was trained for it (evals/train_ranker.py writes them)."""
    own = for_family(MODEL_PATH, family)
    return own if own.is_file() else MODEL_PATH


def _direct_first(hits: list[Hit]) -> list[Hit]:
    direct = [h for h in hits if h.direct]
    for n, h in enumerate(direct):
        h.score = 100.0 - n
    rest = sorted((h for h in hits if not h.direct), key=lambda h: -h.score)
    return direct + rest


class RRFFusion:
    name = "rrf"

    def __init__(self, k: int = 60):
        self.k = k

    def rank(self, hits: list[Hit]) -> list[Hit]:
        for h in hits:
            h.score = sum(1.0 / (self.k + r + 1) for r in h.ranks.values())
        return _direct_first(hits)


class LearnedRanker:
    name = "learned"

    def __init__(self, model: dict):
        if list(model["features"]) != list(FEATURE_NAMES):
            raise ValueError(f"ranker features {model['features']} != {list(FEATURE_NAMES)}: retrain "
                             "with evals/train_ranker.py")
        self.model = model
        self.weights = np.asarray(model["weights"], dtype=np.float32)
        self.bias = float(model["bias"])

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> "LearnedRanker":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def rank(self, hits: list[Hit]) -> list[Hit]:
        if hits:
            logits = feature_matrix(hits) @ self.weights + self.bias
            probs = np.exp(logits - logits.max())
            probs /= probs.sum()
            for h, p in zip(hits, probs):
                h.score = float(p)  # the model's probability that this candidate is the answer (listwise)
        return _direct_first(hits)


@lru_cache(maxsize=4)
def _shipped(path: str) -> LearnedRanker | None:
    return LearnedRanker.from_file(Path(path)) if Path(path).is_file() else None


def make_fusion(name: str, family: str = ""):
    """``learned`` (the shipped model for embedder ``family``; plain RRF if no model file is
    installed), ``learned:PATH`` (another trained model, e.g. an experiment) or ``rrf``."""
    if name == "rrf":
        return RRFFusion()
    if name == "learned":
        return _shipped(str(model_path(family))) or RRFFusion()
    if name.startswith("learned:"):
        return LearnedRanker.from_file(Path(name.split(":", 1)[1]))
    raise ValueError(f"unknown fusion {name!r} (learned, learned:PATH or rrf)")
