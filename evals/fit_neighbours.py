"""Fit the neighbour stage's weights (``assistant/data/neighbours.<family>.json``) — rerun when the
corpus, the embedder, the ranker or the question memory changes.

    python -m rongzhi.evals.fit_neighbours [--out PATH] [--rows PICKLE] [--stard]

Training rows, and nothing else: the question memory's own questions (``index/data/
question_memory.tsv``: files no shipped model reads), ranked by the shipped ranker as a user's
question would be. Each row sees only the memory of the *other* cross-fit half
(``finetune_embedder.cross_fit_half``), so the weights learn how much a neighbour is worth for a
question that is not itself in the memory. The depth (how many of the ranker's first candidates
may be reordered) is chosen by 5-fold cross-validation on these rows alone.

``--stard`` also reports STARD-dev fold 0 (never fitted on): the memory is the project's plus the
other half of fold 0's questions, keyed to their STARD articles. Test splits and STARD fold 1 are
never read here.
"""
from __future__ import annotations

import argparse
import json
import math
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEPTHS = (5, 10, 20)
RANKED = 40  # candidates kept per row: the deepest depth tried, with room


@dataclass
class Row:
    id: str
    vector: np.ndarray
    gold: frozenset
    ranked: list  # [(source key, ranker probability, named by locator)] best first

    @property
    def half(self) -> int:
        from rongzhi.evals.finetune_embedder import cross_fit_half

        return cross_fit_half(self.id)


def row_from(item_id: str, gold_keys, hits, vector, key_of) -> Row:
    return Row(item_id, np.asarray(vector, np.float32), frozenset(gold_keys),
               [(key_of(h.chunk), float(h.score), bool(h.direct)) for h in hits[:RANKED]])


def collect_project(assistant, rows: list[dict]) -> list[Row]:
    """The memory's questions ranked by the shipped ranker (no neighbour stage), answers as of
    the evaluation date like ``rongzhi eval``."""
    from rongzhi.assistant.neighbours import chunk_key

    out = []
    for r in rows:
        bundle = assistant.understand(r["question"])
        q = bundle.retrieval_query
        vector = assistant.embedder.embed_query(q.search_text)
        hits = assistant.retriever.search(q, k=RANKED, filters=bundle.filters, refs=bundle.refs,
                                          named_docs=bundle.named, query_vector=vector)
        out.append(row_from(r["id"], r["keys"], hits, vector, chunk_key))
    return out


def group(row: Row, memory, depth: int):
    """(features of the first ``depth`` candidates no locator named, labels), or None when no
    reordering can change this row's first answer (a locator hit leads, or fewer than two)."""
    from rongzhi.assistant.neighbours import PROB_FLOOR, features, neighbour_evidence

    if row.ranked and row.ranked[0][2]:
        return None
    head = [r for r in row.ranked if not r[2]][:depth]
    if len(head) < 2:
        return None
    evidence = neighbour_evidence(memory, row.vector, exclude=row.id)
    x = np.asarray([features(math.log(max(p, PROB_FLOOR)), key, evidence) for key, p, _ in head])
    y = np.asarray([float(key in row.gold) for key, _, _ in head])
    return x, y


def hit1(rows: list[Row], memories, weights, depth: int) -> tuple[float, float]:
    """(ranker hit@1, mixed hit@1) over every row (a row whose gold is not among the first
    ``depth`` counts as a miss for both, as in a user's answer)."""
    base = mixed = 0
    for row in rows:
        first = row.ranked[0][0] if row.ranked else None
        base += first in row.gold
        g = group(row, memories[row.half], depth)
        if g is None:
            mixed += first in row.gold
            continue
        x, y = g
        mixed += bool(y[int(np.argmax(x @ weights))] > 0)
    return base / len(rows), mixed / len(rows)


def fit(rows: list[Row], memories, depth: int) -> np.ndarray:
    from rongzhi.evals.train_ranker import fit_listwise

    groups = [g for g in (group(r, memories[r.half], depth) for r in rows) if g is not None and g[1].sum() > 0]
    weights, _ = fit_listwise([g[0] for g in groups], [g[1] for g in groups])
    return weights


def cross_validate(rows: list[Row], memories, depth: int, folds: int = 5) -> tuple[float, float]:
    base = mixed = 0.0
    for k in range(folds):
        train = [r for i, r in enumerate(rows) if i % folds != k]
        held = [r for i, r in enumerate(rows) if i % folds == k]
        b, m = hit1(held, memories, fit(train, memories, depth), depth)
        base += b * len(held)
        mixed += m * len(held)
    return round(base / len(rows), 4), round(mixed / len(rows), 4)


