"""Can the loaded documents answer this question at all? A learned, question-level check.

Why: retrieval always returns *something*. Asked 「离婚后孩子抚养费怎么算？」, RongZhi used to quote the
nearest IP-law article as *the* answer. On STARD-dev's real lay questions (1,347 of them about law
outside RongZhi's corpus) it cited an article for three in four. A wrong citation is worse than no
answer, so after ranking the assistant asks one more question, with three outcomes:

- **answer** (probability >= ``hedge``): as before;
- **hedge** (``decline`` <= p < ``hedge``): the closest provisions are shown as 相关条文 under a line
  saying the loaded documents may not cover the question, never as *the* answer;
- **decline** (p < ``decline``): nothing is quoted.

The model is a logistic regression (``data/answerability.json``, trained by
``python -m rongzhi.evals.train_answerability``) over a few question-level features: how close the
best candidate is (cosine, share of the question's words), whether the question names a loaded
document, and a *domain score*: the mean log-odds of the question's words between the loaded corpus
(document frequencies read from the index's BM25) and a background of general Chinese law
(``data/background_df.tsv``: document frequencies over STARD-dev's labelled articles, MIT; 婚姻、劳动、
借款 … are frequent there and rare here). The background is data, not a hand list: rebuilding it from
another general-law collection needs no code change.

**A second look at on-topic questions** (optional ``"on_topic"`` section of the model file). The
check above learns "other law vs IP" from hundreds of STARD questions; a question in IP words that
no loaded text answers (official fees, office procedures, foreign offices, subsidy amounts) looks
answerable to it: out-of-fold it answered 69 of the 105 such dev questions outright. A second
model, trained on dev alone (answerable vs on-topic unanswerable), adds what those questions have
in common — they ask for a kind of answer (an amount, a time limit) the best source is not written
as, and their rare words are in none of the top sources — and turns *answer* into *hedge* below its
bar. It never declines: a hedge still shows the closest provisions, which are right for most of the
answerable questions it catches.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rongzhi.core.settings import for_family
from rongzhi.core.tables import read_table

from .answer_types import answer_type_match, asked_markers

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA / "answerability.json"
BACKGROUND_PATH = DATA / "background_df.tsv"
FEATURE_NAMES = ("top_dense", "top_coverage", "named_doc", "best_dense", "domain", "domain_negative")
# The second look's inputs: the check's, and three about whether the top sources carry what is asked.
ON_TOPIC_FEATURES = FEATURE_NAMES + ("asks_answer_type", "answer_type_missing", "rare_words_uncovered")
UNCOVERED_DEPTH = 3  # sources read for the question's rare words: the most a hedge shows (service.MAX_CONTENDERS)
CLIP = 3.0  # one word's log-odds is clipped: a single rare word must not decide alone
SMOOTHING = 0.5  # added to both document frequencies (a word seen in neither corpus scores ~-1)


@dataclass
class DocumentFrequencies:
    """How many documents of a collection contain each word."""

    counts: dict[str, int]
    documents: int

    def rate(self, word: str) -> float:
        return (self.counts.get(word, 0) + SMOOTHING) / (self.documents + 1)


def corpus_frequencies(lexical) -> DocumentFrequencies:
    """Document frequencies of the index's own BM25 vocabulary (bm25s keeps a word's postings
    contiguous: its document frequency is the length of its slice)."""
    scores = lexical._bm25.scores
    pointers = np.append(np.asarray(scores["indptr"]), len(scores["data"]))
    df = np.diff(pointers)
    counts = {word: int(df[i]) for word, i in lexical._vocab.items() if i < len(df)}
    return DocumentFrequencies(counts, int(scores["num_docs"]))


@lru_cache(maxsize=2)
def background_frequencies(path: str = str(BACKGROUND_PATH)) -> DocumentFrequencies | None:
    if not Path(path).is_file():
        return None
    rows = read_table(Path(path), ("word", "df"))
    documents = next((int(r["df"]) for r in rows if r["word"] == "<documents>"), 0)
    return DocumentFrequencies({r["word"]: int(r["df"]) for r in rows if r["word"] != "<documents>"}, documents)


def domain_score(tokens: list[str], own: DocumentFrequencies, background: DocumentFrequencies) -> float:
    """Mean clipped log-odds of the question's words (two or more characters): > 0 when they are
    this corpus's words, < 0 when they are the words of other law."""
    words = {t for t in tokens if len(t) >= 2}
    if not words:
        return 0.0
    odds = [max(-CLIP, min(CLIP, math.log(own.rate(w) / background.rate(w)))) for w in words]
    return sum(odds) / len(odds)


def features(tokens: list[str], ranked: list, own: DocumentFrequencies, background: DocumentFrequencies) -> list[float]:
    """The model's inputs for one question; ``ranked`` are its fused candidates, best first."""
    top = ranked[0]
    domain = domain_score(tokens, own, background)
    return [top.dense, top.coverage, float(top.named), max(h.dense for h in ranked), domain, min(domain, 0.0)]


