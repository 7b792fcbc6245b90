"""What a question needs: the special-fund measures? a follow-up to the previous turn?"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rongzhi.core.normalize import to_simplified
from rongzhi.core.tables import read_table

from .answer_types import QUESTION_SENTENCE

OFF_TOPIC_TABLE = Path(__file__).with_name("data") / "off_topic.tsv"
TOPIC_WORDS_TABLE = Path(__file__).with_name("data") / "topic_words.tsv"
MEASURES_TABLE = Path(__file__).with_name("data") / "measures_cues.tsv"
FRAME_TABLE = Path(__file__).with_name("data") / "frame_words.tsv"
_CLAUSE = re.compile(r"[，,。；;！!？?\n]")


@dataclass(frozen=True)
class OffTopic:
    """A topic declined before any search: its names for the decline, and when it applies."""

    topic: str  # English, for an English asker
    topic_zh: str
    pattern: re.Pattern
    unless: re.Pattern | None  # words that keep an answerable question (职务发明 in a labour question)
    consequence: bool = False  # what may follow an act (报警): in a conversation, asked of the act described

    def applies(self, text: str) -> bool:
        return bool(self.pattern.search(text)) and not (self.unless and self.unless.search(text))


_GROUP = re.compile(r"\{([a-z][a-z_0-9]*)\}")  # {ip}; a quantifier ({0,40}) starts with a digit


def _expand(text: str, groups: dict[str, list[str]], seen: tuple[str, ...] = ()) -> str:
    """``text`` with every {name} replaced by its group's patterns, each in (?:...), recursively."""
    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in groups or name in seen:
            raise ValueError(f"{TOPIC_WORDS_TABLE}: unknown or circular group {{{name}}}")
        return "(?:" + "|".join(f"(?:{_expand(p, groups, (*seen, name))})" for p in groups[name]) + ")"
    return _GROUP.sub(one, text)


@lru_cache(maxsize=1)
def _topic_groups() -> dict[str, list[str]]:
    """The word groups of ``data/topic_words.tsv`` ({ip}, {jurisdiction}…), each a list of patterns."""
    groups: dict[str, list[str]] = {}
    for row in read_table(TOPIC_WORDS_TABLE, ("group", "pattern", "reason")):
        groups.setdefault(row["group"], []).append(row["pattern"])
    return groups


@lru_cache(maxsize=1)
def _off_topic() -> tuple[OffTopic, ...]:
    """Topics declined before any search (``data/off_topic.tsv``, one topic per row with its reason;
    ``{name}`` in either column is a group of ``data/topic_words.tsv``)."""
    groups = _topic_groups()
    out = []
    for r in read_table(OFF_TOPIC_TABLE, ("pattern", "unless", "topic", "topic_zh", "consequence", "reason")):
        unless = _expand(r["unless"], groups)
        out.append(OffTopic(r["topic"], r["topic_zh"], re.compile(_expand(r["pattern"], groups), re.I),
                            re.compile(unless, re.I) if unless else None, r["consequence"] == "yes"))
    return tuple(out)


# A pronoun that opens the question (它能保护多久？ 这种情况要赔吗？) has its antecedent in the previous question. So has a
# what-if ending in 呢 (「如果上传的人说他没侵权呢？」: what then, in the matter just discussed; rule W, session 40) — not a
# hypothetical asking its own question (「如果专利被宣告无效，许可费要退吗？」).
_FOLLOW_UP = re.compile(r"^(那|那么|那如果|如果是|(?:如果|要是|假如|万一)(?=[^？?。]*呢[？?]?$)|还有|另外|那对于|对于|它们?|"
                        r"这种情况|这种情形|这样的话|这样|"
                        r"what about|and |how about|what if|in that case|then\b)", re.I)  # what if: session 35's sweep H
# English plural pronouns point at what was just discussed ("How long do they hold the goods?" after customs): a
# question of its own names its parties ("Can the owner sue?"). Singular it/this/that are as often the question's own
# subject or expletive ("Is it legal to …").
_POINTS_BACK_EN = re.compile(r"\b(they|them|their|these|those)\b", re.I)
# "X呢？" with nothing asked of X (台湾人呢？ 外国人呢 公司呢): Chinese for "and what about X", which only
# makes sense against the previous question. With a question word it is a question of its own (专利是什么呢？).
_ELLIPTICAL = re.compile(r"^[^？?]{1,10}呢[？?]?$")
_QUESTION_WORD = re.compile(r"什么|啥|怎么|怎样|如何|多[少久长大高]|哪|几|谁|吗|是否|能否|可否|有没有|是不是|能不能|可不可以|"
                            r"要不要|会不会|算不算|why|what|how|who", re.I)


