"""Helpers for the three kinds of users who are not just asking one question.

- civil servants: the 22-task table and one task's section, title, text and named bodies;
- enterprises: from a short self-description, the plan's (and, once loaded, the measures')
  support measures that match, each quoted and cited;
- Taiwan professionals are served by ordinary questions: task 19, 专利代理条例 and the
  Taiwan-investment law are in the index, and their questions are tested in tests/.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path

from rongzhi.core.errors import QuestionError
from rongzhi.core.normalize import original_wording, to_simplified, to_simplified_display, to_traditional
from rongzhi.core.tables import read_table
from rongzhi.core.versions import EXPIRED, as_of_date, describe

from rongzhi.index.lexical import word_bounds

from .bodies import LEAD_UNITS_NOTE, as_written, named_bodies
from .compose import citation, display, is_traditional, quote_for, terms_note_for
from .retrieve import Hit
from .query import EN, ZH_HANT, without_markup
from .service import TAIWAN_EN as _TAIWAN_EN, Assistant


def plan_tasks(assistant: Assistant) -> list[dict]:
    """One row per plan task: n, section, title, bodies named, locator, original text.
    Section, title and bodies are labels in mainland wording (for search and tables); the
    ``*_original`` fields and ``text`` keep the plan's own words."""
    rows = []
    for chunk in assistant.reader.chunks:
        if chunk.doc_id != assistant.plan_doc_id or not chunk.locator.startswith("任务"):
            continue
        section = chunk.section_path[0] if chunk.section_path else ""
        rows.append({"n": int(chunk.locator[2:]), "locator": chunk.locator,
                     "section": to_simplified(section), "title": to_simplified(chunk.heading),
                     "section_original": section, "title_original": chunk.heading,
                     "bodies": named_bodies(to_simplified(chunk.text)),
                     "text": chunk.text, "doc_id": chunk.doc_id, "doc_title": chunk.title})
    return sorted(rows, key=lambda r: r["n"])


PLAN_EXPIRED = "《{title}》原文写明有效期至 {until}，按 {as_of} 已届满：这些是它有效期内的安排，不代表现行政策。"
PLAN_EXPIRED_EN = ("《{title}》 says it applies until {until}; on {as_of} that term has ended: these are the arrangements of "
                   "its term, not current policy.")


def plan_expiry_note(assistant: Assistant, language: str = "zh-Hans") -> str | None:
    """When the plan's own term (``expires_on``) has ended on the as-of day: said beside every task
    and measure shown from it, as an answer quoting it says it in its version note."""
    doc = assistant.document(assistant.plan_doc_id) if assistant.plan_doc_id else None
    as_of = as_of_date(assistant.settings.as_of)
    if not doc or describe({**doc, "loaded": True}, as_of)["status"] != EXPIRED:
        return None
    form = PLAN_EXPIRED_EN if language == EN else PLAN_EXPIRED
    return _label(form.format(title=doc["title"], until=doc["expires_on"], as_of=as_of), language)


def task_detail(assistant: Assistant, n: int, traditional: bool = False) -> dict | None:
    """One task for a reader; ``traditional`` shows the plan's own Traditional text and puts
    every label in Traditional (``language`` says which)."""
    row = next((r for r in plan_tasks(assistant) if r["n"] == n), None)
    if row is None:
        return None
    detail = {**row, "lead_units": None, "lead_units_note": LEAD_UNITS_NOTE,
              "language": ZH_HANT if traditional else "zh-Hans",
              "text_display": row["text"] if traditional else to_simplified_display(row["text"]),
              "title_display": row["title_original"] if traditional else to_simplified_display(row["title_original"]),
              "plan_status": plan_expiry_note(assistant, ZH_HANT if traditional else "zh-Hans")}
    if traditional:
        detail.update(section=row["section_original"], title=row["title_original"],
                      lead_units_note=to_traditional(LEAD_UNITS_NOTE),
                      bodies=as_written(row["bodies"], row["text"], ZH_HANT))  # the plan's own names (榕台智慧財產權智庫)
    return detail


