"""Train the answerability check (``assistant/data/answerability.json``) and its background table.

    python -m rongzhi.evals.train_answerability [--out PATH]

Rerun after the ranker (its candidates are the check's input) or the corpus changes.

Training data, and nothing else:
- the dev files the check learns from (``evals.gold.TRAINED_ON["check"]``): answerable
  questions are positives, unanswerable ones negatives;
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
- ``hedge_below`` = the 95th percentile of the out-of-fold probabilities of the STARD fold-0
  questions: at most about one question in twenty about law RongZhi does not hold is answered
  as if the documents covered it (the rest are hedged or declined). Not the balanced
  classifier's own boundary (0.5), which moves with the mix of the training questions: when 151
  lay-style dev questions were added it let 9% of fold-0 questions through instead of about 4%,
  and doubled the outside-corpus questions answered with an IP article (0.010 -> 0.026).
  Only STARD's questions set it: the unanswerable dev questions are mostly about the special-fund
  measures, which are on topic and have their own path (``service.needs_measures``);
- ``decline_below`` = the 1st percentile of the *out-of-fold* probabilities (5-fold
  cross-validation over the training questions) of the answerable dev questions: about one
  question in a hundred that the documents do answer may be declined. All answerable ones, not
  only those ranked right: a declined question loses its contenders too, which a hedge would show.
  Out-of-fold, because a question's probability from a model that learned from it is higher than
  a user's question will get; a percentile, because the former rule (half the in-sample lowest
  probability of a right answer) rested on one outlier: it put the bar at 0.03, so most real
  questions about other law were hedged, with neighbouring articles quoted, instead of declined.
- with ``--match-declines BASE_DIR`` (a fine-tuned embedder family; README recipe): the decline bar
  is *quantile-mapped* from e5-small's, as the gate's cosine bars are (``calibrate --gate``): the
  bar that declines, out-of-fold, the same share of STARD fold-0 questions about other law as the
  e5-small check trained by this script on the same questions over the base index does — never
  below the rule above, never above the ``ANSWERABLE_DECLINED_MAX`` percentile of the answerable
  dev questions. Why: the 1st-percentile rule speaks only of answerable questions; on fine-tuned
  cosines it left more questions about other law hedged, with IP articles beside them, than the
  base model does (ft5, 2026-12-03: fold 0 out-of-fold 0.609 declined, e5-small 0.652;
  evals/DECISIONS.md, session 13).
"""
from __future__ import annotations

import argparse
import json
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from rongzhi.evals import gold as gold_set

EPOCHS = 2000
STEP = 0.5
L2 = 1e-2
FOLDS = 5
OUTSIDE_ANSWERED = 95.0  # percentile of out-of-fold STARD fold-0 probabilities: the hedge bar
ANSWERABLE_DECLINED = 1.0  # percent of answerable dev questions (out-of-fold) the bar may turn away
# --match-declines: the most a quantile-mapped decline bar may turn away (three times the rule above: a
# product limit, so matching e5-small's declines can never cost more than 3 in 100 answerable questions).
ANSWERABLE_DECLINED_MAX = 3.0
# The second look (--stage on-topic): the percent of answerable dev questions (out-of-fold) it may
# hedge. A product rule, not a fit: at most about one answerable question in ten gets the extra
# "may not cover" line (5 and 10 were compared on dev: 10 halves the on-topic unanswerable
# questions answered outright, 69 -> 37 of 105, for 18 of 458 answerable ones hedged).
ANSWERABLE_HEDGED_ON_TOPIC = 10.0


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
    from rongzhi.evals import stard

    rows = []

    def add(question_id: str, question: str, answerable: bool, gold: set, source: str, persona: str = "") -> None:
        assistant = assistants.for_question(question_id)
        bundle = assistant.understand(question)
        if off_topic(bundle.query.text) and not bundle.refs:
            return  # declined before any search
        assistant.engine.retrieve(bundle)  # ranks, and sets the check's features
        if not bundle.answerability_features:
            return  # a locator lookup, or no candidate: never decided by the model
        top = bundle.ranked[0].chunk
        rows.append({"id": question_id, "x": bundle.answerability_features, "y": float(answerable),
                     "source": source, "gold_first": (top.title, top.locator) in gold,
                     "x_on_topic": bundle.on_topic_features, "persona": persona})

    for item in gold_set.training_items("check"):
        if item.get("notice") == "repealed":
            # A loaded (old) text answers it word for word; the repeal rule, not the check, turns
            # it away. As "unanswerable" it would teach the check to doubt on-topic questions.
            continue
        add(item["id"], item["question"], bool(item["answerable"]), {(g["title"], g["locator"]) for g in item.get("gold") or []},
            "dev", item.get("persona", ""))
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