@lru_cache(maxsize=1)
def _measures_cues() -> dict[str, re.Pattern]:
    """One pattern per kind of cue (``data/measures_cues.tsv``: money, city, programme, payout)."""
    rows = read_table(MEASURES_TABLE, ("pattern", "kind", "reason"))
    kinds = {r["kind"] for r in rows}
    if kinds != {"money", "city", "programme", "payout"}:
        raise ValueError(f"{MEASURES_TABLE}: kinds must be money, city, programme and payout, not {sorted(kinds)}")
    return {k: re.compile("|".join(f"(?:{r['pattern']})" for r in rows if r["kind"] == k), re.I) for k in kinds}


def needs_measures(norm: str) -> bool:
    """Money the city pays out is set by the special-fund measures: a money word anywhere, or the
    city and a payout in one clause (the city as the payer, whatever lies between), or one of the city's
    programmes and a payout anywhere (「企业贯标认证通过了，能拿多少奖励？」: only the city rewards 贯标)."""
    cues = _measures_cues()
    if cues["money"].search(norm) or (cues["programme"].search(norm) and cues["payout"].search(norm)):
        return True
    return any(cues["city"].search(c) and cues["payout"].search(c) for c in _CLAUSE.split(norm))


# What a document is called and numbered (「…管理办法是哪一号文件？」, 「文号是什么」): a loaded text that names the document
# states that much even when the document itself is not loaded (the plan's task 1 names the measures with their number).
# 是什么文件 and 怎么提到 ask what the document is and where a loaded text names it (session 37's sweep R, F05:
# 「榕政办规〔2022〕7号是什么文件？方案里怎么提到它？」 was declined, though the plan's task 1 names the measures by that number).
_DOCUMENT_IDENTITY = re.compile(r"文号|发文字号|文件(?:编号|号)|哪一?号(?:文件)?|几号文件|全称|全名|正式名称|(?:叫|是)什么名字?|"
                                r"是(?:什么|啥|哪个|哪份)文件|(?:怎么|如何|哪里|哪儿|在哪)(?:提到|提及|说到)|"
                                r"\bdocument number\b|\bfull (?:title|name)\b|\bwhat document\b", re.I)


# When or by whom a document was issued, or how long it holds: what the plan's release line (「2022年9月,《…》印发。」) answers.
_ISSUANCE = re.compile(r"印发|发布|颁布|出台|制定|发文|哪个部门|谁发|什么时候|何时|哪年|哪一年|几月|多久|有效期|施行|生效|年份|日期|"
                       r"\b(?:issued?|published|released|adopted|when|dated?|how old|valid|validity)\b", re.I)


# When a document was issued, asked as such (「这个方案什么时候发布的？」「方案是哪年印发的」): the release line states it (2022年9月),
# not the commencement line 「本方案自印发之日起施行」 (session 44's civil-servant sweep, RL).
_WHEN = r"(?:什么时候|啥时候|何时|哪年|哪一年|几月|哪天|哪一天|日期|时间)"
_ISSUED = r"(?:印发|发布|颁布|出台|发文)"
_ISSUED_WHEN = re.compile(rf"{_WHEN}[^，,。？?]{{0,6}}?{_ISSUED}|{_ISSUED}[^，,。？?]{{0,6}}?{_WHEN}|"
                          r"\bwhen was\b.{0,60}?\b(?:issued|published|released)\b", re.I)


def asks_when_issued(norm: str) -> bool:
    """The question asks when a document was issued (``_ISSUED_WHEN``), which its release line answers first."""
    return bool(_ISSUED_WHEN.search(norm))


def asks_issuance(norm: str) -> bool:
    """The question asks when, or by whom, a document was issued, or how long it holds (session 35's sweep H, R1)."""
    return bool(_ISSUANCE.search(norm))


