"""The evaluation harness: metrics on hand-made cases, and the fast gated subset on the real
index (this is the CI gate on answer quality)."""
import json
import os
import subprocess
import sys

from rongzhi.evals.metrics import score_one, summarize

PLAN = "福州市国家知识产权强市建设示范城市工作方案"


def test_metrics_on_hand_made_results():
    gold = {"id": "a", "persona": "civil", "answerable": True, "script": "zh-Hans", "must_include": ["专利代理师考试"],
            "gold": [{"title": PLAN, "locator": "任务19"}]}
    result = {"answerable": True, "language": "zh-Hans", "answer": "……为台湾同胞来福州参加专利代理师考试提供……",
              "retrieved": [{"title": PLAN, "locator": "任务20"}, {"title": PLAN, "locator": "任务19"}],
              "citations": [{"title": PLAN, "locator": "任务20", "quote": "RCEP", "chunk_text": "RCEP"},
                            {"title": PLAN, "locator": "任务19", "quote": "专利代理师考试", "chunk_text": "专利代理师考试"}]}
    row = score_one(gold, result)
    assert row["hit1"] == 0.0 and row["hit5"] == 1.0 and row["mrr"] == 0.5
    assert row["cite_hit"] == 1.0 and row["cite_precision"] == 0.5 and row["facts"] == 1.0
    declined = score_one({"id": "b", "persona": "out_of_scope", "answerable": False, "gold": [], "must_include": []},
                         {"answerable": False, "language": "zh-Hans", "answer": "", "citations": []})
    summary = summarize([row, declined])["overall"]
    assert summary["decline_precision"] == 1.0 and summary["decline_recall"] == 1.0 and summary["hit@5"] == 1.0
    # A chunk that holds several articles shares one rank: a baseline is not rewarded for its size.
    # A row without must_include (an evaluator's own file may have none): precision counts gold citations.
    bare = score_one({**gold, "must_include": []}, result)
    assert bare["cite_precision"] == 0.5 and bare["facts"] is None
    shared = score_one(gold, {**result, "retrieved": [{"title": PLAN, "locator": "任务18", "rank": 0},
                                                      {"title": PLAN, "locator": "任务19", "rank": 0}]})
    assert shared["hit1"] == 1.0
    # How each question was answered, beside the decline figures (a hedge is neither).
    assert (row["outcome"], declined["outcome"]) == ("answered", "declined")
    hedged = score_one({**gold, "id": "c", "answerable": False, "gold": []}, {**result, "hedged": True, "close_call": True})
    close = score_one(gold, {**result, "close_call": True})
    assert (hedged["outcome"], close["outcome"]) == ("hedged", "close_call")
    mix = summarize([row, declined, hedged, close])["overall"]["outcomes"]
    assert mix == {"answerable": {"answered": 1, "close_call": 1, "hedged": 0, "declined": 0},
                   "unanswerable": {"answered": 0, "close_call": 0, "hedged": 1, "declined": 1}}
    # The keep rules count declines without the repeal-notice rows (every embedder declines those),
    # and wrong-as-answer rows: a hedge is not wrong, a wrong source presented as the answer is.
    repeal = score_one({"id": "d", "persona": "civil", "answerable": False, "gold": [], "must_include": [],
                        "notice": "repealed"}, {"answerable": False, "answer": "", "citations": []})
    wrong = score_one({"id": "e", "persona": "civil", "answerable": False, "gold": [], "must_include": []}, result)
    overall = summarize([row, declined, hedged, close, repeal, wrong])["overall"]
    assert overall["declines_without_repeal"] == {"right": 1, "of": 3, "declined": 1, "precision": 1.0}
    # "a" put 任务20 (not gold) first as the answer, "e" answered an unanswerable question; the
    # hedged and close-call rows are not wrong answers.
    assert overall["wrong_asserted_rows"] == 2


