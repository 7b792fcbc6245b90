"""Query understanding: validation, script/language, normalization, tokens for BM25."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rongzhi.core.errors import QuestionError
from rongzhi.core.tables import read_table

from .answer_types import expansion_terms
from rongzhi.core.normalize import clean_text, count_script_chars, to_simplified

ZH_HANS, ZH_HANT, EN = "zh-Hans", "zh-Hant", "en"

GLOSSARY = Path(__file__).with_name("data") / "en_glossary.tsv"


@lru_cache(maxsize=1)
def en_glossary() -> dict[str, str]:
    """English words (lower-case prefixes) -> Chinese terms, so BM25 can match an English question
    against Chinese text (``data/en_glossary.tsv``, each row with a corpus phrase as its source)."""
    return {row["en"]: row["zh"] for row in read_table(GLOSSARY, ("en", "zh"))}


@dataclass
class Query:
    raw: str
    text: str
    language: str  # zh-Hans | zh-Hant | en
    norm: str  # Simplified, mainland wording (plus glossary terms for English)
    tokens: list[str] = field(default_factory=list)
    expansion: list[str] = field(default_factory=list)  # legal terms for everyday words (synonyms.py)
    corrections: list = field(default_factory=list)  # homophone typos read as terms (typos.Correction)

    @property
    def search_text(self) -> str:
        """What the dense model embeds: the question plus its legal-term expansion."""
        return f"{self.norm} {' '.join(self.expansion)}".strip()

    @property
    def is_english(self) -> bool:
        return self.language == EN

    @property
    def said(self) -> str:
        """The question as said, normalized: ``norm`` without what the English glossary adds (an English ``norm``
        carries Chinese terms, which would read as a subject in 「How much money is available?」)."""
        return self.text.lower() if self.is_english else self.norm


def validate(question: str | None, max_chars: int) -> str:
    """Return the cleaned question or raise QuestionError with a clear bilingual message."""
    text = clean_text(question or "")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("问题为空，请输入要咨询的问题。", "the question is empty")
    if len(text) > max_chars:
        raise QuestionError(f"问题过长（{len(text)} 字，上限 {max_chars} 字），请精简后再问。",
                            f"the question is too long ({len(text)} characters, limit {max_chars})")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise QuestionError("问题中没有可识别的文字（只有标点或表情符号），请用中文或英文提问。",
                            "the question has no words (only punctuation or emoji)")
    words = _NOT_WORDS.sub(" ", text)
    if not re.search(r"[\u4e00-\u9fff]|[^\W\d_]{2,}|\d", words):
        # 「<b>x</b>」 was answered in English with 专利法第二条 (session 29's UI sweep): markup, a link or one letter is no question
        raise QuestionError("问题中没有可识别的问题内容（只有网页标记、链接或单个字母），请用中文或英文写出要咨询的问题。",
                            "the question has no words to search for (only markup, a link or a single letter)")
    if _CODE.search(text) and not re.search(r"[\u4e00-\u9fff]", text):
        raise QuestionError("这看起来是一段数据库命令或程序代码，不是问题；请用中文或英文描述您要咨询的问题。",
                            "this looks like a database command or code, not a question; ask in Chinese or English words")
    return text


# A database command or code (「'; DROP TABLE laws; --」 was answered with three Civil Code articles on revocation).
_CODE = re.compile(r"^\W*(?:drop|delete|insert|update|select|alter|create|truncate)\s+.*\b(?:table|from|into|set|database|where)\b"
                   r"|;\s*--|\bunion\s+select\b|<script\b|\bexec\s*\(|^\s*(?:import|def|function|var|let|const)\s+\w+.*[=(;{]", re.I)
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|<[^>]*>|\S+@\S+\.\w+")


def without_markup(text: str) -> str:
    """``text`` without web markup, links and e-mail addresses (what ``validate`` does not count as words)."""
    return _NOT_WORDS.sub(" ", text)


def detect_language(text: str) -> str:
    """zh-Hant when Traditional-only characters outnumber Simplified-only ones; en for Latin text.

    langdetect is used only for text with little Chinese: on short Chinese it is unreliable
    (it calls 專利代理師考試怎麼報名 Korean)."""
    cjk, only_trad, only_simp = count_script_chars(text)
    # Addresses and markup are not the asker's language (a Chinese question with a URL was answered in English).
    latin = len(re.findall(r"[A-Za-z]", _NOT_WORDS.sub(" ", text)))
    if cjk and cjk * 3 >= latin:
        return ZH_HANT if only_trad > only_simp else ZH_HANS
    if latin:
        try:
            from langdetect import DetectorFactory, detect

            DetectorFactory.seed = 0
            lang = detect(text)
        except Exception:  # langdetect raises on text without features
            lang = "en"
        if lang.startswith("zh"):
            return ZH_HANT if lang == "zh-tw" else ZH_HANS
        return EN
    return ZH_HANS


def expand_english(text: str) -> str:
    lower = text.lower()
    return " ".join(zh for en, zh in en_glossary().items() if en in lower)


def parse(question: str | None, max_chars: int = 2000, tokenize=None, lay_tables: tuple[str, ...] = ("hand",),
          correct=None) -> Query:
    """``tokenize`` must be the index's own (``IndexReader.lexical.tokenize``) so that query and
    corpus are segmented alike; the default uses jieba's full dictionary. ``correct``: the index's
    homophone-typo corrector (``typos.HomophoneCorrector.correct``), None for none."""
    from .synonyms import expansions

    if tokenize is None:
        from rongzhi.index.lexical import tokenize

    text = validate(question, max_chars)
    language = detect_language(text)
    norm = to_simplified(text)
    corrections = []
    if correct is not None and language != EN:
        norm, corrections = correct(norm)
    if language == EN:
        from .english import references

        # The Chinese references (著作权法第十条, 任务19) the locator reads, then the glossary's terms.
        norm = " ".join(p for p in (norm, references(text), expand_english(text)) if p)
    extra = f"{expansions(norm, lay_tables)} {expansion_terms(norm)}".strip()
    expansion = tokenize(extra) if extra else []
    # Hook (issue #13): RCEP's chapter is English; bridge.py adds the other language's terms.
    from .bridge import bridge_terms
    expansion += [t for t in dict.fromkeys(tokenize(" ".join(bridge_terms(norm)))) if t not in expansion]
    return Query(raw=question or "", text=text, language=language, norm=norm, tokens=tokenize(norm),
                 expansion=expansion, corrections=corrections)