# What a document says as a whole (「商标法主要讲什么？」「…的规定，主要讲了啥？」): no one article's words answer it.
# Searched with the document's name taken out (rule D), it quoted another law's article; with a year, the rules'
# commencement date (DO, session 46's sweep G). _OVERVIEW_FRAME: what else such a question says (a year, a version, who
# issued it).
_OVERVIEW = re.compile(r"(?:主要|大概|大致|基本)?(?:讲|说|写|规定)(?:了|的)?(?:些|是)?(?:什么|啥|哪些)(?:内容|东西|事)?|"
                       r"(?:主要|大概|大致|基本)?内容(?:是|有)?(?:什么|啥|哪些)|(?:有|是)(?:哪些|什么|啥)(?:主要)?内容|"
                       r"是关于什么的?|是(?:一部)?(?:什么|啥)(?:样的)?(?:法律?|文件|规定|条例|解释)|(?:简单)?(?:介绍|概括|总结)一下|"
                       r"概述|概要")
_OVERVIEW_FRAME = re.compile(r"[\s\d，,。？?！!、：:；;“”《》（）()]|请问|那个|这个|那部|这部|这份|那份|现行|最新|国务院|"
                             r"最高人民法院|最高法|总体上?|整体上?|大体上?|总的来说|一共|都|[年版的了吗呢啊呀是]")


def asks_overview(rest: str, named: bool = True) -> bool:
    """``rest``, a (normalized) question with the one document it names taken out, asks what that document says as a
    whole and nothing else: 「主要讲了啥？」, not 「关于驰名商标的内容是什么？」 (a topic in it, searched as usual).
    ``named=False``: only whether the question has overview words at all, before the document's name is found (names
    are taken out as spaces, so the words are in the question whenever they are in ``rest``)."""
    if not _OVERVIEW.search(rest):
        return False
    return not named or len(_OVERVIEW_FRAME.sub("", _OVERVIEW.sub("", rest))) <= 1


def asks_document_identity(norm: str) -> bool:
    """The (normalized) question asks what a document is called or numbered, not what it provides."""
    return bool(_DOCUMENT_IDENTITY.search(norm))


# A threshold of a crime asked (「卖盗版光盘多少张构成犯罪？」): the amounts and quantities are set by the Criminal Law and the
# courts' interpretations, not by the IP laws, which say only 「构成犯罪的，依法追究刑事责任」 (session 32, T).
# A named offence (「假冒注册商标罪」「侵犯商业秘密罪」) is one too: 「假冒注册商标罪中“情节特别严重”的标准是什么？」 was answered with the
# civil punitive-damages test (session 41's sweep).
_CRIME = re.compile(r"构成犯罪|犯罪|判刑|坐牢|刑事责任|追究刑事|刑事追究|刑事案件|立案标准|追诉标准|刑事立案|入罪|量刑|"
                    r"[\u4e00-\u9fff]{3,}罪(?![名过])")
_THRESHOLD = re.compile(r"多少|几[张个件次万千百年]|标准|数额|金额|够不够|够得上|达到")
# The same in English: "When does it become a crime?", "How many fakes make it criminal?" (session 48's sweep N, CE).
_CRIME_EN = re.compile(r"\bcrim(?:e|es|inal)\b|\bprosecut\w*|\bjail\b|\bprison\b", re.I)
_THRESHOLD_EN = re.compile(r"\bwhen does\b|\bat what point\b|\bhow (?:much|many|big|large|serious)\b|\bthresholds?\b|"
                           r"\bamount to\b", re.I)


def asks_about_a_crime(norm: str) -> bool:
    """The (normalized) question asks whether, or how, an act is a crime (坐牢, 判刑, 刑事责任, 构成犯罪…)."""
    return bool(_CRIME.search(norm))


def asks_crime_threshold(norm: str) -> bool:
    """The (normalized) question asks how much or how many makes an act a crime (in Chinese or English)."""
    return (asks_about_a_crime(norm) and bool(_THRESHOLD.search(norm))) \
        or (bool(_CRIME_EN.search(norm)) and bool(_THRESHOLD_EN.search(norm)))


def off_topic(text: str) -> OffTopic | None:
    """The first topic of the table the question is about, if any: read as typed and in Simplified, so a row
    need not spell every Traditional form (「今天福州天氣怎麼樣」 was answered with the plan's release line: session 29)."""
    simplified = to_simplified(text)
    return next((row for row in _off_topic() if row.applies(text) or (simplified != text and row.applies(simplified))), None)


