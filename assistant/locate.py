"""Direct locator lookup: 专利法第四十二条, 商标法第63条, 方案任务19, 第十九项任务, 主要目标.

Document names are matched against aliases derived from the titles in the index (longest first,
so 专利法实施细则 wins over 专利法), never from a hand list of laws.

A title with several versions: its plain names mean the version in force on the as-of date;
version-qualified names ("2019年商标法", "新商标法", "修订前的反不正当竞争法", "商标法（2019年）")
mean that version, and being longer they win over the plain name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rongzhi.core.roles import MEASURES, PLAN, doc_with_role
from rongzhi.core.normalize import to_simplified
from rongzhi.core.numerals import CN_NUMERAL_CHARS, cn_to_int, int_to_cn
from rongzhi.core.versions import date_int, in_force_version, start_date

# An article or task number as written in a question (十九, 19), and the two locators built on it; llm.py reads them too.
NUMBER = rf"[{CN_NUMERAL_CHARS}]+|\d+"
ARTICLE = re.compile(rf"第\s*({NUMBER})\s*条")
# 第十条第一款第五项: a paragraph (款) and/or an item (项) of an article.
_SUBUNIT = re.compile(rf"第\s*({NUMBER})\s*条\s*(?:第\s*({NUMBER})\s*款)?\s*(?:第\s*({NUMBER})\s*项)?")
_TREATY_UNIT = re.compile(r"第\s*11\s*\.\s*(\d{1,2})\s*条|\barticle\s*11\.(\d{1,2})\b|附件\s*11\s*([ABab])|\bannex\s*11([ABab])\b", re.I)
# 任务19, 第十九项任务, 重点任务第19项, and the everyday 第一个任务 (no 项 in it).
TASK = re.compile(rf"(?:任务\s*第?\s*({NUMBER})\s*项?|第\s*({NUMBER})\s*[项个](?:重点)?任务|重点任务\s*(?:第\s*)?({NUMBER})\s*项?)")
# 第十九项 alone, in a question that names the plan (「方案第十九项讲什么」): the plan's items are its tasks.
# After 条 or 款 it is an item of an article (著作权法第十条第五项).
_PLAN_ITEM = re.compile(rf"(?<![条款\s])\s*第\s*({NUMBER})\s*项(?!\s*(?:重点)?任务)")
_PLAN_HINT = re.compile(r"方案|工作方案|示范城市|强市")
_TARGETS = re.compile(r"主要目标|总体目标|目标是什么|目标有哪些|到2025年")
_VALIDITY = re.compile(r"有效期|施行|什么时候实施|何时实施|何时起|失效")
# The plan's parts a question finds by its words (_TARGETS, _VALIDITY), not by a number: a follow-up with a subject of
# its own does not carry them over from the question before it (``Assistant.understand``).
WORD_FOUND_PARTS = ("主要目标", "施行与有效期")
# 福州(市)方案: the city's name with 方案 is the plan too (「福州方案第25项任务是什么」 was no mere look-up, its 福州 left over).
PLAN_ALIASES = ("福州市国家知识产权强市建设示范城市工作方案", "知识产权强市建设示范城市工作方案", "示范城市工作方案",
                "强市建设工作方案", "福州市工作方案", "福州工作方案", "福州市的方案", "福州的方案", "福州市方案", "福州方案",
                "工作方案", "方案")
MEASURES_ALIASES = ("知识产权专项资金管理办法", "专项资金管理办法", "榕政办规〔2022〕7号", "榕政办规")
# Words that pick a version of a law named right after (before for the year suffixes).
NEWEST_PREFIXES = ("新", "新版", "最新", "最新版", "修订后的", "修改后的", "修正后的", "新修订的", "新修改的", "新修正的")
PREVIOUS_PREFIXES = ("旧", "旧版", "原", "老", "修订前的", "修改前的", "修正前的")
IN_FORCE_PREFIXES = ("现行", "现行的", "现行有效的")
# The same said after the name (「商标法新版什么时候开始实行」 was read as the law in force).
NEWEST_SUFFIXES = ("新版", "最新版", "修订版", "修订后", "修改后", "修正后", "新修订版")
PREVIOUS_SUFFIXES = ("旧版", "修订前", "修改前", "修正前")
YEAR_PREFIXES = ("{y}年", "{y}年版", "{y}版", "{y}年的", "{y}年版的", "{y}年修订的", "{y}年修正的", "{y}年修改的")
YEAR_SUFFIXES = ("（{y}年）", "（{y}）", "({y})", "({y}年)", "（{y}年版）", "（{y}年修正）", "（{y}年修订）",
                 # said after the name without brackets: 「商标法2026年修改后什么时候施行」
                 "{y}年版", "{y}年修改后", "{y}年修订后", "{y}年修正后")


@dataclass(frozen=True)
class LocatorRef:
    doc_id: str
    locator: str


def title_names(title: str) -> set[str]:
    """The names a question may call a document by: its title, without 中华人民共和国 and without a
    trailing （…）, each also in Simplified (llm.py checks an answer's law names with them too)."""
    # Questions are matched in Simplified (Query.norm): a Traditional title (an added 臺北市…辦法)
    # is named by its Simplified form too.
    names = {title, title.replace("中华人民共和国", "")}
    # A title of the form 「<issuer>关于<subject>」 is named by its subject alone, as people cite it: 「涉外知识产权纠纷处理的规定」
    # (NM, session 46's sweep G: 「国务院2025年那个涉外知识产权纠纷处理的规定，主要讲了啥？」 named no document). Eight
    # characters at least, so that the subject is itself a title and not a topic.
    names |= {m.group(1) for n in list(names) if (m := re.search(r"关于(.{8,})$", n))}
    names |= {re.sub(r"（[^）]*）$", "", n) for n in list(names)}
    names |= {to_simplified(n) for n in list(names)}
    return {n for n in names if len(n) >= 3}


def doc_aliases(documents: list[dict], as_of: str | None = None) -> list[tuple[str, str]]:
    """[(alias, doc_id)] sorted longest first. Aliases: full title, title without
    中华人民共和国 and without a trailing （…）; a title's plain names point to its version in
    force on ``as_of`` (default today), version-qualified names to that version."""
    pairs: dict[str, str] = {}
    by_title: dict[str, list[dict]] = {}
    for doc in documents:
        by_title.setdefault(doc["title"], []).append(doc)
    for title, versions in by_title.items():
        loaded = [{**v, "loaded": bool(v.get("path", True))} for v in versions]
        primary = in_force_version(loaded, as_of) or versions[0]
        for name in title_names(title):
            pairs.setdefault(name, primary["doc_id"])
        loaded = [v for v in loaded if v["loaded"]]
        if len(loaded) < 2:
            continue
        ordered = sorted(loaded, key=lambda v: date_int(start_date(v.get("version_date", ""), v.get("effective_date", ""))))
        years: dict[str, list[str]] = {}
        for v in ordered:
            years.setdefault(v.get("version_date", "")[:4], []).append(v["doc_id"])
        for name in title_names(title):
            for prefix in NEWEST_PREFIXES:
                pairs.setdefault(prefix + name, ordered[-1]["doc_id"])
            for prefix in PREVIOUS_PREFIXES:
                pairs.setdefault(prefix + name, ordered[-2]["doc_id"])
            for prefix in IN_FORCE_PREFIXES:
                pairs.setdefault(prefix + name, primary["doc_id"])
            for suffix in NEWEST_SUFFIXES:
                pairs.setdefault(name + suffix, ordered[-1]["doc_id"])
            for suffix in PREVIOUS_SUFFIXES:
                pairs.setdefault(name + suffix, ordered[-2]["doc_id"])
            for year, ids in years.items():
                if len(ids) != 1 or not year.isdigit():
                    continue  # two versions in one year: the year does not say which
                for form in YEAR_PREFIXES:
                    pairs.setdefault(form.format(y=year) + name, ids[0])
                for form in YEAR_SUFFIXES:
                    pairs.setdefault(name + form.format(y=year), ids[0])
    for doc in documents:  # 区域全面经济伙伴关系协定（RCEP）… -> 区域全面经济伙伴关系协定, RCEP, rcep
        for alias in abbreviation_aliases(doc["title"]):
            pairs.setdefault(alias, doc["doc_id"])
    for role, aliases in ((PLAN, PLAN_ALIASES), (MEASURES, MEASURES_ALIASES)):
        doc = doc_with_role(documents, role)  # whichever document holds the role, not a fixed doc_id
        for alias in aliases if doc else ():
            pairs.setdefault(alias, doc["doc_id"])
    return sorted(pairs.items(), key=lambda p: -len(p[0]))


def abbreviation_aliases(title: str) -> list[str]:
    """A title that spells out a name and then its Latin abbreviation in brackets (区域全面经济伙伴关系协定
    （RCEP）第十一章 知识产权) is asked about by either: the name, the abbreviation (any case)."""
    m = re.match(r"^(.{3,}?)[（(]([A-Za-z]{2,})[)）]", title)
    return [m.group(1), m.group(2), m.group(2).lower(), m.group(2).upper()] if m else []


def mentioned_docs(norm: str, aliases: list[tuple[str, str]]) -> list[str]:
    """doc_ids named in the (normalized) question, in order of appearance, longest alias first."""
    found: list[tuple[int, str]] = []
    taken = [False] * len(norm)
    for alias, doc_id in aliases:
        # str.find, not a regex per alias: with thousands of aliases (a large corpus) re's
        # pattern cache overflows and every question recompiled them all (~0.4 s at 16x).
        start = norm.find(alias)
        while start >= 0:
            end = start + len(alias)
            if not any(taken[start:end]):
                found.append((start, doc_id))
                for i in range(start, end):
                    taken[i] = True
            start = norm.find(alias, end)
    return list(dict.fromkeys(doc_id for _, doc_id in sorted(found)))


def article_locator(number: str) -> str:
    """'42' or '四十二' -> '第四十二条', the locator as chunks carry it (ValueError if not a number)."""
    return f"第{int_to_cn(cn_to_int(number))}条"


def find_locators(norm: str, aliases: list[tuple[str, str]], default_doc: str | None = None,
                  docs: list[str] | None = None, plan_doc: str | None = None) -> list[LocatorRef]:
    """Locator references in a normalized question. An article needs a document named in the
    question (or ``default_doc`` from the conversation); a task always refers to the plan.
    ``docs``: the question's ``mentioned_docs``, when the caller already has them; ``plan_doc``:
    the doc_id of the document with the plan role (tasks and targets are looked up there; without
    one, task and target references are not made)."""
    refs: list[LocatorRef] = []
    docs = mentioned_docs(norm, aliases) if docs is None else docs
    for m in TASK.finditer(norm):
        refs += _task_ref(next(g for g in m.groups() if g), plan_doc)
    if plan_doc and plan_doc in docs:
        for m in _PLAN_ITEM.finditer(TASK.sub(" ", norm)):
            refs += _task_ref(m.group(1), plan_doc)
    law_docs = [d for d in docs if d != plan_doc] or ([default_doc] if default_doc else [])
    for m in ARTICLE.finditer(norm):
        try:
            locator = article_locator(m.group(1))
        except ValueError:
            continue
        # The document named closest before the article reference.
        before = [d for d in law_docs if _last_pos(norm[:m.start()], d, aliases) >= 0]
        doc = max(before, key=lambda d: _last_pos(norm[:m.start()], d, aliases)) if before else (
            law_docs[0] if law_docs else None)
        if doc:
            refs.append(LocatorRef(doc, locator))
    for m in _TREATY_UNIT.finditer(norm):  # 第11.55条 / Article 11.55 / 附件11A (RCEP's own numbering)
        number, annex = m.group(1) or m.group(2), m.group(3) or m.group(4)
        locator = f"第11.{int(number)}条" if number else f"附件11{annex.upper()}"
        before = [d for d in law_docs if _last_pos(norm[:m.start()], d, aliases) >= 0]
        doc = max(before, key=lambda d: _last_pos(norm[:m.start()], d, aliases)) if before else (
            law_docs[0] if law_docs else None)
        if doc:
            refs.append(LocatorRef(doc, locator))
    if plan_doc and (plan_doc in docs or not docs):
        if _TARGETS.search(norm) and (plan_doc in docs or "2025" in norm):
            refs.append(LocatorRef(plan_doc, "主要目标"))
        if _VALIDITY.search(norm) and plan_doc in docs:
            refs.append(LocatorRef(plan_doc, "施行与有效期"))
    return list(dict.fromkeys(refs))


# A name cited with an article number: 《……》第N条, or ……法/条例/规定/解释/办法/细则第N条.
_CITED_NAME = re.compile(r"(?:《([^》]{2,40})》|([\u4e00-\u9fff]{1,24}(?:法|条例|规定|解释|办法|细则)))\s*$")
# Words joining two citations (著作权法第十条和劳动法第三条); 和 of 共和国 is part of a name.
_JOINS = re.compile(r"(?<!共)和|与|及|或|跟|、|，|,")
# Words in front of a cited name that are not part of it (请问劳动法第…), and names that point back
# at a document already in the conversation (本法第…).
# Longest first, so a longer lead is removed whole (查一下 before 查).
NAME_LEADS = tuple(sorted(("请问", "我想问", "想问", "我想知道", "根据", "按照", "依照", "依据", "关于", "查询", "查一下", "查",
                           "看看", "看一下"), key=len, reverse=True))
BACK_REFERENCES = ("本", "该", "此", "上述", "前述", "这部", "那部")
# What a question may add to a reference and still only ask for the text (专利法第九百条是什么).
# Longest first, for the same reason.
LOOKUP_WORDS = tuple(sorted(("是什么", "是啥", "什么内容", "的内容", "内容", "怎么规定", "怎么说", "说了什么", "讲了什么",
                             "讲的是什么", "规定了什么", "的规定", "规定", "原文", "全文", "条文", "请问", "查询", "查一下",
                             "看看", "一下", "那么", "那", "吗", "呢", "的"), key=len, reverse=True))


def _article_names(norm: str):
    """(the article number as written, the text before it, the name match or None) for every article number in ``norm``:
    the text before it back to the previous article and, unless it closes 《…》, to the last joining word."""
    for m in ARTICLE.finditer(norm):
        window = norm[max(0, m.start() - 42):m.start()]
        window = ARTICLE.split(window)[-1]  # 《著作权法》第十条和劳动法第三条: not past the previous article
        if not window.rstrip().endswith("》"):
            window = _JOINS.split(window)[-1]
        yield m.group(0), window, _CITED_NAME.search(window)


def _cited_names(norm: str):
    """(name, the text before its article number) for every article number cited after a name
    (……法第N条, 《……》第N条); the name without words like 请问 in front of it."""
    for _, window, cited in _article_names(norm):
        if not cited:
            continue
        name = cited.group(1) or cited.group(2)
        for lead in NAME_LEADS:
            if name.startswith(lead) and len(name) - len(lead) >= 2:
                name = name[len(lead):]
                break
        yield name, window


def bare_articles(norm: str) -> list[str]:
    """Article numbers cited with no name before them (「第五条是什么」): with no document named or in the conversation,
    which law is meant is a question for the user, as for 本法第五条 (session 42's sweep C, BA)."""
    return list(dict.fromkeys(article for article, _, cited in _article_names(norm) if not cited))


def back_references(norm: str) -> list[str]:
    """本法 / 该条例 … cited with an article number: they need a document from the conversation."""
    return list(dict.fromkeys(name for name, _ in _cited_names(norm) if name.startswith(BACK_REFERENCES)))


def unknown_law_names(norm: str, aliases: list[tuple[str, str]]) -> list[str]:
    """Names the question cites an article of (劳动法第四十四条) that match no loaded document.

    Why: with no document to look the article up in, the question used to fall through to the
    search, where 「第四十四条」 matched the 44th article of some other law, which was then quoted
    as related. Naming what is not loaded is the honest answer."""
    names = [name for name, window in _cited_names(norm)
             if not name.startswith(BACK_REFERENCES) and not _maybe_loaded(name, window.rstrip("》 "), aliases)]
    return list(dict.fromkeys(names))


# Generic parts of a statute's name: what is left after them is what tells one from another, and
# it is looked for in the loaded titles character by character, in order (科技进步法 is an
# abbreviation of 科学技术进步法).
_GENERIC_NAME = re.compile(r"^(?:中华人民共和国|最高人民法院|最高人民检察院|关于|审理)+|(?:司法解释|解释|若干规定|规定|"
                           r"实施条例|实施细则|条例|办法|细则|法)+$")


def _maybe_loaded(name: str, window: str, aliases: list[tuple[str, str]]) -> bool:
    """A loaded document may be meant: an alias ends where the article number begins, or the name's
    distinctive part occurs in one (惩罚性赔偿解释 -> 《…适用惩罚性赔偿的解释》). Saying a loaded
    document is missing would be worse than not saying anything."""
    core = _GENERIC_NAME.sub("", name)
    return any(window.endswith(a) or (len(core) >= 2 and _in_order(core, a)) for a, _ in aliases)


def _in_order(chars: str, text: str) -> bool:
    """Every character of ``chars`` occurs in ``text`` in order (科技进步 in 科学技术进步法)."""
    rest = iter(text)
    return all(ch in rest for ch in chars)


def _citation_pattern(name: str) -> str:
    return rf"《?{re.escape(name)}》?\s*(?:{ARTICLE.pattern})"


def without_citations_of(norm: str, names: list[str]) -> str:
    """``norm`` with every 《name》第N条 / name第N条 of ``names`` removed: an article number of a law
    that is not loaded must not steer the search to the same number in another law."""
    for name in names:
        norm = re.sub(_citation_pattern(name), " ", norm)
    return norm


def without_names(norm: str, aliases: list[tuple[str, str]], doc_ids: list[str]) -> str:
    """``norm`` without the names of documents ``doc_ids`` (longest alias first, with the 《》 around them): a name says
    which document to search (the ranker's ``named`` feature), not what the answer says. Searched as words,
    「反不正当竞争法对商业诋毁怎么规定的」 matched the law's opening articles on 不正当竞争 before 第十二条 (rule D, session 29)."""
    wanted = set(doc_ids)
    for alias, doc_id in aliases:  # longest first
        if doc_id in wanted and alias in norm:
            norm = norm.replace(f"《{alias}》", " ").replace(alias, " ")
    return re.sub(r"\s+", " ", norm).strip()


def citations_of(norm: str, names: list[str]) -> list[str]:
    """The citations of ``names`` as loaded text writes them (刑法第二百一十九条): loaded articles
    that cite a missing one (a judicial interpretation of it) are worth showing beside the note."""
    found = []
    for name in names:
        for m in re.finditer(_citation_pattern(name), norm):
            try:
                found.append(name + article_locator(m.group(1)))
            except ValueError:
                continue
    return list(dict.fromkeys(found))


def only_a_lookup(norm: str, aliases: list[tuple[str, str]], names: list[str] = ()) -> bool:
    """The question is nothing but references (a document and an article, task or unit number)
    and words asking for their text: when those are missing, any other source would be a guess."""
    rest = _BARE_ITEM.sub(" ", _TREATY_UNIT.sub(" ", TASK.sub(" ", ARTICLE.sub(" ", norm))))
    for alias in sorted([a for a, _ in aliases] + list(names), key=len, reverse=True):
        rest = rest.replace(alias, " ")
    rest = re.sub(r"[《》〈〉\s\W_]+", " ", rest)
    for word in LOOKUP_WORDS:
        rest = rest.replace(word, " ")
    return len(re.sub(r"\s+", "", rest)) <= 1


# A question that asks what the cited provision itself says (劳动法第四十四条关于加班费是怎么规定的): its answer
# is that provision's text, so when the provision is missing any other source would be a guess.
ASKS_ITS_TEXT = re.compile(r"怎么规定|如何规定|怎样规定|规定了什么|规定了哪些|规定的是什么|是怎么说|怎么说|说了什么|讲了什么|"
                           r"\b(?:say|says|said|provide|provides|stipulate|stipulates|state|states)\b", re.I)


def asks_its_text(norm: str) -> bool:
    return bool(ASKS_ITS_TEXT.search(norm))


_BARE_ITEM = re.compile(rf"第\s*({NUMBER})\s*[项个]")


def _task_ref(number: str, plan_doc: str | None) -> list[LocatorRef]:
    """[the plan's 任务N] for a task number as written (19, 十九), or [] (no plan, not a task number)."""
    try:
        n = cn_to_int(number)
    except ValueError:
        return []
    # 0 is read too, so that 「方案任务0」 is told the plan has no such task (it was searched: BA)
    return [LocatorRef(plan_doc, f"任务{n}")] if plan_doc and 0 <= n <= 99 else []


def following_item(norm: str, previous_citation: dict, plan_doc: str | None) -> list[LocatorRef]:
    """「那第二十项呢？」 after an answer citing a plan task: task 20 (第N项 alone is no task elsewhere)."""
    m = _BARE_ITEM.search(norm)
    if not m or previous_citation.get("doc_id") != plan_doc \
            or not str(previous_citation.get("locator", "")).startswith("任务"):
        return []
    return _task_ref(m.group(1), plan_doc)


# 「下一项呢？」「上一条呢？」: the task or article after / before the one the last answer cited first.
_NEXT = re.compile(r"(?:下一|后一)(?:项|个任务|条)|\bnext (?:task|article|one)\b", re.I)
_PREVIOUS = re.compile(r"(?:上一|前一)(?:项|个任务|条)|\bprevious (?:task|article|one)\b", re.I)
# A locator as stored (第十条, no spaces), matched whole: not the question-side ``ARTICLE``.
_STORED_ARTICLE = re.compile(rf"第({NUMBER})条")


def relative_item(norm: str, last_citation: dict, plan_doc: str | None) -> list[LocatorRef]:
    """[the plan's task or the same law's article one after / before ``last_citation``] for 「下一项呢？」「上一条呢？」, or []."""
    step = 1 if _NEXT.search(norm) else -1 if _PREVIOUS.search(norm) else 0
    doc, locator = last_citation.get("doc_id"), str(last_citation.get("locator", ""))
    if not step or not doc:
        return []
    if doc == plan_doc and locator.startswith("任务") and locator[2:].isdigit():
        n = int(locator[2:]) + step
        return _task_ref(str(n), plan_doc) if n >= 1 else []
    if (m := _STORED_ARTICLE.fullmatch(locator)) and (n := cn_to_int(m.group(1)) + step) >= 1:
        return [LocatorRef(doc, f"第{int_to_cn(n)}条")]
    return []


def names_an_item(norm: str) -> bool:
    """A turn that names a provision by its place alone (「下一项呢？」「第19项谁负责？」): it has a subject of its own."""
    return bool(_NEXT.search(norm) or _PREVIOUS.search(norm) or _BARE_ITEM.search(norm))


def _last_pos(text: str, doc_id: str, aliases: list[tuple[str, str]]) -> int:
    return max((text.rfind(a) for a, d in aliases if d == doc_id), default=-1)


def subunits_named(norm: str, locator: str) -> tuple[int | None, int | None]:
    """(款, 项) that a question names inside article ``locator`` — 「著作权法第十条第一款第五项」 ->
    (1, 5), 「第十条第五项」 -> (None, 5) — or (None, None) when it names the whole article."""
    for m in _SUBUNIT.finditer(norm):
        if not (m.group(2) or m.group(3)):
            continue
        try:
            if article_locator(m.group(1)) != locator:
                continue
            return (cn_to_int(m.group(2)) if m.group(2) else None, cn_to_int(m.group(3)) if m.group(3) else None)
        except ValueError:
            continue
    return None, None
