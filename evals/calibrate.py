"""Calibrate on the check's dev files only (``evals.gold.TRAINED_ON["check"]``): the "close call"
ratio (``Settings.close_ratio``) and, for a new embedder, the relevance gate's cosine bars.

    python -m rongzhi.evals.calibrate
    python -m rongzhi.evals.calibrate --gate BASE_DATA_DIR [--cross-fit EMB0@DIR0,EMB1@DIR1] [--write]

For each answerable dev question, the learned ranker's probabilities of the two best distinct
sources give a ratio p2/p1. Where that ratio is high the ranker cannot tell the two apart, and its
first choice is right about as often as not. The calibrated ratio is the smallest one at which the
first choice is right for at most half of the dev questions at or above it: there, presenting one
source as *the* answer would be a coin toss, so the answer shows the contenders side by side.

The gate's bars (``gate_min_dense`` etc.) were set by hand for multilingual-e5-small, whose
cosines crowd into 0.8-0.95. A fine-tuned embedder spreads them, and the same numbers would
decline nearly everything. ``--gate`` maps each bar by quantiles: over the candidates of every
dev question, the share of base-model cosines below the old bar is found, and the new bar is the
cosine below which the same share of the new model's fall. The gate then lets through as many
candidates as before, at the new model's scale. With ``--cross-fit`` each dev question's cosines
come from the embedder that was not fine-tuned on it (``evals/crossfit.py``), as a user's question
would. ``--write`` replaces the embedder's rows in ``core/data/embedder_calibration.tsv``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from rongzhi.evals import gold as gold_set

TARGET_PRECISION = 0.5
# 0.30 … 1.00. The floor is a product decision, not a fit: on the lay-style dev questions the first
# choice is right for under half of the questions already at 0.30, and the rule alone would pick
# 0.10 -- where almost half of all answers, plain ones included (发明专利的保护期是多少年 ->
# 专利法第四十二条), become "several provisions are close". Measured 2026-12-02 and not adopted
# (README, 评测). Below the floor the answer names one source and lists the others as 另见.
GRID = [round(0.3 + 0.05 * i, 2) for i in range(15)]


def collect(assistant_for) -> list[tuple[float, bool, bool]]:
    """(p2/p1, first is gold, second is gold) per answerable dev question without a locator hit;
    ``assistant_for(id)`` ranks the question (the embedder that never saw it, with --cross-fit)."""
    from rongzhi.assistant.compose import group_hits

    rows = []
    for item in gold_set.training_items("check"):
        if not item["answerable"]:
            continue
        keys = {(g["title"], g["locator"]) for g in item["gold"]}
        assistant = assistant_for(item["id"])
        ranked = assistant.retriever.fusion.rank(assistant.candidates(item["question"]))
        if any(h.direct for h in ranked):
            continue
        tops = [g[0] for g in group_hits(ranked)[:2]]
        if len(tops) < 2 or tops[0].score <= 0:
            continue
        rows.append((tops[1].score / tops[0].score, (tops[0].chunk.title, tops[0].chunk.locator) in keys,
                     (tops[1].chunk.title, tops[1].chunk.locator) in keys))
    return rows


def choose(rows) -> tuple[float, list[tuple[float, int, float]]]:
    table = []
    chosen = 1.01  # never a close call, if no ratio qualifies
    for r in GRID:
        above = [row for row in rows if row[0] >= r]
        precision = sum(row[1] for row in above) / len(above) if above else 1.0
        table.append((r, len(above), round(precision, 3)))
        if precision <= TARGET_PRECISION and above and chosen > 1.0:
            chosen = r
    return chosen, table


def dev_cosines(assistant_for) -> np.ndarray:
    """Dense cosines of every candidate of every dev question (``assistant_for(id)`` ranks it)."""
    values = []
    for item in gold_set.training_items("check"):
        values.extend(h.dense for h in assistant_for(item["id"]).candidates(item["question"]) if not h.direct)
    return np.asarray(values, dtype=np.float64)


def map_bar(bar: float, base: np.ndarray, new: np.ndarray) -> float:
    """The cosine on the new scale below which the same share of candidates falls as below
    ``bar`` on the base scale."""
    return round(float(np.quantile(new, float(np.mean(base < bar)))), 4)


def calibrate_gate(base_dir: Path, cross_fit: str | None, write: bool) -> dict[str, float]:
    from rongzhi.assistant.service import Assistant
    from rongzhi.core import settings as config
    from rongzhi.evals.crossfit import CrossFitAssistants

    env = config.Settings.from_env()
    base = Assistant(env.with_(embedder="onnx", data_dir=Path(base_dir)))
    bars = {k: v for k, v in config.embedder_calibration()[config.BASE_EMBEDDER_FAMILY].items() if k.startswith("gate_")}
    assistants = CrossFitAssistants(env, cross_fit)
    family = assistants.default.embedder.family
    base_cos, new_cos = dev_cosines(lambda _id: base), dev_cosines(assistants.for_question)
    mapped = {name: map_bar(bar, base_cos, new_cos) for name, bar in bars.items()}
    print(f"{len(base_cos)} / {len(new_cos)} candidate cosines (base / {family}); base quantiles "
          f"{np.quantile(base_cos, [.1, .5, .9]).round(3).tolist()}, new {np.quantile(new_cos, [.1, .5, .9]).round(3).tolist()}")
    for name in bars:
        print(f"{name}: {bars[name]} (share below {np.mean(base_cos < bars[name]):.3f}) -> {mapped[name]}")
    if write:
        how = ("quantile-mapped from e5-small's bar over the candidates of the dev questions"
               + (", cross-fitted" if cross_fit else "") + " (python -m rongzhi.evals.calibrate --gate)")
        write_rows(family, {n: (v, how) for n, v in mapped.items()})
    return mapped


def write_rows(family: str, values: dict[str, tuple[float, str]]) -> None:
    """Replace ``family``'s rows for these settings in ``core/data/embedder_calibration.tsv``
    (value, reason); every other row, and the header comments, stay as they are."""
    from rongzhi.core import settings as config
    from rongzhi.core.tables import read_table

    rows = [r for r in read_table(config.CALIBRATION_PATH, ("embedder", "setting", "value", "reason"))
            if not (r["embedder"] == family and r["setting"] in values)]
    rows += [{"embedder": family, "setting": n, "value": str(v), "reason": why} for n, (v, why) in values.items()]
    text = config.CALIBRATION_PATH.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    body = "embedder\tsetting\tvalue\treason\n" + "".join(
        f"{r['embedder']}\t{r['setting']}\t{r['value']}\t{r['reason']}\n" for r in rows)
    config.CALIBRATION_PATH.write_text(header + body, encoding="utf-8")
    print(f"-> {config.CALIBRATION_PATH}")


def main(argv=None) -> None:
    from rongzhi.core.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gate", metavar="BASE_DATA_DIR", type=Path,
                        help="map the gate's cosine bars to the current embedder; BASE_DATA_DIR holds an index "
                             "built with the base embedder (onnx)")
    parser.add_argument("--cross-fit", help="EMB0@DIR0,EMB1@DIR1 (evals/crossfit.py): each dev question is ranked "
                                            "with the embedder that was not fine-tuned on it")
    parser.add_argument("--write", action="store_true", help="update core/data/embedder_calibration.tsv (the gate's "
                                                             "bars with --gate, else the close-call ratio)")
    args = parser.parse_args(argv)
    if args.gate:
        calibrate_gate(args.gate, args.cross_fit, args.write)
        return
    from rongzhi.evals.crossfit import CrossFitAssistants

    assistants = CrossFitAssistants(Settings.from_env(), args.cross_fit)
    rows = collect(assistants.for_question)
    chosen, table = choose(rows)
    print("ratio  questions>=ratio  top-1 precision")
    for r, n, p in table:
        print(f"{r:5.2f}  {n:16d}  {p:.3f}")
    print(f"{len(rows)} dev questions; calibrated close_ratio = {chosen}")
    if args.write:
        write_rows(assistants.default.embedder.family, {"close_ratio": (chosen, close_ratio_reason(chosen, len(rows), bool(args.cross_fit)))})


def close_ratio_reason(chosen: float, questions: int, cross_fitted: bool) -> str:
    """The calibration table's reason for a close ratio: the rule's pick, or the floor it hit."""
    how = f"the {questions} answerable dev questions{', cross-fitted' if cross_fitted else ''}"
    if chosen == GRID[0]:
        return (f"the calibration's floor (evals/calibrate.py GRID): on {how} the first choice is right for "
                f"under half already at {GRID[0]:.2f} (python -m rongzhi.evals.calibrate)")
    return (f"smallest ratio at which the ranker's first choice is right for at most half of {how} at or "
            "above it (python -m rongzhi.evals.calibrate)")


if __name__ == "__main__":
    main()
