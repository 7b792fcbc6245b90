"""Metrics over answers in the ``rongzhi ask --json`` contract, scored against gold.jsonl."""
from __future__ import annotations

import math
import statistics

from rongzhi.core.normalize import to_simplified


def source_key(item: dict, versions: dict[str, str] | None = None) -> tuple[str, str, str]:
    """(title, locator, version date) of a cited or ranked source. A citation carries its own
    ``version_date``; a ranking row (and a baseline's citation) only its ``doc_id``, whose version
    ``versions`` (doc_id -> version date, from the index) gives. "" when neither says."""
    version = item.get("version_date") or (versions or {}).get(item.get("doc_id"), "")
    return (item["title"], item["locator"], version or "")


def gold_keys(gold: dict) -> list[tuple[str, str, str]]:
    """The gold citations as (title, locator, version date or "" for any version)."""
    return [(g["title"], g["locator"], g.get("version_date") or "") for g in gold.get("gold", [])]


def is_gold(key: tuple[str, str, str], golds: list[tuple[str, str, str]]) -> bool:
    """A source is a gold one when title and locator match and, if the gold names a version, the
    source is that version: 第三十九条 of 商标法 2019 (the ten-year term) and of 2026 (when a
    rejection takes effect) are different provisions, and citing the wrong one is not a hit."""
    return any(key[:2] == g[:2] and (not g[2] or key[2] == g[2]) for g in golds)


def score_one(gold: dict, result: dict, k: int = 5, versions: dict[str, str] | None = None) -> dict:
    """Per-question scores. Retrieval metrics use ``result['retrieved']``; citation metrics use
    ``result['citations']``; both only for answerable gold questions. Every match against the gold
    citations (hit@k, MRR, nDCG, citation hit and precision, wrong-as-answer) is version-aware
    (``is_gold``); fact coverage reads the quoted text itself. ``versions``: see ``source_key``."""
    golds = gold_keys(gold)
    rows = result.get("retrieved", [])
    # A row may carry its own rank (a baseline chunk that contains several articles shares one).
    ranked = [(source_key(r, versions), r.get("rank", i)) for i, r in enumerate(rows)]
    cited = [source_key(c, versions) for c in result.get("citations", [])]
    row = {"id": gold["id"], "persona": gold["persona"], "answerable_gold": gold["answerable"],
           "answerable_got": bool(result.get("answerable")), "language_ok": None,
           # A question about a repealed text: any embedder declines it through the repeal rule, so the
           # keep rules in evals/DECISIONS.md count declines without these rows (summarize).
           "repeal_notice": gold.get("notice") == "repealed"}
    # How the user was answered: one source as *the* answer, contenders side by side (close call),
    # the closest provisions under a "may not cover" line (hedge), or nothing quoted (decline).
    row["outcome"] = ("declined" if not row["answerable_got"] else "hedged" if result.get("hedged")
                      else "close_call" if result.get("close_call") else "answered")
    # A source presented as *the* answer that is not a gold one: the worst outcome for a user
    # (issue #10), counted over every question, answerable or not.
    asserted = row["outcome"] == "answered"
    row["wrong_asserted"] = float(asserted and not (gold["answerable"] and cited[:1] and is_gold(cited[0], golds)))
    expected_script = gold.get("script")
    if expected_script:
        row["language_ok"] = result.get("language") == expected_script
    if gold["answerable"] and golds:
        first = min((pos for key, pos in ranked if is_gold(key, golds)), default=None)
        row["hit1"] = float(first == 0)
        row["hit5"] = float(first is not None and first < k)
        row["mrr"] = 1.0 / (first + 1) if first is not None else 0.0
        dcg = sum(1.0 / math.log2(pos + 2) for key, pos in ranked if is_gold(key, golds) and pos < k)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(golds), k)))
        row["ndcg5"] = min(1.0, dcg / ideal) if ideal else 0.0
        row["cite_hit"] = float(any(is_gold(key, golds) for key in cited))
        text = to_simplified(result.get("answer", "") + "\n" + "\n".join(c.get("quote", "") for c in result.get("citations", [])))
        facts = gold.get("must_include", [])
        row["facts"] = sum(f in text for f in facts) / len(facts) if facts else None
        row["facts_missing"] = [f for f in facts if f not in text]
        if facts and result.get("lead"):  # the answering sentence on the first line (issue #10 §3)
            lead = to_simplified(result["lead"])
            row["lead_facts"] = sum(f in lead for f in facts) / len(facts)
        if cited:
            # Keyed by version too: two versions' 第三十九条 are two quotes, not one overwriting the other.
            quotes = {key: to_simplified(c.get("chunk_text") or c.get("quote", ""))
                      for key, c in zip(cited, result["citations"])}
            good = [is_gold(key, golds) or (bool(facts) and any(f in quotes[key] for f in facts)) for key in cited]
            row["cite_precision"] = sum(good) / len(good)
    return row


