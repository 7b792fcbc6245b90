"""Answer-type cues: does a chunk read like the kind of answer the question asks for?

"专利能保护多久" asks for a duration; statutes write durations as 期限/…年/自…之日起. Matching the
*kind* of answer generalizes where word tables fitted to questions do not, because it describes
how statutes are written, not how any one question is phrased. The table is data
(``data/answer_types.tsv``), one row per answer type with its reason.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.numerals import cn_to_int
from rongzhi.core.tables import read_table

TABLE = Path(__file__).with_name("data") / "answer_types.tsv"
CRIME = "crime"  # the row asking whether an act is a crime (engine.CriminalLiabilityFirst)


@lru_cache(maxsize=1)
def answer_types() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    return tuple((r["type"], re.compile(r["question_cue"], re.I), re.compile(r["statute_marker"]))
                 for r in _rows())


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    return tuple(read_table(TABLE, ("type", "question_cue", "statute_marker", "expansion", "value", "value_en", "reason")))


# A question's sentences (up to 。！？) and a sentence's clauses (up to ，；：); scope.asked_part reads the same sentences.
QUESTION_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]?")


def asked(question_norm: str) -> str:
    """The question with the 几 of its story masked: 几 asks (「最多放几个」「保护几年？」) only in the clause a question ends
    with (the last clause of a sentence ending in ？, or of the last sentence); elsewhere it counts what happened
    (「手上的几个大客户都跟着他走了」「店名用了好几年」) and asks nothing. Read as asking, those story quantities made
    the question a count or period question and ranked articles stating one first (evals/DECISIONS.md, session 37,
    K3(c) and A1)."""
    if "几" not in question_norm:
        return question_norm
    sentences = [m.group() for m in QUESTION_SENTENCE.finditer(question_norm)]
    out = []
    for i, sentence in enumerate(sentences):
        clauses = [m.group() for m in _CLAUSE.finditer(sentence)]
        asks = sentence.rstrip().endswith(("？", "?")) or i == len(sentences) - 1
        out += [c if asks and j == len(clauses) - 1 else c.replace("几", "某") for j, c in enumerate(clauses)]
    return "".join(out)


def expansion_terms(question_norm: str) -> str:
    """Words statutes use for the asked-for kind of answer (期限 for 多久, 提交 文件 for 要交哪些材料),
    added to the question's lexical expansion: the article that answers uses them, the question
    does not."""
    question_norm = asked(question_norm)
    return " ".join(r["expansion"] for r in _rows() if re.search(r["question_cue"], question_norm, re.I))


def asked_types(question_norm: str) -> list[str]:
    """The answer types a question asks for (may be several, may be none)."""
    question_norm = asked(question_norm)
    return [name for name, cue, _ in answer_types() if cue.search(question_norm)]


def asked_markers(question_norm: str) -> list[re.Pattern]:
    """The statute-side markers of the answer types a question asks for."""
    question_norm = asked(question_norm)
    return [marker for _, cue, marker in answer_types() if cue.search(question_norm)]


def asked_values(question_norm: str) -> list[re.Pattern]:
    """How statutes write the value itself (二十年, 五百万元, 五倍) for the answer types a question asks
    for that have one (durations, amounts)."""
    question_norm = asked(question_norm)
    return [re.compile(r["value"]) for r in _rows() if r["value"] and re.search(r["question_cue"], question_norm, re.I)]


def asked_values_en(question_norm: str) -> dict[str, re.Pattern]:
    """For the value-bearing answer types a question asks for: how RCEP's English chapter would
    write such a value (18 months, five years), by type name."""
    question_norm = asked(question_norm)
    return {r["type"]: re.compile(r["value_en"], re.I) for r in _rows()
            if r["value_en"] and re.search(r["question_cue"], question_norm, re.I)}


def markers_for(types: list[str]) -> list[re.Pattern]:
    """The statute-side markers of the named answer types."""
    return [marker for name, _, marker in answer_types() if name in types]


def answer_type_match(markers: list[re.Pattern], chunk_norm: str) -> float:
    """Share of the asked-for answer types (``asked_markers``) whose wording the chunk carries."""
    if not markers:
        return 0.0
    return sum(bool(marker.search(chunk_norm)) for marker in markers) / len(markers)


# What a value is asked *of*: 「方案计划开展多少项专利导航项目？」 asks a count of 专利导航项目, 「发明专利第6年的年费多少钱」 an
# amount of 年费. A source answers such a question only where one statement (up to 。；) writes that thing and a value of the asked kind
# together (「开展专利导航项目200项以上」); a statement of some other value that merely shares the question's generic words
# (实施细则第九十三条's 「一项发明专利的奖金最低不少于4000元」 for the annual fee) does not (evals/DECISIONS.md, session 37's
# A1'' and session 38's V1).
# The cue's own noun, once its question words are taken out (赔偿多少 -> 赔偿, 补贴是多少 -> 补贴, 多少的罚款 -> 罚款; 有效期 and
# 保护期 are nouns whole):
_CUE_QUESTION_WORDS = re.compile(r"多少|多久|多长时间?|多大|几")
_CUE_EDGES = ("的", "是为有的钱万")  # left over before / after the noun once the question words are out
# Words next to the cue that qualify or carry the asking, not the thing asked of (「年费一般要交多少钱」, 「商标要达到多少件」,
# 「最少得有几个」): passed over when the thing is the word before the cue. Single characters (要, 交, 能, 的) are passed over
# anyway; reason per group: degree and estimate adverbs, modal verbs, time words, and the verbs that only ask for the value
# (to reach, to carry out, to pay, to be awarded, to be protected: 外观设计保护多少年 asks the term of 外观设计) — the thing is
# their object, written before them.
_QUALIFIERS = frozenset({"一般", "大概", "大约", "大致", "通常", "最多", "最少", "最低", "最高", "至少", "总共", "一共", "具体",
                         "可以", "需要", "应该", "应当", "能够", "要求",
                         "目前", "现在", "一年", "每年",
                         "达到", "开展", "要交", "要付", "要缴", "缴纳", "支付", "判赔", "获得", "拿到", "保护",
                         # a plan's aim, not the thing counted: 「贯标企业的目标是多少家」「专员要培养多少人」 (VT, session 45)
                         "目标", "指标", "培养", "方案", "计划", "任务"})
_AFTER_MEASURE = re.compile(r"[\u4e00-\u9fff]+")
_PARTICLES = "的吗呢啊呀了么吧"
# A cue that names its unit asks a value in that unit: 「保护多少年」 is not answered by 「2个月内」 (a time limit of another act),
# 「多少钱」 by an amount in 元, not by 「五倍」 (V2). (cue, the last character the stated value must end with)
_UNITS = ((re.compile(r"[多少几]年"), "年"), (re.compile(r"[多少几]个?月"), "月"), (re.compile(r"[多少几]个?(?:天|日|工作日)"), "[日天]"),
          (re.compile(r"多少钱|多少万|几万"), "元"))
# A clause asks only with a question word or mark: a cue that is only a noun (时效, 赔偿数额, 罚款) in a clause without one
# states the story (「时效过了的话，…」 「事先约定了专利侵权的赔偿数额，…」), it does not ask its value (session 38, V1').
_ASKING = re.compile(r"多少|几|多久|多长|多大|哪|什么|啥|吗|呢|[？?]|\b(?:how|what|when|which)\b", re.I)
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
# BV (session 47): a cue that is only a noun asks its value when the clause asks a value (多少, 几, 多久, 什么, 怎么算 …) or
# asks nothing more of the noun (「保护期呢？」); 「诉讼时效会中断吗」「保护期可以延长吗」 ask whether something happens to it, and
# the article stating the period (民法典第一百八十八条's 三年) is not their answer.
_ASKS_A_VALUE = re.compile(r"多少|几|多久|多长|多大|哪|什么|啥|怎么算|怎样算|如何算|怎么计算|如何计算|如何确定|怎么定|"
                           r"\b(?:how|what|when|which)\b", re.I)
_NOTHING_MORE = re.compile(r"[是为有的呢吗啊呀吧？?。\s]*$")


def _asks_its_value(clause: str, cue: re.Match) -> bool:
    """Whether a clause with a value cue asks the value: always when the cue holds a question word (赔多少, 保护多少年); a
    cue that is only a noun (时效, 保护期, 罚款) when the clause asks a value or nothing more of it (BV)."""
    if _CUE_QUESTION_WORDS.search(cue.group()) or not _CJK_WORD.fullmatch(cue.group()):
        return True
    return bool(_ASKS_A_VALUE.search(clause) or _NOTHING_MORE.match(clause, cue.end()))


def asked_value_of(question_norm: str, tokens: list[str]) -> tuple[str, list[re.Pattern]] | None:
    """(the thing a value is asked of, how statutes write that kind of value) for a question asking a value (the
    types of answer_types.tsv with a value column) in the clause it asks in; None when it asks none or the thing cannot be
    told. The thing is the cue's own noun (赔偿多少), else what follows a measure word (多少项专利导航项目), else the
    question's word (``tokens``, the index's own words) of two characters or more ending nearest before the cue (年费多少钱),
    the longer of two ending there."""
    found = None
    for sentence in QUESTION_SENTENCE.finditer(asked(question_norm)):
        for clause in _CLAUSE.finditer(sentence.group()):
            for row in _rows():
                if row["value"] and (m := re.search(row["question_cue"], clause.group(), re.I)) \
                        and _ASKING.search(clause.group()) and _asks_its_value(clause.group(), m):
                    found = (clause.group(), m, row)
    if found is None:
        return None
    clause, m, row = found
    unit = next((u for cue, u in _UNITS if cue.search(m.group())), None)
    value = [re.compile(f"(?:{row['value']})(?<={unit})" if unit else row["value"])]
    own = _CUE_QUESTION_WORDS.sub("", m.group()).lstrip(_CUE_EDGES[0]).rstrip(_CUE_EDGES[1])
    if len(own) >= 2 and not own.isascii():
        return own, value
    after = _AFTER_MEASURE.match(clause, m.end())
    if row["type"] == "count" and after:
        thing = after.group().rstrip(_PARTICLES)[:8]
        if len(thing) >= 2:
            return thing, value
    before = clause[:m.start()]
    near = sorted((before.rfind(t) + len(t), len(t), t) for t in set(tokens)
                  if len(t) >= 2 and t not in _QUALIFIERS and _CJK_WORD.fullmatch(t) and t in before)
    return (near[-1][2], value) if near else None


# One statement of a source: up to 。；or a line's end. Not up to a comma: a statute writes its subject, a comma, then the
# value (「对外国实用艺术作品的保护期，为自该作品完成起二十五年。」; V2' from dev g210).
_SOURCE_STATEMENT = re.compile(r"[^；;。\n]+")


def states_value_of(thing: str, values: list[re.Pattern], text_simplified: str) -> bool:
    """Whether one statement of a source (up to 。 or ；) writes ``thing`` and a value of the asked kind together."""
    return any(thing in c and any(v.search(c) for v in values) for c in _SOURCE_STATEMENT.findall(text_simplified))


# How a statute states a value directly of its thing: 「注册商标的有效期为十年」 (为/是/均为/一律为 at most between them), and the words
# before the thing that only point (每次续展注册的有效期: 每次 says which one, not what).
# 「对外国实用艺术作品的保护期，为自该作品完成起二十五年」 (实施国际著作权条约的规定第六条) is as direct: a comma, and a 「自…起」 starting
# point, may stand between (VQ').
_DIRECTLY = re.compile(r"[，,]?(?:均|一律)?(?:为|是)?(?:自[^，,。；]{0,12}?起)?")
_POINTING = re.compile(r"^(?:对于|对|关于|每次|每一|各|其|该|本|上述|前款|前述)")
_QUALIFIER = re.compile(r"[\u4e00-\u9fff]+$")
_ARTICLE_NUMBER = re.compile(r"^\s*第[一二三四五六七八九十百零]+条\s*")


def unasked_qualifier(thing: str, values: list[re.Pattern], text_simplified: str, question_norm: str) -> int | None:
    """How many characters of the words qualifying ``thing`` the question does not write, in the source's statement that
    states a value of the asked kind directly of it (「注册商标的有效期为十年」: 注册商标; 「每次续展注册的有效期为十年」: 续展注册),
    the fewest over its statements; None when no statement states the value directly after the thing. Why: 商标法第四十条
    writes 有效期 and a value in one statement twice, and 第三十九条 「注册商标的有效期为十年」 is what 「商标有效期多久」 asks
    (session 42's sweeps, VQ)."""
    best = None
    for statement in _SOURCE_STATEMENT.findall(text_simplified):
        statement = _ARTICLE_NUMBER.sub("", statement)
        for m in re.finditer(re.escape(thing), statement):
            after = _DIRECTLY.match(statement, m.end()).end()
            if not any(v.match(statement, after) for v in values):
                continue
            before = re.split(r"[，,、：:（）()]", statement[:m.start()])[-1].rstrip("的")
            words = _QUALIFIER.search(before)
            qualifier = _POINTING.sub("", words.group()) if words else ""
            missing = sum(1 for ch in qualifier if ch not in question_norm)
            best = missing if best is None else min(best, missing)
    return best


# A maximum asked (「最高能罚多少」「最多赔多少」「最长多久」): where a source states several values (a graded fine: 「处十万元以上一百万元
# 以下的罚款；情节严重的，处一百万元以上五百万元以下」), the one stating the largest answers, not the first tier (session 38's sweep
# T, S27: 「侵犯商业秘密，监管部门最高能罚多少钱？」 led with 「…一百万元以下」). Not a minimum: statutes write their own 最低 per case
# (「一项发明专利的奖金最低不少于4000元」, 「…实用新型专利或者外观设计专利的奖金最低不少于1500元」), and the smallest of them is not
# what 「发明人奖金最少给多少？」 asks.
_MOST = re.compile(r"最高|最多|上限|封顶|顶格|最大|最长|最重|最久")
# How a statute writes a sum, a multiple or a period, and what one unit of it is worth (in 元, times, days).
_MAGNITUDE = re.compile(r"(\d+(?:\.\d+)?|[一二三四五六七八九十百千零两〇]+)\s*(万元|元|倍|个月|个工作日|工作日|年|月|日|天)")
_WORTH = {"万元": ("amount", 1e4), "元": ("amount", 1.0), "倍": ("multiple", 1.0), "年": ("duration", 365.0),
          "个月": ("duration", 30.0), "月": ("duration", 30.0), "个工作日": ("duration", 1.0), "工作日": ("duration", 1.0),
          "日": ("duration", 1.0), "天": ("duration", 1.0)}
# 「最高是几倍」 asks a multiple (punitive damages: 「一倍以上五倍以下」), not the largest sum in 元 (B1', from dev g126).
_MULTIPLE = re.compile(r"[几多少]+倍")


def asked_maximum(question_norm: str) -> str | None:
    """"amount", "multiple" or "duration" when the question asks the largest sum, multiple or period (最高, 最多, 最长…), else
    None."""
    text = asked(question_norm)
    if not _MOST.search(text):
        return None
    types = asked_types(question_norm)
    if "amount" in types:
        return "multiple" if _MULTIPLE.search(text) else "amount"
    return "duration" if "duration" in types else None


def magnitudes(text_simplified: str, kind: str) -> list[float]:
    """The sums (in 元), multiples or periods (in days) a text states, for ``kind`` "amount", "multiple" or "duration"."""
    out = []
    for number, unit in _MAGNITUDE.findall(text_simplified):
        what, worth = _WORTH[unit]
        if what != kind:
            continue
        try:
            value = float(number) if number[0].isdigit() else float(cn_to_int(number))
        except (ValueError, KeyError):
            continue
        out.append(value * worth)
    return out


# A question asking what a term means, and the term (session 39, DF): 「什么是反向工程？」「啥叫人民调解」「驰名商标是指什么」
# 「新颖性是什么意思」「电子商务经营者指的是谁」「商业秘密的定义是什么」. The term is 2–12 characters; 「专利法里新颖性…」 names the
# law the term is of, which is taken off.
_TERM = r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?)"
_OPENS = r"(?:^|[，,。？?！!\s])"  # the term opens the question or a clause of it
_ENDS = r"(?:呢|啊|呀)?(?:[？?。！!，,]|$)"  # the asking ends there
_WHAT = r"(?:什么样的[\u4e00-\u9fff]{1,6}|什么|啥|谁)"
_DEFINITION_ASKED = (re.compile(rf"(?:什么|啥)(?:是|叫做?|算是?){_TERM}{_ENDS}"),  # 什么是X, 啥叫X
                     re.compile(rf"(?:{_OPENS}|所谓的?){_TERM}(?:到底|究竟)?(?:是指|是|指的是|指){_WHAT}(?:意思)?{_ENDS}"),  # X是指什么
                     re.compile(rf"{_OPENS}{_TERM}的?(?:定义|含义|意思)(?:是什么|是啥|指什么)?{_ENDS}"))  # X的定义是什么
