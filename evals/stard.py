"""``rongzhi eval --stard``: real lay questions (STARD-dev, MIT) against statute articles.

The pool is STARD-dev's 1,238 labelled articles plus RongZhi's own chunks as distractors (an
article that exists in both, e.g. 专利法第六条, counts wherever it is found: titles are compared
without the 中华人民共和国 prefix). Every system ranks the same pool with the same embedder:

- ``bm25``: BM25 over jieba tokens of the question;
- ``dense``: cosine of the multilingual-e5 embeddings;
- ``rrf``: plain reciprocal-rank fusion of those two;
- ``rongzhi``: RongZhi's candidate search (question expansion, features) and its shipped fusion.

Honesty: the learned ranker is trained on the dev split and on the STARD questions whose
``fold`` is 0 (``evals/train_ranker.py``); figures are reported on fold 1, which it never saw,
and on the whole set for the untrained baselines. A system is a function
``(pool, question) -> ranked [(title, locator)]``.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import numpy as np

from rongzhi.core.chunks import Chunk
from rongzhi.core.settings import Settings

from .harness import pinned, setup, setup_line

STARD_DIR_NAME = "stard-dev"
K_VALUES = (1, 5, 10)
_PREFIX = re.compile(r"^中华人民共和国|（[^）]*）$|\([^)]*\)$")


def default_dir(settings: Settings) -> Path:
    return settings.law_dir.parent.parent / "evals" / STARD_DIR_NAME


def norm_title(title: str) -> str:
    return _PREFIX.sub("", title.strip())


def fold(question_id: str) -> int:
    """A stable half split of the questions (0 = may be trained on, 1 = held out)."""
    return hashlib.sha256(question_id.encode()).digest()[0] % 2


def load(folder: Path) -> tuple[list[dict], list[dict]]:
    def read(name):
        with open(folder / name, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    return read("queries.jsonl"), read("articles.jsonl")


def article_chunks(articles: list[dict], source: str) -> list[Chunk]:
    return [Chunk(doc_id=f"stard:{a['title']}", title=a["title"], kind="STARD", locator=a["locator"],
                  text=a["text"], start=0, end=len(a["text"]), source_path=source, ordinal=i)
            for i, a in enumerate(articles)]


class StardPool:
    """The pool (STARD articles + RongZhi's chunks), embedded with the assistant's embedder
    (cached by content hash like ingest), searchable by RongZhi's own candidate search."""

    def __init__(self, assistant, folder: Path):
        from rongzhi.index.build import embed_chunks
        from rongzhi.index.memory import MemoryCorpus

        self.assistant = assistant
        self.queries, articles = load(folder)
        chunks = article_chunks(articles, str(folder / "articles.jsonl"))
        own = assistant.reader.chunks
        vectors_own = assistant.reader.vectors.vectors([c.chunk_id for c in own])
        pool_vectors, _, _, _ = embed_chunks(assistant.settings, chunks, quiet=True, embedder=assistant.embedder)
        matrix = np.vstack([pool_vectors, np.stack([vectors_own[c.chunk_id] for c in own])])
        folder_bm25 = assistant.settings.data_dir / "stard" / "bm25"
        self.corpus = MemoryCorpus(chunks + list(own), matrix, folder_bm25)
        from rongzhi.assistant.candidates import CandidateSearch

        self.search = CandidateSearch(self.corpus, assistant.embedder)
        self._vectors: dict[str, np.ndarray] = {}
        from rongzhi.index.cache import EmbeddingCache

        embedder = assistant.embedder
        self._query_cache = EmbeddingCache(assistant.settings.data_dir, embedder.name + "-queries", embedder.dim)
        self._queries: dict[str, object] = {}

    def embed(self, text: str) -> np.ndarray:
        """Query vectors are memoized (every system embeds the same questions) and cached on disk
        beside the passage cache, so a second evaluation run embeds nothing."""
        if text not in self._vectors:
            key = hashlib.sha256(("query\0" + text).encode("utf-8")).hexdigest()[:32]
            found = self._query_cache.get_many([key]).get(key)
            if found is None:
                found = self.assistant.embedder.embed_query(text)
                self._query_cache.put_many([(key, found)])
            self._vectors[text] = found
        return self._vectors[text]

    def parse(self, question: str):
        from rongzhi.assistant import query as q

        if question not in self._queries:
            self._queries[question] = q.parse(question, 2000, self.corpus.lexical.tokenize,
                                              self.assistant.settings.lay_table_names)
        return self._queries[question]


def _keys(rows, chunks: list[Chunk]) -> list[tuple[str, str]]:
    """Unique (title without prefix, locator) in rank order; ``rows`` are chunk rows or hits."""
    out: list[tuple[str, str]] = []
    for row in rows:
        chunk = row.chunk if hasattr(row, "chunk") else chunks[row]
        key = (norm_title(chunk.title), chunk.locator)
        if key not in out:
            out.append(key)
    return out


def bm25_rows(pool: "StardPool", question: str, k: int = 40) -> list[int]:
    query = pool.parse(question)
    return [i for i, _ in pool.search.lexical_ranking(pool.corpus.lexical.scores(query.tokens), _NO_FILTER, k)]


def dense_rows(pool: "StardPool", question: str, k: int = 40) -> list[int]:
    vector = pool.embed(pool.parse(question).norm)
    return [i for i, _ in pool.search.dense_ranking(vector, _NO_FILTER, k)]


def rrf_rows(pool: "StardPool", question: str, k: int = 60) -> list[int]:
    """Plain RRF of the question's own BM25 and dense rankings: the reference the issue quotes."""
    scores: dict[int, float] = {}
    for ranking in (bm25_rows(pool, question), dense_rows(pool, question)):
        for rank, i in enumerate(ranking):
            scores[i] = scores.get(i, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores, key=lambda i: -scores[i])


def fused_hits(pool: "StardPool", question: str, fusion, reranker=None):
    """RongZhi's ranking of the pool: the shipped fusion, then the assistant's reranker when on."""
    query = pool.parse(question)
    ranked = fusion.rank(pool.search.candidates(query, query_vector=pool.embed(query.search_text)))
    return reranker.rerank(ranked, query.text) if reranker is not None else ranked


class _NoFilter:
    """The whole pool: STARD's articles carry no version dates to filter by."""

    doc_ids = ()

    def allows(self, chunk) -> bool:
        return True

    def chroma_where(self):
        return None


_NO_FILTER = _NoFilter()


def score(ranked: list[tuple[str, str]], gold: list[dict]) -> dict:
    wanted = {(norm_title(g["title"]), g["locator"]) for g in gold}
    first = next((i for i, key in enumerate(ranked) if key in wanted), None)
    row = {f"hit@{k}": float(first is not None and first < k) for k in K_VALUES}
    row["mrr"] = 1.0 / (first + 1) if first is not None else 0.0
    return row


def mean_rows(rows: list[dict]) -> dict:
    if not rows:
        return {}
    return {key: round(sum(r[key] for r in rows) / len(rows), 4) for key in rows[0]} | {"n": len(rows)}


def run(assistant, folder: Path | None = None, limit: int = 0, progress=None) -> dict:
    """Side-by-side figures on the held-out fold (and on all questions for the baselines)."""
    folder = Path(folder) if folder else default_dir(assistant.settings)
    started = time.perf_counter()
    pool = StardPool(assistant, folder)
    queries = pool.queries[:limit] if limit else pool.queries
    shipped = assistant.retriever.fusion  # the one the assistant answers with (per embedder family)
    reranker = assistant.retriever.reranker
    chunks = pool.corpus.chunks
    systems = {
        "bm25": lambda q: _keys(bm25_rows(pool, q), chunks),
        "dense": lambda q: _keys(dense_rows(pool, q), chunks),
        "rrf": lambda q: _keys(rrf_rows(pool, q), chunks),
        "rongzhi": lambda q: _keys(fused_hits(pool, q, shipped, reranker), chunks),
    }
    rows: dict[str, dict[int, list[dict]]] = {name: {0: [], 1: []} for name in systems}
    for item in queries:
        for name, system in systems.items():
            rows[name][fold(item["id"])].append(score(system(item["question"]), item["gold"]))
        if progress:
            progress()
    report = {"pool": len(pool.corpus.chunks), "questions": len(queries),
              "fusion": shipped.name + (f" + {reranker.name}" if reranker is not None else ""),
              "setup": setup(assistant), "systems": {}}
    for name in systems:
        report["systems"][name] = {"held_out": mean_rows(rows[name][1]),
                                   "all": mean_rows(rows[name][0] + rows[name][1])}
    report["outside_corpus"] = outside_corpus(assistant, queries, progress)
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


OUTCOMES = ("declined", "hedged", "close_call", "asserted")


def outcome(answer: dict) -> str:
    """What a user is shown: nothing quoted, the closest provisions under a warning, contenders
    side by side, or one source presented as *the* answer."""
    if not answer["answerable"]:
        return "declined"
    return "hedged" if answer.get("hedged") else "close_call" if answer.get("close_call") else "asserted"


def outside_corpus(assistant, queries: list[dict], progress=None) -> dict:
    """The questions whose gold articles RongZhi's corpus does not hold (almost all of STARD),
    asked of the assistant over its own index as a user would: every citation it presents as the
    answer is a wrong one. Shares of each outcome, per fold (fold 0 trained the answerability check)."""
    assistant = pinned(assistant)  # answers as of the evaluation date, like `rongzhi eval`
    own = {(norm_title(c.title).split("（")[0], c.locator) for c in assistant.reader.chunks}
    counts = {0: dict.fromkeys(OUTCOMES, 0), 1: dict.fromkeys(OUTCOMES, 0)}
    for item in queries:
        if any((norm_title(g["title"]), g["locator"]) in own for g in item["gold"]):
            continue  # the rare question the corpus does answer
        counts[fold(item["id"])][outcome(assistant.ask(item["question"]))] += 1
        if progress:
            progress()
    out = {}
    for f, name in ((1, "held_out"), (0, "fold0")):
        n = sum(counts[f].values())
        out[name] = {k: round(v / n, 4) if n else 0.0 for k, v in counts[f].items()} | {"n": n}
    return out


def table(report: dict) -> str:
    metrics = [f"hit@{k}" for k in K_VALUES] + ["mrr"]
    labels = {"bm25": "BM25 (jieba)", "dense": "Dense (multilingual-e5-small)", "rrf": "Plain RRF",
              "rongzhi": f"RongZhi ({report['fusion']})"}
    lines = [f"STARD-dev: {report['questions']} questions, pool {report['pool']} chunks, {report['seconds']} s",
             "", setup_line(report["setup"]),
             "", "| system | " + " | ".join(f"{m} held-out" for m in metrics) + " | " +
             " | ".join(f"{m} all" for m in metrics) + " |", "|" + "---|" * (2 * len(metrics) + 1)]
    for name, entry in report["systems"].items():
        cells = [f"{entry['held_out'].get(m, 0):.3f}" for m in metrics] + [f"{entry['all'].get(m, 0):.3f}" for m in metrics]
        lines.append(f"| {labels[name]} | " + " | ".join(cells) + " |")
    n_held = report["systems"]["bm25"]["held_out"].get("n", 0)
    lines += ["", f"held-out = the {n_held} questions of fold 1, never used to train the ranker; "
              "all = every question (the ranker saw fold 0 in training, so its 'all' figure is optimistic)."]
    outside = report.get("outside_corpus")
    if outside:
        lines += ["", "Asked of RongZhi over its own index (questions whose gold articles are outside its corpus; "
                  "any source presented as the answer is wrong):", "",
                  "| fold | n | " + " | ".join(OUTCOMES) + " |", "|" + "---|" * (len(OUTCOMES) + 2)]
        for name, label in (("held_out", "held-out (fold 1)"), ("fold0", "fold 0 (trained on)")):
            row = outside[name]
            lines.append(f"| {label} | {row['n']} | " + " | ".join(f"{row[k]:.3f}" for k in OUTCOMES) + " |")
    return "\n".join(lines)