def topics_named(text: str) -> set[str]:
    """The everyday-law topics of the table whose words the question uses, answerable or not (离婚 in
    「离婚的时候专利收益怎么分？」, kept by its 专利): a subject of its own in a conversation."""
    simplified = to_simplified(text)
    return {row.topic for row in _off_topic() if row.pattern.search(text) or row.pattern.search(simplified)}


@lru_cache(maxsize=1)
def _ip_words() -> re.Pattern:
    return re.compile(_expand("{ip}", _topic_groups()), re.I)


def names_ip(text: str) -> bool:
    """The question already says it is about IP (the ``ip`` group of data/topic_words.tsv: 专利, 商标, 侵权…): a decline by
    topic must not ask the user to say so (session 38's sweep T, D01: 「申请一件发明专利，申请费要交多少钱？」 was told to
    mention 专利 in the question)."""
    return bool(_ip_words().search(text) or _ip_words().search(to_simplified(text)))


BARE_TERM = 8  # characters: 「质押融资」「贯标」「开放许可」 typed as a search, not a question


def is_bare_term(norm: str) -> bool:
    """A few characters with no question word and no question mark: a term looked up, as in a search box (session 35's UI
    sweep: 「质押融资」 was declined though task 7 writes it)."""
    norm = norm.strip()
    return 0 < len(norm) <= BARE_TERM and not _QUESTION_WORD.search(norm) and not re.search(r"[？?]", norm)


SHORT_CONSEQUENCE = 24  # characters: 「能不能报警追究刑事责任？」, not a story of its own with a crime in it


def asks_a_consequence(norm: str) -> bool:
    """A short question whose only everyday-law topics are what may follow an act (``consequence`` rows: 报警, 坐牢): in a
    conversation it asks that of the act described before (session 35's sweep E: 「能不能报警追究刑事责任？」 after a
    director took the drawings was declined as a criminal case outside IP, though the trade secret makes it one in IP)."""
    if len(norm.strip()) > SHORT_CONSEQUENCE:
        return False
    named = topics_named(norm)
    return bool(named) and all(row.consequence for row in _off_topic() if row.topic in named)


# 「用中文再说一遍」「請用繁體回答」 "in Chinese, please": the previous question again, in the script asked for. A request
# in Traditional characters for 中文 means Traditional; 繁体/简体 name the script. 「用英文再说一遍」 "in English, please": the
# answer's frame in English (the texts stay as loaded; see asks_english_text). The two languages share the words
# around the one that names the language.
_AGAIN_ZH_HEAD = r"^(?:请|請)?(?:再)?(?:用|换成|換成|改用|改成)?"
_AGAIN_ZH_TAIL = r"(?:再)?(?:说|說|讲|講|回答|答|写|寫|显示|顯示)?(?:一遍|一次|一下)?(?:吧|好吗|好嗎)?[？?。.！!]*$"
_AGAIN_EN_HEAD = r"^(?:please\s+)?(?:(?:answer|say it|repeat(?: that| it)?)\s+)?(?:again\s+)?in "
_AGAIN_EN_TAIL = r"(?:\s+please)?[.!?]*$"
_RESTATE_ZH = re.compile(_AGAIN_ZH_HEAD + r"(简体中文|簡體中文|繁体中文|繁體中文|简体|簡體|繁体|繁體|中文|汉语|漢語)" + _AGAIN_ZH_TAIL)
_RESTATE_EN = re.compile(_AGAIN_ZH_HEAD + r"(?:英文|英语|英語)" + _AGAIN_ZH_TAIL + "|" + _AGAIN_EN_HEAD + "english" + _AGAIN_EN_TAIL,
                         re.I)
_RESTATE_ZH_EN = re.compile(_AGAIN_EN_HEAD + r"(?:simplified |traditional )?chinese" + _AGAIN_EN_TAIL, re.I)


