"""Train the answerability check (``assistant/data/answerability.json``) and its background table.

    python -m rongzhi.evals.train_answerability [--out PATH]

Rerun after the ranker (its candidates are the check's input) or the corpus changes.

Training data, and nothing else:
- the dev split: answerable questions are positives, unanswerable ones negatives;
- STARD-dev fold 0 questions whose gold articles are not in RongZhi's corpus (almost all: STARD is
  mostly civil, labour and criminal law), asked over RongZhi's own index: negatives. They are real
  lay questions about other law, exactly what the check must turn away.
The test split and STARD fold 1 are never read: they judge the result (``rongzhi eval``,
``rongzhi eval --stard``).

Background table (``assistant/data/background_df.tsv``): document frequencies of jieba words over
STARD-dev's labelled articles, leaving out every article labelled only by fold-1 questions (their
words would tell the check about the held-out questions).

Model: class-balanced logistic regression over ``answerability.FEATURE_NAMES`` (plain numpy).
Thresholds, set on dev only:
- ``hedge_below`` = 0.5, the balanced classifier's own boundary;
- ``decline_below`` = half the lowest probability of any dev question answered with its gold
  source first. Half, not all of it: the lowest of ~200 questions is a noisy estimate of how low a
  right answer can score, and a wrong decline costs a right answer while a hedge still shows it.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

EPOCHS = 2000
STEP = 0.5
L2 = 1e-2
HEDGE_BELOW = 0.5
DECLINE_MARGIN = 0.5


def write_background(settings, path: Path) -> int:
    """Document frequencies over STARD-dev's articles (fold-1-only articles left out)."""
    from rongzhi.evals import stard
    from rongzhi.index.lexical import tokenize

    queries, articles = stard.load(stard.default_dir(settings))
    labelled: dict[tuple, set[int]] = {}
    for q in queries:
        for g in q["gold"]:
            labelled.setdefault((stard.norm_title(g["title"]), g["locator"]), set()).add(stard.fold(q["id"]))
    kept = [a for a in articles if labelled.get((stard.norm_title(a["title"]), a["locator"]), {0}) != {1}]
    df = Counter(w for a in kept for w in set(tokenize(a["text"])) if len(w) >= 2)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# Document frequencies of jieba words over STARD-dev's labelled articles (MIT; "
                 "../shared/evals/stard-dev),\n# general Chinese law RongZhi's corpus does not hold. "
                 "Written by evals/train_answerability.py; do not edit by hand.\n"
                 "# Articles labelled only by held-out (fold 1) questions are left out.\n")
        fh.write("word\tdf\treason\n")
        fh.write(f"<documents>\t{len(kept)}\tnumber of background articles\n")
        for word, n in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{word}\t{n}\tbackground\n")
    return len(kept)


def collect(assistants) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Features, labels and per-question facts (split, gold first) for the training questions;
    ``assistants`` is an :class:`~rongzhi.evals.crossfit.CrossFitAssistants`."""
    from rongzhi.assistant.scope import off_topic
    from rongzhi.evals import gold as gold_set
    from rongzhi.evals import stard

    rows = []

    def add(question_id: str, question: str, answerable: bool, gold: set, source: str) -> None:
        assistant = assistants.for_question(question_id)
        bundle = assistant.understand(question)
        if off_topic(bundle.query.text) and not bundle.refs:
            return  # declined before any search
        nodes = assistant.engine.retrieve(bundle)
        if not bundle.answerability_features:
            return  # a locator lookup, or no candidate: never decided by the model
        answer = assistant.engine.synthesize(bundle, nodes).metadata["answer"]
        first = [(c["title"], c["locator"]) for c in answer["citations"][:1]]
        rows.append({"x": bundle.answerability_features, "y": float(answerable), "source": source,
                     "gold_first": bool(first) and first[0] in gold})

    for item in gold_set.load_split("dev"):
        add(item["id"], item["question"], bool(item["answerable"]), {(g["title"], g["locator"]) for g in item.get("gold") or []},
            "dev")
    default = assistants.default
    queries, _ = stard.load(stard.default_dir(default.settings))
    own = {(stard.norm_title(c.title).split("（")[0], c.locator) for c in default.reader.chunks}
    for item in queries:
        if stard.fold(item["id"]) != 0:
            continue
        if any((stard.norm_title(g["title"]), g["locator"]) in own for g in item["gold"]):
            continue  # the rare question RongZhi's corpus does answer
        add(item["id"], item["question"], False, set(), "stard_fold0")
    return np.asarray([r["x"] for r in rows]), np.asarray([r["y"] for r in rows]), rows


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression (each class weighs half), standardized features;
    returns weights and bias on the raw features."""
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / std
    weight = np.where(y > 0, 0.5 / max(1.0, y.sum()), 0.5 / max(1.0, (1 - y).sum()))
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(EPOCHS):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        g = weight * (p - y)
        w -= STEP * (z.T @ g + L2 * w)
        b -= STEP * g.sum()
    return w / std, float(b - (w * mean / std).sum())


def main(argv=None) -> None:
    from rongzhi.assistant import answerability
    from rongzhi.core.settings import Settings, for_family
    from rongzhi.evals.crossfit import CrossFitAssistants

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="default: the shipped model for the embedder in use (answerability.model_path)")
    parser.add_argument("--cross-fit", help="EMB0@DIR0,EMB1@DIR1: features from the embedder that never saw the "
                                            "question (evals/crossfit.py)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = Settings.from_env(answerability="off")
    n_background = write_background(settings, answerability.BACKGROUND_PATH)  # what the model is trained against
    answerability.background_frequencies.cache_clear()
    assistants = CrossFitAssistants(settings, args.cross_fit)
    assistant = assistants.default
    family = assistant.embedder.family
    args.out = args.out or str(for_family(answerability.MODEL_PATH, family))
    x, y, rows = collect(assistants)
    weights, bias = fit(x, y)
    prob = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
    right = [p for p, r in zip(prob, rows) if r["source"] == "dev" and r["y"] and r["gold_first"]]
    model = {"features": list(answerability.FEATURE_NAMES), "weights": [round(float(v), 5) for v in weights],
             "bias": round(bias, 5), "hedge_below": HEDGE_BELOW,
             "decline_below": round(float(min(right)) * DECLINE_MARGIN, 5),
             "trained_on": {"dev_questions": sum(r["source"] == "dev" for r in rows),
                            "stard_fold0_questions": sum(r["source"] == "stard_fold0" for r in rows),
                            "background_articles": n_background},
             "embedder": assistant.embedder.name, **assistants.describe(), "created": time.strftime("%Y-%m-%d"),
             "script": "python -m rongzhi.evals.train_answerability",
             "never_seen": ["evals/test.jsonl", "STARD-dev fold 1 (evals/stard.py fold())"]}
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    on_train = {f"{src} {'answerable' if lab else 'unanswerable'}": Counter(("decline" if p < model["decline_below"] else "hedge" if p < HEDGE_BELOW else "answer")
                             for p, r in zip(prob, rows) if r["source"] == src and r["y"] == lab)
                for src, lab in (("dev", 1.0), ("dev", 0.0), ("stard_fold0", 0.0))}
    print(json.dumps({k: model[k] for k in ("weights", "bias", "hedge_below", "decline_below", "trained_on")},
                     ensure_ascii=False))
    print("on the training questions:", {k: dict(v) for k, v in on_train.items()})
    print(f"{time.perf_counter() - started:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