def test_fast_subset_meets_the_gates(full_settings, tmp_path):
    env = {**os.environ, "RONGZHI_DATA_DIR": str(full_settings.data_dir), "RONGZHI_LAW_DIR": str(full_settings.law_dir)}
    # The gate is on the frozen test split (never tuned on). Measured on this subset when the
    # thresholds were set: hit@5 0.902, citation hit 0.805, declines 0.800 / 0.706, script 1.0
    # (README, "评测"); the thresholds leave a small margin below those figures.
    proc = subprocess.run([sys.executable, "-m", "rongzhi.cli", "eval", "--fast", "--split", "test", "--out", str(tmp_path),
                           "--min-hit5", "0.85", "--min-decline-precision", "0.7", "--min-decline-recall", "0.65",
                           "--min-script-accuracy", "1.0", "--min-citation-hit", "0.75"],
                          capture_output=True, text=True, env=env, timeout=600)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "RongZhi hybrid" in proc.stdout
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## RongZhi failures" in report and "by persona" in report
    # The figures depend on package versions (ONNX kernels, tokenizer): the report says which ran.
    from importlib.metadata import version
    from rongzhi.index.onnx_e5 import weight_storage
    assert f"onnxruntime {version('onnxruntime')}" in report and "answers as of 2026-11-25" in report
    assert f"int8 weights as {weight_storage()}" in report
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    rows = [json.loads(l) for l in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 70 and all(r["system"] == "rongzhi" and r["split"] == "test" for r in rows)


def test_gate_fails_when_a_threshold_is_not_met(full_settings, tmp_path):
    env = {**os.environ, "RONGZHI_DATA_DIR": str(full_settings.data_dir), "RONGZHI_LAW_DIR": str(full_settings.law_dir)}
    proc = subprocess.run([sys.executable, "-m", "rongzhi.cli", "eval", "--fast", "--split", "test", "--out", str(tmp_path),
                           "--min-hit1", "1"], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 1 and "hit@1" in proc.stderr and "未达到阈值" in proc.stderr


def test_embedder_finetuning_never_reads_held_out_questions(full_settings):
    """The fine-tuning experiment (evals/finetune_embedder.py) may only learn from the dev split
    and STARD-dev fold 0: a test question or a fold-1 question in its pairs would make every
    held-out figure it is judged by meaningless."""
    import pytest

    from rongzhi.evals import finetune_embedder, gold, stard
    from rongzhi.index.store import IndexReader

    stard_dir = stard.default_dir(full_settings)
    if not stard_dir.is_dir():
        pytest.skip(f"STARD-dev not found: {stard_dir}")
    pairs = finetune_embedder.training_pairs(full_settings, stard_dir)
    test = [g for split in gold.HELD_OUT for g in gold.load_split(split)]
    ids, questions = {p[2] for p in pairs}, {p[0] for p in pairs}
    assert not ids & {t["id"] for t in test} and not questions & {t["question"] for t in test}
    stard_ids = [i for i in ids if i.startswith("stard-")]
    assert len(stard_ids) > 600 and all(stard.fold(i) == 0 for i in stard_ids)
    assert len(ids) - len(stard_ids) > 150  # the dev questions whose gold source is in the index
    passages = {c.embed_text for c in IndexReader(full_settings).chunks}
    assert all(p[1] in passages for p in pairs if not p[2].startswith("stard-"))
    # The shipped delta says it was trained on exactly these pairs...
    from rongzhi.index.onnx_e5 import SHIPPED_DELTA, load_delta

    trained = load_delta(SHIPPED_DELTA).meta["training"]
    assert trained["dev_files"] == list(gold.TRAINED_ON["embedder"])  # the recipe rebuilds what ships
    assert (trained["dev_pairs"], trained["stard_fold0_pairs"]) == (len(ids) - len(stard_ids), len(stard_ids))
    # ...and the cross-fitting halves (evals/crossfit.py) split them, each with both kinds.
    halves = [[p for p in pairs if finetune_embedder.cross_fit_half(p[2]) == h] for h in (0, 1)]
    assert len(halves[0]) + len(halves[1]) == len(pairs) and min(map(len, halves)) > 0.4 * len(pairs)
    assert all(any(p[2].startswith("stard-") for p in half) and any(not p[2].startswith("stard-") for p in half)
               for half in halves)


def test_finetuning_pairs_and_hard_negatives_are_right_for_each_question(full_settings):
    """What the embedder is taught to pull together and push apart: the positive is the gold
    article *in the version the gold names* (第二十二条 of 反不正当竞争法 2025 is damages, of 2019
    prize sales), and the hard negative is never one of the question's own gold sources, never
    another version of the positive's law, comes from the project's chunks for a dev question,
    and is the same whichever subset is mined (the full and half models see the same one)."""
    import pytest

    from rongzhi.evals import finetune_embedder, gold, stard
    from rongzhi.index.store import IndexReader

    stard_dir = stard.default_dir(full_settings)
    if not stard_dir.is_dir():
        pytest.skip(f"STARD-dev not found: {stard_dir}")
    chunks = IndexReader(full_settings).chunks
    by_text = {}
    for c in chunks:
        by_text.setdefault(c.embed_text, []).append(c)
    dev = {g["id"]: g for g in gold.training_items("embedder")}
    pairs = finetune_embedder.training_pairs(full_settings, stard_dir)
    versioned = [p for p in pairs if p[2] in dev and dev[p[2]]["gold"][0].get("version_date")]
    assert len(versioned) > 20
    for question, positive, qid in versioned:
        named = dev[qid]["gold"][0]
        assert any((c.title, c.locator, c.version_date) == (named["title"], named["locator"], named["version_date"])
                   for c in by_text[positive]), (qid, positive[:40])

    sample = [p for p in pairs if p[2] in dev] + [p for p in pairs if p[2].startswith("stard-")][:80]
    negatives, mined_with = finetune_embedder.mine_hard_negatives(full_settings, sample, stard_dir)
    assert mined_with.startswith("onnx-e5-small") and set(negatives) == {p[2] for p in sample}
    queries, articles = stard.load(stard_dir)
    queries = {q["id"]: q for q in queries}
    for c in stard.article_chunks(articles, str(stard_dir)):
        by_text.setdefault(c.embed_text, []).append(c)
    for question, positive, qid in sample:
        negative, pos = by_text[negatives[qid]][0], by_text[positive][0]
        assert negative.embed_text != positive
        wanted = {(stard.norm_title(g["title"]), g["locator"]) for g in (dev.get(qid) or queries[qid])["gold"]}
        assert (stard.norm_title(negative.title), negative.locator) not in wanted, (qid, negative.title, negative.locator)
        assert negative.title != pos.title or negative.doc_id == pos.doc_id, (qid, negative.doc_id, pos.doc_id)
        if qid in dev:
            assert negative.kind != "STARD", qid  # dev questions: the project's own chunks
    again, _ = finetune_embedder.mine_hard_negatives(full_settings, sample[::7], stard_dir)
    assert again == {qid: negatives[qid] for qid in again}


def test_gate_bar_mapping_keeps_the_share_of_candidates_that_pass():
    """A fine-tuned embedder spreads cosines; its gate bar is the cosine that lets through the
    same share of dev candidates as the base bar did on the base scale (evals/calibrate.py)."""
    import numpy as np

    from rongzhi.evals.calibrate import map_bar

    rng = np.random.default_rng(0)
    base = rng.uniform(0.80, 0.95, 5000)  # e5-small: crowded
    new = rng.uniform(0.20, 0.80, 5000)  # tuned: spread
    for bar in (0.83, 0.86, 0.875):
        mapped = map_bar(bar, base, new)
        assert abs(np.mean(new < mapped) - np.mean(base < bar)) < 0.01
    assert map_bar(0.83, base, new) < map_bar(0.86, base, new) < map_bar(0.875, base, new)


def test_answerability_bars_come_from_questions_the_model_did_not_learn():
    """The decline bar is set where about one answerable dev question in a hundred would be
    declined, the hedge bar where about one question in twenty about other law (STARD) would be
    answered outright, both judged by probabilities from models that never saw that question: a
    question the model learned from scores further from the bar than it will when a user asks it."""
    import numpy as np

    from rongzhi.evals.train_answerability import decline_bar, fit, hedge_bar, out_of_fold

    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(1.0, 1.0, (300, 2)), rng.normal(-1.0, 1.0, (300, 2))])
    y = np.r_[np.ones(300), np.zeros(300)]
    ids = [f"q{i}" for i in range(600)]
    oof = out_of_fold(x, y, ids)
    weights, bias = fit(x, y)
    in_sample = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
    assert np.array_equal(oof, out_of_fold(x, y, ids))  # the same folds on a rerun
    assert np.abs(oof - in_sample).max() > 1e-3  # not the in-sample fit again
    rows = [{"source": "dev", "y": 1.0}] * 300 + [{"source": "stard_fold0", "y": 0.0}] * 300
    declined = decline_bar(oof, rows)
    hedged = hedge_bar(oof, rows, declined)
    assert sum(p < declined for p in oof[:300]) == 3  # one in a hundred answerable questions
    assert sum(p >= hedged for p in oof[300:]) == 15  # one in twenty outside questions answered
    assert declined < hedged
    # Unanswerable dev questions (the fund's, on topic) move neither bar.
    more = rows + [{"source": "dev", "y": 0.0}] * 10
    assert decline_bar(np.r_[oof, [0.99] * 10], more) == declined
    assert hedge_bar(np.r_[oof, [0.99] * 10], more, declined) == hedged
    # Where the two classes overlap completely, nothing is hedged: the decline bar decides.
    overlap = np.r_[np.full(300, 0.2), np.full(300, 0.1)]
    assert hedge_bar(overlap, rows, decline_bar(overlap, rows)) == 0.2


