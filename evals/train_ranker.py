"""Train the learned ranker (``assistant/data/ranker.json``) — rerun when the corpus changes.

    python -m rongzhi.evals.train_ranker [--out PATH]

Training data, and nothing else:
- the dev files the ranker learns from (``evals.gold.TRAINED_ON["ranker"]``): RongZhi's own
  questions over RongZhi's index;
- the STARD-dev questions of fold 0 (``evals/stard.fold``) over the STARD pool.
The test split (``evals/test.jsonl``) and STARD fold 1 are never read here: they are where the
model is judged.

The model is a logistic regression over ``assistant.candidates.FEATURE_NAMES``: for each question
every candidate chunk is one example, labelled 1 when its (title, locator) is a gold citation.
Questions weigh equally (each question's examples share weight 1), so a question with many
candidates does not dominate. Plain numpy: no extra dependency.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from rongzhi.evals import gold as gold_set

EPOCHS = 300
LEARNING_RATE = 0.05
L2 = 1e-3


def examples_from(hits, gold_keys, key_of) -> tuple[list, np.ndarray] | None:
    """(candidates, labels) of one question, or None when there is nothing to learn from it."""
    hits = [h for h in hits if not h.direct]  # locator hits are ranked first by rule, not learned
    if not hits:
        return None
    labels = np.asarray([float(key_of(h.chunk) in gold_keys) for h in hits], dtype=np.float32)
    if labels.sum() == 0:
        return None  # the gold is not among the candidates: nothing to learn about ordering
    return hits, labels


def collect(assistants, stard_dir: Path | None) -> tuple[list, dict]:
    """Candidates with features for every training question; ``assistants`` is an
    :class:`~rongzhi.evals.crossfit.CrossFitAssistants` (which assistant ranks which question)."""
    from rongzhi.evals import stard

    groups, used = [], {"dev_questions": 0, "stard_fold0_questions": 0, "skipped_no_gold_candidate": 0}
    for item in gold_set.training_items("ranker"):
        if not item["answerable"] or not item["gold"]:
            continue
        keys = {(g["title"], g["locator"]) for g in item["gold"]}
        hits = assistants.for_question(item["id"]).candidates(item["question"])
        ex = examples_from(hits, keys, lambda c: (c.title, c.locator))
        if ex is None:
            used["skipped_no_gold_candidate"] += 1
            continue
        groups.append(ex)
        used["dev_questions"] += 1
    if stard_dir is not None:
        pools = {id(a): stard.StardPool(a, stard_dir) for a in assistants.all()}
        for item in pools[id(assistants.all()[0])].queries:
            if stard.fold(item["id"]) != 0:
                continue
            pool = pools[id(assistants.for_question(item["id"]))]
            keys = {(stard.norm_title(g["title"]), g["locator"]) for g in item["gold"]}
            query = pool.parse(item["question"])
            hits = pool.search.candidates(query, query_vector=pool.embed(query.search_text))
            ex = examples_from(hits, keys, lambda c: (stard.norm_title(c.title), c.locator))
            if ex is None:
                used["skipped_no_gold_candidate"] += 1
                continue
            groups.append(ex)
            used["stard_fold0_questions"] += 1
    return groups, used


def fit(groups: list[tuple[list, np.ndarray]]) -> tuple[np.ndarray, float]:
    """Listwise training: per question, a softmax over its candidates, and the loss is minus the
    log of the probability given to its gold candidates (ListNet-style). Ranking is what we use
    the model for, and a pointwise loss was measurably worse at it (cross-validated hit@1 below
    plain RRF)."""
    from rongzhi.assistant.candidates import feature_matrix

    return fit_listwise([feature_matrix(g[0]) for g in groups], [g[1] for g in groups])


def fit_listwise(mats: list[np.ndarray], labels: list[np.ndarray], epochs: int = EPOCHS) -> tuple[np.ndarray, float]:
    """(weights, bias) of a linear scorer over each question's candidate rows ``mats[i]``
    (labels > 0 mark its gold rows). Features are standardized for the optimizer; the returned
    weights act on the raw features. Adam, full batch, L2; plain numpy. Also fits the
    cross-encoder's mix (``train_reranker``): one optimizer for every listwise model here."""
    mats = [np.asarray(m, dtype=np.float64) for m in mats]
    stacked = np.vstack(mats)
    mean, std = stacked.mean(0), stacked.std(0) + 1e-9
    mats = [(m - mean) / std for m in mats]
    labels = [np.asarray(y) > 0 for y in labels]
    w = np.zeros(stacked.shape[1])
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, epochs + 1):
        grad = L2 * w
        for x, pos in zip(mats, labels):
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            q = np.where(pos, p, 0.0)
            q /= q.sum()
            grad += (x.T @ (p - q)) / len(mats)  # d/dw of -log sum_pos softmax
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= LEARNING_RATE * (m1 / (1 - 0.9 ** t)) / (np.sqrt(m2 / (1 - 0.999 ** t)) + 1e-8)
    weights = w / std
    return weights, float(-(weights * mean).sum())


