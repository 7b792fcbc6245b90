"""Near copies between question batches: the rule every new batch was filtered by before any system ran
on it (evals/SPLITS.md). A question whose character bigrams overlap another split's question by a
Jaccard index of ``NEAR_COPY`` or more is a paraphrase of it; kept in a held-out split it would measure
memory of the dev question, not generalization.

    python -m rongzhi.evals.dedupe NEW.jsonl [--against dev,test,...] [--also FILE,...]   # prints the rows to drop
    (default: every split; --also adds files in no split, e.g. evals/dev_lay5.jsonl, which trains models)
"""
from __future__ import annotations

import argparse

from rongzhi.core.normalize import to_simplified
from rongzhi.evals import gold as gold_set

NEAR_COPY = 0.35  # fixed for dev_lay (2026-12-02) and used for every batch since; not tuned


def bigrams(question: str) -> set[str]:
    text = "".join(to_simplified(question).lower().split())
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def near_copies(items: list[dict], others: list[dict], bar: float = NEAR_COPY) -> list[tuple[str, str, float]]:
    """(id, id of the other question, Jaccard) for every row of ``items`` that is a near copy of a
    row of ``others`` or of an earlier row of ``items`` (the later of two near copies is the one dropped)."""
    seen = [(g["id"], bigrams(g["question"])) for g in others]
    out = []
    for g in items:
        mine = bigrams(g["question"])
        best = max(((other, jaccard(mine, grams)) for other, grams in seen), key=lambda x: x[1], default=None)
        if best is not None and best[1] >= bar:
            out.append((g["id"], best[0], round(best[1], 3)))
        seen.append((g["id"], mine))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--against", default=",".join(gold_set.SPLITS), help="splits to compare with")
    parser.add_argument("--also", default="", help="more question files to compare with (paths, comma-separated)")
    args = parser.parse_args(argv)
    items = gold_set.load(args.file)
    own = {g["id"] for g in items}
    others = [g for split in args.against.split(",") for g in gold_set.load_split(split) if g["id"] not in own]
    others += [g for path in filter(None, args.also.split(",")) for g in gold_set.load(path) if g["id"] not in own]
    for row in near_copies(items, others):
        print(*row, sep="\t")


if __name__ == "__main__":
    main()