def test_a_fine_tuned_family_declines_as_many_questions_about_other_law_as_e5_small():
    """--match-declines: a fine-tuned embedder's check must not hedge (quote IP articles beside) more
    questions about other law than the base model's check declines — but matching may never turn away
    more than ANSWERABLE_DECLINED_MAX percent of the answerable dev questions, nor fewer than the
    1st-percentile rule."""
    import numpy as np

    from rongzhi.evals.train_answerability import (ANSWERABLE_DECLINED_MAX, decline_bar, matched_decline_bar,
                                                   outside_declined)

    rng = np.random.default_rng(1)
    answerable, outside = rng.uniform(0.1, 1.0, 400), rng.uniform(0.0, 0.4, 400)
    prob = np.r_[answerable, outside]
    rows = [{"source": "dev", "y": 1.0}] * 400 + [{"source": "stard_fold0", "y": 0.0}] * 400
    base = decline_bar(prob, rows)
    # A share the 1% rule already meets keeps the rule's bar.
    assert matched_decline_bar(prob, rows, outside_declined(prob, rows, base) / 2) == base
    # A higher share raises the bar until that share of the outside questions is declined ...
    bar = matched_decline_bar(prob, rows, 0.30)
    assert bar > base and abs(outside_declined(prob, rows, bar) - 0.30) < 0.01
    # ... but never past the product limit on answerable questions.
    capped = matched_decline_bar(prob, rows, 0.95)
    assert abs(np.mean(answerable < capped) - ANSWERABLE_DECLINED_MAX / 100) < 0.01
    assert outside_declined(prob, rows, capped) < 0.95


def test_close_ratio_reason_says_when_the_calibration_floor_was_hit():
    """The calibration table must say why a ratio is there: the rule's own pick, or the floor of
    the grid it ran into (then the rule would have gone lower)."""
    from rongzhi.evals.calibrate import GRID, close_ratio_reason

    assert "floor" in close_ratio_reason(GRID[0], 333, True) and "cross-fitted" in close_ratio_reason(GRID[0], 333, True)
    assert "smallest ratio" in close_ratio_reason(GRID[3], 333, False) and "floor" not in close_ratio_reason(GRID[3], 333, False)


