"""The on-disk index: immutable generations, switched atomically.

Layout under ``DATA_DIR/index/``::

    CURRENT                 name of the generation in use (replaced atomically)
    gen-<time>-<pid>/       chunks.jsonl, meta.json, chroma/, bm25/
    ingest.lock             held by the one ingest that may run

An ingest builds a complete new generation beside the current one and only then rewrites
CURRENT, so an interrupted or failed ingest (even ``kill -9``) leaves the previous index in use.
Leftover half-built generations are removed by the next ingest.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from rongzhi.core.errors import IndexMissing, IngestBusy

FORMAT_VERSION = 12  # 5: one named collection per generation; 6: dictionary from jieba DAG; 7: version dates;
# 8: character-bigram BM25 beside the word BM25; 9: HNSW ef_search 400 (index/vector.py); 10: the fine-tuned
# embedder (onnx:ft) became the default, so an index built with the old default is rebuilt, not refused;
# 11: documents carry ``expires_on`` (the plan's own term), which older indexes' document lists lack;
# 12: the BM25 folder holds jieba's general words (``general_words.txt``) for reading homophone typos


def index_root(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def current_generation(data_dir: Path) -> Path | None:
    pointer = index_root(data_dir) / "CURRENT"
    if not pointer.exists():
        return None
    gen = index_root(data_dir) / pointer.read_text(encoding="utf-8").strip()
    return gen if (gen / "meta.json").exists() else None


def instance_id(data_dir: Path) -> str:
    """This DATA_DIR's own name, made once and kept in ``index/INSTANCE``. Why: in Chroma server
    mode the vectors live on a server other deployments may share (staging beside production),
    so the collections an ingest may delete are those tagged with this id, never every
    ``rongzhi_`` collection on the server."""
    import uuid

    path = index_root(data_dir) / "INSTANCE"
    try:
        found = path.read_text(encoding="utf-8").strip()
    except OSError:
        found = ""
    if found:
        return found
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(uuid.uuid4().hex, encoding="utf-8")
    tmp.replace(path)
    return path.read_text(encoding="utf-8").strip()


def read_meta(gen: Path) -> dict:
    return json.loads((gen / "meta.json").read_text(encoding="utf-8"))


def outdated_format(data_dir: Path) -> int | None:
    """The format of the current index when an older RongZhi wrote it (an upgrade), else None
    (no index, the current format, or a meta.json too broken to say: those are not upgrades)."""
    gen = current_generation(data_dir)
    try:
        found = read_meta(gen).get("format") if gen is not None else None
    except (OSError, ValueError):
        return None
    return found if isinstance(found, int) and 0 < found < FORMAT_VERSION else None


def new_generation(data_dir: Path) -> Path:
    gen = index_root(data_dir) / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    gen.mkdir(parents=True)
    return gen


def publish(data_dir: Path, gen: Path) -> None:
    """Make ``gen`` current (atomic rename), then delete every other generation."""
    root = index_root(data_dir)
    tmp = root / "CURRENT.tmp"
    tmp.write_text(gen.name, encoding="utf-8")
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    tmp.replace(root / "CURRENT")
    remove_stale(data_dir)


def remove_stale(data_dir: Path) -> None:
    """Delete generations that are not current (left by finished or interrupted ingests), except
    those a running process still reads (``hold``); the next ingest removes them."""
    current = current_generation(data_dir)
    for gen in index_root(data_dir).glob("gen-*"):
        if (current is None or gen.name != current.name) and not in_use(gen):
            shutil.rmtree(gen, ignore_errors=True)


READERS = "readers.lock"


def hold(gen: Path):
    """A shared lock on ``gen`` for as long as the returned file stays open. Why: a UI or an eval
    that loaded a generation kept reading its files (Chroma's sqlite, BM25) after another process's
    ingest published a new one and deleted the old, and failed with "unable to open database file"
    or a false "index corrupt, rebuild it"."""
    fh = open(gen / READERS, "a+")
    fcntl.flock(fh, fcntl.LOCK_SH)
    return fh


def in_use(gen: Path) -> bool:
    """Some process holds ``gen`` (see ``hold``)."""
    path = gen / READERS
    if not path.exists():
        return False
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


@contextmanager
def ingest_lock(data_dir: Path, wait: bool = False):
    """Only one ingest at a time; a second one fails at once (or waits with ``wait=True``)."""
    root = index_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "ingest.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise IngestBusy("另一个导入（ingest）正在进行，请稍后再试。",
                             "another ingest is running; try again when it has finished") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class IndexReader:
    """A loaded generation: chunk table, BM25 and Chroma. Read-only, safe to share across threads."""

    def __init__(self, settings):
        data_dir = settings.data_dir
        gen = current_generation(data_dir)
        for _ in range(3):  # an ingest may publish (and remove this one) between reading CURRENT and holding it
            if gen is None:
                raise IndexMissing("还没有索引：请先运行 rongzhi ingest。",
                                   "no index yet: run `rongzhi ingest` first")
            self._hold = hold(gen) if gen.is_dir() else None
            if self._hold is not None and (gen / "meta.json").exists():
                break
            gen = current_generation(data_dir)
        try:
            self.meta = read_meta(gen)
            if self.meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"index format {self.meta.get('format')} != {FORMAT_VERSION}")
            from rongzhi.core.chunks import Chunk

            with open(gen / "chunks.jsonl", encoding="utf-8") as fh:
                self.chunks = [Chunk.from_record(json.loads(line)) for line in fh]
            from .lexical import BigramIndex, LexicalIndex
            from .vector import VectorIndex

            self.lexical = LexicalIndex.load(gen / "bm25")
            self.bigram = BigramIndex.load(gen / BigramIndex.FOLDER)
            self.vectors = VectorIndex(settings, gen)
            if self.vectors.count() != len(self.chunks) or len(self.lexical.chunk_ids) != len(self.chunks) \
                    or self.bigram.chunk_ids != self.lexical.chunk_ids:
                raise ValueError("chunk counts differ between chunks.jsonl, BM25 and Chroma")
        except IndexMissing:
            raise
        except Exception as exc:
            raise IndexMissing(f"索引已损坏或版本不符（{exc}）：请运行 rongzhi ingest --rebuild 重建。",
                               f"the index is corrupt or from another version ({exc}): "
                               "run `rongzhi ingest --rebuild`") from exc
        self.generation = gen
        self.by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.lexical_row = [self.by_id[cid] for cid in self.lexical.chunk_ids]  # BM25 row -> chunk row
        self.lexical_position = [0] * len(self.chunks)  # chunk row -> BM25 row
        for row, i in enumerate(self.lexical_row):
            self.lexical_position[i] = row