_OF_A_LAW = re.compile(r"^.+?(?:法|法典|条例|规定|解释|方案)(?:里|中|上)(?:的|所说的|说的|讲的)?")
_ASKER_WORDS = ("所谓", "这个", "那个", "我们", "我")


def asked_definition_of(question_norm: str) -> str | None:
    """The term a question asks the meaning of, or None. Statutes define a term in one form (``defines``), so a loaded text
    that defines the very term answers the question, whatever else its words share."""
    for pattern in _DEFINITION_ASKED:
        if (m := pattern.search(question_norm.strip())) is None:
            continue
        term = re.sub(r"的?(?:定义|含义|意思)$", "", _OF_A_LAW.sub("", m.group(1)))
        for word in _ASKER_WORDS:
            term = term.removeprefix(word)
        if len(term) >= 2:
            return term
    return None


def defines(term: str, text_simplified: str) -> bool:
    """Whether the text defines ``term`` the way statutes do: 「（本法）所称（的）X，是指」, 「X，是指」, 「（一）X，是指」, 「X（以下简称Y），
    是指」, or a sentence opening 「X是」 (「知识产权是权利人依法就下列客体享有的专有的权利」; not 是否, and not inside a sentence,
    where 「；期限届满日是法定休假日的」 is a condition: DF2)."""
    t = re.escape(term)
    return re.search(rf"(?:^|[，,。；;：:\s）)]|所称的?){t}(?:[（(][^）)]{{0,20}}[）)])?[，,]?(?:是指|系指)"
                     rf"|(?:^|[。\n]|第[一二三四五六七八九十百零]+条 ){t}是(?!否)", text_simplified) is not None