def test_the_second_look_learns_from_on_topic_dev_questions_only():
    """Everyday questions are the first check's to turn away and STARD's are about other law: the
    on-topic second look is trained on dev's answerable vs on-topic unanswerable questions only."""
    from rongzhi.evals.train_answerability import on_topic_rows

    rows = [{"id": "a", "source": "dev", "y": 1.0, "persona": "law"},
            {"id": "b", "source": "dev", "y": 0.0, "persona": "enterprise"},
            {"id": "c", "source": "dev", "y": 0.0, "persona": "out_of_scope"},
            {"id": "d", "source": "stard_fold0", "y": 0.0, "persona": ""}]
    assert [r["id"] for r in on_topic_rows(rows)] == ["a", "b"]


def test_hard_negatives_refuse_a_fine_tuned_miner(tmp_path):
    """Hard negatives must be the *base* model's near misses (finetune_embedder.mine_hard_negatives):
    since ft5 is the default, running the README recipe without RONGZHI_EMBEDDER=onnx would mine
    them with the fine-tuned model and quietly train the next delta on other negatives. The script
    stops, in both languages, before reading any question."""
    env = {**os.environ, "RONGZHI_EMBEDDER": "onnx:ft", "RONGZHI_DATA_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "rongzhi.evals.finetune_embedder", "train", str(tmp_path / "hf"),
                           str(tmp_path / "out"), "--hard-negatives"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "RONGZHI_EMBEDDER=onnx" in proc.stderr and "难负例须用基础模型挖掘" in proc.stderr
    assert not (tmp_path / "out").exists()


def _compared(tmp_path, base: list[dict], new: list[dict]) -> dict[str, str]:
    """`python -m rongzhi.evals.compare` over two results.jsonl written from ``base`` and ``new``: its lines by split."""
    for name, rows in (("base", base), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "rongzhi.evals.compare", str(tmp_path / "base"), str(tmp_path / "new")],
                         capture_output=True, text=True, check=True).stdout
    return {line.split(" | ")[0].strip("| "): line for line in out.splitlines()}


def test_two_runs_compare_in_the_counts_the_keep_rules_use(tmp_path):
    """`python -m rongzhi.evals.compare BASE NEW` reads two `rongzhi eval --out` directories and
    prints, per split and over the held-out splits, the counts a keep decision is written in:
    hit@1 and cited among answerable rows, wrong-as-answer rows, and declines without a repeal
    notice (a repeal-notice row never counts as a decline here)."""
    def row(split, qid, answerable, hit1=0.0, cite=0.0, declined=False, wrong=0.0, repeal=False):
        return {"split": split, "system": "rongzhi", "id": qid, "answerable_gold": answerable,
                "answerable_got": not declined, "repeal_notice": repeal, "hit1": hit1, "cite_hit": cite,
                "facts": 1.0 if cite else 0.0, "wrong_asserted": wrong}

    base = [row("test", "t1", True, 1, 1), row("test", "t2", True, 0, 0, wrong=1), row("test", "t3", False, declined=True),
            row("test", "t4", False), row("test7", "z1", True, 0, 1), row("dev", "g1", True, 1, 1),
            row("test", "t1", True, 0, 0) | {"system": "bm25"}]  # another system's row: ignored
    new = [row("test", "t1", True, 1, 1), row("test", "t2", True, 1, 1), row("test", "t3", False, declined=True),
           row("test", "t4", False, declined=True, repeal=True), row("test7", "z1", True, 1, 1),
           row("dev", "g1", True, 0, 0, declined=True)]
    lines = _compared(tmp_path, base, new)
    assert "| 1 -> 2 of 2 | 1 -> 2 |" in lines["test"] and "| 1 -> 0 |" in lines["test"]
    assert "| 1 (1.000) -> 1 (1.000) |" in lines["test"]  # the repeal-notice decline is not counted
    assert "| 0 -> 1 of 1 | 1 -> 1 |" in lines["test7"]
    assert "| 1 -> 0 of 1 |" in lines["dev"]
    held = next(line for key, line in lines.items() if key.startswith("held-out"))
    assert "| 1 -> 3 | 2 -> 3 |" in held and "dev" not in held.split(" | ")[0]


# -- session 23: an evaluator's report (evals/README.md "Checking a question file", "Scoring") ------
TM = "中华人民共和国商标法"


def _cite(title, locator, version, **extra):
    return {"title": title, "locator": locator, "version_date": version, "quote": extra.pop("quote", ""), **extra}


