"""BM25 over jieba tokens of the normalized (Simplified) text, with bm25s.

Cold start: jieba's full dictionary (349k words) takes ~1.3 s to load, the largest single cost of
a cold ``rongzhi ask``. Each index therefore carries its own dictionary: the jieba words that
occur somewhere in the indexed text, plus RongZhi's domain terms, plus one filler entry that keeps
the frequency total unchanged. jieba's segmentation of the corpus is then exactly what the full
dictionary gives (every word a corpus sentence could use is kept, and log-probabilities are
unchanged), while loading takes a fraction of the time. The most frequent everyday words are
kept too (多少, 怎么 …): without them a question's words would be cut differently than the full
dictionary cuts them (多少年 -> 多/少年), producing tokens that match the wrong text.
"""
from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

# Domain terms jieba would otherwise split; used at index and query time.
DOMAIN_TERMS = (
    "知识产权", "专利代理师", "专利代理", "榕台", "质押融资", "专利导航", "贯标", "地理标志", "商业秘密",
    "集成电路布图设计", "布图设计", "植物新品种", "惩罚性赔偿", "专利权", "商标权", "著作权", "驰名商标",
    "开放许可", "行政裁决", "技术调查官", "知识产权专员", "高价值发明专利", "专利密集型", "证券化",
    "台湾同胞", "海峡两岸", "专项资金", "一带一路", "电子商务", "电子商务平台", "信息网络传播权",
    "计算机软件", "海关保护", "强制许可", "职务发明", "外观设计", "实用新型", "保护期", "优先权",
)
DOMAIN_FREQ = 200000
COMMON_WORDS = 30000  # the most frequent jieba words, kept for segmenting questions
DICT_FILE = "jieba_dict.txt"
# jieba's dictionary words of 2–4 characters at least this common, for telling a typo from an everyday
# word the corpus does not use (assistant/typos.py; 几成 is a word, 砖利 is none). Rarer entries are
# mostly fragments (专力, 新形势下) that would hide real typos.
GENERAL_FILE, GENERAL_MIN_FREQ = "general_words.txt", 5
_FILLER = "\ue000"  # a private-use character that never occurs in text
_STOP = set("的 了 和 与 及 或 是 在 为 对 等 由 其 之 以 于 将 把 被 有 也 都 而 并 中 上 下 吗 呢 吧 啊 么 什么 哪些 怎么 "
            "如何 多少 请问 可以 是否 哪 个 这 那 我 我们 你 他 它 要 会 能 应当 规定 依照 按照 本 条 第".split())
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")


def build_dictionary(texts: list[str], folder: Path) -> Path:
    """Write the corpus-restricted jieba dictionary for ``texts`` into ``folder``.

    The words kept are exactly those jieba's own DAG finds in the texts (every dictionary word
    occurring as a substring), the most common words, and the domain terms."""
    import jieba

    full = jieba.Tokenizer()
    full.initialize()
    used: set[str] = set()
    for text in texts:
        sentence = text.lower()
        for start, ends in full.get_DAG(sentence).items():
            for end in ends:
                if end > start:
                    used.add(sentence[start:end + 1])
    entries = []
    with full.get_dict_file() as fh:  # the packaged dict.txt, opened in binary mode
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2:
                entries.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""))
    general = [w for w, f, _ in entries if f >= GENERAL_MIN_FREQ and 2 <= len(w) <= 4]
    common = {w for w, _, _ in sorted(entries, key=lambda e: -e[1])[:COMMON_WORDS]}
    kept = [(w, f, t) for w, f, t in entries if len(w) == 1 or w.lower() in used or w in common]
    words = {w for w, _, _ in kept}
    kept += [(term, DOMAIN_FREQ, "n") for term in DOMAIN_TERMS if term not in words]
    filler = full.total - sum(f for _, f, _ in kept)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DICT_FILE
    with open(path, "w", encoding="utf-8") as fh:
        for w, f, t in kept:
            fh.write(f"{w} {f} {t}".rstrip() + "\n")
        if filler > 0:
            fh.write(f"{_FILLER} {filler} x\n")
    (folder / GENERAL_FILE).write_text("\n".join(general), encoding="utf-8")
    return path


@lru_cache(maxsize=8)
def _tokenizer(dict_path: str | None):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if dict_path is None:
        tok = jieba.Tokenizer()
        for term in DOMAIN_TERMS:
            tok.add_word(term, freq=DOMAIN_FREQ)
    else:
        tok = jieba.Tokenizer(dictionary=dict_path)
        tok.tmp_dir = str(Path(dict_path).parent)  # its prefix cache lives with the index
    return tok


