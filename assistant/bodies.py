"""Which bodies (organizations, courts, centres, parks…) a task's text names.

The plan names no lead unit for any task, so RongZhi lists who the text mentions and says so,
rather than guessing who is responsible. Names are found by their endings (…中心, …法院, …大学,
…园区, …协会 …) and cut at punctuation and at the verbs that precede them in the plan's prose.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rongzhi.core.tables import read_table

from .query import EN, ZH_HANS, ZH_HANT

SUFFIXES = ("知识产权保护中心", "保护中心", "分中心", "运营中心", "仲裁中心", "服务中心", "中心", "知识产权法院", "基层法院",
            "法院", "检察院", "学院", "大学", "研究院", "科研院所", "物构所", "高校", "园区", "三创”园", "软件园", "高新区",
            "开发区", "科学城", "示范区", "片区", "法务区", "协会", "联盟", "海关", "司法机关", "执法部门", "金融机构",
            "保险机构", "服务机构", "运营机构", "研发机构", "调解组织", "调解工作室", "公共服务平台", "保护平台", "维权平台",
            "服务基地", "培训基地", "协同创新基地", "普法基地", "服务网点")
_DELIMS = "，。、；：,;:《》\n 和与及等以为的"
# Names that contain a delimiter character themselves.
_COMPOUND_NAMES = ("技术和创新支持中心",)
# Verbs inside a long match: the name starts after the last of them.
_INNER_VERBS = re.compile(r".*(?:建设(?!示范)|设立|依托|联合|牵头|支持)")
# Words that precede a name in the plan's sentences; a name never starts with them.
_LEAD_WORDS = ("充分发挥", "发挥", "依托", "推动", "支持", "加强", "培育", "建设", "建立", "围绕", "打造", "推进", "健全", "完善",
               "申请设立", "设立", "面向", "集聚", "整合", "引导", "鼓励", "提升", "开展", "探索", "以", "由", "和", "与", "及",
               "或", "等", "对", "向", "在", "将", "为", "是", "推广", "形成", "包括", "强化", "落实", "促进", "实施", "通过",
               "发展", "扩大", "更多", "区域内", "全链条", "其他驻榕", "驻榕", "各级", "重点", "市场化", "全面激发")
_GENERIC = {"中心", "分中心", "法院", "高校", "园区", "协会", "联盟", "学院", "大学", "研究院", "片区", "开发区"}

LEAD_UNITS_NOTE = "方案未明确各项任务的牵头单位；“文中提到的机构”是任务原文中出现的机构和主体，不代表牵头或责任分工。"
# A question about who is in charge (谁负责, 哪些部门, 牵头单位, 责任分工, who): the answer's plan task
# then says which bodies its text names, and that the plan assigns no lead unit (``bodies_note``).
ASKS_WHO = re.compile(r"由谁|谁(?:来)?(?:负责|牵头|落实|承担|管)|哪[些个家]?(?:部门|单位|机构|机关)|牵头|负责|责任单位|分工|"
                      r"\bwho (?:is|are) (?:responsible|in charge)|\bwho leads|which (?:\w+ ){0,3}(?:bod|department|agenc|organi)|"
                      r"\b(?:responsible|in charge) for\b",
                      re.IGNORECASE)
_NOTE = {"zh": "任务{n}原文提到的机构和主体：{names}。方案未明确各项任务的牵头单位，以上不代表牵头或责任分工。",
         "zh-none": "任务{n}原文没有点名具体机构。方案未明确各项任务的牵头单位。",
         "en": "Bodies and subjects named in the text of task {n}: {names}. The plan assigns no lead unit to any task; "
               "these are not a division of responsibility.",
         "en-none": "The text of task {n} names no body. The plan assigns no lead unit to any task."}


@lru_cache(maxsize=1)
def plan_subjects() -> tuple[str, ...]:
    """Names no ending finds (``data/plan_subjects.tsv``: 国有企业, 县(市)区政府 …), longest first."""
    rows = read_table(Path(__file__).with_name("data") / "plan_subjects.tsv", ("name", "reason"))
    return tuple(sorted((r["name"] for r in rows), key=len, reverse=True))


def named_bodies(text: str) -> list[str]:
    """Bodies named in ``text`` (Simplified), in order of first mention, without duplicates."""
    suffix_re = re.compile("|".join(map(re.escape, sorted(SUFFIXES, key=len, reverse=True))))
    whole = _COMPOUND_NAMES + plan_subjects()  # names taken as they are, not cut out by an ending
    found: list[str] = [n for n in whole if n in text]
    for m in suffix_re.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] not in _DELIMS and m.end() - start < 30:
            start -= 1
        name = _INNER_VERBS.sub("", text[start:m.end()])
        if any(name in n for n in whole):
            continue
        changed = True
        while changed:
            changed = False
            for word in sorted(_LEAD_WORDS, key=len, reverse=True):
                if name.startswith(word) and len(name) > len(word) + 1:
                    name, changed = name[len(word):], True
        name = name.strip("“”\"'()（）")
        if name.count("“") != name.count("”"):
            name = name.replace("“", "").replace("”", "")
        if len(name) >= 2 and name not in _GENERIC or name in ("高校", "海关", "科研院所"):
            found.append(name)
    # Drop names met only inside a longer one found (中心 inside 保护中心 …); a name the text also
    # uses on its own stays (高校 in 「引导和鼓励高校、科研院所」 beside 高校国家知识产权信息服务中心).
    unique = sorted(dict.fromkeys(found), key=text.find)  # the table's names among the others, by first mention
    return [n for n in unique if n in _without(text, [o for o in unique if n != o and n in o])]


def _without(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "|")
    return text


def as_written(names: list[str], text: str, language: str) -> list[str]:
    """``names`` (found in the Simplified, normalized form of ``text``) as ``text`` itself writes them, in the
    script of ``language``: the plan writes 榕台智慧財產權智庫, and its normalized 知识产权智库 shown in Traditional
    read 知識產權智庫, mainland wording the plan never uses (new users' chat sweep). A name the text does not hold one to one
    is shown as found."""
    from rongzhi.core.normalize import original_wording

    from .compose import display, is_traditional

    traditional = is_traditional(text)
    return list(dict.fromkeys(display(original_wording(name, text) or name, language, traditional) for name in names))


def bodies_note(n: int, task_text: str, language: str = ZH_HANS) -> str:
    """What a civil servant asking "who is responsible for task n" needs beside the task's text:
    the bodies it names, and that the plan names no lead unit (so nothing is guessed). ``task_text``: the
    task as loaded (the plan's own words); the note is in the script of ``language``, the names as the text
    writes them (``as_written``)."""
    from rongzhi.core.normalize import to_simplified, to_traditional

    english = language == EN
    names = as_written(named_bodies(to_simplified(task_text)), task_text, language)
    key = ("en" if english else "zh") + ("" if names else "-none")
    template = to_traditional(_NOTE[key]) if language == ZH_HANT else _NOTE[key]
    return template.format(n=n, names=("、" if not english else ", ").join(names))


# -- "which tasks does body X appear in?" (a civil servant reading the plan for their own office) -----
# Government offices end in these too; the plan itself names none of them, which is worth saying.
OFFICE_SUFFIXES = ("局", "委员会", "委", "厅", "办公室", "办")
_QUESTION_SUFFIXES = SUFFIXES + OFFICE_SUFFIXES + ("企业", "政府", "队伍", "智库", "调查官")
_QUESTION_SUFFIX_RE = re.compile("|".join(map(re.escape, sorted(_QUESTION_SUFFIXES, key=len, reverse=True))))
ASKS_WHICH_TASKS = re.compile(r"哪些任务|哪[个项几]+(?:重点)?任务|什么任务|哪几项|任务.{0,6}(?:有哪些|是哪|有几)|涉及.{0,8}任务|"
                              r"\bwhich tasks?\b", re.IGNORECASE)
_PLAN_WORDS = ("方案", "示范城市", "强市建设", "工作方案")
# The question's own words before a name (哪些任务提到了海关): the name starts after the last of them.
_QUESTION_WORDS = re.compile(r"任务|提到了?|涉及到?|出现|负责|参与|关于|有关|和|与|跟|是|了|哪些|哪个|哪项|什么|方案中|文中")
_BARE = {"中心", "分中心", "局", "委", "委员会", "厅", "办", "办公室", "机构", "平台", "基地", "企业", "政府"}  # a kind, not a body
BODY_TASKS = {"zh": "方案原文提到「{body}」的任务有 {count} 项：", "zh-none": "方案原文没有提到「{body}」。",
              "en": "Tasks of the plan whose text names \u300c{body}\u300d ({count}): ",
              "en-none": "The plan's text does not name \u300c{body}\u300d. ",
              "zh-note": "方案未明确各项任务的牵头单位；以上只是原文中出现这一名称的任务，不代表牵头或责任分工。",
              "zh-none-note": "方案未明确各项任务的牵头单位。",
              "en-none-note": "The plan assigns no lead unit to any task.",
              "en-note": "The plan assigns no lead unit to any task; these are the tasks whose text names it, not a division "
                         "of responsibility."}


# 「市商务局在方案里负责什么」 asks the same of the plan; said of a body without the plan, it may be a
# question about a law (国家知识产权局负责什么), so the plan must be named.
# 「方案对县（市）区政府有什么要求」 (session 28's sweep) asks the same: what the plan's tasks say of that body.
ASKS_DUTIES = re.compile(r"负责(?:什么|哪些|啥)|承担(?:什么|哪些|啥)|(?:要|需要)?(?:做|干)(?:什么|哪些|啥)|有(?:什么|哪些)(?:工作|职责)|"
                         r"(?:有|提出了?|提了)(?:什么|哪些|啥)(?:要求|安排)")


# 「方案对商业秘密保护提了哪些要求」: what follows 对 is what the requirements are about (session 39, BQ).
_ASKS_OF = re.compile(r"对(.{1,30}?)(?:有|提出了?|提了)(?:什么|哪些|啥)(?:要求|安排)")


def asked_body(norm: str) -> str | None:
    """The body a question asks about (市场监管局在方案里负责哪些任务 -> 市场监管局), when it asks
    which of the plan's tasks it appears in; else None. Not a body the asker only introduces themselves by when the
    question says it asks about a topic: 「我在福州某区市场监管局负责知识产权工作，想了解…方案对商业秘密保护提了哪些要求？」 asks
    about 商业秘密保护, not about the asker's office (sweep V, C09.1)."""
    which_tasks = ASKS_WHICH_TASKS.search(norm) is not None
    if not (which_tasks or (ASKS_DUTIES.search(norm) and any(w in norm for w in _PLAN_WORDS))):
        return None
    names = list(_bodies_named(norm))
    if not which_tasks and (of := _ASKS_OF.search(norm)) is not None and not any(start == of.start(1) for _, start in names):
        return None
    return _the_one_asked(names, norm)


def body_named(norm: str) -> str | None:
    """The first body named in a question (a name ending like the plan's bodies or an office); the one the
    question asks about (「对…」) when it names several (「我是区政府的，方案对县（市）区政府有什么要求」)."""
    return _the_one_asked(list(_bodies_named(norm)), norm)


def _the_one_asked(names: list[tuple[str, int]], norm: str) -> str | None:
    """Of the bodies ``norm`` names (``_bodies_named``), the one right after 对, else the first, else None."""
    asked = [name for name, start in names if norm[:start].rstrip().endswith("对")]
    return (asked or [name for name, _ in names] or [None])[0]


def _bodies_named(norm: str):
    """(name, where it starts) for each body named in a question, in order."""
    for m in _QUESTION_SUFFIX_RE.finditer(norm):
        start = m.start()
        # 中 is not a stop: 中小企业, 中国(福建)知识产权保护中心 (方案中 is cut by _QUESTION_WORDS below).
        while start > 0 and norm[start - 1] not in _DELIMS + "在里的" and m.end() - start < 30:
            start -= 1
        name = _QUESTION_WORDS.split(norm[start:m.end()])[-1]
        for word in sorted(_LEAD_WORDS + _PLAN_WORDS + ("请问", "我们", "我", "那么", "那", "还有", "各"), key=len, reverse=True):
            if name.startswith(word) and len(name) > len(word) + 1:
                name = name[len(word):]
        if len(name) >= 2 and name not in _BARE:
            yield name, m.end() - len(name)


_CITY = re.compile(r"^福州市?")  # the plan's own city, which it leaves out of its bodies' names


def as_the_plan_names(body: str, tasks: list[tuple[int, str]]) -> str:
    """``body`` as the plan writes it: the plan is Fuzhou's and names the city's bodies without the city, so a 福州海关
    the plan never writes is its 海关 when it writes that (session 36's officer sweep: 「福州海关在方案里要做什么？」 was
    searched, and answered with tasks 20 and 19, not task 8)."""
    rest = _CITY.sub("", body)
    if rest != body and len(rest) >= 2 and not tasks_naming(body, tasks) and tasks_naming(rest, tasks):
        return rest
    return body


def is_office(body: str) -> bool:
    """A government office (市场监管局, 国资委): the plan names none, so its absence is worth saying."""
    return body.endswith(OFFICE_SUFFIXES)


def tasks_naming(body: str, tasks: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """[(task number, the plan's full names that contain ``body``)] for the tasks (number, Simplified
    text) whose text names it: 知识产权保护中心 is found inside 中国(福建)知识产权保护中心, and the
    full name is what the answer shows. A user's 县区政府 or 各县（市）区政府 is the plan's 县(市)区政府,
    and a place's government (县区政府) is also named where the plan names the place (task 8's
    「市、县(市)区两级…执法队伍」)."""
    keys = [body] + ([body[:-2]] if body.endswith("政府") and len(body) >= 4 else [])
    out = []
    for n, text in tasks:
        written = [w for key in keys for w in _occurrences(key, text)]
        if written:
            full = [b for b in named_bodies(text) if any(w in b for w in written)]
            out.append((n, list(dict.fromkeys(full or written))))
    return out


def _occurrences(key: str, text: str) -> list[str]:
    """How ``text`` writes ``key``, allowing short bracketed insertions between its characters (县区 ->
    县(市)区) and the order 区县 for 县区."""
    forms = {key, key.replace("区县", "县区")}
    found = []
    for form in forms:
        bare = re.sub(r"[(（][^)）]{1,4}[)）]", "", form)
        if len(bare) < 2:
            continue
        pattern = r"(?:[(（][^)）]{1,4}[)）])?".join(map(re.escape, bare))
        found += [m.group(0) for m in re.finditer(pattern, text)]
    return list(dict.fromkeys(found))