def test_a_gold_version_matches_only_a_source_of_that_version():
    """商标法 第三十九条 is the ten-year term in 2019 and when a rejection takes effect in 2026: a gold
    of the 2026 article is not hit by ranking or quoting the 2019 one (before: hit@1 1.0, cited 1.0)."""
    gold = {"id": "v2", "persona": "law", "answerable": True, "script": "zh-Hans", "must_include": ["驳回申请决定"],
            "gold": [{"title": TM, "locator": "第三十九条", "version_date": "2026-06-26"}]}
    versions = {"商标法@2019-04-23": "2019-04-23", "商标法@2026-06-26": "2026-06-26"}
    # The ranking carries only doc_id (assistant/compose.ranking): its version comes from the index.
    ranked = [{"doc_id": "商标法@2019-04-23", "title": TM, "locator": "第三十九条"},
              {"doc_id": "商标法@2026-06-26", "title": TM, "locator": "第三十九条"}]
    wrong = {"answerable": True, "language": "zh-Hans", "answer": "注册商标的有效期为十年", "retrieved": ranked[:1],
             "citations": [_cite(TM, "第三十九条", "2019-04-23", quote="注册商标的有效期为十年")]}
    row = score_one(gold, wrong, versions=versions)
    assert (row["hit1"], row["hit5"], row["mrr"], row["cite_hit"], row["cite_precision"]) == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert row["wrong_asserted"] == 1.0 and row["facts_missing"] == ["驳回申请决定"]
    # The right version, ranked second and quoted beside the wrong one: hit@5, MRR 0.5, half the quotes good.
    both = {**wrong, "retrieved": ranked, "citations": [*wrong["citations"],
                                                         _cite(TM, "第三十九条", "2026-06-26", quote="驳回申请决定")]}
    row = score_one(gold, both, versions=versions)
    assert (row["hit1"], row["hit5"], row["mrr"], row["cite_hit"], row["cite_precision"]) == (0.0, 1.0, 0.5, 1.0, 0.5)
    assert row["facts"] == 1.0 and row["wrong_asserted"] == 1.0  # the 2019 article came first, as the answer
    # A gold without version_date (a title with one version) matches whichever version a source has.
    unversioned = {**gold, "gold": [{"title": TM, "locator": "第三十九条"}], "must_include": []}
    assert score_one(unversioned, wrong, versions=versions)["hit1"] == 1.0