def on_topic_features(question_norm: str, tokens: list[str], ranked: list, own: DocumentFrequencies,
                      base: list[float]) -> list[float]:
    """The second look's inputs: ``base`` (the check's features), whether the question asks for a
    kind of answer (answer_types.tsv), whether the best source lacks every asked kind's statute
    wording, and the IDF-weighted share of the question's corpus words (two or more characters)
    that none of the top sources contains."""
    markers = asked_markers(question_norm)
    missing = bool(markers) and answer_type_match(markers, ranked[0].chunk.norm) == 0
    known = {t for t in tokens if len(t) >= 2 and own.counts.get(t, 0) > 0}
    idf = {w: math.log((own.documents + 1) / (own.counts[w] + SMOOTHING)) for w in known}
    total = sum(idf.values())
    texts = [h.chunk.norm for h in ranked[:UNCOVERED_DEPTH]]
    uncovered = sum(v for w, v in idf.items() if not any(w in t for t in texts)) / total if total else 0.0
    return [*base, float(bool(markers)), float(missing), uncovered]


class AnswerabilityModel:
    """Features over one index, and the trained weights and thresholds when given (``params``
    None: features only, as the training script uses it)."""

    def __init__(self, own: DocumentFrequencies, background: DocumentFrequencies, params: dict | None = None):
        self.own, self.background = own, background
        self.params = params
        if params is not None:
            if list(params["features"]) != list(FEATURE_NAMES):
                raise ValueError(f"answerability features {params['features']} != {list(FEATURE_NAMES)}: "
                                 "retrain with evals/train_answerability.py")
            self.weights = np.asarray(params["weights"], dtype=np.float64)
            self.bias = float(params["bias"])
            self.decline = float(params["decline_below"])
            self.hedge = float(params["hedge_below"])
        self.on_topic = (params or {}).get("on_topic")
        if self.on_topic is not None and list(self.on_topic["features"]) != list(ON_TOPIC_FEATURES):
            raise ValueError(f"on-topic features {self.on_topic['features']} != {list(ON_TOPIC_FEATURES)}: "
                             "retrain with evals/train_answerability.py --stage on-topic")

    def features(self, tokens: list[str], ranked: list) -> list[float]:
        return features(tokens, ranked, self.own, self.background)

    def probability_of(self, features: list[float]) -> float | None:
        """P(the loaded documents answer this question) from its :meth:`features` (the pipeline keeps
        them on the bundle for the second look too); None without a trained model."""
        return None if self.params is None else _logistic(self.weights, self.bias, features)

    def outcome(self, probability: float) -> str:
        return outcome(probability, self.decline, self.hedge)

    def on_topic_features(self, question_norm: str, tokens: list[str], ranked: list, base: list[float]) -> list[float]:
        return on_topic_features(question_norm, tokens, ranked, self.own, base)

    def second_look(self, features: list[float]) -> float | None:
        """P(answerable) from the on-topic model; None when the model file has none."""
        if self.on_topic is None:
            return None
        return _logistic(self.on_topic["weights"], self.on_topic["bias"], features)

    def doubts(self, probability: float | None) -> bool:
        """Does the second look turn an answer into a hedge?"""
        return probability is not None and probability < self.on_topic["hedge_below"]


def _logistic(weights, bias: float, features: list[float]) -> float:
    z = float(np.dot(weights, features) + bias)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def outcome(probability: float, decline_below: float, hedge_below: float) -> str:
    """"decline", "hedge" or "answer" for a probability and the two bars (the training script
    reports its bars with this same rule)."""
    return "decline" if probability < decline_below else "hedge" if probability < hedge_below else "answer"


def model_path(family: str = "") -> Path:
    """The shipped model for an embedder family (``core.settings.for_family``), or the base
    model's when none was trained for it (evals/train_answerability.py writes them)."""
    own = for_family(MODEL_PATH, family)
    return own if own.is_file() else MODEL_PATH


def load(lexical, spec: str = "learned", family: str = "") -> AnswerabilityModel | None:
    """``spec``: "learned" (the shipped model for embedder ``family``), "learned:PATH", or "off"
    (features only, no decisions). None when the background table is not installed: the
    relevance gate alone decides."""
    background = background_frequencies()
    if background is None:
        return None
    if spec not in ("learned", "off") and not spec.startswith("learned:"):
        raise ValueError(f"unknown answerability {spec!r} (learned, learned:PATH or off)")
    path = Path(spec.split(":", 1)[1]) if spec.startswith("learned:") else model_path(family)
    params = json.loads(path.read_text(encoding="utf-8")) if spec != "off" and path.is_file() else None
    return AnswerabilityModel(corpus_frequencies(lexical), background, params)