# What a company says, split into its parts: what it wants to do, what it holds, what it is.
# 、 joins the items of one part (「想做质押融资、贯标、专利导航」: three wants), split below as pieces.
_PART_SPLIT = re.compile(r"[，,；;。/\n]|以及|并且|而且")
_WANT = re.compile(r"^.*?(?:还想|想要|想做|想|打算|计划|准备|希望|需要|要|申请|开展|参加|参与)")
_HOLD = re.compile(r"^(?:我们)?(?:已经|已|只|仅|只是)?(?:有|拥有|持有|取得|获得)")
# What a company lacks is not a need: 「没有专利」 listed measures "与您想做的‘没有专利’有关：原文写到‘专利’".
# A part that only asks for help (「…，怎么办」) names no need: it was listed as 「■ 怎么办（工作方案中没有直接对应的措施）」.
# So does one that only asks how much (「能拿多少钱」): amounts are the measures' (the notice says so); its 钱 was expanded to 赔偿
# and listed 任务9's punitive damages (session 42's sweep C).
_ASKS_ONLY = re.compile(r"^(?:那|该|应该|要|可以)?(?:怎么办|咋办|怎么弄|咋弄|怎么处理|如何处理|怎么解决|如何解决|有什么办法|有啥办法|"
                        r"怎么做|该怎么做|如何是好|(?:能|可以|大概|一般)?(?:拿|领|给|补|得|有)?多少(?:钱|万)?|"
                        # 「政府有没有支持」「市里有什么扶持政策」: asks for support and names no need (session 43's sweep: 政府 listed
                        # 任务22's 「政府、公众与市场主体的互动机制」)
                        r"(?:政府|市里|市政府|福州|国家|当地)?(?:有没有|有什么|有哪些|有无|能不能给|会不会给|能否给)(?:相关)?"
                        r"(?:支持|扶持|补贴|补助|资助|奖励|优惠)?(?:政策|措施)?(?:吗|呢)?)[？?！!。]*$")
_LACKS = re.compile(r"^(?:我们)?(?:公司|企业|我司|本公司)?(?:还|暂时|目前)?(?:没有|没|无|暂无|尚无|尚未|还未|未|不)")
# English descriptions: the same roles in English words (the plan's matches come from the glossary).
_PART_SPLIT_EN = re.compile(r"[,;.\n]|\band\b(?= (?:we|want|plan|hope|need|have|worried))")
_WANT_EN = re.compile(r"^.*?\b(?:want(?:s|ing)? to|plan(?:s|ning)? to|hop(?:e|es|ing) to|need(?:s)? to|would like to|"
                      r"looking to|worried about|concerned about|need|want)\b", re.I)
_HOLD_EN = re.compile(r"^(?:we )?(?:already )?(?:only )?(?:have|has|own|hold)\b", re.I)
_LACKS_EN = re.compile(r"^(?:we )?(?:do not|don't|have no|has no|no|without)\b", re.I)
_COMPANY_EN = re.compile(r"\b(?:company|firm|studio|enterprise|factory|startup|shop|business|manufacturer|exporter)\b", re.I)
# 厂 (小厂, 食品厂, 厂家) names a maker as 工厂 does; 「一家…」 opens a description of what the company is (「一家服装品牌」):
# read as a want or a situation, a company's trade was listed as its need (session 42's sweep, MF).
_COMPANY = re.compile(r"企业|公司|院所|高校|大学|工厂|厂|商户|合作社|工作室|事务所|^一家")
_TAIWAN = re.compile(r"台资|台企|台湾|台胞|台商|臺")
# Words that every task shares or that say nothing about a measure: a match on them alone is
# not a reason to list a task.
GENERIC_WORDS = frozenset("""
知识产权 企业 公司 我们 一家 福州 福州市 工作 推动 加强 支持 开展 建设 进行 发展 服务 做 想 希望 需要 参加 参与 推广
产品 新产品 有关 相关 方面 问题 怎么 如何 可以 能 什么 哪些 情况 业务 项目 提升 能力 申请 计划 准备 打算
开发
""".split())  # 开发: what a company does (开发SaaS产品), not a measure; it matched 任务7's 保险机构开发新型保险产品
# A word at most this many of the ~25 measures contain names something particular (a trade, a kind of company).
SPECIFIC_DF = 2
AUDIENCE_TASKS = {19: _TAIWAN}  # tasks meant for one kind of company only (19: 榕台 cooperation)
TAIWAN_TASK = 19
MEASURES_NOTICE_EN = ("Amounts and eligibility are set by 《福州市知识产权专项资金管理办法》 (榕政办规〔2022〕7号), whose text is "
                      "not loaded: the list above has only the plan's measures, without amounts. With that document, load it "
                      "with `rongzhi corpus add FILE`.")
