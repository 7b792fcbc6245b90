"""BM25 over jieba tokens of the normalized (Simplified) text, with bm25s."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

# Domain terms jieba would otherwise split; the same list is used at index and query time.
DOMAIN_TERMS = (
    "知识产权", "专利代理师", "专利代理", "榕台", "质押融资", "专利导航", "贯标", "地理标志", "商业秘密",
    "集成电路布图设计", "布图设计", "植物新品种", "惩罚性赔偿", "专利权", "商标权", "著作权", "驰名商标",
    "开放许可", "行政裁决", "技术调查官", "知识产权专员", "高价值发明专利", "专利密集型", "证券化",
    "台湾同胞", "海峡两岸", "专项资金", "一带一路", "电子商务", "电子商务平台", "信息网络传播权",
    "计算机软件", "海关保护", "强制许可", "职务发明", "外观设计", "实用新型", "保护期", "优先权",
)
_STOP = set("的 了 和 与 及 或 是 在 为 对 等 由 其 之 以 于 将 把 被 有 也 都 而 并 中 上 下 吗 呢 吧 啊 么 什么 哪些 怎么 "
            "如何 多少 请问 可以 是否 哪 个 这 那 我 我们 你 他 它 要 会 能 应当 规定 依照 按照 本 条 第".split())
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for term in DOMAIN_TERMS:
        jieba.add_word(term, freq=200000)
    return jieba


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens (words and their sub-words), lower-cased, no stopwords/punctuation."""
    tokens = []
    for tok in _jieba().cut_for_search(text.lower()):
        tok = tok.strip()
        if tok and tok not in _STOP and _TOKEN_OK.search(tok):
            tokens.append(tok)
    return tokens


class LexicalIndex:
    """bm25s index plus the row -> chunk_id mapping, saved in one folder."""

    def __init__(self, retriever, chunk_ids: list[str]):
        self._bm25 = retriever
        self.chunk_ids = chunk_ids
        self._vocab = retriever.vocab_dict

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([tokenize(t) or ["<empty>"] for t in texts], show_progress=False)
        return cls(retriever, list(chunk_ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder), show_progress=False)
        (folder / "chunk_ids.json").write_text(json.dumps(self.chunk_ids, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        chunk_ids = json.loads((folder / "chunk_ids.json").read_text(encoding="utf-8"))
        return cls(retriever, chunk_ids)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk (0 where no query token occurs)."""
        known = [t for t in query_tokens if t in self._vocab]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
