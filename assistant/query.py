"""Query understanding: validation, script/language, normalization, tokens for BM25."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rongzhi.core.errors import QuestionError
from rongzhi.core.normalize import clean_text, count_script_chars, to_simplified

ZH_HANS, ZH_HANT, EN = "zh-Hans", "zh-Hant", "en"

# English terms -> Chinese, so BM25 can match an English question against Chinese text.
EN_GLOSSARY = {
    "invention patent": "发明专利", "utility model": "实用新型", "design patent": "外观设计", "patent": "专利",
    "trademark": "商标", "copyright": "著作权", "trade secret": "商业秘密", "unfair competition": "反不正当竞争",
    "e-commerce": "电子商务", "customs": "海关", "plant variet": "植物新品种", "layout design": "布图设计",
    "integrated circuit": "集成电路", "software": "计算机软件", "punitive": "惩罚性赔偿", "damages": "赔偿",
    "infringement": "侵权", "term": "期限", "duration": "期限", "protected": "保护", "protection": "保护",
    "taiwan": "台湾", "fuzhou": "福州", "rcep": "RCEP", "belt and road": "一带一路", "pledge": "质押融资",
    "financing": "融资", "agent": "专利代理", "agency": "代理", "exam": "考试", "talent": "人才",
    "target": "目标", "goal": "目标", "task": "任务", "plan": "方案", "well-known": "驰名商标",
    "registration": "注册", "license": "许可", "arbitration": "仲裁", "mediation": "调解", "foreign": "涉外",
    "investment": "投资", "compulsory licens": "强制许可", "service invention": "职务发明", "navigation": "专利导航",
    "geographical indication": "地理标志", "insurance": "保险", "securitization": "证券化", "court": "法院",
    "valid": "有效期", "expire": "有效期", "subsid": "补助", "fund": "专项资金", "priority": "优先权",
    "sound": "声音", "civil code": "民法典", "intellectual property": "知识产权", "technology transfer": "技术转让",
    "transfer": "转让", "technology": "技术", "administrative": "行政", "force": "强制", "foreign-invested": "外商投资",
    "author": "作者", "individual": "自然人", "register": "注册", "notice": "通知", "platform": "平台",
    "abroad": "外国", "filing": "申请", "application": "申请", "how long": "期限", "last": "期限",
    "penalt": "罚款", "fine": "罚款", "counterfeit": "假冒", "fake": "假冒", "pirat": "盗版", "evidence": "证据",
    "service of documents": "送达", "serve documents": "送达", "dispute": "纠纷", "employee": "职务",
    "reward": "奖励", "remuneration": "报酬", "exception": "不视为侵犯", "research": "科学研究",
    "seed": "植物新品种", "chip": "集成电路", "website": "网络", "online": "网络", "internet": "信息网络",
    "compatriot": "台湾同胞", "mainland": "大陆", "examination": "考试", "qualification": "资格",
    "training": "培养 培训", "standard": "标准", "culture": "文化", "credit": "信用", "finance": "金融",
}


@dataclass
class Query:
    raw: str
    text: str
    language: str  # zh-Hans | zh-Hant | en
    norm: str  # Simplified, mainland wording (plus glossary terms for English)
    tokens: list[str] = field(default_factory=list)
    expansion: list[str] = field(default_factory=list)  # legal terms for everyday words (synonyms.py)

    @property
    def search_text(self) -> str:
        """What the dense model embeds: the question plus its legal-term expansion."""
        return f"{self.norm} {' '.join(self.expansion)}".strip()

    @property
    def is_english(self) -> bool:
        return self.language == EN


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
    return text


def detect_language(text: str) -> str:
    """zh-Hant when Traditional-only characters outnumber Simplified-only ones; en for Latin text.

    langdetect is used only for text with little Chinese: on short Chinese it is unreliable
    (it calls 專利代理師考試怎麼報名 Korean)."""
    cjk, only_trad, only_simp = count_script_chars(text)
    latin = len(re.findall(r"[A-Za-z]", text))
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
    return " ".join(zh for en, zh in EN_GLOSSARY.items() if en in lower)


def parse(question: str | None, max_chars: int = 2000, tokenize=None) -> Query:
    """``tokenize`` must be the index's own (``IndexReader.lexical.tokenize``) so that query and
    corpus are segmented alike; the default uses jieba's full dictionary."""
    from .synonyms import expansions

    if tokenize is None:
        from rongzhi.index.lexical import tokenize

    text = validate(question, max_chars)
    language = detect_language(text)
    norm = to_simplified(text)
    if language == EN:
        norm = f"{norm} {expand_english(text)}".strip()
    extra = expansions(norm)
    return Query(raw=question or "", text=text, language=language, norm=norm, tokens=tokenize(norm),
                 expansion=tokenize(extra) if extra else [])