def test_results_and_report_show_versions_define_the_metrics_and_list_partial_answers(tmp_path):
    """What an evaluator reads: results.jsonl `got`/`top` as [title, locator, version], the report's
    expected/cited lines with versions, a section defining every metric, the failures and the
    partial answers (hit@1 = 0 or a missing must_include, named); no dev/test wording and no
    "thresholds are checked" line for the evaluator's own file run without thresholds."""
    from rongzhi.evals import harness

    gold = {"id": "v2", "persona": "law", "question": "注册商标的有效期是多久？", "answerable": True, "script": "zh-Hans",
            "must_include": ["驳回申请决定"], "gold": [{"title": TM, "locator": "第三十九条", "version_date": "2026-06-26"}]}
    partial = {**gold, "id": "p1", "must_include": ["有效期为十年", "续展"],
               "gold": [{"title": TM, "locator": "第三十九条", "version_date": "2019-04-23"}]}
    answer = {"answerable": True, "language": "zh-Hans", "answer": "注册商标的有效期为十年",
              "retrieved": [{"doc_id": "x@2019", "title": TM, "locator": "第四十条"},
                            {"doc_id": "x@2019", "title": TM, "locator": "第三十九条"}],
              "citations": [_cite(TM, "第三十九条", "2019-04-23", quote="注册商标的有效期为十年")]}
    versions = {"x@2019": "2019-04-23"}
    rows = [harness.result_row("mine", "rongzhi", score_one(g, answer, versions=versions), g, answer, versions)
            for g in (gold, partial)]
    summary = summarize(rows, [10.0, 12.0])
    report = {"fast": False, "questions": 2, "seconds": 0.1, "gate_split": "mine", "thresholds": {}, "violations": [],
              "rows": rows, "setup": {"embedder": "e", "fusion": "f", "answerability": "a", "as_of": "2026-11-25",
                                      "weight_storage": "s8", "packages": {}},
              "splits": {"mine": {"questions": 2, "systems": {"rongzhi": {"label": "RongZhi hybrid", "summary": summary}}}}}
    harness.write(report, tmp_path)
    written = [json.loads(l) for l in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert written[0]["got"] == [[TM, "第三十九条", "2019-04-23"]] and written[0]["top"][0] == [TM, "第四十条", "2019-04-23"]
    assert written[1]["must_include"] == ["有效期为十年", "续展"] and written[1]["facts_missing"] == ["续展"]
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## What the figures mean" in text
    for metric in ("hit@1 / hit@5", "MRR", "nDCG@5", "citation hit", "citation precision", "fact coverage",
                   "decline precision", "decline recall", "wrong as answer", "script accuracy"):
        assert f"**{metric}**" in text, metric
    failures = text.split("## RongZhi failures (1)")[1].split("## Partial answers (1)")
    assert "expected: 中华人民共和国商标法 第三十九条 (2026-06-26)" in failures[0]
    assert "cited: 中华人民共和国商标法 第三十九条 (2019-04-23)" in failures[0]
    assert "**p1**" in failures[1] and "missing must_include: 续展" in failures[1]
    assert "dev = tuned on" not in text and "Thresholds" not in text
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"  # decline figures undefined: no bar, no crash


def test_a_threshold_that_cannot_be_computed_says_why_in_both_languages():
    """A file with no question to decline and --min-decline-recall 0.9: not "None < 0.9" but a
    message saying the metric cannot be computed and why; the threshold counts as not met."""
    from rongzhi.evals.harness import violations

    found = violations("b", {"hit@1": 0.75, "decline_recall": None, "decline_precision": 1.0},
                       {"min_hit1": 0.9, "min_decline_recall": 0.9, "min_decline_precision": 0.9})
    assert [v["en"] for v in found] == ["b: hit@1 0.75 < 0.9",
                                        "b: decline_recall cannot be computed (it has no question to decline), "
                                        "so the threshold 0.9 is not met"]
    assert "无法计算" in found[1]["zh"] and "没有应拒答的题" in found[1]["zh"] and "None" not in found[1]["zh"]


def test_thresholds_check_the_first_question_file_even_with_a_project_split():
    """--split test --questions a.jsonl --min-hit1 0.99 checked test, though --help and the
    README say the first --questions file."""
    from rongzhi.cli import _gate

    assert _gate(("test",), {"a": [], "b": []}) == "a"
    assert _gate(("dev", "test"), {}) == "test"
    assert _gate(("test3",), {}) == "test3"  # not a "test:" label on test3's figures


def _chunks():
    """A tiny index: 商标法 in two versions, 专利法 in one, the plan (enough to resolve and to miss)."""
    from rongzhi.core.chunks import Chunk

    def chunk(title, locator, text, version):
        return Chunk(doc_id=f"{title}@{version}", title=title, kind="法律", locator=locator, text=text, start=0,
                     end=len(text), source_path="x", version_date=version)

    return [chunk(TM, "第三十九条", "第三十九条 注册商标的有效期为十年。", "2019-04-23"),
            chunk(TM, "第三十九条", "第三十九条 驳回申请决定自……起生效。", "2026-06-26"),
            chunk(TM, "第四十三条", "第四十三条 注册商标的有效期为十年。", "2026-06-26"),
            chunk("中华人民共和国专利法", "第一条", "第一条 为了保护专利权人的合法权益。", "2020-10-17"),
            chunk("中华人民共和国专利法", "第四十二条", "第四十二条 发明专利权的期限为二十年。", "2020-10-17"),
            chunk(PLAN, "任务5", "开展专利密集型产品备案。", "2022-09"),
            chunk(PLAN, "任务19", "为台湾同胞来福州参加专利代理师考试提供便利。", "2022-09")]


ROW = {"id": "ok", "persona": "law", "question": "发明专利保护多少年？", "answerable": True, "script": "zh-Hans",
       "gold": [{"title": "中华人民共和国专利法", "locator": "第四十二条"}], "must_include": ["二十年"]}


def _problems(rows, max_chars=2000):
    """Every error of these rows as (line, "zh", "en"), lines numbered from 1 as in a file."""
    from rongzhi.evals import gold

    lines = list(range(1, len(rows) + 1))
    found = gold.row_problems(rows, lines, max_chars) + gold.citation_problems(rows, _chunks(), lines)
    return [(p.line, p.text_zh(), p.text_en()) for p in sorted(found, key=lambda p: p.line) if not p.warning]


def test_every_bad_row_is_named_by_line_and_id_in_both_languages():
    """Each value an evaluator can get wrong is one problem naming the line and the id, in Chinese
    and English (before: silently accepted, an internal error, or a stop mid-run without the row)."""
    bad = {
        "null question": {**ROW, "question": None},
        "blank question": {**ROW, "question": "   "},
        "punctuation only": {**ROW, "question": "？？？", "answerable": False, "gold": [], "must_include": []},
        "too long": {**ROW, "question": "专利" * 30},
        "gold not a list": {**ROW, "gold": {"title": "中华人民共和国专利法", "locator": "第四十二条"}},
        "gold without locator": {**ROW, "gold": [{"title": "中华人民共和国专利法"}]},
        "must_include a string": {**ROW, "must_include": "二十年"},
        "answerable a string": {**ROW, "answerable": "true"},
        "id a number": {**ROW, "id": 7},
        "script missing": {k: v for k, v in ROW.items() if k != "script"},
        "script contradicts": {**ROW, "script": "zh-Hant"},
        "needs_doc on an answerable row": {**ROW, "needs_doc": "fuzhou-ip-fund-measures"},
        "Traditional must_include": {**ROW, "must_include": ["二十年", "專利"]},
        "version of a one-version law": {**ROW, "gold": [{**ROW["gold"][0], "version_date": "2021-06-01"}]},
    }
    bad = {name: {**row, "id": row["id"] if row["id"] != "ok" else f"r{i}"} for i, (name, row) in enumerate(bad.items(), 1)}
    rows = list(bad.values())
    found = _problems(rows, max_chars=50)  # the limit passed in is the one applied (Settings.max_question_chars)
    for line, (name, row) in enumerate(bad.items(), 1):
        mine = [p for p in found if p[0] == line]
        assert len(mine) == 1, (name, mine)
        _, zh, en = mine[0]
        label = row["id"] if isinstance(row["id"], str) else json.dumps(row["id"])
        assert zh.startswith(f"第 {line} 行（{label}）：") and en.startswith(f"line {line} ({label}): "), (name, zh, en)
    texts = {name: found[i] for i, name in enumerate(bad)}
    assert "空值 null" in texts["null question"][1] and "question must be a string, not null" in texts["null question"][2]
    assert "only punctuation" in texts["punctuation only"][2] and "cannot be a question to decline" in texts["punctuation only"][2]
    assert "limit 50" in texts["too long"][2]
    assert "gold[0] has no locator" in texts["gold without locator"][2]
    assert "not a string \"二十年\"" in texts["must_include a string"][2]
    assert "true or false" in texts["answerable a string"][2] and "id must be a string" in texts["id a number"][2]
    assert "missing script" in texts["script missing"][2] and "plainly written in zh-Hans" in texts["script contradicts"][2]
    assert "'专利'" in texts["Traditional must_include"][2]  # the Simplified form to write
    assert "loaded versions" in texts["version of a one-version law"][2] and "2020-10-17" in texts["version of a one-version law"][2]
    assert _problems([ROW]) == []


def test_a_citation_problem_names_its_cause_and_the_form_expected_without_follow_on_messages():
    """One message per cause, stating the right form: no "must_include not in 第42条" after a
    locator that does not resolve, no "declined row with gold" after a missing answerable."""
    rows = [{**ROW, "gold": [{"title": "中华人民共和国专利法", "locator": "第42条"}]},
            {**ROW, "gold": [{"title": "中华人民共和国专利法", "locator": "Article 42"}]},
            {**ROW, "gold": [{"title": PLAN, "locator": "任务十九"}], "must_include": ["专利代理师考试"]},
            {**ROW, "gold": [{"title": "专利法", "locator": "第四十二条"}]},
            {**ROW, "gold": [{"title": TM, "locator": "第三十九条"}], "must_include": ["有效期为十年"]},
            {**ROW, "gold": [{"title": TM, "locator": "第三十九条", "version_date": "2019"}], "must_include": ["有效期为十年"]},
            {k: v for k, v in ROW.items() if k != "answerable"},
            {**ROW, "must_include": ["三十年"]}]
    found = _problems([{**row, "id": f"c{i}"} for i, row in enumerate(rows, 1)])
    assert [line for line, _, _ in found] == [1, 2, 3, 4, 5, 6, 7, 8]
    en = [e for _, _, e in found]
    assert en[0].endswith("has no locator '第42条'; write it as 第四十二条")
    assert en[1].endswith("write it as 第四十二条") and en[2].endswith("write it as 任务19")
    assert "did you mean 中华人民共和国专利法" in en[3]
    assert "several versions, add version_date: 2019-04-23, 2026-06-26" in en[4]
    assert "has no version 2019; loaded versions" in en[5] and "2019-04-23, 2026-06-26" in en[5]
    assert en[6].endswith("missing answerable")
    assert "must_include '三十年' is not in gold[0]" in en[7] and "(2020-10-17 version)" in en[7]
    assert "应写作「第四十二条」" in found[0][1] and "有多个版本，须写 version_date" in found[4][1]


def test_a_question_file_reports_every_unreadable_line_and_warns_about_unknown_fields(tmp_path):
    from rongzhi.evals import gold

    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join([json.dumps(ROW, ensure_ascii=False), "not json", "[1, 2]",
                               json.dumps({**ROW, "id": "ok", "needs_docs": "x"}, ensure_ascii=False)]) + "\n",
                    encoding="utf-8")
    file = gold.load_question_file(path)
    assert [p.line for p in file.problems] == [2, 3] and file.lines == [1, 4]
    errors, warnings = gold.check_files([file], _chunks())
    assert [(p.line, p.en) for _, p in errors] == [(2, file.problems[0].en), (3, file.problems[1].en),
                                                 (4, "duplicate id (already used on line 1)")]
    assert [p.en for _, p in warnings] == ["unknown field needs_docs, ignored; did you mean needs_doc?"]
    message = gold.problems_error(errors, citations_checked=True)
    assert message.zh.splitlines()[0] == f"评测题文件 {path} 有 3 处问题：" and "第 4 行（ok）：id 重复（第 1 行已用过）" in message.zh
    assert message.en.splitlines()[0] == f"question file {path}: 3 problems:" and "line 2 (no id): not valid JSON" in message.en