MEASURES_NOTICE = ("资助标准和申报条件规定在《福州市知识产权专项资金管理办法》（榕政办规〔2022〕7号）中，该文件全文尚未加载；"
                   "上面只列出工作方案中的相关措施，不含资助金额。有该办法的文件时，可用 rongzhi corpus add 文件 加载。")


def needs_of(description: str) -> list[str]:
    """'高新技术企业，有发明专利，想做质押融资和贯标' -> ['高新技术企业', '发明专利', '质押融资', '贯标']."""
    return [p["text"] for p in parse_company(description)]


def parse_company(description: str) -> list[dict]:
    """The parts of a self-description, each with its role: want (what the company wants to
    do: ranks first), said (anything else it tells: a situation, a problem; ranked like a want,
    but not worded as one), hold (IP it has), company (what it is), taiwan (Taiwan-invested)."""
    if _is_english(description):
        return _parse_company_en(description)
    parts = []
    for raw in _PART_SPLIT.split(description):
        raw = re.sub(r"^(?:我们|我司|本公司)?(?:是)?", "", raw.strip())
        if _LACKS.match(raw) or _ASKS_ONLY.match(raw):
            continue
        raw = re.sub(r"(?:吗|呢|的企业呢)$", "", raw)
        if not raw:
            continue
        if _TAIWAN.search(raw) and _COMPANY.search(raw):
            role, text = "taiwan", raw
        elif _HOLD.match(raw):
            role, text = "hold", _HOLD.sub("", raw)
        elif _WANT.match(raw) and not _COMPANY.search(raw):
            role, text = "want", _WANT.sub("", raw)
        elif _COMPANY.search(raw):
            role, text = "company", re.sub(r"^(?:一家|一个|家)", "", raw)
        else:
            role, text = "said", raw  # a situation or a problem (「被人在网上卖假货」), ranked like a want
        for piece in re.split(r"和|与|及|、", text) if role in ("want", "said", "hold") else [text]:
            piece = re.sub(r"^(?:做|搞|进行|开展|申请|办理)", "", piece.strip())
            if len(piece) >= 2:
                parts.append({"role": role, "text": piece})
    seen, unique = set(), []
    for p in parts:
        if p["text"] not in seen:
            seen.add(p["text"])
            unique.append(p)
    return unique


def _is_english(text: str) -> bool:
    return not re.search(r"[\u4e00-\u9fff]", text) and bool(re.search(r"[A-Za-z]", text))


def _parse_company_en(description: str) -> list[dict]:
    """``parse_company`` for an English description: its clauses keep the asker's words as labels."""
    parts = []
    for raw in _PART_SPLIT_EN.split(description):
        raw = raw.strip()
        if len(raw) < 3 or _LACKS_EN.match(raw):
            continue
        if _TAIWAN_EN.search(raw) and _COMPANY_EN.search(raw):
            role, text = "taiwan", raw
        elif _HOLD_EN.match(raw):
            role, text = "hold", _HOLD_EN.sub("", raw).strip()
        elif _WANT_EN.match(raw):
            role, text = "want", _WANT_EN.sub("", raw).strip() or raw
        elif _COMPANY_EN.search(raw):
            role, text = "company", raw
        else:
            role, text = "said", raw
        if text and text not in {p["text"] for p in parts}:
            parts.append({"role": role, "text": text})
    return parts