def restate_script(text: str) -> str | None:
    """The script a request to say the previous answer again asks for (zh-Hans / zh-Hant), or None when
    the text is not such a request. Why: 「用中文再说一遍」 after an English answer was searched as a
    question of its own and declined."""
    from .query import EN, ZH_HANS, ZH_HANT, detect_language

    t = text.strip()
    if _RESTATE_EN.match(t):
        return EN
    m = _RESTATE_ZH.match(t)
    if m:
        if m.group(1).startswith("繁"):
            return ZH_HANT
        if m.group(1).startswith(("简", "簡")):
            return ZH_HANS
        return ZH_HANT if detect_language(t) == ZH_HANT else ZH_HANS
    if _RESTATE_ZH_EN.match(t):
        return ZH_HANT if re.search("traditional", t, re.I) else ZH_HANS
    return None


# Asking for a text in English: 「这条的英文是什么」「有英文版吗」「翻译成英文」 "English translation of this article".
_ASKS_ENGLISH_TEXT = re.compile(r"(?:条|條|条文|條文|条款|條款|原文|法|这个|這個|它|全文)的?英文|"
                                r"英文(?:版|原文|译本|譯本|翻译|翻譯|文本|怎么说|怎麼說|是什么|是什麼)|英译|英譯|翻译成英|翻譯成英|"
                                r"\benglish\s+(?:version|text|translation)\b|\btranslat(?:e|ion)\b.*\benglish\b", re.I)


def asks_english_text(text: str) -> bool:
    """The question asks for a text in English (not merely asked in English). Why: 「这条的英文是什么」 was
    answered with the Chinese article again, with no word that no English text is loaded."""
    return bool(_ASKS_ENGLISH_TEXT.search(text))


# Asking for a text in Chinese: 「RCEP第11.27条的官方中文原文」「中文版呢」「翻译成中文」 "Chinese translation of this article".
# 「用中文再说一遍」 asks the answer again in Chinese (``restate_script``), not for a text.
_ASKS_CHINESE_TEXT = re.compile(r"(?:条|條|条文|條文|条款|條款|原文|协定|協定|这个|這個|它|全文)的?(?:官方)?中文|"
                                r"中文(?:版|原文|译本|譯本|翻译|翻譯|文本|怎么说|怎麼說|是什么|是什麼)|中译|中譯|"
                                r"(?:翻译|翻譯|译|譯)成中|官方中文|\bchinese\s+(?:version|text|translation)\b", re.I)


def asks_chinese_text(text: str) -> bool:
    """The question asks for a text in Chinese. Why: 「请给出RCEP第11.27条的官方中文原文」 was answered with the
    English article alone, with no word that only the English text of the chapter is loaded."""
    return bool(_ASKS_CHINESE_TEXT.search(text))


# EE (session 47): "What about a design patent?" / "And trademarks?" are English 「X呢？」: the opener is taken off, and
# what is left must be a short thing with no question word of its own ("And how do I renew it?" asks its own question).
_ELLIPTICAL_EN = re.compile(r"^(?:(?:and|so|then|ok|okay)[,\s]+)?(?:what|how)\s+about\s+(?P<x>[^?]{1,40}?)\s*\??$|"
                            r"^and\s+(?:for\s+|about\s+|with\s+|in\s+)?(?P<y>[^?]{1,30}?)\s*\??$", re.I)
_QUESTION_WORD_EN = re.compile(r"\b(?:why|what|how|who|when|where|which|whose|do|does|did|can|could|is|are|was|"
                               r"should|must|will|would|may)\b", re.I)
ELLIPTICAL_EN_WORDS = 5  # "the layout design of integrated circuits" is about as long as such a thing gets


def is_elliptical(norm: str) -> bool:
    """「X呢？」 asking nothing of its own (那外观设计专利呢？): what it asks is what the previous question asked.
    English writes it "What about X?" / "And X?" (EE)."""
    norm = norm.strip()
    if norm.isascii():
        m = _ELLIPTICAL_EN.match(norm)
        thing = m and (m.group("x") or m.group("y"))
        return bool(thing) and len(thing.split()) <= ELLIPTICAL_EN_WORDS and not _QUESTION_WORD_EN.search(thing)
    return bool(_ELLIPTICAL.match(norm)) and not _QUESTION_WORD.search(norm)


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (a|b(?:c|d) -> a, b(?:c|d))."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and (i == 0 or pattern[i - 1] != "\\"):
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return [*out, pattern[start:]]


