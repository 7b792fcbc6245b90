"""Script normalization: a Simplified, mainland-wording form of any text, for matching only.

OpenCC's phrase-level ``tw2sp`` was tried and rejected: on the plan alone it rewrites 建立→创建,
执行→运行, 指标→指针, 效能→性能, 整合→集成 and 档案→文件. Instead RongZhi converts characters with
OpenCC ``t2s`` (which cannot change words) and then maps a curated table of Taiwan terms to their
mainland equivalents (智慧财产权→知识产权, 软体→软件, 积体电路→集成电路, 营业秘密→商业秘密 …).
Every entry is a true equivalence, so normalization adds no errors; it may miss rare Taiwan terms.
The normalized text is never shown to users: quotes are always the original text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Taiwan wording (already in Simplified characters) -> mainland wording. Longest match wins.
TAIWAN_TERMS = {
    "智慧财产权": "知识产权",
    "智慧财产": "知识产权",
    "智财权": "知识产权",
    "软体": "软件",
    "积体电路": "集成电路",
    "人工智慧": "人工智能",
    "智慧型化": "智能化",
    "智慧型": "智能",
    "最佳化": "优化",
    "套用型": "应用型",  # the plan's converter turned 应用型人才 into 套用型人才
    "程式": "程序",
    "资讯": "信息",
    "网路": "网络",
    "线上": "在线",
    "数位": "数字",
    "电脑": "计算机",
    "营业秘密": "商业秘密",
    "专利师": "专利代理师",
    "著作财产权": "著作权",
    "台胞": "台湾同胞",
    "求偿": "要求赔偿",  # Taiwan's word for claiming damages (求償); mainland texts write 赔偿 (no loaded text has 求偿)
}
_TERM_RE = re.compile("|".join(sorted(map(re.escape, TAIWAN_TERMS), key=len, reverse=True)))


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Any Chinese text -> Simplified characters, mainland wording (for matching, not display)."""
    if not text:
        return text
    return _TERM_RE.sub(lambda m: TAIWAN_TERMS[m.group(0)], _converter("t2s").convert(text))


def original_wording(term: str, original: str) -> str | None:
    """The words of ``original`` (a text in its own script and wording) that the normalized ``term``
    stands for: 「软件园」 is 「軟體園」 in the plan. What RongZhi says a text "writes" must be the text's
    own words, not the normalized form (which, shown in Traditional, read 「軟件園」). None when the
    text does not hold it (or characters do not align one to one)."""
    simplified = _converter("t2s").convert(original)
    if not term or len(simplified) != len(original):
        return None
    variants = {term} | {term.replace(mainland, taiwan) for taiwan, mainland in TAIWAN_TERMS.items() if mainland in term}
    for variant in sorted(variants, key=len, reverse=True):
        at = simplified.find(variant)
        if at >= 0:
            return original[at:at + len(variant)]
    return None


# Entries not explained under a quote: 台胞 is mainland usage too (an abbreviation, not Taiwan wording).
QUOTE_NOTE_SKIP = frozenset({"台胞"})


def taiwan_terms_in(text: str) -> list[tuple[str, str]]:
    """(Taiwan term, mainland term) for each Taiwan term of ``text`` (Simplified characters), in
    order of first appearance: what a reader of a quote kept in the source's own words is told."""
    found = dict.fromkeys(m.group(0) for m in _TERM_RE.finditer(text))
    return [(term, TAIWAN_TERMS[term]) for term in found if term not in QUOTE_NOTE_SKIP]


_NOTE_LABEL = re.compile(r"(?m)^注：")


def to_traditional(text: str) -> str:
    """Simplified -> Traditional characters (Taiwan standard forms, no phrase rewriting).

    Used to show an answer in the asker's script. Phrase rewriting is avoided on purpose: it
    would change legal terms (e.g. 知识产权 is kept as 知識產權, not 智慧財產權). OpenCC writes 臺;
    the everyday form 台 (used by the plan itself: 榕台, 台灣同胞) is kept instead, but a 臺 that
    the text already had (臺北市 in a Traditional title) stays: the source's own spelling."""
    converted = _converter("s2tw").convert(text)
    if len(converted) == len(text) and "准" in text:
        converted = _permission_kept(text, converted)
    # A note's label is 註 in Taiwan's standard (OpenCC keeps 注): one answer showed 「註：」 and 「注：」 (session 41's sweep).
    converted = _NOTE_LABEL.sub("註：", converted)
    if "臺" not in text or len(converted) != len(text):
        return converted.replace("臺", "台")
    return "".join("台" if out == "臺" and src != "臺" else out for src, out in zip(text, converted))


# 准 "to permit" is 准 in Taiwan's standard too (核准, 批准, 准予); OpenCC writes 準 ("standard") for it after some
# characters (「自核准註冊之日起」 came out 核準: session 36's sweep P), while 标准/准确 are 標準/準確.
# (不准确, 不准备 are 不準確, 不準備: "accurate", "prepare".)
_PERMIT = re.compile(r"(?<=[核批获獲不照])准(?![确確则則备備时時])|准(?=[予许許])")


def _permission_kept(text: str, converted: str) -> str:
    keep = {m.start() for m in _PERMIT.finditer(text)}
    return "".join("准" if i in keep and out == "準" else out for i, out in enumerate(converted))


# Characters that Simplified and Traditional texts share although OpenCC maps them (台/臺).
_SHARED = set("台")


def to_simplified_display(text: str) -> str:
    """Traditional -> Simplified characters for display, never other words: a quote must stay
    the source's own words (營業秘密 is shown as 营业秘密, not the mainland term 商业秘密);
    only matching (``to_simplified``) maps Taiwan terms to mainland ones."""
    return _converter("t2s").convert(text) if text else text


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def count_script_chars(text: str) -> tuple[int, int, int]:
    """(CJK chars, chars that only Traditional uses, chars that only Simplified uses). Each run of CJK characters is
    converted on its own: OpenCC converts by phrases, and runs joined across punctuation make phrases no text writes
    (a quote cut at 「消費者合……」 above 「中華人民共和國…」 read 合中 as 閤中, a Simplified-only 合: session 44)."""
    cjk = "\n".join(_CJK_RUN.findall(text))
    if not cjk:
        return 0, 0, 0
    simp = _converter("t2s").convert(cjk)
    # Simplified-only against Taiwan's standard (s2tw), as the Traditional askers write: OpenCC's plain s2t writes 覈准
    # for 核准 and 纔 for 才, so 「要多久才會核准？」 counted two Simplified-only characters against one Traditional (SC2,
    # session 45)
    trad = _converter("s2tw").convert(cjk)
    only_trad = sum(a != b for a, b in zip(cjk, simp))
    only_simp = sum(a != b and a not in _SHARED for a, b in zip(cjk, trad))
    return len(cjk) - cjk.count("\n"), only_trad, only_simp


def clean_text(text: str) -> str:
    """NFC-normalize, drop control characters except newlines and tabs."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C" or ch == "\u3000")