def _terms(assistant: Assistant, text: str) -> list[str]:
    """The words of ``text`` that can justify a measure (normalized, generic words removed
    first, so 知识产权保护 keeps 保护 and not the pieces 知识/产权), longest first, and the
    plan's words for them that the question's expansion adds (the lay table: 贷款 -> 融资, 质押),
    since a company says 找银行贷款 where the plan says 质押融资. A part with no words (「b>」, left of 「<b>贯标</b>」 when the
    description is split at its slashes) has none: the description is not rejected for it (session 35's UI sweep)."""
    try:
        parsed = assistant.parse(text)
    except QuestionError:
        return []
    norm = parsed.norm.strip()
    rest = norm
    for word in sorted(GENERIC_WORDS, key=len, reverse=True):
        rest = rest.replace(word, " ")
    terms = [norm] if norm not in GENERIC_WORDS and len(norm) >= 2 else []
    named_whole = [t for t in _whole_terms() if t in norm or t in parsed.expansion]  # said or expanded
    for piece in rest.split():
        if len(piece) >= 2:
            terms.append(piece)
            # Sub-words that end on a word boundary of the piece, as on the plan's side (``_matched``):
            # Chinese compounds put the head last (融资 of 质押融资 is still financing; 资金 of 资金紧张 is a
            # word of its own), but 东南 of 东南亚 is not Southeast Asia (it matched 任务2's 中国东南科学城).
            ends = _word_bounds(assistant, piece)
            whole = [t for t in named_whole if t in piece]  # 外观设计 is not 设计 (data/measures_whole_terms.tsv)
            terms.extend(w for w in assistant.reader.lexical.tokenize(piece) if len(w) >= 2 and w not in GENERIC_WORDS
                         and _matched([w], piece, ends) and not any(w in t and w != t for t in whole))
    # The expansion's pieces of a whole term are not its words either (电商 -> 电子商务 also brought 电子, which matched
    # task 15's 电子信息产业: session 36's sweep M).
    terms.extend(t for t in parsed.expansion if len(t) >= 2 and t not in GENERIC_WORDS
                 and not any(t in w and t != w for w in named_whole))
    terms.extend(word for pattern, words in _plan_words() if pattern.search(norm.lower()) for word in words)
    # A number alone is no reason: 「20人」 matched 任务1's 「20」.
    terms = [t for t in terms if re.search(r"[\u4e00-\u9fffA-Za-z]", t)]
    return sorted(dict.fromkeys(terms), key=len, reverse=True)


@functools.cache
def _whole_terms() -> tuple[str, ...]:
    """Kinds of IP right and other terms of art matched only whole (``data/measures_whole_terms.tsv``, each with its
    reason)."""
    return tuple(r["term"] for r in read_table(Path(__file__).with_name("data") / "measures_whole_terms.tsv",
                                               ("term", "reason")))


def _plan_words() -> list[tuple[re.Pattern, tuple[str, ...]]]:
    """(pattern, the plan's words) rows of ``data/measures_terms.tsv``: the plan's own words for what a
    company says about its problems (假货 -> 侵权 维权)."""
    rows = read_table(Path(__file__).with_name("data") / "measures_terms.tsv", ("pattern", "plan", "reason"))
    return [(re.compile(r["pattern"]), tuple(r["plan"].split())) for r in rows]


# A need's word directly before one of these names a kind of organisation in the plan, not the activity:
# 「找投资」 is not served by 任务20's 「外商投资企业…保护状况调查」 (a survey of foreign-invested companies).
ORGANISATION_HEADS = ("企业", "机构")
# A term the plan writes as the modifier of one of these heads still names what is offered: 「知识产权保险产品」
# is IP insurance. jieba keeps 保险产品 as one word, so the word-boundary rule of ``_matched`` left 知识产权保险
# unmatched and the 企业 tab said 任务7 had nothing for it (report s29).
PRODUCT_HEADS = ("产品",)


def _matched(terms: list[str], norm: str, bounds: set[int] | None = None, not_before: tuple[str, ...] = ()) -> list[str]:
    """Terms found in ``norm``, leaving out those inside a longer found term (专利导航, not 利导),
    each as ``norm`` writes it: the tokenizer lower-cases Latin words (rcep), the plan writes RCEP.
    ``bounds``: the word boundaries of ``norm`` (``_word_bounds``); a term must end on one. Chinese
    compounds put the head last: 资金 inside 专项资金 is still a fund, but 开发 (to develop software)
    inside 开发区 (a development zone) is only its modifier. ``not_before``: an occurrence directly
    followed by one of these words modifies it (投资 of 外商投资企业) and does not count. A term
    followed by one of ``PRODUCT_HEADS`` counts (保险 of 保险产品), word boundary or not."""
    lower = norm.lower()
    found: list[str] = []
    for term in terms:
        t = term.lower()
        at = lower.find(t)
        while at >= 0 and ((bounds is not None and at + len(t) not in bounds
                            and not lower.startswith(PRODUCT_HEADS, at + len(t)))
                           or lower.startswith(not_before, at + len(t))):
            at = lower.find(t, at + 1)
        if at >= 0 and not any(t in longer.lower() for longer in found):
            found.append(norm[at:at + len(term)])
    return found


