"""Which bodies (organizations, courts, centres, parks…) a task's text names.

The plan names no lead unit for any task, so RongZhi lists who the text mentions and says so,
rather than guessing who is responsible. Names are found by their endings (…中心, …法院, …大学,
…园区, …协会 …) and cut at punctuation and at the verbs that precede them in the plan's prose.
"""
from __future__ import annotations

import re

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
                      r"\bwho (?:is|are) (?:responsible|in charge)|\bwho leads|which (?:bod|department|agenc|organi)",
                      re.IGNORECASE)
_NOTE = {"zh": "任务{n}原文提到的机构：{names}。方案未明确各项任务的牵头单位，以上不代表牵头或责任分工。",
         "zh-none": "任务{n}原文没有点名具体机构。方案未明确各项任务的牵头单位。",
         "en": "Bodies named in the text of task {n}: {names}. The plan assigns no lead unit to any task; "
               "these are not a division of responsibility.",
         "en-none": "The text of task {n} names no body. The plan assigns no lead unit to any task."}


def named_bodies(text: str) -> list[str]:
    """Bodies named in ``text`` (Simplified), in order of first mention, without duplicates."""
    suffix_re = re.compile("|".join(map(re.escape, sorted(SUFFIXES, key=len, reverse=True))))
    found: list[str] = []
    found.extend(n for n in _COMPOUND_NAMES if n in text)
    for m in suffix_re.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] not in _DELIMS and m.end() - start < 30:
            start -= 1
        name = _INNER_VERBS.sub("", text[start:m.end()])
        if any(name in n for n in _COMPOUND_NAMES):
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
    # Drop names contained in a longer one already found (中心 inside 保护中心 …).
    unique = list(dict.fromkeys(found))
    return [n for n in unique if not any(n != o and n in o for o in unique)]


def bodies_note(n: int, task_text_simplified: str, english: bool = False) -> str:
    """What a civil servant asking "who is responsible for task n" needs beside the task's text:
    the bodies it names, and that the plan names no lead unit (so nothing is guessed)."""
    names = named_bodies(task_text_simplified)
    key = ("en" if english else "zh") + ("" if names else "-none")
    return _NOTE[key].format(n=n, names=("、" if not english else ", ").join(names))