OUTCOMES = ("answered", "close_call", "hedged", "declined")


def decline_counts(rows: list[dict]) -> dict:
    """Unanswerable questions declined ("right"), unanswerable questions ("of"), questions declined."""
    declined = [r for r in rows if not r["answerable_got"]]
    return {"right": sum(not r["answerable_gold"] for r in declined),
            "of": sum(not r["answerable_gold"] for r in rows), "declined": len(declined)}


def rule_counts(rows: list[dict]) -> dict:
    """The counts the keep rules of evals/DECISIONS.md are written in: declines over the rows that
    carry no repeal notice (right ones, all, and their precision), and wrong-as-answer rows."""
    counts = decline_counts([r for r in rows if not r.get("repeal_notice")])
    precision = round(counts["right"] / counts["declined"], 4) if counts["declined"] else None
    return {"declines_without_repeal": {**counts, "precision": precision},
            "wrong_asserted_rows": int(sum(r["wrong_asserted"] for r in rows))}


def outcome_mix(rows: list[dict]) -> dict:
    """{"answerable" | "unanswerable": {outcome: count}}: what the decline figures leave out (an
    unanswerable question hedged is not a decline, but it is not a wrong answer either)."""
    mix = {}
    for label, want in (("answerable", True), ("unanswerable", False)):
        subset = [r for r in rows if r["answerable_gold"] == want]
        mix[label] = {o: sum(r["outcome"] == o for r in subset) for o in OUTCOMES}
    return mix


def summarize(rows: list[dict], latencies: list[float] | None = None) -> dict:
    def mean(key, subset):
        values = [r[key] for r in subset if r.get(key) is not None]
        return round(sum(values) / len(values), 4) if values else None

    def block(subset):
        d = decline_counts(subset)
        return {
            "n": len(subset),
            "hit@1": mean("hit1", subset), "hit@5": mean("hit5", subset), "mrr": mean("mrr", subset),
            "ndcg@5": mean("ndcg5", subset), "citation_hit": mean("cite_hit", subset),
            "citation_precision": mean("cite_precision", subset), "fact_coverage": mean("facts", subset),
            "lead_facts": mean("lead_facts", subset), "lead_rows": sum(r.get("lead_facts") is not None for r in subset),
            "decline_precision": round(d["right"] / d["declined"], 4) if d["declined"] else None,
            "decline_recall": round(d["right"] / d["of"], 4) if d["of"] else None,
            "wrong_asserted": mean("wrong_asserted", subset),
            "script_accuracy": mean("language_ok", [dict(r, language_ok=float(r["language_ok"]))
                                                    for r in subset if r["language_ok"] is not None]),
        }

    summary = {"overall": {**block(rows), "outcomes": outcome_mix(rows), **rule_counts(rows)}}
    for persona in sorted({r["persona"] for r in rows}):
        summary[persona] = block([r for r in rows if r["persona"] == persona])
    if latencies:
        ordered = sorted(latencies)
        summary["overall"]["latency_p50_ms"] = round(statistics.median(ordered), 1)
        summary["overall"]["latency_p95_ms"] = round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)
    return summary