def _word_bounds(assistant: Assistant, norm: str) -> set[int]:
    """Offsets where words of ``norm`` start or end, as the index's dictionary segments it (jieba's
    precise mode: 开发区 is one word, 质押融资 two)."""
    return word_bounds(norm, assistant.reader.lexical.dict_path)


def _measure_chunks(assistant: Assistant) -> list:
    """Support measures are the plan's tasks (not its city-wide targets) and, once loaded,
    the articles of the special-fund measures."""
    return [c for c in assistant.reader.chunks
            if (c.doc_id == assistant.plan_doc_id and c.locator.startswith("任务"))
            or c.doc_id == assistant.measures_doc_id]


def _task_no(chunk) -> int | None:
    """The plan task number of a chunk from ``_measure_chunks`` (only the plan's locators are 任务N)."""
    return int(chunk.locator[2:]) if chunk.locator.startswith("任务") and chunk.locator[2:].isdigit() else None


REASONS = {
    "want": "与您想做的“{need}”有关：原文写到“{terms}”",
    "said": "与您提到的“{need}”有关：原文写到“{terms}”",
    "hold": "与您已有的“{need}”有关：原文写到“{terms}”",
    "company": "与“{need}”有关：原文写到“{terms}”",
    "taiwan": "台资企业：这是方案中专门推动榕台知识产权合作的任务",
}
REASONS_EN = {
    "want": "About what you want, “{need}”: the text says “{terms}”",
    "said": "About what you said, “{need}”: the text says “{terms}”",
    "hold": "About what you have, “{need}”: the text says “{terms}”",
    "company": "About “{need}”: the text says “{terms}”",
    "taiwan": "Taiwan-invested company: this is the plan's task for cross-strait (榕台) IP cooperation",
}


