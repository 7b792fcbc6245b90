"""Calibrate the "close call" ratio (``Settings.close_ratio``) on the dev split only.

    python -m rongzhi.evals.calibrate

For each answerable dev question, the learned ranker's probabilities of the two best distinct
sources give a ratio p2/p1. Where that ratio is high the ranker cannot tell the two apart, and its
first choice is right about as often as not. The calibrated ratio is the smallest one at which the
first choice is right for at most half of the dev questions at or above it: there, presenting one
source as *the* answer would be a coin toss, so the answer shows the contenders side by side.
"""
from __future__ import annotations

from rongzhi.evals import gold as gold_set

TARGET_PRECISION = 0.5
GRID = [round(0.3 + 0.05 * i, 2) for i in range(15)]  # 0.30 … 1.00


def collect(assistant) -> list[tuple[float, bool, bool]]:
    """(p2/p1, first is gold, second is gold) per answerable dev question without a locator hit."""
    from rongzhi.assistant.compose import group_hits

    rows = []
    for item in gold_set.load_split("dev"):
        if not item["answerable"]:
            continue
        keys = {(g["title"], g["locator"]) for g in item["gold"]}
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


def main() -> None:
    from rongzhi.assistant.service import Assistant
    from rongzhi.core.settings import Settings

    rows = collect(Assistant(Settings.from_env()))
    chosen, table = choose(rows)
    print("ratio  questions>=ratio  top-1 precision")
    for r, n, p in table:
        print(f"{r:5.2f}  {n:16d}  {p:.3f}")
    print(f"{len(rows)} dev questions; calibrated close_ratio = {chosen}")


if __name__ == "__main__":
    main()