def tokenize(text: str, dict_path: str | None = None) -> list[str]:
    """jieba search-mode tokens (words and their sub-words), lower-cased, no stopwords/punctuation.
    ``dict_path`` selects an index's own dictionary; None uses jieba's full one."""
    tokens = []
    for tok in _tokenizer(dict_path).cut_for_search(text.lower()):
        tok = tok.strip()
        if tok and tok not in _STOP and _TOKEN_OK.search(tok):
            tokens.append(tok)
    return tokens


def word_bounds(text: str, dict_path: str | None = None) -> set[int]:
    """Offsets in ``text`` where a word starts or ends, in jieba's precise mode with the same
    dictionary as ``tokenize`` (whose search mode also yields the sub-words, 开发 of 开发区)."""
    bounds = {0, len(text)}
    for _, start, end in _tokenizer(dict_path).tokenize(text.lower()):
        bounds.update((start, end))
    return bounds


class _BM25Rows:
    """A bm25s index whose rows are chunks (``chunk_ids``), saved in one folder. Subclasses say
    how a text becomes terms (jieba words, character bigrams)."""

    def __init__(self, retriever, chunk_ids: list[str]):
        self._bm25 = retriever
        self.chunk_ids = chunk_ids
        self._vocab = retriever.vocab_dict

    @staticmethod
    def _fit(term_lists: list[list[str]]):
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([terms or ["<empty>"] for terms in term_lists], show_progress=False)
        return retriever

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder), show_progress=False)
        (folder / "chunk_ids.json").write_text(json.dumps(self.chunk_ids, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def _load_parts(folder: Path) -> tuple:
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        return retriever, json.loads((folder / "chunk_ids.json").read_text(encoding="utf-8"))

    def vocabulary(self) -> set[str]:
        return set(self._vocab)

    def _scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every chunk (row order = ``chunk_ids``; 0 where no term occurs)."""
        known = [t for t in terms if t in self._vocab]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)


class LexicalIndex(_BM25Rows):
    """BM25 over jieba words with the index's own dictionary (``DICT_FILE``), saved in one folder."""

    def __init__(self, retriever, chunk_ids: list[str], dict_path: Path):
        super().__init__(retriever, chunk_ids)
        self.dict_path = str(dict_path)

    def tokenize(self, text: str) -> list[str]:
        return tokenize(text, self.dict_path)

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str], folder: Path) -> "LexicalIndex":
        dict_path = build_dictionary(texts, folder)
        return cls(cls._fit([tokenize(t, str(dict_path)) for t in texts]), list(chunk_ids), dict_path)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        retriever, chunk_ids = cls._load_parts(folder)
        return cls(retriever, chunk_ids, folder / DICT_FILE)

    def word_frequencies(self) -> tuple[dict[str, int], int]:
        """jieba's frequency of each word of the index's dictionary, and the sum over jieba's whole one."""
        freq, total = {}, 0
        with open(self.dict_path, encoding="utf-8") as fh:
            for line in fh:
                word, count = line.split(" ", 2)[:2]
                freq[word] = int(count)
                total += int(count)
        return freq, total

    @property
    def general_words_path(self) -> Path:
        return Path(self.dict_path).with_name(GENERAL_FILE)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk (0 where no query token occurs)."""
        return self._scores(query_tokens)


_RUNS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each Han run (a one-character run is kept whole), and
    Latin/digit runs as words. ``text`` is expected normalized (Simplified, lower-cased)."""
    out: list[str] = []
    for run in _RUNS.findall(text.lower()):
        if run.isascii():
            out.append(run)
        else:
            out += [run[i:i + 2] for i in range(len(run) - 1)] or [run]
    return out


class BigramIndex(_BM25Rows):
    """BM25 over character bigrams: the classic segmentation-free index for Chinese. Why beside
    the word index: a lay or mistyped question (侵仅, 版权费) and the statute's wording share
    bigrams where jieba cuts them into different words; on the frozen test split it moved the
    right source to first place for 9 more questions (evals: ranker feature ``bigram_rel``)."""

    FOLDER = "bm25_bigram"

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> "BigramIndex":
        return cls(cls._fit([bigrams(t) for t in texts]), list(chunk_ids))

    @classmethod
    def load(cls, folder: Path) -> "BigramIndex":
        return cls(*cls._load_parts(folder))

    def scores(self, text: str) -> np.ndarray:
        """BM25 score of every chunk (row order = ``chunk_ids``) for the bigrams of ``text``."""
        return self._scores(bigrams(text))