def out_of_fold(x: np.ndarray, y: np.ndarray, ids: list[str], folds: int = FOLDS) -> np.ndarray:
    """Each question's probability from a model fitted without its fold (folds by a checksum of
    the id, so a rerun splits the same way)."""
    fold = np.asarray([zlib.crc32(i.encode("utf-8")) % folds for i in ids])
    prob = np.zeros(len(y))
    for k in range(folds):
        weights, bias = fit(x[fold != k], y[fold != k])
        prob[fold == k] = 1.0 / (1.0 + np.exp(-(x[fold == k] @ weights + bias)))
    return prob


def auc(prob: np.ndarray, y: np.ndarray) -> float:
    """Chance that an answerable question scores above an unanswerable one (ties count half)."""
    pos, neg = prob[y > 0], prob[y <= 0]
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum())
                 / max(1, len(pos) * len(neg)))


def _answerable(prob: np.ndarray, rows: list[dict]) -> np.ndarray:
    """The probabilities of the answerable dev questions."""
    return np.asarray([p for p, r in zip(prob, rows) if r["source"] == "dev" and r["y"]])


def _outside(prob: np.ndarray, rows: list[dict]) -> np.ndarray:
    """The probabilities of the STARD fold-0 questions (about law RongZhi does not hold)."""
    return np.asarray([p for p, r in zip(prob, rows) if r["source"] == "stard_fold0"])


def decline_bar(prob: np.ndarray, rows: list[dict]) -> float:
    """The ``ANSWERABLE_DECLINED`` percentile of the out-of-fold probabilities of answerable dev
    questions."""
    return float(np.percentile(_answerable(prob, rows), ANSWERABLE_DECLINED))


def outside_declined(prob: np.ndarray, rows: list[dict], bar: float) -> float:
    """Share of the STARD fold-0 questions (about other law) below ``bar``."""
    return float((_outside(prob, rows) < bar).mean())


def matched_decline_bar(prob: np.ndarray, rows: list[dict], share: float) -> float:
    """The decline bar that turns away ``share`` of the STARD fold-0 questions, within
    [:func:`decline_bar`, the ``ANSWERABLE_DECLINED_MAX`` percentile of answerable dev questions]."""
    ceiling = float(np.percentile(_answerable(prob, rows), ANSWERABLE_DECLINED_MAX))
    return max(decline_bar(prob, rows), min(float(np.quantile(_outside(prob, rows), share)), ceiling))


def base_decline_share(settings, base_dir: str) -> float:
    """What :func:`matched_decline_bar` matches: the share of STARD fold-0 questions the e5-small
    check, trained here on the same questions over the base index, declines out-of-fold."""
    from rongzhi.evals.crossfit import CrossFitAssistants

    x, y, rows = collect(CrossFitAssistants(settings.with_(embedder="onnx", data_dir=Path(base_dir).resolve())))
    prob = out_of_fold(x, y, [r["id"] for r in rows])
    return outside_declined(prob, rows, decline_bar(prob, rows))


def hedge_bar(prob: np.ndarray, rows: list[dict], decline: float) -> float:
    """The ``OUTSIDE_ANSWERED`` percentile of the out-of-fold probabilities of the STARD questions
    (about other law), never below the decline bar."""
    return max(decline, float(np.percentile(_outside(prob, rows), OUTSIDE_ANSWERED)))