def ranking_quality(groups, weights, bias) -> dict:
    """hit@1 / hit@5 of the gold among each question's candidates, ranked by the model."""
    from rongzhi.assistant.candidates import feature_matrix

    hits1 = hits5 = 0
    for hits, labels in groups:
        order = np.argsort(-(feature_matrix(hits) @ weights + bias), kind="stable")
        first = next(i for i, j in enumerate(order) if labels[j] > 0)
        hits1 += first == 0
        hits5 += first < 5
    return {"hit@1": round(hits1 / len(groups), 4), "hit@5": round(hits5 / len(groups), 4), "n": len(groups)}


def cross_validate(groups, folds: int = 5) -> dict:
    """Model selection without touching the held-out data: fit on 4/5 of the training
    questions, measure on the other 1/5, average."""
    scores = []
    for k in range(folds):
        train = [g for i, g in enumerate(groups) if i % folds != k]
        held = [g for i, g in enumerate(groups) if i % folds == k]
        scores.append(ranking_quality(held, *fit(train)))
    return {m: round(sum(s[m] for s in scores) / folds, 4) for m in ("hit@1", "hit@5")}


def main(argv=None) -> None:
    from rongzhi.assistant.candidates import FEATURE_NAMES
    from rongzhi.assistant.fusion import MODEL_PATH
    from rongzhi.core.settings import Settings, for_family
    from rongzhi.evals import stard
    from rongzhi.evals.crossfit import CrossFitAssistants

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="default: the shipped model for the embedder in use (assistant.fusion.model_path)")
    parser.add_argument("--no-stard", action="store_true", help="train on the dev split only")
    parser.add_argument("--candidates", help="pickle of collected candidates: reused if it exists, else written")
    parser.add_argument("--cross-fit", help="EMB0@DIR0,EMB1@DIR1: features from the embedder that never saw the "
                                            "question (evals/crossfit.py)")
    args = parser.parse_args(argv)
    assistants = CrossFitAssistants(Settings.from_env(), args.cross_fit)
    assistant = assistants.default
    family = assistant.embedder.family
    args.out = args.out or str(for_family(MODEL_PATH, family))
    stard_dir = None if args.no_stard else stard.default_dir(assistant.settings)
    started = time.perf_counter()
    import pickle

    cached = Path(args.candidates) if args.candidates else None
    if cached and cached.exists():
        groups, used = pickle.loads(cached.read_bytes())
    else:
        groups, used = collect(assistants, stard_dir)
        if cached:
            cached.write_bytes(pickle.dumps((groups, used)))
    print("5-fold cross-validation on the training questions:", cross_validate(groups))
    weights, bias = fit(groups)
    model = {"features": list(FEATURE_NAMES), "weights": [round(float(v), 5) for v in weights],
             "bias": round(bias, 5), "trained_on": used, "embedder": assistant.embedder.name,
             **assistants.describe(),
             "created": time.strftime("%Y-%m-%d"), "script": "python -m rongzhi.evals.train_ranker",
             "never_seen": gold_set.never_seen()}
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: model[k] for k in ("weights", "bias", "trained_on")}, ensure_ascii=False))
    print(f"{time.perf_counter() - started:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