@lru_cache(maxsize=1)
def _frame_words() -> re.Pattern:
    """Every frame word of ``data/frame_words.tsv`` in one pattern, longest first (还有没有 before 还), English words
    whole (it is not removed from item)."""
    words = [a for r in read_table(FRAME_TABLE, ("pattern", "reason")) for a in alternatives(r["pattern"]) if a]
    words.sort(key=len, reverse=True)
    return re.compile("|".join(rf"\b(?:{w})\b" if w.isascii() else f"(?:{w})" for w in words))


def subjectless(norm: str) -> bool:
    """The question names no subject of its own: nothing is left once its frame words (who handles it, its text,
    which version, how much, an example, more sources; ``data/frame_words.tsv``) are taken out. Such a question
    is about the previous one's subject (「具体是哪个部门负责？」 after 专利质押融资)."""
    plain = re.sub(r"[^\w]+", " ", norm.strip().lower())
    return bool(plain.strip()) and not _frame_words().sub(" ", plain).strip()


# Asking for the text of what was cited (「原文是什么」「全文呢」), with no subject of its own.
_ASKS_TEXT = re.compile(r"原文|全文|原话|条文|法条|具体规定|具体内容|\b(?:original|full) text\b", re.I)
# Asking for more sources on the previous question (「还有别的条文吗」「其他规定呢」).
_ASKS_MORE = re.compile(r"别的|其他|其它|其余|更多|还有没有|\b(?:other|more|else)\b", re.I)


def asks_previous_text(norm: str) -> bool:
    """「原文是什么」「英文怎么说？」 after an answer: the provision that answer cited first, in full (in the language
    asked, where it is loaded in it: the caller says when it is not)."""
    return subjectless(norm) and bool(_ASKS_TEXT.search(norm) or asks_english_text(norm) or asks_chinese_text(norm)) \
        and not _ASKS_MORE.search(norm)


_ASKS_EXAMPLE = re.compile(r"例子|举例|比如|例如|案例|\bexamples?\b", re.I)


def asks_example(norm: str) -> bool:
    """「举个例子」 after an answer: RongZhi quotes texts and holds no cases or examples; that is said."""
    return subjectless(norm) and bool(_ASKS_EXAMPLE.search(norm))


def asks_more(norm: str) -> bool:
    """「还有别的条文吗」 after an answer: other sources on the previous question than those already cited."""
    return subjectless(norm) and bool(_ASKS_MORE.search(norm))


_ASKS_RULE = re.compile(r"规定|怎么说|如何说|呢|\bsay\b", re.I)


def asks_a_law_about_it(norm: str, aliases: list[tuple[str, str]]) -> bool:
    """「中国的著作权法怎么规定的」 after 「RCEP第十一章对版权保护期有什么规定」: a law named and nothing else but how it rules,
    so it is asked about the previous question's subject. 「著作权法是什么」 asks about the law itself."""
    rest, named = norm, False
    for alias, _ in aliases:  # longest first
        if alias in rest:
            rest, named = rest.replace(alias, " "), True
    return named and bool(_ASKS_RULE.search(rest)) and subjectless(rest)


# China's own law, named by no title: 「那中国法律怎么规定？」「国内法呢？」 "What does Chinese law say about it?". After an answer from
# the treaty, such a follow-up asks the conversation's subject of China's texts (session 42's sweep B, C3: it repeated RCEP
# 11.55 word for word). A law named by its title is ``asks_a_law_about_it``'s.
_CHINAS_LAW = re.compile(r"(?:中国|我国|国内|大陆|内地)(?:的)?(?:法律|法规|法|规定|立法)|国内法|"
                         r"\b(?:chinese|china's|prc|domestic) (?:law|laws|legislation|rules)\b|\blaw of (?:china|the prc)\b",
                         re.I)


def asks_chinas_law(norm: str) -> bool:
    """The question asks how China's law rules, naming no law, and nothing else (「中国法律怎么规定？」)."""
    if not _CHINAS_LAW.search(norm):
        return False
    rest = _CHINAS_LAW.sub(" ", norm)
    return bool(_ASKS_RULE.search(rest)) and subjectless(rest)


LONG_QUESTION = 200  # characters: the longest question in any eval set (1,983 project, 1,349 STARD) has 186
_ASKED_FROM = re.compile(r"(?:我想|想)?(?:请问|請問|问一下|問一下|想问|想問|想知道|我的问题是|我的問題是|问题是|問題是)[:：，,]?")


