"""Compare two evaluation runs in the counts the keep rules of ``evals/DECISIONS.md`` are written in.

    python -m rongzhi.evals.compare BASE_DIR NEW_DIR [--stard BASE_STARD_DIR NEW_STARD_DIR]

``BASE_DIR`` and ``NEW_DIR`` are ``rongzhi eval --out`` directories (their ``results.jsonl``);
the STARD ones are ``rongzhi eval --stard --out`` directories (their ``stard.json``). Prints, per
split, base -> new: answerable rows whose first source is gold (hit@1) and whose citations include
a gold one (cited), mean fact coverage, wrong-as-answer rows, and declines over the rows without a
repeal notice (right ones and precision); then the totals over the held-out splits and STARD fold 1.

Why a module: every keep decision since session 10 was read with a scratch script that the next
machine lost; the judgement should be reproducible from the two directories and this command.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rongzhi.evals import gold as gold_set
from rongzhi.evals.harness import FOLLOW_UPS
from rongzhi.evals.metrics import rule_counts

SYSTEM = "rongzhi"


def split_counts(results: Path) -> dict[str, dict]:
    """{split: counts} of RongZhi's rows in one ``results.jsonl``."""
    rows: dict[str, list[dict]] = {}
    with open(results, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("system") == SYSTEM:
                rows.setdefault(row["split"], []).append(row)
    for split in [s for s in rows if s in gold_set.CHATS]:  # a chat's turns after its first (harness.FOLLOW_UPS)
        follow_ups = gold_set.follow_up_ids(rows[split])
        rows[FOLLOW_UPS.format(split=split)] = [r for r in rows[split] if r["id"] in follow_ups]
    out = {}
    for split, items in rows.items():
        answerable = [r for r in items if r["answerable_gold"]]
        rules = rule_counts(items)
        declines = rules["declines_without_repeal"]
        out[split] = {"answerable": len(answerable), "hit1": int(sum(r["hit1"] for r in answerable)),
                      "cited": int(round(sum(r["cite_hit"] for r in answerable))),
                      "facts": round(sum(r["facts"] for r in answerable) / len(answerable), 3) if answerable else None,
                      "wrong_rows": rules["wrong_asserted_rows"], "declined_right": declines["right"],
                      "declined": declines["declined"]}
    return out


def _num(value) -> str:
    return f"{value:.3f}" if value is not None else "—"


def _precision(c: dict) -> str:
    return f"{c['declined_right'] / c['declined']:.3f}" if c["declined"] else "—"


def table(base: dict, new: dict) -> str:
    lines = ["| split | hit@1 | cited | facts | wrong rows | declines right (precision) |", "|---|---|---|---|---|---|"]
    names = [n for s in gold_set.SPLITS for n in (s, FOLLOW_UPS.format(split=s))]
    for split in [s for s in names if s in base and s in new]:
        b, n = base[split], new[split]
        lines.append(f"| {split} | {b['hit1']} -> {n['hit1']} of {b['answerable']} | {b['cited']} -> {n['cited']} | "
                     f"{_num(b['facts'])} -> {_num(n['facts'])} | {b['wrong_rows']} -> {n['wrong_rows']} | "
                     f"{b['declined_right']} ({_precision(b)}) -> {n['declined_right']} ({_precision(n)}) |")
    # the single questions' held-out splits (the chats are counted on their own lines: every figure the keep rules were
    # written in before session 40 is over these)
    held = [s for s in gold_set.HELD_OUT if s in base and s in new and s not in gold_set.CHATS]
    total = {side: {k: sum(c[s][k] for s in held) for k in ("hit1", "cited", "wrong_rows", "declined_right", "declined")}
             for side, c in (("base", base), ("new", new))}
    b, n = total["base"], total["new"]
    lines.append(f"| held-out ({', '.join(held)}) | {b['hit1']} -> {n['hit1']} | {b['cited']} -> {n['cited']} | | "
                 f"{b['wrong_rows']} -> {n['wrong_rows']} | {b['declined_right']} ({_precision(b)}) -> "
                 f"{n['declined_right']} ({_precision(n)}) |")
    return "\n".join(lines)


def stard_line(base_dir: Path, new_dir: Path) -> str:
    def figures(folder: Path) -> dict:
        report = json.loads((folder / "stard.json").read_text(encoding="utf-8"))
        held, outside = report["systems"]["rongzhi"]["held_out"], report.get("outside_corpus", {}).get("held_out", {})
        return {"hit@1": held["hit@1"], "hit@5": held["hit@5"], "declined": outside.get("declined"),
                "asserted": outside.get("asserted"), "fusion": report.get("fusion", "")}

    b, n = figures(base_dir), figures(new_dir)
    return (f"STARD fold 1 ({b['fusion']} -> {n['fusion']}): hit@1 {b['hit@1']:.3f} -> {n['hit@1']:.3f}, "
            f"hit@5 {b['hit@5']:.3f} -> {n['hit@5']:.3f}; outside the corpus declined {b['declined']} -> {n['declined']}, "
            f"asserted {b['asserted']} -> {n['asserted']}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="rongzhi eval --out directory of the reference run")
    parser.add_argument("new", type=Path, help="rongzhi eval --out directory of the run judged")
    parser.add_argument("--stard", nargs=2, type=Path, metavar=("BASE_STARD", "NEW_STARD"),
                        help="rongzhi eval --stard --out directories of the same two runs")
    args = parser.parse_args(argv)
    print(table(split_counts(args.base / "results.jsonl"), split_counts(args.new / "results.jsonl")))
    if args.stard:
        print()
        print(stard_line(*args.stard))


if __name__ == "__main__":
    main()