def find_measures(assistant: Assistant, description: str, per_need: int = 2) -> dict:
    """Support measures for a company, ranked by what it said it wants to do.

    A measure is listed only when its text contains the need's own words (so every item is
    quoted evidence with a one-line reason), city-wide targets are never listed as measures,
    task 19 (榕台) only for Taiwan-invested companies, and what a company holds or is only
    counts when it said nothing it wants to do, or to order the matches of what it wants."""
    # Markup and links are no part of a description (「**质押融资** <b>贯标</b>」 was split at the tag's slash: the UI sweep)
    description = re.sub(r"\s+", " ", without_markup(description or "").replace("**", " ")).strip()
    if not description:  # said as what this command asks for, not as an empty question
        raise QuestionError("企业情况描述为空：请描述企业情况和打算做的事，例如“高新技术企业，有发明专利，想做质押融资”。",
                            "the company description is empty: describe the company and what it wants to do")
    query_all = assistant.parse(description)
    language = query_all.language
    # Roles and words are read in mainland Simplified; an English description in its own words
    # (its norm carries the glossary's Chinese terms, which are not the asker's words).
    parts = parse_company(description if language == EN else query_all.norm)
    candidates = _measure_chunks(assistant)
    bounds = {c.chunk_id: _word_bounds(assistant, c.norm) for c in candidates}

    @functools.cache  # one value per term for this description, not one per term and measure
    def df(term: str) -> int:
        """How many measures contain ``term``."""
        return sum(term.lower() in c.norm.lower() for c in candidates)

    def rarity(term: str) -> float:
        """log(1 + N / df): N measures, df of them that contain ``term``."""
        return math.log(1 + len(candidates) / max(df(term), 1))
    # Taiwan as the company says it, not in what it lacks (「我们公司没有台资背景」 is not Taiwan-invested).
    taiwan = any(p["role"] == "taiwan" or _TAIWAN.search(p["text"]) for p in parts) or (
        language == EN and bool(_TAIWAN.search(query_all.norm)))
    wants = [p for p in parts if p["role"] in ("want", "said")]
    context_terms = [t for p in parts if p["role"] in ("hold", "company") for t in _terms(assistant, p["text"])]
    order = {"taiwan": 0, "want": 1, "said": 1, "hold": 2, "company": 3}
    results, seen = [], set()
    for part in sorted(parts, key=lambda p: order[p["role"]]):
        role, need = part["role"], part["text"]
        asked = _as_asked(need, description, language)
        # Beside what it wants, what a company is or holds is listed only by words few measures use: the plan
        # naming its own trade (寿山石雕: tasks 1 and 4) or kind (外商投资企业: task 20) is a reason, 专利 is not.
        specific_only = role in ("hold", "company") and bool(wants)
        if role == "taiwan":
            scored = [(1.0, c, []) for c in candidates if _task_no(c) == TAIWAN_TASK]
        else:
            terms = _terms(assistant, need)
            if specific_only:  # 投资 of 外商投资企业 says what kind of company it is, not that it wants to invest
                own = to_simplified(need).lower()
                terms = [t for t in terms if t.lower().endswith(ORGANISATION_HEADS)
                         or not any(t.lower() + head in own for head in ORGANISATION_HEADS)]
            scored = []
            for chunk in candidates:
                task = _task_no(chunk)
                audience = AUDIENCE_TASKS.get(task)
                if audience is not None and not taiwan:
                    continue
                hit_terms = _matched(terms, chunk.norm, bounds[chunk.chunk_id],
                                     () if role == "company" else ORGANISATION_HEADS)
                if specific_only:
                    hit_terms = [t for t in hit_terms if df(t) <= SPECIFIC_DF]
                if not hit_terms:
                    continue
                # A word most measures use (专利 is in most tasks) says less about this one than a word few
                # use (质押融资): each matched word counts by its rarity among the measures, and so does each word of
                # what the company is or holds: 鱼丸 (tasks 4, 11) orders 地理标志's measures, 商标 (most tasks) hardly.
                weight = (sum(len(t) * min(3, chunk.norm.count(t)) * rarity(t) for t in hit_terms)
                          + 0.1 * sum(len(t) * rarity(t)
                                      for t in _matched(context_terms, chunk.norm, bounds[chunk.chunk_id])))
                scored.append((weight, chunk, hit_terms))
            scored.sort(key=lambda x: (-x[0], _task_no(x[1]) or 99))
        matches = []
        for weight, chunk, hit_terms in scored[:per_need]:
            need_query = assistant.parse(" ".join(hit_terms) or need)
            hit = Hit(chunk, score=weight)
            quote = quote_for([hit], need_query, max_spans=1)
            cite = citation(0, [hit], quote)
            # The plan's own words for the matched terms (軟體園, not the normalized 软件园 shown as 軟件園),
            # shown like the quote; the asker's own words for the need.
            words = [display(original_wording(t, chunk.text) or t, language, is_traditional(chunk.text))
                     for t in hit_terms[:3]]
            template = _label((REASONS_EN if language == EN else REASONS)[role], language)
            reason = template.format(need=asked, terms="”“".join(words))
            matches.append({**cite, "quote_display": display(quote.original, language, is_traditional(chunk.text)),
                            "reason": reason, "already_listed": chunk.chunk_id in seen})
            seen.add(chunk.chunk_id)
        if specific_only and not matches:
            results.append({"need": asked, "role": role, "matches": [], "context": True})
            continue  # used to order the wants' matches, not listed on its own
        results.append({"need": asked, "role": role, "matches": matches})
    notice = None if assistant.measures_loaded else _label(MEASURES_NOTICE_EN if language == EN else MEASURES_NOTICE,
                                                           language)
    # The plan is quoted in its own (Taiwan-usage) words: a mainland reader is told 智慧财产权 is 知识产权, as under an
    # answer (session 44's seller sweep: 「《福州市智慧财产权专项资金管理办法》」 above a note calling it 知识产权).
    quoted = [m["quote_display"] for need in results for m in need["matches"]]
    terms = "" if language == ZH_HANT else terms_note_for(quoted, language)
    return {"description": description, "language": language, "needs": results, "notice": notice,
            "plan_status": plan_expiry_note(assistant, language), "terms_note": terms,
            "notice_code": None if assistant.measures_loaded else "measures_not_loaded"}


def _as_asked(need: str, description: str, language: str) -> str:
    """A need as the company wrote it (「台資軟體公司」, not the normalized 软件 shown as 軟件)."""
    return original_wording(need, description) or _label(need, language)


def _label(text: str, language: str) -> str:
    return to_traditional(text) if language == ZH_HANT else text