def asked_part(text: str) -> str | None:
    """What a long message asks, for the search: the text after its last 「请问」「我想知道」, else its closing sentences
    that are questions (「？」); None for a short message, or when that part names no subject of its own (「请问怎么办？」:
    then the whole story is what is asked about). Why: a 600-character story with the question at its end was searched
    as one text, whose embedding the story outweighs (商标法第六十四条 first, where the question asked about 抢注 and 无效)."""
    if len(text) <= LONG_QUESTION:
        return None
    marks = list(_ASKED_FROM.finditer(text))
    part = text[marks[-1].end():] if marks else ""
    if not part.strip():
        sentences = [m.group() for m in QUESTION_SENTENCE.finditer(text) if m.group().strip()]
        asked = []
        for sentence in reversed(sentences):
            if not re.search(r"[？?]\s*$", sentence):
                break
            asked.insert(0, sentence)
        part = "".join(asked)
    part = part.strip()
    if len(part) < 8 or len(part) >= len(text.strip()) or subjectless(part):
        return None
    return part


# 「考过之后要怎样才能执业？」「批下来以后多久能用？」「接下来要做什么？」: after the previous subject, in time.
# What comes before 之后/以后 is the event the question goes on from (考过, 批下来), not a hypothetical's connective: 「如果以后自己
# 投资开公司…」 is "if, some day", a question of its own (session 37's sweep R, CH2-4: it was read with a patent-attorney exam
# question and answered with 专利代理条例).
_NOT_HYPOTHETICAL = r"(?!如果|假如|要是|万一|倘若|若是)"  # 「如果以后…」 is "if, some day", not "after"
_AFTER_THAT = re.compile(rf"^(?:那|那么)?(?:{_NOT_HYPOTHETICAL}[\u4e00-\u9fff]{{1,4}}(?:之后|以后|过后)|然后|之后|以后|接下来|下一步)")


# 「专利代理师考试通过以后要怎么执业？」: an event (考试通过), then what is asked of the time after it (执业). Not a hypothetical's
# connective (「如果以后…」), and the event is short: a story is asked_part's.
_EVENT_THEN = re.compile(rf"^(?P<event>(?:{_NOT_HYPOTHETICAL}[^，,。？?]){{2,20}}?)(?:之后|以后|过后)[，,]?(?P<ask>[^。]+)$")


def asked_after(norm: str, tokens: list[str]) -> list[str]:
    """The words of their own (two characters or more, no frame word) that a question asks of the time after an event it
    names (「考试通过以后要怎么执业」 -> 执业), or [] when it is not of that form (session 44's Taiwan sweep, NS)."""
    m = _EVENT_THEN.match(norm.strip())
    if m is None:
        return []
    event, ask = m.group("event"), m.group("ask")
    return own_words(ask, [t for t in tokens if len(t) >= 2 and t in ask and t not in event])


def continues_in_time(norm: str) -> bool:
    """The question starts "after that": what happens next to the previous question's subject, which it does not
    repeat (session 33's sweep: 「考過之後要怎樣才能執業？」 after a question on the patent-attorney exam was searched alone
    and declined)."""
    return bool(_AFTER_THAT.match(norm.strip()))


# 「工作方案里哪项任务讲的是这个？」「这个在方案哪项任务里？」: the thing asked about is "this", the conversation's subject, which the
# question does not repeat (session 41's sweep, WT: after a question on 专利质押融资 it was searched alone and led with 主要目标).
_THIS = r"(?:这个|这件事|这事|这方面|这一块|这块|此事|上述|上面说的|刚才说的|前面说的)"
_POINTS_BACK = re.compile(rf"(?:讲|说|写|提到|涉及|管|负责|对应)的?是?{_THIS}[？?。！!\s]*$"
                         rf"|^{_THIS}[^，,。]{{0,4}}?在?(?:(?:工作)?方案)?[里中]?的?哪")


def points_back(norm: str) -> bool:
    """The question's object is the conversation's subject, named only as 这个/上述…: 「哪项任务讲的是这个？」."""
    return bool(_POINTS_BACK.search(norm.strip()))


