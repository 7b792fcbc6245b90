"""Ingest: documents -> chunks -> embeddings (cached) -> a new index generation -> swap.

Re-ingesting an unchanged corpus is a no-op (same fingerprint); a changed document re-embeds only
its changed chunks (the cache is keyed by content hash); removed documents are gone from the new
generation. See index/store.py for why an interrupted ingest never harms the current index.
"""
from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from dataclasses import dataclass, field

import numpy as np

from rongzhi.index.store import (FORMAT_VERSION, current_generation, index_root, ingest_lock, new_generation, publish,
                         read_meta, remove_stale)

from rongzhi.core.chunks import Chunk
from rongzhi.core.settings import Settings
from rongzhi.ingest.pipeline import build_chunks


@dataclass
class IngestReport:
    documents: list[dict] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    cached: int = 0
    up_to_date: bool = False
    seconds: float = 0.0
    embed_seconds: float = 0.0  # loading the embedder (the onnx model is built on first use) + embedding
    generation: str = ""

    @property
    def missing(self) -> list[dict]:
        return [d for d in self.documents if not d.get("path")]



def _fingerprint(settings: Settings, chunks: list[Chunk], docs=()) -> str:
    h = hashlib.sha256(f"{FORMAT_VERSION}|{settings.embedder}".encode())
    for d in docs:  # document facts no chunk carries (a term set in the manifest): a change republishes
        h.update(f"doc|{d.doc_id}|{d.expires_on}\n".encode())
    for c in chunks:
        h.update(f"{c.chunk_id}|{c.content_hash}|{c.version_date}|{c.effective_date}|{c.superseded_on}|{c.start}|"
                 f"{c.end}|{c.source_path}\n".encode())
    return h.hexdigest()


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    # smoothing=0: rate and ETA from the average since the start (batches vary in length).
    return tqdm(total=total, desc="嵌入 embedding", unit="块", disable=quiet, leave=False, smoothing=0)


def ingest(settings: Settings, quiet: bool = False, rebuild: bool = False, wait: bool = False) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    with ingest_lock(settings.data_dir, wait=wait):
        known = {gen.name for gen in index_root(settings.data_dir).glob("gen-*")}  # before remove_stale
        remove_stale(settings.data_dir)
        docs, chunks = build_chunks(settings)
        ids = [c.chunk_id for c in chunks]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
            raise ValueError(f"duplicate chunk ids: {dup}")
        counts: dict[str, int] = {}
        for c in chunks:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        report.documents = [{**d.as_dict(), "chunks": counts.get(d.doc_id, 0)} for d in docs]
        report.chunks = len(chunks)
        fingerprint = _fingerprint(settings, chunks, docs)
        current = current_generation(settings.data_dir)
        if current is not None and not rebuild:
            try:
                meta = read_meta(current)
                if meta.get("fingerprint") == fingerprint and meta.get("format") == FORMAT_VERSION:
                    report.up_to_date = True
                    report.cached = len(chunks)
                    report.generation = current.name
                    _drop_stale_collections(settings, known)  # a reader may have let go since
                    report.seconds = time.perf_counter() - started
                    return report
            except (OSError, ValueError):
                pass  # unreadable meta: rebuild
        vectors, report.embedded, report.embed_seconds, embedder_name = embed_chunks(settings, chunks, quiet)
        report.cached = len(chunks) - report.embedded
        gen = new_generation(settings.data_dir)
        try:
            _write_generation(gen, chunks, vectors, docs=report.documents, fingerprint=fingerprint,
                              embedder_name=embedder_name, settings=settings)
            publish(settings.data_dir, gen)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            _drop_stale_collections(settings, known)  # the failed generation's collection carries this DATA_DIR's id
            raise
        _drop_stale_collections(settings, known)
        report.generation = gen.name
    report.seconds = time.perf_counter() - started
    return report


def ensure_index(settings: Settings, quiet: bool = False) -> IngestReport | None:
    """Build the index when there is none (a first run) or when an older RongZhi wrote it (an
    upgrade: rebuilt in the new format, embeddings from the cache, seconds); return the report, or
    None when the index is current. The answering service never ingests: the CLI and the UI call
    this first."""
    from rongzhi.index.store import outdated_format

    if current_generation(settings.data_dir) is not None and outdated_format(settings.data_dir) is None:
        return None
    return ingest(settings, quiet=quiet, wait=True)


def _drop_stale_collections(settings: Settings, known: set[str]) -> None:
    """Server mode keeps vectors outside DATA_DIR: remove collections of dead generations."""
    from rongzhi.index.vector import drop_stale_collections

    try:
        drop_stale_collections(settings, known)
    except Exception:  # the server may be unreachable; stale collections are removed next time
        pass


def embed_chunks(settings: Settings, chunks: list[Chunk], quiet: bool, embedder=None):
    """(vectors, newly embedded, seconds, embedder name); ``embedder`` defaults to the settings'
    one (evaluation pools pass the assistant's, already loaded)."""
    from rongzhi.index.cache import EmbeddingCache
    from rongzhi.index.embedders import make_embedder

    t_load = time.perf_counter()
    embedder = embedder or make_embedder(settings)  # the onnx backend builds its model on first use
    load_seconds = time.perf_counter() - t_load
    cache = EmbeddingCache(settings.data_dir, embedder.name, embedder.dim)
    try:
        hashes = [c.content_hash for c in chunks]
        found = cache.get_many(sorted(set(hashes)))
        todo = sorted({h: c for h, c in zip(hashes, chunks) if h not in found}.items())
        t0 = time.perf_counter()
        with _progress(len(todo), quiet or not todo) as bar:
            # Batches of chunks of similar length (little padding work in the engine), taken in a
            # shuffled order so that the bar's chunks/s and ETA hold for the whole run (longest
            # first would make the early rate low and the ETA too long).
            todo.sort(key=lambda hc: -len(hc[1].embed_text))
            size = getattr(embedder, "batch_size", None) or settings.embed_batch
            batches = [todo[i:i + size] for i in range(0, len(todo), size)]
            random.Random(len(todo)).shuffle(batches)
            for batch in batches:
                vecs = embedder.embed_passages([c.embed_text for _, c in batch])
                cache.put_many([(h, v) for (h, _), v in zip(batch, vecs)])
                found.update({h: v for (h, _), v in zip(batch, vecs)})
                bar.update(len(batch))
        seconds = time.perf_counter() - t0
        vectors = np.stack([found[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim), np.float32)
        return vectors, len(todo), seconds + load_seconds, embedder.name
    finally:
        cache.close()


def _write_generation(gen, chunks, vectors, docs, fingerprint, embedder_name, settings) -> None:
    from rongzhi.index.lexical import BigramIndex, LexicalIndex
    from rongzhi.index.vector import write_vectors

    records = [c.to_record() for c in chunks]
    with open(gen / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    write_vectors(settings, gen, records, vectors)
    # BM25 sees where a chunk sits (title, chapter, locator, task title) as well as its text.
    LexicalIndex.build([r["chunk_id"] for r in records], [c.embed_text for c in chunks], gen / "bm25").save(gen / "bm25")
    BigramIndex.build([r["chunk_id"] for r in records], [c.embed_text for c in chunks]).save(gen / BigramIndex.FOLDER)
    meta = {"format": FORMAT_VERSION, "fingerprint": fingerprint, "embedder": embedder_name,
            "embedder_spec": settings.embedder, "dim": int(vectors.shape[1]) if len(vectors) else 0,
            "chunks": len(chunks), "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "documents": docs}
    tmp = gen / "meta.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(gen / "meta.json")  # meta.json last: a generation without it is never used