def halves(memory) -> list:
    """memories[h] = what a row of half h may see: the memory's questions of the other half."""
    from rongzhi.evals.finetune_embedder import cross_fit_half

    return [memory.subset(lambda qid, h=h: cross_fit_half(qid) != h) for h in (0, 1)]


def stard_rows(assistant, folder: Path):
    """STARD fold 0 rows ranked by the shipped ranker over the STARD pool, and the memory of fold
    0's questions keyed to their articles."""
    from rongzhi.evals import stard
    from rongzhi.index import questions

    pool = stard.StardPool(assistant, folder)
    items = [q for q in pool.queries if stard.fold(q["id"]) == 0]
    memory = questions.build(assistant.settings.data_dir, assistant.embedder, stard.memory_rows(items))
    rows = []
    for item in items:
        query = pool.parse(item["question"])
        vector = pool.embed(query.search_text)
        hits = stard.fused_hits(pool, item["question"], assistant.retriever.fusion)
        gold = [stard.pool_key_of_gold(g) for g in item["gold"]]
        rows.append(row_from(item["id"], gold, hits, vector, stard.pool_key))
    return rows, memory


def main(argv=None) -> None:
    from rongzhi.assistant.neighbours import FEATURE_NAMES, model_path
    from rongzhi.assistant.service import Assistant
    from rongzhi.core.settings import Settings
    from rongzhi.evals import gold as gold_set
    from rongzhi.evals import stard
    from rongzhi.evals.harness import pinned
    from rongzhi.index import questions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="default: the shipped weights for the embedder in use")
    parser.add_argument("--rows", help="pickle of collected rows: reused if it exists, else written")
    parser.add_argument("--stard", action="store_true", help="also report STARD-dev fold 0 (not fitted on)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    assistant = pinned(Assistant(Settings.from_env(neighbours="off")))
    family = assistant.embedder.family
    files = questions.memory_files()
    memory_questions = questions.read_questions(files)
    memory = questions.build(assistant.settings.data_dir, assistant.embedder, memory_questions)
    cached = Path(args.rows) if args.rows else None
    if cached and cached.exists():
        rows = pickle.loads(cached.read_bytes())
    else:
        rows = collect_project(assistant, memory_questions)
        if cached:
            cached.write_bytes(pickle.dumps(rows))
    print(f"{len(rows)} memory questions ranked ({time.perf_counter() - started:.0f} s)")
    memories = halves(memory)
    cv = {depth: cross_validate(rows, memories, depth) for depth in DEPTHS}
    for depth, (base, mixed) in cv.items():
        print(f"depth {depth:>2}: 5-fold CV hit@1 ranker {base:.4f} -> mixed {mixed:.4f} ({mixed - base:+.4f})")
    depth = max(DEPTHS, key=lambda d: (cv[d][1] - cv[d][0], -d))
    weights = fit(rows, memories, depth)
    report = {"depth": depth, "cv": {str(d): {"ranker": b, "mixed": m} for d, (b, m) in cv.items()}}
    if args.stard:
        s_rows, s_memory = stard_rows(assistant, stard.default_dir(assistant.settings))
        s_memories = [memory + m for m in halves(s_memory)]
        base, mixed = hit1(s_rows, s_memories, weights, depth)
        report["stard_fold0"] = {"ranker": round(base, 4), "mixed": round(mixed, 4), "n": len(s_rows)}
        print(f"STARD fold 0 ({len(s_rows)}; weights not fitted on it): hit@1 ranker {base:.4f} -> mixed {mixed:.4f} "
              f"({mixed - base:+.4f})")
    out = Path(args.out or model_path(family))
    model = {"features": list(FEATURE_NAMES), "weights": [round(float(v), 5) for v in weights], "depth": depth,
             "fitted_on": [f"evals/{f.name}" for f in files], "rows": len(rows), **report,
             "embedder": assistant.embedder.name, "ranker": assistant.retriever.fusion.name,
             "created": time.strftime("%Y-%m-%d"), "script": "python -m rongzhi.evals.fit_neighbours",
             "never_seen": gold_set.never_seen()}
    out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: model[k] for k in ("weights", "depth")}), f"{time.perf_counter() - started:.0f} s -> {out}")


if __name__ == "__main__":
    main()