def test_the_web_ui_s_eval_table_names_its_columns_in_chinese():
    # Session 23's UI sweep: the 评估 tab's table showed raw metric identifiers (citation_hit, wrong_asserted).
    from rongzhi.evals.harness import COLUMNS_ZH, TABLE_METRICS, summary_table

    overall = {"n": 3, **{m: 0.5 for m in TABLE_METRICS}, "latency_p50_ms": 20.0, "latency_p95_ms": 40.0}
    report = {"splits": {"dev": {"systems": {"rongzhi": {"label": "RongZhi hybrid", "summary": {"overall": overall}}}}}}
    header = summary_table(report, COLUMNS_ZH).splitlines()[0]
    assert "引用命中" in header and "错答为准" in header and "首位命中 hit@1" in header
    assert "citation_hit" not in header and "wrong_asserted" not in header
    assert "citation_hit" in summary_table(report).splitlines()[0]  # the CLI and report keep the README's names


# -- session 40: conversations as an evaluation split (evals/SPLITS.md "chat_dev, chat_test") ----------------------
def _chat_row(qid, chat, question, title="", locator="", facts=()):
    answerable = bool(title)
    return {"id": qid, "chat": chat, "persona": "law", "question": question,
            "gold": [{"title": title, "locator": locator}] if answerable else [], "must_include": list(facts),
            "answerable": answerable, "script": "zh-Hans"}


