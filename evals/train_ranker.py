"""Train the learned ranker (``assistant/data/ranker.json``) — rerun when the corpus changes.

    python -m rongzhi.evals.train_ranker [--out PATH]

Training data, and nothing else:
- the dev split (``evals/gold.jsonl`` and ``evals/dev_extra.jsonl``): RongZhi's own questions over
  RongZhi's index;
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

EPOCHS = 400
LEARNING_RATE = 0.5
L2 = 1e-3


def examples_from(hits, gold_keys, key_of) -> tuple[np.ndarray, np.ndarray] | None:
    from rongzhi.assistant.candidates import feature_matrix

    hits = [h for h in hits if not h.direct]  # locator hits are ranked first by rule, not learned
    if not hits:
        return None
    labels = np.asarray([float(key_of(h.chunk) in gold_keys) for h in hits], dtype=np.float32)
    if labels.sum() == 0:
        return None  # the gold is not among the candidates: nothing to learn about ordering
    return feature_matrix(hits), labels


def collect(assistant, stard_dir: Path | None) -> tuple[list, dict]:
    from rongzhi.evals import gold as gold_set
    from rongzhi.evals import stard

    groups, used = [], {"dev_questions": 0, "stard_fold0_questions": 0, "skipped_no_gold_candidate": 0}
    for item in gold_set.load_split("dev"):
        if not item["answerable"] or not item["gold"]:
            continue
        keys = {(g["title"], g["locator"]) for g in item["gold"]}
        hits = assistant.candidates(item["question"])
        ex = examples_from(hits, keys, lambda c: (c.title, c.locator))
        if ex is None:
            used["skipped_no_gold_candidate"] += 1
            continue
        groups.append(ex)
        used["dev_questions"] += 1
    if stard_dir is not None:
        pool = stard.StardPool(assistant, stard_dir)
        for item in pool.queries:
            if stard.fold(item["id"]) != 0:
                continue
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


def fit(groups: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, float]:
    x = np.vstack([g[0] for g in groups])
    y = np.concatenate([g[1] for g in groups])
    # Each question weighs 1, split evenly between its positives and its negatives.
    w = np.concatenate([np.where(g[1] > 0, 0.5 / g[1].sum(), 0.5 / max(1.0, (1 - g[1]).sum())) for g in groups])
    w = w / w.sum()
    weights, bias = np.zeros(x.shape[1], dtype=np.float64), 0.0
    for _ in range(EPOCHS):
        p = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
        grad = p - y
        weights -= LEARNING_RATE * (x.T @ (w * grad) + L2 * weights)
        bias -= LEARNING_RATE * float(np.sum(w * grad))
    return weights, bias


def main(argv=None) -> None:
    from rongzhi.assistant.candidates import FEATURE_NAMES
    from rongzhi.assistant.fusion import MODEL_PATH
    from rongzhi.assistant.service import Assistant
    from rongzhi.core.settings import Settings
    from rongzhi.evals import stard

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--no-stard", action="store_true", help="train on the dev split only")
    args = parser.parse_args(argv)
    assistant = Assistant(Settings.from_env())
    stard_dir = None if args.no_stard else stard.default_dir(assistant.settings)
    started = time.perf_counter()
    groups, used = collect(assistant, stard_dir)
    weights, bias = fit(groups)
    model = {"features": list(FEATURE_NAMES), "weights": [round(float(v), 5) for v in weights],
             "bias": round(bias, 5), "trained_on": used, "embedder": assistant.embedder.name,
             "created": time.strftime("%Y-%m-%d"), "script": "python -m rongzhi.evals.train_ranker",
             "never_seen": ["evals/test.jsonl", "STARD-dev fold 1 (evals/stard.py fold())"]}
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: model[k] for k in ("weights", "bias", "trained_on")}, ensure_ascii=False))
    print(f"{time.perf_counter() - started:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