# 「新旧两版在惩罚性赔偿的写法上有啥不同？」: both versions of a law the question does not name — the conversation's law.
_BOTH_VERSIONS = re.compile(r"新旧两?[版部个]|旧新两?[版部个]|两个?版本?(?:之间)?(?:有|的|在|对)|两版|新版和旧版|旧版和新版|新法和旧法|旧法和新法|"
                            r"\b(?:old and (?:the )?new|new and (?:the )?old|both) (?:versions?|texts?|laws?)\b", re.I)


def compares_versions(norm: str) -> bool:
    """The question speaks of a law's two versions together (session 33's sweep, C2)."""
    return bool(_BOTH_VERSIONS.search(norm))


SHORT_FOLLOW_UP_WORDS = 10  # an English follow-up's words (「那如果是前经销商呢？」 is "What if they were our former distributor?")
OPENED_FOLLOW_UP = 30  # characters of a follow-up that opens by pointing back (那…, 如果是…, they…)


def is_follow_up(norm: str, tokens: list[str]) -> bool:
    """A short question that leans on the previous one (那台湾人呢？), or one with no subject of its own
    (「具体是哪个部门负责？」)."""
    norm = norm.strip()
    elliptical = is_elliptical(norm)
    opens = bool(_FOLLOW_UP.search(norm) or _POINTS_BACK_EN.search(norm))
    return opens and is_short(norm, OPENED_FOLLOW_UP) or elliptical or (len(tokens) <= 1 and len(norm) <= 8) \
        or subjectless(norm)


SHORT_FOLLOW_UP = 12  # characters: 「保护多久？」「2019年的版本罚多少？」, not a question with a story


def asks_of_the_previous(norm: str, tokens: list[str]) -> bool:
    """A short question asking something of one word of its own, at most (「保护多久？」「罚多少？」「2019年的版本罚多少？」):
    in a conversation it asks that of the previous subject (session 34's sweep: 「保护多久？」 after a question on chip
    layout-designs was searched alone and answered with the civil code's limitation period). The caller checks that it
    names no document, kind of right or new topic."""
    norm = norm.strip()
    if len(norm) > SHORT_FOLLOW_UP or not _QUESTION_WORD.search(norm):
        return False
    return len(own_words(norm, tokens)) <= 1


def is_short(norm: str, chars: int = SHORT_FOLLOW_UP) -> bool:
    """As short as a follow-up that leans on its conversation (``chars`` characters, or ``SHORT_FOLLOW_UP_WORDS``
    English words, which are longer): 「需要提供担保吗？」, "Do we have to post a bond?"."""
    norm = norm.strip()
    return len(norm) <= chars or (norm.isascii() and len(norm.split()) <= SHORT_FOLLOW_UP_WORDS)


def own_words(norm: str, tokens: list[str]) -> list[str]:
    """The question's tokens that are no frame word (``data/frame_words.tsv``, as ``subjectless`` reads them): what a
    follow-up names of its own. 「如果是高校呢？」 -> 高校, not 如果, which ranked 专利法第二十八条 (「如果申请文件是邮寄的」) first."""
    rest = _frame_words().sub(" ", re.sub(r"[^\w]+", " ", norm.strip().lower()))
    return [t for t in tokens if t.lower() in rest]


# Words that point back at the provision the previous answer cited (「这项任务提到哪些机构？」 after task 19; "What
# does this article require?"). 它 points back only at a task of the plan: after a law article it is as often the
# subject of the question (「外观设计专利是什么」 … 「它能保护多久」 is not the same article again).
_REFERS_BACK = re.compile(r"这项任务|这个任务|该任务|此任务|这一项任务|这一?条(?!件)|该条|本条|这个条文|该条文|"
                          r"\b(this|that) (task|article|provision)\b", re.I)
# 「里面提到哪些机构？」「其中有哪些单位？」 open by pointing into what was just quoted (session 42's sweep A, C2: after task 12 it was
# searched alone and answered with 仲裁法第八十九条); only at the opening: 「方案里面还有…」 names its own subject.
_REFERS_BACK_TASK = re.compile(r"它|这项|这一项|\bit\b|^(?:那|那么)?(?:这)?(?:里面|里头|其中|当中)", re.I)


def refers_back(norm: str, previous_locator: str) -> bool:
    """The question asks about the provision the previous answer cited first (``previous_locator``)."""
    return bool(_REFERS_BACK.search(norm)) or (previous_locator.startswith("任务") and bool(_REFERS_BACK_TASK.search(norm)))