def test_a_chat_is_asked_turn_by_turn_with_its_history_and_its_follow_ups_are_scored_apart(assistant, tmp_path):
    """A chat's follow-up is asked after the turns before it, as `rongzhi chat` asks it: 「那外观设计呢？」 alone names no
    period, and only in its chat is it answered with 专利法第四十二条. The report lists the follow-ups (every turn after its
    chat's first) as a split of their own; a second chat does not inherit the first one's history."""
    from rongzhi.evals.harness import run

    patent = "中华人民共和国专利法"
    rows = [_chat_row("c1.1", "c1", "发明专利保护多少年？", patent, "第四十二条", ["二十年"]),
            _chat_row("c1.2", "c1", "那外观设计呢？", patent, "第四十二条", ["十五年"]),
            _chat_row("c2.1", "c2", "那外观设计呢？", patent, "第四十二条", ["十五年"])]
    report = run(assistant, out_dir=tmp_path, splits=(), gate_split="mine", own={"mine": rows})
    results = {r["id"]: r for r in (json.loads(l) for l in (tmp_path / "results.jsonl").read_text("utf-8").splitlines())}
    assert results["c1.2"]["hit1"] == 1.0 and results["c1.2"]["facts"] == 1.0
    assert results["c2.1"]["hit1"] == 0.0  # the same words opening another chat: nothing to lean on
    assert results["c1.2"]["chat"] == "c1"
    follow_ups = report["splits"]["mine follow-ups"]["systems"]["rongzhi"]["summary"]["overall"]
    assert follow_ups["n"] == 1 and follow_ups["hit@1"] == 1.0
    assert report["questions"] == 3  # the follow-ups are counted once, in their split
    assert "| mine follow-ups | RongZhi hybrid | 1 |" in (tmp_path / "report.md").read_text("utf-8")


def test_compare_counts_a_chat_split_s_follow_ups_and_keeps_chats_out_of_the_held_out_total(tmp_path):
    """`rongzhi.evals.compare` prints a chat split's follow-ups on their own line; the held-out total stays the single
    questions' (the figures every keep rule before session 40 was written in)."""
    def row(split, qid, chat, hit1):
        return {"split": split, "system": "rongzhi", "id": qid, "chat": chat, "answerable_gold": True,
                "answerable_got": True, "repeal_notice": False, "hit1": hit1, "cite_hit": hit1, "facts": hit1,
                "wrong_asserted": 0.0}

    single = {"split": "test", "system": "rongzhi", "id": "t1", "answerable_gold": True, "answerable_got": True,
              "repeal_notice": False, "hit1": 1.0, "cite_hit": 1.0, "facts": 1.0, "wrong_asserted": 0.0}
    base = [single, row("chat_test", "a.1", "a", 1.0), row("chat_test", "a.2", "a", 0.0), row("chat_test", "b.1", "b", 0.0)]
    new = [single, row("chat_test", "a.1", "a", 1.0), row("chat_test", "a.2", "a", 1.0), row("chat_test", "b.1", "b", 0.0)]
    lines = _compared(tmp_path, base, new)
    assert "| 1 -> 2 of 3 |" in lines["chat_test"]
    assert "| 0 -> 1 of 1 |" in lines["chat_test follow-ups"]
    held = next(line for key, line in lines.items() if key.startswith("held-out"))
    assert "| 1 -> 1 | 1 -> 1 |" in held and "chat" not in held.split(" | ")[0]


def test_the_fast_subset_of_a_chat_split_keeps_whole_chats():
    """`rongzhi eval --fast` takes every third question; from a chat split it takes every third chat, every turn of it in
    order (a follow-up asked without the turns before it would be scored as another question)."""
    from rongzhi.evals.gold import fast_subset, load_split

    chats = load_split("chat_test")
    subset = fast_subset(chats)
    kept = {g["chat"] for g in subset}
    assert 0 < len(kept) < len({g["chat"] for g in chats})
    assert subset == [g for g in chats if g["chat"] in kept]


def test_the_frozen_chats_stay_above_their_floor(full_settings, tmp_path):
    """chat_test (frozen, never tuned on) as a regression floor for conversations: each turn asked after the ones before
    it. Measured when the floor was set (session 40, after W and D1): hit@5 0.760, citation hit 0.583, script 1.0; the
    floor leaves a small margin below those figures. The issue's targets are far above them (README, 已知不足)."""
    env = {**os.environ, "RONGZHI_DATA_DIR": str(full_settings.data_dir), "RONGZHI_LAW_DIR": str(full_settings.law_dir)}
    proc = subprocess.run([sys.executable, "-m", "rongzhi.cli", "eval", "--split", "chat_test", "--out", str(tmp_path),
                           "--min-hit5", "0.72", "--min-citation-hit", "0.55", "--min-script-accuracy", "1.0"],
                          capture_output=True, text=True, env=env, timeout=900)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| chat_test follow-ups | RongZhi hybrid |" in proc.stdout


def test_a_gold_citing_the_listed_but_unloaded_measures_is_told_to_be_a_decline():
    # Session 42's sweep D: 「…专项资金管理办法」不是已收录文件的标题 read as a typo, while `rongzhi corpus status` lists it (未加载).
    from rongzhi.evals import gold

    measures = "福州市知识产权专项资金管理办法"
    row = {**ROW, "gold": [{"title": measures, "locator": "第八条"}], "must_include": ["贴息"]}
    found = gold.citation_problems([row], _chunks(), [1], documents=[{"doc_id": "fund", "title": measures, "chunks": 0}])
    assert len(found) == 1
    assert "已列入语料清单，但全文未加载" in found[0].text_zh() and '"answerable": false' in found[0].text_zh()
    assert "is listed but its text is not loaded" in found[0].text_en()