def main(argv=None) -> None:
    from rongzhi.assistant import answerability
    from rongzhi.core.settings import Settings, for_family
    from rongzhi.evals.crossfit import CrossFitAssistants

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="default: the shipped model for the embedder in use (answerability.model_path)")
    parser.add_argument("--cross-fit", help="EMB0@DIR0,EMB1@DIR1: features from the embedder that never saw the "
                                            "question (evals/crossfit.py)")
    parser.add_argument("--match-declines", metavar="BASE_DIR",
                        help="a fine-tuned family: map the decline bar so it turns away the share of STARD fold-0 "
                             "questions the e5-small check over BASE_DIR (the base index) turns away")
    parser.add_argument("--stage", choices=("check", "on-topic"), default="check",
                        help="check: the answer / hedge / decline model (rewrites the file); on-topic: only the "
                             "second look at on-topic questions, added to the existing file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = Settings.from_env(answerability="off")
    if args.stage == "on-topic":
        return train_on_topic(settings, args, started)
    n_background = write_background(settings, answerability.BACKGROUND_PATH)  # what the model is trained against
    answerability.background_frequencies.cache_clear()
    assistants = CrossFitAssistants(settings, args.cross_fit)
    assistant = assistants.default
    family = assistant.embedder.family
    args.out = args.out or str(for_family(answerability.MODEL_PATH, family))
    x, y, rows = collect(assistants)
    weights, bias = fit(x, y)
    prob = out_of_fold(x, y, [r["id"] for r in rows])  # what unseen questions will look like
    decline = rule_bar = decline_bar(prob, rows)
    matched = {}
    if args.match_declines:
        share = base_decline_share(settings, args.match_declines)
        decline = matched_decline_bar(prob, rows, share)
        matched = {"decline_matched": {"e5_small_fold0_declined": round(share, 4),
                                       "rule_1pct_bar": round(rule_bar, 5),
                                       "fold0_declined": round(outside_declined(prob, rows, decline), 4),
                                       "base_index": str(args.match_declines)}}
    model = {"features": list(answerability.FEATURE_NAMES), "weights": [round(float(v), 5) for v in weights],
             "bias": round(bias, 5), "hedge_below": round(hedge_bar(prob, rows, decline), 5),
             "decline_below": round(decline, 5), **matched,
             "trained_on": {"dev_files": list(gold_set.TRAINED_ON["check"]),
                            "dev_questions": sum(r["source"] == "dev" for r in rows),
                            "stard_fold0_questions": sum(r["source"] == "stard_fold0" for r in rows),
                            "background_articles": n_background},
             "embedder": assistant.embedder.name, **assistants.describe(), "created": time.strftime("%Y-%m-%d"),
             "script": "python -m rongzhi.evals.train_answerability",
             "never_seen": gold_set.never_seen()}
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    on_train = {f"{src} {'answerable' if lab else 'unanswerable'}": Counter(answerability.outcome(p, model["decline_below"], model["hedge_below"])
                             for p, r in zip(prob, rows) if r["source"] == src and r["y"] == lab)
                for src, lab in (("dev", 1.0), ("dev", 0.0), ("stard_fold0", 0.0))}
    print(json.dumps({k: model[k] for k in ("weights", "bias", "hedge_below", "decline_below", "trained_on")},
                     ensure_ascii=False))
    right_declined = sum(p < model["decline_below"] for p, r in zip(prob, rows) if r["y"] and r["gold_first"])
    print(f"on the training questions, out-of-fold ({FOLDS} folds):", {k: dict(v) for k, v in on_train.items()},
          f"gold source ranked first but declined: {right_declined}; out-of-fold AUC {auc(prob, y):.4f}")
    print(f"{time.perf_counter() - started:.1f} s -> {args.out}")


def on_topic_rows(rows: list[dict]) -> list[dict]:
    """The second look's training questions: dev only, answerable vs unanswerable *on-topic* ones
    (everyday questions are the first check's; repealed rows were left out by ``collect``)."""
    return [r for r in rows if r["source"] == "dev" and (r["y"] > 0 or r["persona"] != "out_of_scope")]


def train_on_topic(settings, args, started: float) -> None:
    """Fit the second look on dev and add it (``"on_topic"``) to the existing model file."""
    from rongzhi.assistant import answerability
    from rongzhi.core.settings import for_family
    from rongzhi.evals.crossfit import CrossFitAssistants

    assistants = CrossFitAssistants(settings, args.cross_fit)
    family = assistants.default.embedder.family
    path = Path(args.out or for_family(answerability.MODEL_PATH, family))
    model = json.loads(path.read_text(encoding="utf-8"))  # the check it looks after; trained first
    rows = on_topic_rows(collect(assistants)[2])
    x = np.asarray([r["x_on_topic"] for r in rows])
    y = np.asarray([r["y"] for r in rows])
    weights, bias = fit(x, y)
    prob = out_of_fold(x, y, [r["id"] for r in rows])
    bar = float(np.percentile(prob[y > 0], ANSWERABLE_HEDGED_ON_TOPIC))
    model["on_topic"] = {"features": list(answerability.ON_TOPIC_FEATURES),
                         "weights": [round(float(v), 5) for v in weights], "bias": round(bias, 5),
                         "hedge_below": round(bar, 5),
                         "trained_on": {"dev_files": list(gold_set.TRAINED_ON["check"]), "dev_answerable": int(y.sum()),
                                        "dev_on_topic_unanswerable": int((1 - y).sum())},
                         "created": time.strftime("%Y-%m-%d"),
                         "script": "python -m rongzhi.evals.train_answerability --stage on-topic"}
    path.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    caught = int(((prob < bar) & (y == 0)).sum())
    print(json.dumps(model["on_topic"], ensure_ascii=False))
    print(f"out-of-fold ({FOLDS} folds): AUC {auc(prob, y):.4f}; below the bar: {caught} of {int((1 - y).sum())} "
          f"on-topic unanswerable, {int(((prob < bar) & (y > 0)).sum())} of {int(y.sum())} answerable")
    print(f"{time.perf_counter() - started:.1f} s -> {path}")


if __name__ == "__main__":
    main()
